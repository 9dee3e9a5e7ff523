import { TRANSFER_KEY } from "./_worker_host.ts";

/**
 * The key of the marker a task returns to have its result transferred instead of copied. It is
 * `Symbol.for("@effective/concurrency/pool.transfer")`, so a task module that imports nothing can
 * build the marker by hand: `return { [Symbol.for("@effective/concurrency/pool.transfer")]:
 * [value, [value.buffer]] }`.
 *
 * @example The registered symbol
 * ```ts
 * import { TRANSFER } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * assert.equal(TRANSFER, Symbol.for("@effective/concurrency/pool.transfer"));
 * ```
 */
export const TRANSFER: unique symbol = Symbol.for(TRANSFER_KEY);

/**
 * A task result to be sent back by transferring `transferList` (e.g. `ArrayBuffer`s) rather than
 * copying it: made by {@linkcode transfer}. The caller receives the bare value.
 *
 * @typeParam T The value.
 */
export interface Transfer<T> {
  /** The value and the objects to transfer with it. */
  readonly [TRANSFER]: readonly [T, Transferable[]];
}

/**
 * Marks a task's result to be transferred, not copied, back to the caller: the objects in
 * `transferList` move to the calling thread (zero copy) and become unusable in the worker. Use it
 * in a task module for large binary results. `WorkerPool.run()` resolves with `value` itself.
 *
 * The arguments go the other way with `run(name, args, { transfer })`.
 *
 * @typeParam T The value.
 * @param value The result.
 * @param transferList The objects inside `value` to transfer.
 * @returns A marker the worker host recognises.
 * @throws {TypeError} If `transferList` is not an array.
 *
 * @example A task module returning a transferred buffer
 * ```ts
 * import { transfer } from "@effective/concurrency/pool";
 * import assert from "node:assert/strict";
 *
 * // tasks.ts
 * function fill(n: number) {
 *   const bytes = new Uint8Array(n).fill(7);
 *   return transfer(bytes, [bytes.buffer]);
 * }
 *
 * const marked = fill(4);
 * assert.ok(marked !== null);
 * ```
 */
export function transfer<T>(value: T, transferList: Transferable[]): Transfer<T> {
  if (!Array.isArray(transferList)) {
    throw new TypeError(
      `Cannot mark a result for transfer: 'transferList' must be an array, got ${typeof transferList}`,
    );
  }
  return { [TRANSFER]: [value, transferList] };
}
