// Copyright 2025 the @effective/concurrency authors. MIT license.
// Turning an operation into the iterator a task drives, and refusing a generator that another
// task already drives.

import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";

// deno-lint-ignore no-explicit-any
export type AnyGenerator = Generator<unknown, any, unknown>;

// Every generator function closure gets its own prototype object, so generator objects made by
// inline `function* () {}` closures all have different hidden classes and property lookups on
// them go megamorphic. Native generators are therefore recognised by their prototype chain and
// driven through the %GeneratorPrototype% methods directly.
const GeneratorPrototype: AnyGenerator = Object.getPrototypeOf(
  Object.getPrototypeOf((function* () {})()),
);
export const generatorNext = GeneratorPrototype.next;
export const generatorThrow = GeneratorPrototype.throw;
const getPrototypeOf = Object.getPrototypeOf;
const GeneratorFunction = getPrototypeOf(function* () {}).constructor;

/** Whether `x` is a generator object made by a generator function. */
export function isNativeGenerator(x: unknown): x is AnyGenerator {
  if (x === null || typeof x !== "object") return false;
  const proto = getPrototypeOf(x);
  return proto !== null && getPrototypeOf(proto) === GeneratorPrototype;
}

/** Whether `fn` is a generator function (`function*`). */
export function isGeneratorFunction(fn: unknown): boolean {
  return fn instanceof GeneratorFunction;
}

// A generator runs once: a second task driving the same object would see it half-run or
// finished (Python refuses the same: "cannot reuse already awaited coroutine"). Generators given
// to run(), all() and race() are remembered; spawn() is the hot path and does not pay for a
// WeakSet entry (about 0.3 µs per task, most of it in the garbage collector).
const started = new WeakSet<object>();

/** Refuses a generator already given to run(), all() or race() (see `claim`). */
export function checkUnclaimed(op: unknown, call: string, name: string): void {
  if (isNativeGenerator(op) && started.has(op)) {
    throw new TypeError(
      `${call}: '${name}' must be a generator no task has run yet, got one another task already ran (a generator runs once: pass a function that makes a new one)`,
    );
  }
}

/** Refuses a generator already given to run(), all() or race(), and remembers this one. */
export function claim(op: unknown, call: string, name: string): void {
  checkUnclaimed(op, call, name);
  if (isNativeGenerator(op)) started.add(op);
}

/**
 * Starts `op` for a new task (calls its `[Symbol.iterator]`), or throws a TypeError for
 * `<call>: '<name>'` if it is not an operation.
 */
export function iterate<T>(
  op: Operation<T>,
  call: string,
  name: string,
): Iterator<unknown, T, unknown> {
  if (isNativeGenerator(op)) return op;
  const it = op != null && typeof op[Symbol.iterator] === "function"
    ? op[Symbol.iterator]()
    : undefined;
  if (it === null || typeof it !== "object" || typeof it.next !== "function") {
    throw invalid(call, name, "an operation (an iterable such as a generator)", op);
  }
  return it;
}

/**
 * Checks what a user callback returned where an operation or nothing is expected (ensure()'s
 * cleanup, each()'s body), so a promise (an `async` callback) gets an error naming the callback
 * rather than "object is not iterable"; its rejection is handled, so it is not reported twice.
 */
export function checkOperationOrVoid(
  value: unknown,
  call: string,
  name: string,
): Operation<unknown> | undefined {
  if (value === undefined) return undefined;
  if (
    value !== null && typeof value === "object" &&
    typeof (value as Operation<unknown>)[Symbol.iterator] === "function"
  ) return value as Operation<unknown>;
  if (
    value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function"
  ) {
    Promise.resolve(value).catch(() => {});
    throw invalid(
      call,
      name,
      "an operation or nothing (to wait for a promise, `yield* call(promise)` in a generator function)",
      value,
    );
  }
  throw invalid(call, name, "an operation or nothing", value);
}

/** Copies and checks the operations argument of all() and race(). */
export function toOperations(
  operations: Iterable<Operation<unknown>>,
  name: string,
): Operation<unknown>[] {
  const call = `${name}()`;
  if (
    operations === null || typeof operations !== "object" ||
    typeof (operations as Iterable<unknown>)[Symbol.iterator] !== "function"
  ) {
    throw invalid(call, "operations", "an array of operations", operations);
  }
  const ops = [...operations];
  const generators = new Set<unknown>();
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op === null || typeof op !== "object" || typeof op[Symbol.iterator] !== "function") {
      throw invalid(call, `operations[${i}]`, "an operation", op);
    }
    // A generator runs once: the same one twice would be driven by two tasks.
    if (isNativeGenerator(op)) {
      checkUnclaimed(op, call, `operations[${i}]`);
      if (generators.has(op)) {
        throw invalid(
          call,
          `operations[${i}]`,
          "a generator not given twice (a generator runs once)",
          op,
        );
      }
      generators.add(op);
    }
  }
  return ops;
}

/**
 * Marks the generators among `ops` as run, refusing one already run: called each time an all()
 * or race() operation starts, so a second `yield*` of it (a retry loop) is a TypeError rather
 * than a finished generator's `undefined`.
 */
export function claimOperations(ops: Operation<unknown>[], call: string): void {
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (isNativeGenerator(op)) claim(op, call, `operations[${i}]`);
  }
}
