// Task module for the pool tests: plain exported functions, no registration code.

export function add(a: number, b: number): number {
  return a + b;
}

export async function delayedEcho<T>(value: T, ms: number): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return value;
}

export function echo<T>(value: T): T {
  return value;
}

export function gcd([a, b]: [number, number]): number {
  const low = Math.min(a, b);
  for (let i = low; i > 0; i--) {
    if (a % i === 0 && b % i === 0) return i;
  }
  return 1;
}

/** A CPU-bound loop that never yields for `ms`: only terminating the worker stops it early. */
export function spinFor(ms: number): string {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy
  }
  return "done";
}

/** A CPU-bound loop that never yields until cell 0 of `shared` is set: a task that cannot finish. */
export function spinUntil(shared: SharedArrayBuffer): string {
  const flag = new Int32Array(shared);
  while (Atomics.load(flag, 0) === 0) {
    // busy
  }
  return "done";
}

/**
 * Marks cell `me` (0 or 1) of `shared`, then blocks this thread until the other cell is marked:
 * true if it was within `ms`. Two calls return true only if they run at the same time.
 */
export function rendezvous(shared: SharedArrayBuffer, me: number, ms: number): boolean {
  const cells = new Int32Array(shared);
  Atomics.store(cells, me, 1);
  Atomics.notify(cells, me);
  return Atomics.wait(cells, 1 - me, 0, ms) !== "timed-out";
}

/**
 * Waits until cell `gate` of `shared` is set (the caller sets it and notifies), then appends
 * `value` to the log that starts at cell 8 (cell 8 counts, cells 9.. hold the values).
 */
export function gated([shared, gate, value]: [SharedArrayBuffer, number, number]): number {
  const cells = new Int32Array(shared);
  while (Atomics.load(cells, gate) === 0) Atomics.wait(cells, gate, 0);
  const i = Atomics.add(cells, 8, 1);
  Atomics.store(cells, 9 + i, value);
  return value;
}

/** Appends `value` to the log in `shared`: cell 0 counts, cells 1.. hold the values. */
export function record(shared: SharedArrayBuffer, value: number): number {
  const log = new Int32Array(shared);
  const i = Atomics.add(log, 0, 1);
  Atomics.store(log, i + 1, value);
  return value;
}

export class ParseError extends Error {
  constructor(message: string, readonly line: number, options?: ErrorOptions) {
    super(message, options);
    this.name = "ParseError";
  }
}

export function fail(kind: string): never {
  if (kind === "type") throw new TypeError("bad type");
  if (kind === "custom") {
    throw new ParseError("unexpected token", 7, { cause: new RangeError("inner") });
  }
  if (kind === "dom") throw new DOMException("nope", "NotSupportedError");
  if (kind === "string") throw "a plain string";
  throw new Error("plain");
}

export async function failLater(message: string): Promise<never> {
  await Promise.resolve();
  throw new Error(message);
}

export function uncloneable(): () => void {
  return () => {};
}

/** Throws outside the task: an uncaught error in the worker. */
export function crashLater(): Promise<never> {
  setTimeout(() => {
    throw new Error("uncaught in worker");
  }, 0);
  return new Promise(() => {});
}

/** Rejects a promise nobody handles. */
export function rejectUnhandled(): Promise<never> {
  Promise.reject(new Error("unhandled in worker"));
  return new Promise(() => {});
}

export function closeSelf(): Promise<never> {
  (globalThis as unknown as { close(): void }).close();
  return new Promise(() => {});
}

export function fill(n: number): { [key: symbol]: [Uint8Array, ArrayBuffer[]] } {
  const bytes = new Uint8Array(n).fill(7);
  // Built by hand, as a task module that imports nothing would.
  return { [Symbol.for("@effective/concurrency/pool.transfer")]: [bytes, [bytes.buffer]] };
}

export function byteLength(buffer: ArrayBuffer): number {
  return buffer.byteLength;
}

export function threadId(): string {
  return (globalThis as unknown as { name: string }).name;
}

export const notAFunction = 42;

/** `map()` passes one argument: a `[value, ms]` pair. */
export async function delayedPair([value, ms]: [number, number]): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return value;
}

/** Posts on the worker's own channel, as a task reporting progress the obvious way would. */
export function strayPost(value: number): number {
  (globalThis as unknown as { postMessage(v: unknown): void }).postMessage("stray " + value);
  (globalThis as unknown as { postMessage(v: unknown): void }).postMessage(value + 1000);
  return value;
}

/** Ends the worker with `Deno.exit(code)`. */
export function denoExit(code: number): never {
  Deno.exit(code);
}

/** Ends the worker with `process.exit(code)` from `node:process`. */
export async function processExit(code: number): Promise<void> {
  const { default: process } = await import("node:process");
  process.exit(code);
}

/** Reports `steps` progress values through the pool's channel, then returns. */
export async function progress(steps: number): Promise<string> {
  const { reportProgress } = await import("../progress.ts");
  for (let i = 1; i <= steps; i++) {
    reportProgress({ step: i, of: steps });
    await Promise.resolve();
  }
  return "finished";
}

/** Throws values that do not clone whole. */
export function throwOdd(kind: string): never {
  if (kind === "object") throw { code: 42, detail: "odd", callback: () => 1, nested: { a: 1 } };
  if (kind === "aggregate") {
    throw new AggregateError([new TypeError("first"), new RangeError("second")], "many", {
      cause: new Error("root"),
    });
  }
  const error = new Error("with a function field") as Error & { retry?: () => void; code?: string };
  error.retry = () => {};
  error.code = "E_FIELD";
  throw error;
}

let initialized: unknown = undefined;
let tasksHere = 0;

/** An initializer: keeps its argument for `initData()`. */
export function setup(data: unknown): void {
  initialized = data;
}

/** An initializer that fails. */
export function badSetup(): never {
  throw new Error("setup failed");
}

export function initData(): unknown {
  return initialized;
}

/** Counts the tasks this worker has run (module state lives as long as the worker). */
export function countHere(): number {
  return ++tasksHere;
}

/** Returns `n`, but throws for 5. */
export function notFive(n: number): number {
  if (n === 5) throw new RangeError("five");
  return n;
}

/** Returns at once; `ms` later, outside any task, ends the worker with `Deno.exit(code)`. */
export function exitLater(code: number, ms: number): string {
  setTimeout(() => Deno.exit(code), ms);
  return "returned";
}

/** Returns at once; `ms` later, outside any task, throws an uncaught error. */
export function throwLater(ms: number): string {
  setTimeout(() => {
    throw new Error("late");
  }, ms);
  return "returned";
}
