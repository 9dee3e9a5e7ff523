// Copyright 2025 the @effective/concurrency authors. MIT license.
import type { Operation } from "./operation.ts";
import type { Task } from "./task.ts";
import { invalid } from "./_options.ts";
import { SpawnInstruction } from "./_operations.ts";

/**
 * Starts `fn()` as a child task of the current task and evaluates to its {@linkcode Task}
 * handle at once, without waiting for it. The child starts running after the current task next
 * pauses (tasks run in FIFO order from one run queue).
 *
 * Structured concurrency: the child never outlives its parent. When the parent's body returns,
 * fails or is cancelled, the child is cancelled and its `finally` blocks run before the parent
 * settles. If the child throws, the parent fails with that error and the child's siblings are
 * cancelled; wrap work in {@linkcode scoped} to catch the error instead.
 *
 * @example Fan out, then join
 * ```ts
 * import { run, sleep, spawn } from "@effective/concurrency/coroutine";
 * import assert from "node:assert/strict";
 *
 * const order: number[] = [];
 * await run(function* () {
 *   const tasks = [];
 *   for (const ms of [30, 10, 20]) {
 *     tasks.push(yield* spawn(function* () {
 *       yield* sleep(ms);
 *       order.push(ms);
 *     }));
 *   }
 *   for (const task of tasks) yield* task;
 * });
 * assert.deepEqual(order, [10, 20, 30]);
 * ```
 *
 * @typeParam T The value the child returns.
 * @param fn A function returning the child's operation, usually a generator function.
 * @returns An operation evaluating to the child's handle. It throws (into the current task)
 * whatever `fn` throws, or a `TypeError` if `fn` does not return an operation.
 * @throws {TypeError} If `fn` is not a function.
 */
export function spawn<T>(fn: () => Operation<T>): Operation<Task<T>> {
  if (typeof fn !== "function") {
    throw invalid("spawn()", "fn", "a function returning an operation", fn);
  }
  return new SpawnOp(fn);
}

class SpawnOp<T> implements Operation<Task<T>> {
  #fn: () => Operation<T>;
  constructor(fn: () => Operation<T>) {
    this.#fn = fn;
  }
  [Symbol.iterator](): Iterator<unknown, Task<T>, unknown> {
    return new SpawnInstruction(this.#fn, false, "spawn()") as Iterator<unknown, Task<T>, unknown>;
  }
}
