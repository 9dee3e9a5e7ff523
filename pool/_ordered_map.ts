import { Fifo } from "./_fifo.ts";
import { withResolvers } from "./_options.ts";

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
  const promise = Promise.reject(reason);
  promise.catch(ignore);
  return { promise, cancel: ignore };
}

/** A submitted task in the window, with its outcome once it has settled. */
interface Slot<R> {
  task: Submitted<R> | undefined;
  settled: boolean;
  ok: boolean;
  value: unknown;
}

/**
 * Submits one task per item, at most `limit` submitted and not yet yielded, and yields their
 * results in input order (Python's `Executor.map`).
 *
 * Reading the input runs beside the waiting for results: a result is yielded as soon as it is
 * next in order, even while the input is stalled, and an abort of `signal` rejects the pending
 * `next()` at once, whatever it waits for. If the input throws, the results of the tasks already
 * submitted are yielded first, then its error. On a task's error, an abort, `break` or `return()`,
 * the tasks not started yet are dropped, the running ones are left to finish (their results are
 * discarded) and the input's `return()` is called (not awaited if a `next()` of the input is still
 * pending, since a stalled input would never let it finish). An error from that `return()` never
 * replaces the error being thrown.
 */
export async function* orderedMap<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  submit: (item: T, left: AbortSignal) => Submitted<R> | Promise<Submitted<R>>,
  limit: number,
  signal?: AbortSignal,
): AsyncGenerator<R, void, undefined> {
  const window = new Fifo<Slot<R>>();
  const isAsync = Symbol.asyncIterator in Object(items);
  const it = isAsync
    ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
    : (items as Iterable<T>)[Symbol.iterator]();
  let open = true; // the input may still yield, and needs return() if we stop early
  let pulling = false; // the pump is reading or submitting
  let stopped = false; // the consumer has left: the pump must not submit any more
  let failure: { error: unknown } | undefined; // the input's (or submit's) error
  let wake: (() => void) | undefined;
  // Aborted when the consumer leaves: a submit that waits (for room in a pool) stops waiting.
  const left = new AbortController();
  const notify = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const accept = (task: Submitted<R>) => {
    const slot: Slot<R> = { task, settled: false, ok: false, value: undefined };
    task.promise.then((value) => {
      slot.settled = slot.ok = true;
      slot.value = value;
      notify();
    }, (error) => {
      slot.settled = true;
      slot.value = error;
      notify();
    });
    window.push(slot);
  };
  // Reads the input and submits its items while there is room; one read at a time. It records
  // an error for the consumer, which throws it after the results submitted before it.
  const pump = async () => {
    pulling = true;
    try {
      while (open && !stopped && window.length < limit) {
        let next: IteratorResult<T>;
        try {
          next = isAsync
            ? await (it.next() as Promise<IteratorResult<T>>)
            : it.next() as IteratorResult<T>;
        } catch (error) {
          open = false; // a throwing iterator is finished: no return() is owed
          throw error;
        }
        if (next.done) {
          open = false;
          return;
        }
        if (stopped) return; // the consumer left during the read, and closed the input
        const pending = submit(next.value, left.signal);
        const task = pending instanceof Promise ? await pending : pending;
        if (stopped) {
          task.cancel();
          task.promise.catch(ignore);
          return;
        }
        accept(task);
        notify();
      }
    } catch (error) {
      if (!stopped) failure = { error };
    } finally {
      pulling = false;
      notify();
    }
  };
  const onAbort = () => notify();
  signal?.addEventListener("abort", onAbort);
  let throwing = false;
  try {
    while (true) {
      if (signal?.aborted) throw signal.reason;
      const head = window.peek();
      if (head?.settled) {
        window.shift();
        if (!head.ok) throw head.value;
        yield take(head); // no reference to the yielded value stays behind (Python's map either)
        continue;
      }
      if (!pulling && open && failure === undefined && window.length < limit) {
        void pump();
        continue; // a sync input may have filled the window already
      }
      if (head === undefined && !pulling) {
        if (failure !== undefined) throw failure.error;
        return;
      }
      const { promise, resolve } = withResolvers<void>();
      wake = resolve;
      await promise;
    }
  } catch (error) {
    throwing = true;
    throw error;
  } finally {
    stopped = true;
    left.abort(new DOMException("The map was left", "AbortError")); // ends a submit's wait
    signal?.removeEventListener("abort", onAbort);
    for (let slot = window.shift(); slot !== undefined; slot = window.shift()) slot.task?.cancel();
    if (open) {
      open = false;
      const closing = close(it);
      // A stalled read would hold an awaited return() forever: then close without waiting.
      if (pulling) closing.catch(ignore);
      // An error of return() is thrown only if no other error is on its way.
      else if (throwing) await closing.catch(ignore);
      else await closing;
    }
  }
}

/** Calls `it.return()` if it has one; a synchronous throw becomes a rejection. */
function close(it: Iterator<unknown> | AsyncIterator<unknown>): Promise<unknown> {
  try {
    return Promise.resolve(it.return?.());
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Empties a settled slot, returning its value. */
function take<R>(slot: Slot<R>): R {
  const value = slot.value as R;
  slot.value = slot.task = undefined; // the task's promise holds the value too
  return value;
}
