// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import { invalid } from "./_options.ts";
import { ResourceInstruction } from "./_cleanup.ts";

/**
 * Hands a value to the caller and keeps it alive until the caller's task ends, as Effection's
 * `resource`: `fn(provide)` runs as a helper child task that sets something up, calls
 * `yield* provide(value)` (the caller's `yield* resource(...)` evaluates to `value`), and stays
 * paused there until the caller's task ends; then its `finally` blocks tear the value down, and
 * may pause to do so.
 *
 * If `fn` fails (or returns) before providing, the caller's `yield* resource(...)` throws that
 * error (a `TypeError` if it returned), and the caller can catch it; once it has provided, a
 * failure of the resource fails the caller's task. Resources are torn down newest first, with
 * the task's children and {@linkcode ensure} cleanups.
 *
 * @example A connection that is closed when the task ends
 * ```ts
 * import { type Operation, resource, run, sleep } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const log: string[] = [];
 * function useConnection(name: string): Operation<{ name: string }> {
 *   return resource(function* (provide) {
 *     log.push(`open ${name}`);
 *     try {
 *       yield* provide({ name });
 *     } finally {
 *       yield* sleep(1); // closing may pause
 *       log.push(`close ${name}`);
 *     }
 *   });
 * }
 *
 * await run(function* () {
 *   const connection = yield* useConnection("db");
 *   log.push(`use ${connection.name}`);
 * });
 * assert.deepEqual(log, ["open db", "use db", "close db"]);
 * ```
 *
 * @typeParam T The value provided.
 * @param fn Sets the resource up, provides it with `yield* provide(value)`, and tears it down in
 * a `finally` block.
 * @returns An operation evaluating to the provided value.
 * @throws {TypeError} If `fn` is not a function.
 */
export function resource<T>(
  fn: (provide: (value: T) => Operation<void>) => Operation<void>,
): Operation<T> {
  if (typeof fn !== "function") throw invalid("resource()", "fn", "a function", fn);
  return new ResourceOperation(fn);
}

class ResourceOperation<T> implements Operation<T> {
  #fn: (provide: (value: T) => Operation<void>) => Operation<void>;
  constructor(fn: (provide: (value: T) => Operation<void>) => Operation<void>) {
    this.#fn = fn;
  }
  [Symbol.iterator](): Iterator<unknown, T, unknown> {
    return new ResourceInstruction(
      this.#fn as (provide: (value: unknown) => Operation<void>) => Operation<unknown>,
    ) as Iterator<unknown, T, unknown>;
  }
}
