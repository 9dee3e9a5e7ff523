// Copyright 2025 the @effective/concurrency authors. MIT license.
/**
 * Python-style generator coroutines: prime, `send`, `throw`, `close`.
 *
 * @module
 */

import { invalid } from "./_options.ts";

/**
 * A started generator driven by {@linkcode Coroutine.send | send}, in the style of a Python
 * generator coroutine. Made by calling the function returned from {@linkcode coroutine}.
 *
 * The generator is already *primed*: it ran up to its first `yield`, so the first `send(value)`
 * becomes the value of that `yield` expression. When the generator returns (or throws, or is
 * closed) the coroutine is {@linkcode Coroutine.done | done}: the returned value is kept in
 * {@linkcode Coroutine.result | result}, and further `send`/`throw` calls throw a `TypeError`.
 *
 * A suspended coroutine costs a little under 200 bytes of heap (the generator plus a two-field
 * wrapper); see `examples/40_coroutine.ts` for a measurement over 100,000 of them.
 *
 * @typeParam TYield The type of the values the generator yields.
 * @typeParam TSend The type of the values sent in (the value of each `yield` expression).
 * @typeParam TReturn The type of the value the generator returns.
 */
export interface Coroutine<TYield, TSend, TReturn> extends Disposable {
  /**
   * Resumes the generator with `value` as the result of the `yield` it is paused at, and runs
   * it to its next `yield`.
   *
   * @example Feed values to a running minimum
   * ```ts
   * import { coroutine } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const minimize = coroutine(function* (): Generator<number | undefined, never, number> {
   *   let current = yield;
   *   while (true) current = Math.min(yield current, current);
   * });
   * const it = minimize();
   * assert.equal(it.send(10), 10);
   * assert.equal(it.send(4), 4);
   * assert.equal(it.send(22), 4);
   * assert.equal(it.send(-1), -1);
   * ```
   *
   * @param value The value the paused `yield` expression evaluates to.
   * @returns The next value the generator yields, or `undefined` if it returned instead (then
   * {@linkcode Coroutine.done | done} is `true` and the return value is in
   * {@linkcode Coroutine.result | result}).
   * @throws {TypeError} If the coroutine has already finished, or is running (the generator
   * called its own `send`, `throw` or `close`; the coroutine is left as it was).
   * @throws {unknown} Whatever the generator throws; the coroutine is then finished.
   */
  send(value: TSend): TYield | undefined;
  /**
   * Throws `error` into the generator at the `yield` it is paused at, as Python's
   * `generator.throw()`. If the generator catches it, it runs on to its next `yield`.
   *
   * @example Reset a coroutine by throwing into it
   * ```ts
   * import { coroutine } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const counter = coroutine(function* (): Generator<number, never, number> {
   *   let total = 0;
   *   while (true) {
   *     try {
   *       total += yield total;
   *     } catch {
   *       total = 0;
   *     }
   *   }
   * });
   * const c = counter();
   * c.send(5);
   * assert.equal(c.send(2), 7);
   * assert.equal(c.throw(new Error("reset")), 0);
   * ```
   *
   * @param error The error to raise inside the generator.
   * @returns The next value the generator yields, or `undefined` if it returned instead.
   * @throws {TypeError} If the coroutine has already finished, or is running (called from
   * inside the generator; the coroutine is left as it was).
   * @throws {unknown} `error` (or another error) if the generator does not catch it; the
   * coroutine is then finished.
   */
  throw(error: unknown): TYield | undefined;
  /**
   * Finishes the coroutine now, running the generator's pending `finally` blocks, like Python's
   * `generator.close()`. Does nothing if the coroutine has already finished.
   *
   * @example Closing runs `finally`
   * ```ts
   * import { coroutine } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const log: string[] = [];
   * const printer = coroutine(function* (): Generator<void, void, string> {
   *   try {
   *     while (true) log.push(yield);
   *   } finally {
   *     log.push("closed");
   *   }
   * });
   * const p = printer();
   * p.send("a");
   * p.close();
   * assert.deepEqual(log, ["a", "closed"]);
   * assert.equal(p.done, true);
   * ```
   *
   * @throws {Error} If a `finally` block yields instead of finishing (the coroutine then stays
   * suspended, as in Python).
   * @throws {TypeError} If called from inside the generator (it is running).
   * @throws {unknown} Whatever a `finally` block throws; the coroutine is then finished.
   */
  close(): void;
  /** Whether the generator has finished (returned, thrown, or been closed). */
  readonly done: boolean;
  /**
   * The value the generator returned, once {@linkcode Coroutine.done | done}; `undefined` while
   * it is still running, and after it threw or was closed (unless a `finally` block returned a
   * value while closing).
   */
  readonly result: TReturn | undefined;
  /**
   * Closes the coroutine, so `using c = make()` closes it at the end of the block.
   *
   * @example Close at the end of a block
   * ```ts
   * import { coroutine } from "@effective/concurrency/coroutine";
   * import assert from "node:assert/strict";
   *
   * const echo = coroutine(function* (): Generator<string, void, string> {
   *   let s = yield "";
   *   while (true) s = yield s;
   * });
   * let escaped;
   * {
   *   using e = echo();
   *   assert.equal(e.send("hi"), "hi");
   *   escaped = e;
   * }
   * assert.equal(escaped.done, true);
   * ```
   */
  [Symbol.dispose](): void;
}

const toStringTag = Object.prototype.toString;

function finished(method: string): TypeError {
  return new TypeError(`Cannot ${method} coroutine: it has already finished`);
}

