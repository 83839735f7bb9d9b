/**
 * Wire types of ModelProto's fields (onnx.proto): ir_version 1 and model_version 5 are varints, the
 * rest (producer, domain, doc_string, graph 7, opset_import 8, metadata_props 14, training_info 20,
 * functions 25, configuration 26) are length-delimited.
 */
const VARINT_FIELDS = new Set([1, 5]);
const LENGTH_FIELDS = new Set([2, 3, 4, 6, 7, 8, 14, 20, 25, 26]);

/**
 * Netron-style cheap match for an ONNX ModelProto: walks the top-level protobuf fields (skipping their
 * contents) and accepts only ModelProto's field numbers with their wire types, an `ir_version` first and
 * a `graph`. A serialized TensorProto (`input_0.pb`) fails: its field 2 (`data_type`) is a varint.
 */
export function looksLikeOnnxModel(bytes: Uint8Array): boolean {
  let pos = 0;
  let sawGraph = false;
  let first = true;
  while (pos < bytes.length) {
    const key = readVarint(bytes, pos);
    if (!key) return false;
    pos = key.next;
    const field = Math.floor(key.value / 8);
    const wire = key.value % 8;
    if (!(wire === 0 ? VARINT_FIELDS : wire === 2 ? LENGTH_FIELDS : null)?.has(field)) return false;
    if (first && field !== 1) return false;
    first = false;
    const v = readVarint(bytes, pos);
    if (!v) return false;
    pos = wire === 0 ? v.next : v.next + v.value;
    if (field === 7) sawGraph = true;
  }
  return sawGraph && pos === bytes.length;
}

function readVarint(bytes: Uint8Array, pos: number): { value: number; next: number } | null {
  let value = 0;
  let scale = 1;
  for (let i = pos; i < bytes.length && i < pos + 10; i++) {
    const b = bytes[i]!;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if (b < 0x80) return { value, next: i + 1 };
  }
  return null;
}
