import { closeSync, openSync, writeSync } from "node:fs";
import { crc32 } from "node:zlib";
import { Zip, ZipPassThrough } from "fflate";
import { FormatError } from "../../ir/errors.js";
import { CrcThread } from "./crc-thread.js";
import { crcOfRange } from "./zip-reader.js";

/** Sizes and offsets of a zip without zip64 records stay below this (0xffffffff itself marks zip64). */
const ZIP32_MAX = 0xffffffff;

/** From this many bytes a member's CRC-32 is summed on a worker thread (a thread costs ~30 ms to start). */
let threadMinBytes = 16 * 2 ** 20;

/** Sets the member size from which the CRC is summed on a worker thread (tests use small archives). */
export function setWriteCrcThreadMinBytes(bytes: number): void {
  threadMinBytes = bytes;
}

/**
 * A stored zip member whose CRC-32 is summed by Node's zlib (native) instead of fflate's JavaScript
 * one; once the member passes `threadMinBytes`, by a worker thread reading back what is already
 * written (CrcThread), so the thread making the data does not spend 30–60 ms of ResNet50's .keras on
 * it. Same fields and contract as fflate's ZipPassThrough.push; the bytes written are the same.
 */
class StoredMember extends ZipPassThrough {
  private running = 0;
  /** Summing on a worker thread from `handoff` on; "none": no thread could be made, this one sums. */
  private thread: CrcThread | "none" | null = null;
  /** Where the thread took over: the file offset, and the CRC of the member's bytes before it. */
  private handoff = { at: 0, crc: 0 };
  /** The member's size, when its producer said it ahead: a large one is handed off from its first bytes. */
  expected = 0;

  constructor(
    name: string,
    private readonly writer: ZipWriter,
  ) {
    super(name);
  }

  override push(chunk: Uint8Array, final = false): void {
    if (!this.ondata) throw new Error("internal: zip member pushed before it was added");
    this.size += chunk.length;
    const { path } = this.writer;
    const large = Math.max(this.size, this.expected) >= threadMinBytes;
    // A member pushed whole (final at once) gains nothing from a thread: it would only read it back.
    const handOff = this.thread === null && path !== undefined && large && chunk.length > 0 && !final;
    if (!handOff && !(this.thread instanceof CrcThread)) this.running = crc32(chunk, this.running);
    // The data goes out now; the data descriptor, which holds the CRC, after it (the same bytes as one call).
    this.process(chunk as Uint8Array<ArrayBuffer>, false);
    if (handOff) {
      // A stored member's chunk is written as it is, last: it ends where the file does.
      this.handoff = { at: this.writer.written - chunk.length, crc: this.running };
      this.thread = CrcThread.start(path, this.handoff.at, this.running) ?? "none";
      if (this.thread === "none") this.running = crc32(chunk, this.running);
    }
    if (this.thread instanceof CrcThread) this.thread.advance(this.writer.written);
    if (!final) return;
    this.crc = this.thread instanceof CrcThread ? this.threadCrc(this.thread) : this.running >>> 0;
    this.process(new Uint8Array(0), true);
  }

  /** Stops the worker thread, if any (the member will not be finished). */
  abandon(): void {
    if (this.thread instanceof CrcThread) this.thread.cancel();
  }

  /** The thread's CRC of the member; where it could not sum it, this thread reads the bytes back. */
  private threadCrc(thread: CrcThread): number {
    const end = this.writer.written;
    thread.finish(end);
    const outcome = thread.result();
    if (outcome && "crc" in outcome) return outcome.crc;
    const fd = openSync(this.writer.path!, "r");
    try {
      const { at, crc } = this.handoff;
      const short = () => {
        throw new Error(`internal: '${this.writer.path}' is shorter than the ${end} bytes written to it`);
      };
      return crcOfRange(fd, at, end - at, short, crc);
    } finally {
      closeSync(fd);
    }
  }
}

/**
 * Writes a zip archive to a file descriptor as it goes, with fflate: members are stored uncompressed,
 * as Keras's `zipfile.ZipFile(f, "w")` does; a large member is streamed as it is produced. `where.path`
 * names the file behind `fd` so that a worker thread can read a large member back for its CRC (without
 * it, this thread sums every member); `where.name` is the archive's name in errors. Archives past 4 GiB
 * are refused (no zip64).
 */
export class ZipWriter {
  private readonly zip: Zip;
  private failure: Error | null = null;
  /** Bytes written to the file so far. */
  written = 0;
  /** The file behind `fd` (for the CRC thread), and the name errors give the archive (default: the path). */
  readonly path: string | undefined;
  private readonly name: string;

  constructor(
    private readonly fd: number,
    where: { path?: string; name?: string } = {},
  ) {
    this.path = where.path;
    this.name = where.name ?? where.path ?? "the archive";
    this.zip = new Zip((err, chunk) => {
      if (err) this.failure = err;
      else {
        this.assertFits(chunk.length);
        for (let at = 0; at < chunk.length;) at += writeSync(this.fd, chunk, at, chunk.length - at);
        this.written += chunk.length;
      }
    });
  }

  /**
   * Refuses an archive that would pass 4 GiB: sizes and offsets beyond 32 bits need zip64 records, which
   * fflate does not write, so the archive would be damaged. Checked before the bytes go out (and when a
   * member announces its size, before any of it does).
   */
  assertFits(more: number): void {
    if (this.written + more < ZIP32_MAX) return;
    const gib = ((this.written + more) / 2 ** 30).toFixed(2);
    throw new FormatError(
      `cannot write '${this.name}': the archive would pass 4 GiB (${gib} GiB at least), and a zip that large ` +
        "needs zip64 records, which kerasgraph does not write yet. Save the model as .h5, or its weights " +
        "sharded (model.weights.json with maxShardSize), or convert it to .onnx with external data.",
      { file: this.name },
    );
  }

  add(name: string, data: Uint8Array): void {
    const member = new StoredMember(name, this);
    this.zip.add(member);
    member.push(data, true);
    this.rethrow();
  }

  /**
   * Adds member `name` with the bytes `produce` pushes, in order, as it makes them; `expect` tells the
   * member's size ahead (optional), so a large member's CRC thread starts with its first bytes.
   */
  addStream(name: string, produce: (push: (chunk: Uint8Array) => void, expect: (bytes: number) => void) => void): void {
    const member = new StoredMember(name, this);
    this.zip.add(member);
    try {
      produce(
        (chunk) => {
          member.push(chunk, false);
          this.rethrow();
        },
        (bytes) => {
          this.assertFits(bytes);
          member.expected = bytes;
        },
      );
    } catch (e) {
      member.abandon();
      throw e;
    }
    member.push(new Uint8Array(0), true);
    this.rethrow();
  }

  end(): void {
    this.zip.end();
    this.rethrow();
  }

  private rethrow(): void {
    if (this.failure) throw this.failure;
  }
}
