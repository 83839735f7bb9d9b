import { crc32 } from "node:zlib";
import { FormatError } from "../../ir/errors.js";
import { CrcThread } from "./crc-thread.js";
import { crcOfFileRange } from "./zip-reader.js";
import { writeFully } from "../write-fully.js";
import {
  type MemberRecord,
  centralDirectory,
  dataDescriptor,
  dosDateTime,
  localHeader,
  needsZip64,
} from "./zip-records.js";

/** From this many bytes a member's CRC-32 is summed on a worker thread (starting one costs ~30 ms). */
let threadMinBytes = 16 * 2 ** 20;

/** Sets the member size from which the CRC is summed on a worker thread (tests use small archives). */
export function setWriteCrcThreadMinBytes(bytes: number): void {
  threadMinBytes = bytes;
}

/**
 * One stored member being written: its local header goes out with its first bytes, the data as it is
 * pushed, and a data descriptor with the CRC-32 and size at the end. The CRC is Node's zlib's; once the
 * member passes `threadMinBytes`, a worker thread's, reading back what is already written (CrcThread),
 * so the thread making the data does not spend 30–60 ms of ResNet50's .keras on it.
 */
class StoredMember {
  readonly record: MemberRecord;
  private started = false;
  private running = 0;
  /** Summing on a worker thread from `handoff` on; "none": no thread could be made, this one sums. */
  private thread: CrcThread | "none" | null = null;
  /** Where the thread took over: the file offset, and the CRC of the member's bytes before it. */
  private handoff = { at: 0, crc: 0 };
  /** The member's size, when its producer said it ahead: a large one is handed off from its first bytes. */
  expected = 0;

  /**
   * `streamed`: the data comes in pieces as it is made, so a thread can sum what is written while the
   * rest is made; a member added whole gains nothing from one (it would only read the bytes back).
   */
  constructor(
    name: string,
    private readonly writer: ZipWriter,
    private readonly streamed: boolean,
  ) {
    const bytes = new TextEncoder().encode(name);
    const utf8 = bytes.length !== name.length;
    this.record = { name: bytes, utf8, dosTime: dosDateTime(new Date()), crc: 0, size: 0, offset: 0, zip64: false };
  }

  push(chunk: Uint8Array): void {
    if (!this.started) this.start();
    this.record.size += chunk.length;
    if (needsZip64(this.record.size) && !this.record.zip64) this.writer.tooLarge(this.record.size);
    const { path } = this.writer;
    const large = Math.max(this.record.size, this.expected) >= threadMinBytes;
    const handOff = this.streamed && this.thread === null && path !== undefined && large && chunk.length > 0;
    if (!handOff && !(this.thread instanceof CrcThread)) this.running = crc32(chunk, this.running);
    this.writer.write(chunk);
    if (handOff) {
      this.handoff = { at: this.writer.written - chunk.length, crc: this.running };
      this.thread = CrcThread.start(path, this.handoff.at, this.running) ?? "none";
      if (this.thread === "none") this.running = crc32(chunk, this.running);
    }
    if (this.thread instanceof CrcThread) this.thread.advance(this.writer.written);
  }

  /** Writes the data descriptor (the local header first for an empty member); returns the record. */
  finish(): MemberRecord {
    if (!this.started) this.start();
    this.record.crc = this.thread instanceof CrcThread ? this.threadCrc(this.thread) : this.running >>> 0;
    this.writer.write(dataDescriptor(this.record));
    return this.record;
  }

  /** Stops the sum on the worker thread, if any (the member will not be finished). */
  abandon(): void {
    if (this.thread instanceof CrcThread) this.thread.cancel();
  }

  /** The local header, zip64 when the member's size was said to need it. */
  private start(): void {
    this.started = true;
    this.record.offset = this.writer.written;
    this.record.zip64 = needsZip64(this.expected);
    this.writer.write(localHeader(this.record));
  }

  /** The thread's CRC of the member; where it could not sum it, this thread reads the bytes back. */
  private threadCrc(thread: CrcThread): number {
    const end = this.writer.written;
    thread.finish(end);
    const outcome = thread.result();
    if (outcome && "crc" in outcome) return outcome.crc;
    const { at, crc } = this.handoff;
    const short = () => {
      throw new Error(`internal: '${this.writer.path}' is shorter than the ${end} bytes written to it`);
    };
    return crcOfFileRange(this.writer.path!, at, end - at, short, crc);
  }
}

/**
 * Writes a zip archive to a file descriptor as it goes: members stored uncompressed, as Keras's
 * `zipfile.ZipFile(f, "w")` does, a large one streamed as it is produced; sizes and offsets past 4 GiB
 * in zip64 records (zip-records.ts). `where.path` names the file behind `fd` so that a worker thread
 * can read a large member back for its CRC (without it, this thread sums every member); `where.name` is
 * the archive's name in errors.
 */
export class ZipWriter {
  /** Bytes written to the file so far. */
  written = 0;
  /** The file behind `fd` (for the CRC thread). */
  readonly path: string | undefined;
  private readonly name: string;
  private readonly members: MemberRecord[] = [];

  constructor(
    private readonly fd: number,
    where: { path?: string; name?: string } = {},
  ) {
    this.path = where.path;
    this.name = where.name ?? where.path ?? "the archive";
  }

  add(name: string, data: Uint8Array): void {
    const member = new StoredMember(name, this, false);
    member.expected = data.length;
    member.push(data);
    this.members.push(member.finish());
  }

  /**
   * Adds member `name` with the bytes `produce` pushes, in order, as it makes them. `expect` tells the
   * member's size ahead: a large member's CRC thread starts with its first bytes, and a member of 4 GiB
   * or more needs it (its local header says zip64 before its first bytes).
   */
  addStream(name: string, produce: (push: (chunk: Uint8Array) => void, expect: (bytes: number) => void) => void): void {
    const member = new StoredMember(name, this, true);
    try {
      produce(
        (chunk) => member.push(chunk),
        (bytes) => (member.expected = bytes),
      );
    } catch (e) {
      member.abandon();
      throw e;
    }
    this.members.push(member.finish());
  }

  /** The central directory and its end records. */
  end(): void {
    this.write(centralDirectory(this.members, this.written));
  }

  /** Appends `bytes` to the file. */
  write(bytes: Uint8Array): void {
    writeFully(this.fd, bytes);
    this.written += bytes.length;
  }

  /** A member that grew to 4 GiB without saying so ahead: its local header cannot say zip64 any more. */
  tooLarge(size: number): never {
    throw new FormatError(
      `cannot write '${this.name}': a member grew to ${(size / 2 ** 30).toFixed(2)} GiB without its size said ` +
        "ahead, and a member of 4 GiB or more needs zip64 in its local header, written before its first bytes.",
      { file: this.name },
    );
  }
}
