import { Fifo } from "./_fifo.ts";

/** A task handed to a pool by `orderedMap`. */
export interface Submitted<R> {
  /** Settles with the task. */
  promise: Promise<R>;
  /** Drops the task if it has not started yet (its promise then rejects, and is ignored). */
  cancel(): void;
}

const ignore = () => {};

/** A task that failed before it was handed to a pool: it rejects with `reason`. */
export function rejected(reason: unknown): Submitted<never> {
  return { promise: Promise.reject(reason), cancel: ignore };
}

/**
 * Submits one task per item, at most `limit` not yet yielded, and yields their results in input
 * order. On the first error, on `break` or on `return()`, the tasks not yet started are dropped,
 * the running ones are left to finish (their results are discarded) and the input is closed.
 */
export async function* orderedMap<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  submit: (item: T) => Submitted<R> | Promise<Submitted<R>>,
  limit: number,
): AsyncGenerator<R, void, undefined> {
  const window = new Fifo<Submitted<R>>();
  const isAsync = Symbol.asyncIterator in Object(items);
  const it = isAsync
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]();
  let open = true;
  try {
    while (true) {
      while (open && window.length < limit) {
        let next: IteratorResult<T>;
        try {
          next = isAsync ? await it.next() : it.next() as IteratorResult<T>;
        } catch (error) {
          open = false;
          throw error;
        }
        if (next.done) {
          open = false;
          break;
        }
        const submitted = await submit(next.value);
        submitted.promise.catch(ignore);
        window.push(submitted);
      }
      const head = window.shift();
      if (head === undefined) return;
      yield await head.promise;
    }
  } finally {
    for (let s = window.shift(); s !== undefined; s = window.shift()) s.cancel();
    if (open) await it.return?.();
  }
}