function running(method: string): TypeError {
  return new TypeError(
    `Cannot ${method} coroutine: it is already running (a coroutine cannot resume itself)`,
  );
}

// Stands in for the generator while it runs, so a re-entrant call is refused (Python: "generator
// already executing") without touching the coroutine's state.
const RUNNING = Object.freeze({}) as Generator<never, never, never>;

class CoroutineImpl<TYield, TSend, TReturn> implements Coroutine<TYield, TSend, TReturn> {
  // Two fields only: the live generator (null once finished) and the return value.
  #gen: Generator<TYield, TReturn, TSend> | null;
  #result: TReturn | undefined = undefined;

  constructor(gen: Generator<TYield, TReturn, TSend>) {
    this.#gen = gen;
    // Prime: run to the first `yield`, as Python's `next(it)`. If this throws, so does the call.
    const r = gen.next(undefined as TSend);
    if (r.done) {
      this.#gen = null;
      this.#result = r.value;
    }
  }

  send(value: TSend): TYield | undefined {
    const gen = this.#gen;
    if (gen === null) throw finished("send to");
    if (gen === RUNNING) throw running("send to");
    this.#gen = RUNNING;
    let r: IteratorResult<TYield, TReturn>;
    try {
      r = gen.next(value);
    } catch (error) {
      this.#gen = null;
      throw error;
    }
    if (r.done) {
      this.#gen = null;
      this.#result = r.value;
      return undefined;
    }
    this.#gen = gen;
    return r.value;
  }

  throw(error: unknown): TYield | undefined {
    const gen = this.#gen;
    if (gen === null) throw finished("throw into");
    if (gen === RUNNING) throw running("throw into");
    this.#gen = RUNNING;
    let r: IteratorResult<TYield, TReturn>;
    try {
      r = gen.throw(error);
    } catch (thrown) {
      this.#gen = null;
      throw thrown;
    }
    if (r.done) {
      this.#gen = null;
      this.#result = r.value;
      return undefined;
    }
    this.#gen = gen;
    return r.value;
  }

  close(): void {
    const gen = this.#gen;
    if (gen === null) return;
    if (gen === RUNNING) throw running("close");
    this.#gen = RUNNING;
    let r: IteratorResult<TYield, TReturn>;
    try {
      r = gen.return(undefined as TReturn);
    } catch (error) {
      this.#gen = null;
      throw error;
    }
    if (!r.done) {
      this.#gen = gen;
      throw new Error(
        "Cannot close coroutine: it yielded from a finally block instead of finishing",
      );
    }
    this.#gen = null;
    this.#result = r.value;
  }

  get done(): boolean {
    return this.#gen === null;
  }

  get result(): TReturn | undefined {
    return this.#result;
  }

  [Symbol.dispose](): void {
    this.close();
  }

  get [Symbol.toStringTag](): string {
    return "Coroutine";
  }
}

/**
 * Turns a generator function into a coroutine factory, as Python's generator coroutines:
 * calling the returned function calls `genFn` with the same arguments (and `this`), *primes* the
 * generator by running it to its first `yield`, and returns a {@linkcode Coroutine} to
 * {@linkcode Coroutine.send | send} values into.
 *
 * Use it for a pure state machine that is fed values one at a time (a parser, a running
 * statistic, a protocol handler). Starting one costs about a function call, and a suspended one
 * holds a little under 200 bytes. The sent, yielded and returned types flow from the generator's
 * `Generator<TYield, TReturn, TSend>` type.
 *
 * @example The seed's `my_coroutine`
 * ```ts
 * import { coroutine } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const printed: string[] = [];
 * const myCoroutine = coroutine(function* (): Generator<void, never, string> {
 *   while (true) {
 *     const received = yield;
 *     printed.push(`Received: ${received}`);
 *   }
 * });
 * const it = myCoroutine(); // already primed: no `next()` needed
 * it.send("First");
 * it.send("Second");
 * assert.deepEqual(printed, ["Received: First", "Received: Second"]);
 * ```
 *
 * @example A coroutine that returns a value
 * ```ts
 * import { coroutine } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const sumUntilZero = coroutine(function* (): Generator<void, number, number> {
 *   let total = 0;
 *   for (let n = yield; n !== 0; n = yield) total += n;
 *   return total;
 * });
 * const s = sumUntilZero();
 * s.send(3);
 * s.send(4);
 * assert.equal(s.send(0), undefined);
 * assert.equal(s.done, true);
 * assert.equal(s.result, 7);
 * assert.throws(() => s.send(1), TypeError);
 * ```
 *
 * @typeParam TArgs The generator function's parameters.
 * @typeParam TYield The type of the values the generator yields.
 * @typeParam TReturn The type of the value the generator returns.
 * @typeParam TSend The type of the values sent in.
 * @param genFn A generator function (`function*`). Async generator functions are refused.
 * @returns A function taking `genFn`'s arguments and returning a primed {@linkcode Coroutine}.
 * Calling it throws whatever the generator throws before its first `yield`.
 * @throws {TypeError} If `genFn` is not a generator function.
 */
export function coroutine<TArgs extends unknown[], TYield, TReturn, TSend>(
  genFn: (...args: TArgs) => Generator<TYield, TReturn, TSend>,
): (...args: TArgs) => Coroutine<TYield, TSend, TReturn> {
  if (typeof genFn !== "function" || toStringTag.call(genFn) !== "[object GeneratorFunction]") {
    throw invalid("coroutine()", "genFn", "a generator function (function*)", genFn);
  }
  return function (this: unknown, ...args: TArgs): Coroutine<TYield, TSend, TReturn> {
    return new CoroutineImpl(genFn.apply(this, args));
  };
}
