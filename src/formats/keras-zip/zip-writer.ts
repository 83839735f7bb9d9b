import { writeSync } from "node:fs";
import { crc32 } from "node:zlib";
import { Zip, ZipPassThrough } from "fflate";

/**
 * A stored zip member whose CRC-32 is computed by Node's zlib (native) instead of fflate's JavaScript
 * one, which would dominate the time to archive a large weights file. Same fields and contract as
 * fflate's ZipPassThrough.push.
 */
class StoredMember extends ZipPassThrough {
  private running = 0;
  override push(chunk: Uint8Array, final?: boolean): void {
    if (!this.ondata) throw new Error("internal: zip member pushed before it was added");
    this.running = crc32(chunk, this.running);
    this.size += chunk.length;
    if (final) this.crc = this.running >>> 0;
    this.process(chunk as Uint8Array<ArrayBuffer>, final ?? false);
  }
}

/**
 * Writes a zip archive to a file descriptor as it goes, with fflate: members are stored uncompressed,
 * as Keras's `zipfile.ZipFile(f, "w")` does; a large member is streamed as it is produced.
 */
export class ZipWriter {
  private readonly zip: Zip;
  private failure: Error | null = null;

  constructor(private readonly fd: number) {
    this.zip = new Zip((err, chunk) => {
      if (err) this.failure = err;
      else for (let at = 0; at < chunk.length;) at += writeSync(this.fd, chunk, at, chunk.length - at);
    });
  }

  add(name: string, data: Uint8Array): void {
    const member = new StoredMember(name);
    this.zip.add(member);
    member.push(data, true);
    this.rethrow();
  }

  /** Adds member `name` with the bytes `produce` pushes, in order, as it makes them. */
  addStream(name: string, produce: (push: (chunk: Uint8Array) => void) => void): void {
    const member = new StoredMember(name);
    this.zip.add(member);
    produce((chunk) => {
      member.push(chunk, false);
      this.rethrow();
    });
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
