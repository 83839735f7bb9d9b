;; The weight-layout transposes of src/formats/onnx/tensor-data.ts for 4-byte elements, as one batched,
;; strided 2-D transpose in WebAssembly SIMD. Assembled by tools/gen-wasm.ts (`npm run gen:wasm`) into
;; transpose-wasm.ts; edit this file, never the generated one.
;;
;; transpose(src, dst, batch, rows, cols, srcBatch, srcRow, dstBatch, dstRow):
;;   for b < batch, r < rows, c < cols:
;;     dst[b * dstBatch + c * dstRow + r] = src[b * srcBatch + r * srcRow + c]
;; src and dst are byte addresses, the strides count 4-byte elements. Elements move as i32 bits, so
;; float NaN payloads survive. A (rows, cols) matrix is batch 1; a conv kernel (H·W, I, O) → (O, I, H·W)
;; is, per input channel, an (H·W, O) matrix with row stride I·O written into rows of stride I·H·W.
;;
;; The body moves 4×4 tiles (four row loads, eight shuffles, four stores) in blocks of 16 rows × 64
;; columns, a column of tiles at a time: each tile column fills whole 64-byte lines of four destination
;; rows, the block's 16 source rows are read across, and a block's 64 destination rows are written in
;; order. Of the orders and sizes measured on ResNet50's kernels (tools/bench/transpose.ts) this was the
;; best over all of them: narrower blocks win on power-of-two strides and lose elsewhere. Rows and
;; columns past the last whole tile are copied one element at a time.
(module
  (memory (export "memory") 1)

  (func (export "transpose")
    (param $src i32) (param $dst i32) (param $batch i32) (param $rows i32) (param $cols i32)
    (param $srcBatch i32) (param $srcRow i32) (param $dstBatch i32) (param $dstRow i32)
    (local $rows4 i32) (local $cols4 i32)
    (local $sr i32) (local $sr2 i32) (local $sr3 i32) (local $dr i32) (local $dr2 i32) (local $dr3 i32)
    (local $b i32) (local $S i32) (local $D i32)
    (local $c0 i32) (local $c1 i32) (local $r i32) (local $c i32) (local $s i32) (local $d i32)
    (local $r0 i32) (local $r1 i32) (local $sr4 i32) (local $end i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $t0 v128) (local $t1 v128)
    (local $t2 v128) (local $t3 v128)

    (local.set $rows4 (i32.and (local.get $rows) (i32.const -4)))
    (local.set $cols4 (i32.and (local.get $cols) (i32.const -4)))
    ;; Strides in bytes.
    (local.set $sr (i32.shl (local.get $srcRow) (i32.const 2)))
    (local.set $sr2 (i32.shl (local.get $srcRow) (i32.const 3)))
    (local.set $sr3 (i32.add (local.get $sr) (local.get $sr2)))
    (local.set $dr (i32.shl (local.get $dstRow) (i32.const 2)))
    (local.set $dr2 (i32.shl (local.get $dstRow) (i32.const 3)))
    (local.set $dr3 (i32.add (local.get $dr) (local.get $dr2)))
    (local.set $sr4 (i32.shl (local.get $srcRow) (i32.const 4)))
    (local.set $S (local.get $src))
    (local.set $D (local.get $dst))

    (local.set $b (i32.const 0))
    (block $batchDone
      (loop $batchLoop
        (br_if $batchDone (i32.ge_u (local.get $b) (local.get $batch)))

        ;; Whole tiles, in blocks of 64 columns (c0 to c1) × 16 rows (r0 to r1).
        (local.set $c0 (i32.const 0))
        (block $blocksDone
          (loop $blockLoop
            (br_if $blocksDone (i32.ge_u (local.get $c0) (local.get $cols4)))
            (local.set $c1 (i32.add (local.get $c0) (i32.const 64)))
            (if (i32.gt_u (local.get $c1) (local.get $cols4)) (then (local.set $c1 (local.get $cols4))))
            (local.set $r0 (i32.const 0))
            (block $panelsDone
              (loop $panelLoop
                (br_if $panelsDone (i32.ge_u (local.get $r0) (local.get $rows4)))
                (local.set $r1 (i32.add (local.get $r0) (i32.const 16)))
                (if (i32.gt_u (local.get $r1) (local.get $rows4)) (then (local.set $r1 (local.get $rows4))))
                ;; One column of tiles, c to c + 4, down the block's rows: s walks the source rows,
                ;; d the destination row c from r0.
                (local.set $c (local.get $c0))
                (loop $colLoop4
                  (local.set $s
                    (i32.add (local.get $S)
                      (i32.add (i32.mul (local.get $r0) (local.get $sr)) (i32.shl (local.get $c) (i32.const 2)))))
                  (local.set $d
                    (i32.add (local.get $D)
                      (i32.add (i32.mul (local.get $c) (local.get $dr)) (i32.shl (local.get $r0) (i32.const 2)))))
                  (local.set $end
                    (i32.add (local.get $d) (i32.shl (i32.sub (local.get $r1) (local.get $r0)) (i32.const 2))))
                  (loop $tileLoop
                    (local.set $a0 (v128.load align=4 (local.get $s)))
                    (local.set $a1 (v128.load align=4 (i32.add (local.get $s) (local.get $sr))))
                    (local.set $a2 (v128.load align=4 (i32.add (local.get $s) (local.get $sr2))))
                    (local.set $a3 (v128.load align=4 (i32.add (local.get $s) (local.get $sr3))))
                    ;; t0 = a0[0] a1[0] a0[1] a1[1], t1 = a0[2] a1[2] a0[3] a1[3]; t2, t3 the same of a2, a3
                    (local.set $t0
                      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a0) (local.get $a1)))
                    (local.set $t1
                      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a0) (local.get $a1)))
                    (local.set $t2
                      (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $a2) (local.get $a3)))
                    (local.set $t3
                      (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $a2) (local.get $a3)))
                    ;; Column j of the tile: the low or high halves of t0 and t2 (j = 0, 1) or t1 and t3 (j = 2, 3).
                    (v128.store align=4 (local.get $d)
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
                    (v128.store align=4 (i32.add (local.get $d) (local.get $dr))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
                    (v128.store align=4 (i32.add (local.get $d) (local.get $dr2))
                      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
                    (v128.store align=4 (i32.add (local.get $d) (local.get $dr3))
                      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3)))
                    (local.set $s (i32.add (local.get $s) (local.get $sr4)))
                    (local.set $d (i32.add (local.get $d) (i32.const 16)))
                    (br_if $tileLoop (i32.lt_u (local.get $d) (local.get $end))))
                  (local.set $c (i32.add (local.get $c) (i32.const 4)))
                  (br_if $colLoop4 (i32.lt_u (local.get $c) (local.get $c1))))
                (local.set $r0 (local.get $r1))
                (br $panelLoop)))
            (local.set $c0 (local.get $c1))
            (br $blockLoop)))

        ;; Columns past the last whole tile, for the rows of whole tiles.
        (local.set $c (local.get $cols4))
        (block $colTailDone
          (loop $colTail
            (br_if $colTailDone (i32.ge_u (local.get $c) (local.get $cols)))
            (local.set $s (i32.add (local.get $S) (i32.shl (local.get $c) (i32.const 2))))
            (local.set $d (i32.add (local.get $D) (i32.mul (local.get $c) (local.get $dr))))
            (local.set $end (i32.add (local.get $d) (i32.shl (local.get $rows4) (i32.const 2))))
            (block $colDone
              (loop $colLoop
                (br_if $colDone (i32.ge_u (local.get $d) (local.get $end)))
                (i32.store (local.get $d) (i32.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (local.get $sr)))
                (local.set $d (i32.add (local.get $d) (i32.const 4)))
                (br $colLoop)))
            (local.set $c (i32.add (local.get $c) (i32.const 1)))
            (br $colTail)))

        ;; Rows past the last whole tile, every column.
        (local.set $r (local.get $rows4))
        (block $rowTailDone
          (loop $rowTail
            (br_if $rowTailDone (i32.ge_u (local.get $r) (local.get $rows)))
            (local.set $s (i32.add (local.get $S) (i32.mul (local.get $r) (local.get $sr))))
            (local.set $d (i32.add (local.get $D) (i32.shl (local.get $r) (i32.const 2))))
            (local.set $end (i32.add (local.get $s) (i32.shl (local.get $cols) (i32.const 2))))
            (block $rowDone
              (loop $rowCopy
                (br_if $rowDone (i32.ge_u (local.get $s) (local.get $end)))
                (i32.store (local.get $d) (i32.load (local.get $s)))
                (local.set $s (i32.add (local.get $s) (i32.const 4)))
                (local.set $d (i32.add (local.get $d) (local.get $dr)))
                (br $rowCopy)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $rowTail)))

        (local.set $S (i32.add (local.get $S) (i32.shl (local.get $srcBatch) (i32.const 2))))
        (local.set $D (i32.add (local.get $D) (i32.shl (local.get $dstBatch) (i32.const 2))))
        (local.set $b (i32.add (local.get $b) (i32.const 1)))
        (br $batchLoop)))))
