// Structured cloning into bytes, for SharedQueue: items must live in shared memory between a put
// in one thread and a get in another, and the platform's structured clone (postMessage,
// structuredClone) cannot write bytes. This covers the data types structured clone does, with
// its rules: shared references and cycles are kept, class instances arrive as plain objects,
// functions and symbols are refused with a `DataCloneError`.

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const NUMBER = 4;
const BIGINT = 5;
const STRING = 6;
const DATE = 7;
const REGEXP = 8;
const ARRAY = 9;
const OBJECT = 10;
const MAP = 11;
const SET = 12;
const BUFFER = 13;
const VIEW = 14;
const REF = 15;
const ERROR = 16;
const BOXED = 17;
const HOLE = 18; // a missing array element: structured clone keeps sparse arrays sparse

type ViewConstructor = new (
  buffer: ArrayBuffer,
  byteOffset: number,
  length: number,
) => ArrayBufferView;
const VIEWS: ViewConstructor[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
  DataView as unknown as ViewConstructor,
];
const ERRORS: Record<string, ErrorConstructor> = {
  Error,
  EvalError,
  RangeError,
  ReferenceError,
  SyntaxError,
  TypeError,
  URIError,
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function cloneError(message: string): DOMException {
  return new DOMException(message, "DataCloneError");
}

/** Writes values into a growable buffer, reused from item to item. */
class Writer {
  bytes = new Uint8Array(256);
  view = new DataView(this.bytes.buffer);
  at = 0;
  ids = new Map<object, number>();
  busy = false;
  room(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.at + n) size *= 2;
    const bytes = new Uint8Array(size);
    bytes.set(this.bytes.subarray(0, this.at));
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer);
  }
  tag(tag: number): void {
    this.room(1);
    this.bytes[this.at++] = tag;
  }
  u32(n: number): void {
    this.room(4);
    this.view.setUint32(this.at, n, true);
    this.at += 4;
  }
  f64(n: number): void {
    this.room(8);
    this.view.setFloat64(this.at, n, true);
    this.at += 8;
  }
  string(s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 code unit.
    this.room(4 + s.length * 3);
    const bytes = this.bytes;
    const start = this.at + 4;
    let i = 0;
    // Short ASCII strings (keys, mostly) are copied by hand: the encoder's call costs more.
    if (s.length <= 64) {
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        bytes[start + i] = c;
      }
    }
    if (i === s.length) {
      this.view.setUint32(this.at, i, true);
      this.at = start + i;
      return;
    }
    const { written } = encoder.encodeInto(s, bytes.subarray(start));
    this.view.setUint32(this.at, written, true);
    this.at += 4 + written;
  }
  raw(bytes: Uint8Array): void {
    this.room(4 + bytes.length);
    this.view.setUint32(this.at, bytes.length, true);
    this.bytes.set(bytes, this.at + 4);
    this.at += 4 + bytes.length;
  }
}

function write(w: Writer, value: unknown): void {
  switch (typeof value) {
    case "undefined":
      return w.tag(UNDEFINED);
    case "boolean":
      return w.tag(value ? TRUE : FALSE);
    case "number":
      w.tag(NUMBER);
      return w.f64(value);
    case "bigint":
      w.tag(BIGINT);
      return w.string(value.toString());
    case "string":
      w.tag(STRING);
      return w.string(value);
    case "object":
      if (value === null) return w.tag(NULL);
      return writeObject(w, value);
  }
  throw cloneError(`${String(value)} could not be cloned`);
}

