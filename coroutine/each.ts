// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { checkOperationOrVoid } from "./_iterate.ts";
import { CallInstruction, CurrentTask } from "./_operations.ts";
import type { TaskImpl } from "./_task.ts";

/**
 * Consumes an async iterable (a `ReadableStream`, an async generator, a `Queue`) inside a task:
 * calls `body(item)` for each item in order, waiting for the operation it returns (if any)
 * before taking the next, and completes when the source is exhausted. A throw from `body` or from
 * the source fails the operation, after closing the source (its `return()`); if closing throws
 * too, both errors are kept, in an `AggregateError` with the first as its `cause`.
 *
 * **Cancellation**: cancelling the task stops the loop at once. If it is paused in `body`, the
 * source is closed (`return()` is awaited, so an async generator's `finally` blocks run). If it
 * is waiting for the next item, that wait is abandoned and the source is closed without waiting
 * (an async generator cannot close while a `next()` is pending); an item the source produces
 * for the abandoned `next()` is not delivered. For loss-free cancellation from a queue, take items
 * with a cancellable call instead: `yield* call((signal) => queue.get({ signal }))`.
 *
 * @example Sum a stream
 * ```ts
 * import { each, run } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const total = await run(function* () {
 *   let sum = 0;
 *   yield* each(ReadableStream.from([1, 2, 3]), (n) => {
 *     sum += n;
 *   });
 *   return sum;
 * });
 * assert.equal(total, 6);
 * ```
 *
 * @typeParam T The items' type.
 * @param source An async iterable (or a sync iterable, whose items are awaited).
 * @param body Called with each item; may return an operation to wait for (a promise, as from
 * an `async` function, is a `TypeError`: wait for one with `yield* call(promise)`).
 * @returns An operation that completes when the source is exhausted.
 * @throws {TypeError} If `source` is not iterable or `body` is not a function.
 */
export function each<T>(
  source: AsyncIterable<T> | Iterable<T>,
  body: (item: T) => Operation<unknown> | void,
): Operation<void> {
  if (
    source === null || (typeof source !== "object" && typeof source !== "function") ||
    (typeof (source as AsyncIterable<T>)[Symbol.asyncIterator] !== "function" &&
      typeof (source as Iterable<T>)[Symbol.iterator] !== "function")
  ) {
    throw invalid("each()", "source", "an async iterable or an iterable", source);
  }
  if (typeof body !== "function") throw invalid("each()", "body", "a function", body);
  return new EachOperation(source, body);
}

class EachOperation<T> implements Operation<void> {
  #source: AsyncIterable<T> | Iterable<T>;
  #body: (item: T) => Operation<unknown> | void;
  constructor(
    source: AsyncIterable<T> | Iterable<T>,
    body: (item: T) => Operation<unknown> | void,
  ) {
    this.#source = source;
    this.#body = body;
  }
  *[Symbol.iterator](): Generator<unknown, void, unknown> {
    const source = this.#source;
    const it: AsyncIterator<T> | Iterator<T> =
      typeof (source as AsyncIterable<T>)[Symbol.asyncIterator] === "function"
        ? (source as AsyncIterable<T>)[Symbol.asyncIterator]()
        : (source as Iterable<T>)[Symbol.iterator]();
    let state: "taking" | "in body" | "exhausted" = "taking";
    let failed = false;
    let failure: unknown;
    try {
      for (;;) {
        state = "taking";
        const next = it.next();
        const result = (yield* new CallInstruction(next)) as IteratorResult<T>;
        if (result.done) {
          state = "exhausted";
          return;
        }
        state = "in body";
        const value = result.value instanceof Promise
          ? (yield* new CallInstruction(result.value)) as T
          : result.value;
        const out = checkOperationOrVoid(this.#body(value), "each()", "body()");
        if (out !== undefined) yield* out;
      }
    } catch (error) {
      failed = true;
      failure = error;
      throw error;
    } finally {
      if (state !== "exhausted") {
        const task = (yield* new CurrentTask()) as TaskImpl<unknown>;
        const cancelled = failed && task.haltError !== undefined && failure === task.haltError;
        // Only a cancellation while waiting for an item leaves a `next()` pending, which an
        // async generator would finish before closing: then the close is not waited for.
        const closing = yield* closeSource(it, state === "in body" || !cancelled);
        if (closing !== null) {
          // Errors are never dropped: the loop's failure and the source's both go on. A
          // cancellation is not a failure: the source's error then fails the task alone.
          // deno-lint-ignore no-unsafe-finally -- the source's error must replace the exit
          if (!failed || cancelled) throw closing.error;
          // deno-lint-ignore no-unsafe-finally -- both errors go on, together
          throw new AggregateError(
            [failure, closing.error],
            `each(): the loop failed, then closing the source failed too; the first: ${
              failure instanceof Error ? failure.message : String(failure)
            }`,
            { cause: failure },
          );
        }
      }
    }
  }
}

/**
 * Closes the source (its `return()`), awaiting it if `wait`, else letting it settle on its own.
 * Returns what closing threw (synchronously, or the awaited promise's rejection), or null.
 */
function* closeSource<T>(
  it: AsyncIterator<T> | Iterator<T>,
  wait: boolean,
): Generator<unknown, { error: unknown } | null, unknown> {
  if (typeof it.return !== "function") return null;
  try {
    const closing = Promise.resolve(it.return());
    if (wait) yield* new CallInstruction(closing);
    else closing.catch(() => {});
  } catch (error) {
    return { error };
  }
  return null;
}
