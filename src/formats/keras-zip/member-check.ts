import { FormatError } from "../../ir/errors.js";
import { CrcThread } from "./crc-thread.js";
import { crcOfFileRange, type ZipEntry, type ZipReader } from "./zip-reader.js";

/**
 * The CRC-32 check of a large stored member, run on a worker thread while the archive is read and its
 * weights are used: reading ResNet50's 103 MB member through once more for its CRC took ~40 ms of a
 * ~230 ms `.keras → .onnx` conversion. `wait()` blocks until the result is in and throws the archive's
 * FormatError if the member is damaged; the weights' reads call it (see `verify` in hdf5/reader.ts), and
 * writers that defer it (`Scratch.confirm`) call it before their output is renamed into place.
 */
export interface MemberCheck {
  readonly wait: () => void;
  /** Stops the check on the thread: the member is read some other way, or not at all (a later `wait` checks it here). */
  cancel(): void;
}

/** Below this size a member is checked before the archive's read returns: a thread would cost more. */
let backgroundMinBytes = 16 * 2 ** 20;

/** Sets the size from which members are checked on a worker thread (tests check small archives so). */
export function setBackgroundCheckMinBytes(bytes: number): void {
  backgroundMinBytes = bytes;
}

/**
 * Starts checking a stored member's CRC on a worker thread; null for a member under
 * `backgroundMinBytes` (the caller checks it now, with `zip.verify`).
 */
export function startMemberCheck(zip: ZipReader, entry: ZipEntry): MemberCheck | null {
  if (entry.size < backgroundMinBytes) return null;
  return new BackgroundCheck(zip, entry, zip.dataOffset(entry));
}

class BackgroundCheck implements MemberCheck {
  /** Null where no worker thread could be made: wait() checks in this thread. */
  private readonly thread: CrcThread | null;
  private result: { error: Error | null } | null = null;

  constructor(
    private readonly zip: ZipReader,
    private readonly entry: ZipEntry,
    private readonly start: number,
  ) {
    this.thread = CrcThread.start(zip.path, start);
    this.thread?.finish(start + entry.size);
  }

  readonly wait = (): void => {
    this.result ??= this.settle();
    if (this.result.error) throw this.result.error;
  };

  cancel(): void {
    this.thread?.cancel();
  }

  private settle(): { error: Error | null } {
    const outcome = this.thread?.result() ?? null;
    if (!outcome) return this.inThisThread();
    const { zip, entry } = this;
    return attempt(() => {
      if ("crc" in outcome) zip.assertIntact(entry, entry.size, outcome.crc);
      else if ("short" in outcome) zip.fail(`is truncated while reading ${entry.name}`);
      else {
        throw new FormatError(`cannot read member '${entry.name}' to check its CRC-32 (${outcome.failed}).`, {
          file: zip.path,
        });
      }
    });
  }

  private inThisThread(): { error: Error | null } {
    const { zip, entry, start } = this;
    return attempt(() => {
      const crc = crcOfFileRange(zip.path, start, entry.size, () =>
        zip.fail(`is truncated while reading ${entry.name}`),
      );
      zip.assertIntact(entry, entry.size, crc);
    });
  }
}

function attempt(check: () => void): { error: Error | null } {
  try {
    check();
    return { error: null };
  } catch (e) {
    return { error: e as Error };
  }
}