function writeObject(w: Writer, value: object): void {
  const id = w.ids.get(value);
  if (id !== undefined) {
    w.tag(REF);
    return w.u32(id);
  }
  w.ids.set(value, w.ids.size);
  if (Array.isArray(value)) {
    w.tag(ARRAY);
    w.u32(value.length);
    for (let i = 0; i < value.length; i++) {
      if (i in value) write(w, value[i]);
      else w.tag(HOLE);
    }
    return;
  }
  if (value instanceof Date) {
    w.tag(DATE);
    return w.f64(value.getTime());
  }
  if (value instanceof RegExp) {
    w.tag(REGEXP);
    w.string(value.source);
    return w.string(value.flags);
  }
  if (value instanceof Map) {
    w.tag(MAP);
    w.u32(value.size);
    for (const [k, v] of value) {
      write(w, k);
      write(w, v);
    }
    return;
  }
  if (value instanceof Set) {
    w.tag(SET);
    w.u32(value.size);
    for (const v of value) write(w, v);
    return;
  }
  if (value instanceof ArrayBuffer) {
    w.tag(BUFFER);
    return w.raw(new Uint8Array(value));
  }
  if (ArrayBuffer.isView(value)) {
    const kind = VIEWS.findIndex((View) => value instanceof View);
    if (kind < 0 || !(value.buffer instanceof ArrayBuffer)) {
      throw cloneError(`${Object.prototype.toString.call(value)} could not be cloned`);
    }
    w.tag(VIEW);
    w.tag(kind);
    write(w, value.buffer); // a buffer shared by several views is written once
    w.u32(value.byteOffset);
    const bytesPer = (value as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1;
    return w.u32(value.byteLength / bytesPer);
  }
  if (value instanceof Error) {
    w.tag(ERROR);
    w.string(value.name);
    w.string(value.message);
    return write(w, value.stack);
  }
  if (
    value instanceof Number || value instanceof String || value instanceof Boolean ||
    value instanceof BigInt
  ) {
    w.tag(BOXED);
    return write(w, value.valueOf());
  }
  const tag = Object.prototype.toString.call(value);
  if (tag !== "[object Object]" || typeof (value as { then?: unknown }).then === "function") {
    throw cloneError(`${tag} could not be cloned`);
  }
  // A plain object, or a class instance, which arrives as a plain object as with structuredClone.
  const keys = Object.keys(value);
  w.tag(OBJECT);
  w.u32(keys.length);
  for (const key of keys) {
    w.string(key);
    write(w, (value as Record<string, unknown>)[key]);
  }
}

/**
 * Serializes `value`, leaving `header` bytes free at the start. Returns the bytes (a view of
 * exactly the bytes written).
 *
 * @throws {DOMException} `DataCloneError` for a value structured clone refuses.
 */
export function serialize(value: unknown, header: number): Uint8Array {
  // The writer is reused; a getter of the item that puts into a queue meanwhile gets its own.
  const w = shared.busy ? new Writer() : shared;
  w.busy = true;
  w.at = header;
  try {
    write(w, value);
    return w.bytes.subarray(0, w.at);
  } finally {
    w.ids.clear();
    w.busy = false;
  }
}

const shared = new Writer();

class Reader {
  view: DataView;
  at = 0;
  refs: unknown[] = [];
  constructor(readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  u8(): number {
    return this.view.getUint8(this.at++);
  }
  u32(): number {
    const n = this.view.getUint32(this.at, true);
    this.at += 4;
    return n;
  }
  f64(): number {
    const n = this.view.getFloat64(this.at, true);
    this.at += 8;
    return n;
  }
  string(): string {
    const n = this.u32();
    const bytes = this.bytes;
    const start = this.at;
    this.at += n;
    if (n <= 64) {
      let s = "";
      for (let i = start; i < start + n; i++) {
        const c = bytes[i] as number;
        if (c >= 0x80) return decoder.decode(bytes.subarray(start, start + n));
        s += String.fromCharCode(c);
      }
      return s;
    }
    return decoder.decode(bytes.subarray(start, start + n));
  }
}

function read(r: Reader): unknown {
  const tag = r.u8();
  switch (tag) {
    case UNDEFINED:
      return undefined;
    case NULL:
      return null;
    case FALSE:
      return false;
    case TRUE:
      return true;
    case NUMBER:
      return r.f64();
    case BIGINT:
      return BigInt(r.string());
    case STRING:
      return r.string();
    case REF:
      return r.refs[r.u32()];
  }
  const id = r.refs.length;
  r.refs.push(undefined);
  let value: unknown;
  switch (tag) {
    case ARRAY: {
      const array = new Array(r.u32());
      r.refs[id] = array;
      for (let i = 0; i < array.length; i++) {
        if (r.bytes[r.at] === HOLE) r.at++;
        else array[i] = read(r);
      }
      return array;
    }
    case OBJECT: {
      const object: Record<string, unknown> = {};
      r.refs[id] = object;
      for (let n = r.u32(); n > 0; n--) {
        const key = r.string();
        object[key] = read(r);
      }
      return object;
    }
    case MAP: {
      const map = new Map();
      r.refs[id] = map;
      for (let n = r.u32(); n > 0; n--) {
        const key = read(r);
        map.set(key, read(r));
      }
      return map;
    }
    case SET: {
      const set = new Set();
      r.refs[id] = set;
      for (let n = r.u32(); n > 0; n--) set.add(read(r));
      return set;
    }
    case DATE:
      value = new Date(r.f64());
      break;
    case REGEXP: {
      const source = r.string();
      value = new RegExp(source, r.string());
      break;
    }
    case BUFFER: {
      const n = r.u32();
      value = r.bytes.slice(r.at, r.at + n).buffer;
      r.at += n;
      break;
    }
    case VIEW: {
      const View = VIEWS[r.u8()] as ViewConstructor;
      const buffer = read(r) as ArrayBuffer;
      const offset = r.u32();
      value = new View(buffer, offset, r.u32());
      break;
    }
    case ERROR: {
      const name = r.string();
      const error = new (ERRORS[name] ?? Error)(r.string());
      if (!(name in ERRORS)) error.name = name;
      const stack = read(r);
      if (stack !== undefined) error.stack = stack as string;
      value = error;
      break;
    }
    case BOXED:
      value = Object(read(r));
      break;
    default:
      throw new TypeError(`SharedQueue: corrupt item (tag ${tag})`);
  }
  r.refs[id] = value;
  return value;
}

/** Reads back what {@linkcode serialize} wrote (without its header). */
export function deserialize(bytes: Uint8Array): unknown {
  return read(new Reader(bytes));
}
