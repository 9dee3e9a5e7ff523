// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { CallInstruction } from "./_operations.ts";

/**
 * Consumes an async iterable (a `ReadableStream`, an async generator, a `Queue`) inside a task:
 * calls `body(item)` for each item in order, waiting for the operation it returns (if any)
 * before taking the next, and completes when the source is exhausted. A throw from `body` or from
 * the source fails the operation, after closing the source (its `return()`).
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
 * @param body Called with each item; may return an operation to wait for.
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
        const out = this.#body(value);
        if (out !== undefined) yield* out;
      }
    } finally {
      if (state !== "exhausted" && typeof it.return === "function") {
        if (state === "in body") yield* new CallInstruction(Promise.resolve(it.return()));
        else Promise.resolve(it.return()).catch(() => {});
      }
    }
  }
}
