import { FormatError } from "../../ir/errors.js";
import { type PickleFail, build, call, global, list } from "./pickle-numpy.js";

export type { PickledArray } from "./pickle-numpy.js";

const MARK = Symbol("mark");

/**
 * Unpickles the restricted set of objects NumPy writes for an object array of dicts of arrays
 * (protocols 2 to 5): dicts, lists, tuples, strings, bytes, numbers, booleans, None, and arrays.
 */
export function unpickle(bytes: Uint8Array, where: string): unknown {
  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  const decoder = new TextDecoder();
  let at = 0;
  const fail = (why: string): never => {
    throw new FormatError(`${where}: cannot read the pickled weights (${why} at byte ${at}).`);
  };
  const take = (n: number) => {
    if (at + n > bytes.length) fail("truncated");
    const out = bytes.subarray(at, at + n);
    at += n;
    return out;
  };
  const u8 = () => take(1)[0]!;
  // Every multi-byte field goes through take(), which refuses reads past the end.
  const field = (n: number) => {
    const b = take(n);
    return new DataView(b.buffer, b.byteOffset, n);
  };
  const u32 = () => field(4).getUint32(0, true);
  const popMark = (): unknown[] => {
    const i = stack.lastIndexOf(MARK);
    if (i < 0) fail("no mark");
    return stack.splice(i).slice(1);
  };
  const pop = () => (stack.length ? stack.pop() : fail("stack underflow"));
  const top = () => (stack.length ? stack[stack.length - 1] : fail("empty stack"));

  for (;;) {
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        u8();
        break;
      case 0x95: // FRAME
        take(8);
        break;
      case 0x2e: // STOP
        return pop();
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(field(4).getInt32(0, true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(field(2).getUint16(0, true));
        break;
      case 0x8a: {
        // LONG1
        const n = u8();
        let v = 0n;
        const b = take(n);
        for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
        if (n && b[n - 1]! & 0x80) v -= 1n << BigInt(8 * n);
        stack.push(Number(v));
        break;
      }
      case 0x47: // BINFLOAT
        stack.push(field(8).getFloat64(0, false));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(decoder.decode(take(u8())));
        break;
      case 0x58: // BINUNICODE
        stack.push(decoder.decode(take(u32())));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(decoder.decode(take(Number(field(8).getBigUint64(0, true)))));
        break;
      case 0x55: // SHORT_BINSTRING (protocol 2 str of bytes)
        stack.push(latin1(take(u8())));
        break;
      case 0x54: // BINSTRING
        stack.push(latin1(take(u32())));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()).slice());
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(take(Number(field(8).getBigUint64(0, true))).slice());
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x74: // TUPLE
        stack.push(popMark());
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new Map<unknown, unknown>());
        break;
      case 0x61: {
        // APPEND
        const v = pop();
        list(top(), fail).push(v);
        break;
      }
      case 0x65: {
        // APPENDS
        const items = popMark();
        list(top(), fail).push(...items);
        break;
      }
      case 0x73: {
        // SETITEM
        const v = pop();
        const k = pop();
        dict(top(), fail).set(k, v);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        const map = dict(top(), fail);
        for (let i = 0; i + 1 < items.length; i += 2) map.set(items[i], items[i + 1]);
        break;
      }
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x68: // BINGET
        stack.push(memo.get(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(memo.get(u32()));
        break;
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        stack.push(global(`${String(module)} ${String(name)}`, fail));
        break;
      }
      case 0x63: {
        // GLOBAL "module\nname\n"
        const line = () => {
          const end = bytes.indexOf(0x0a, at);
          if (end < 0) fail("unterminated GLOBAL");
          return latin1(take(end - at + 1)).trimEnd();
        };
        const module = line();
        stack.push(global(`${module} ${line()}`, fail));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = list(pop(), fail);
        stack.push(call(pop(), args, fail));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = list(pop(), fail);
        stack.push(call(pop(), args, fail));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        build(top(), state, fail);
        break;
      }
      default:
        fail(`opcode 0x${op.toString(16)} is not one NumPy writes for arrays`);
    }
  }
}

function latin1(b: Uint8Array): string {
  let s = "";
  for (const c of b) s += String.fromCharCode(c);
  return s;
}

function dict(v: unknown, fail: PickleFail): Map<unknown, unknown> {
  return v instanceof Map ? v : fail("a dict expected");
}
