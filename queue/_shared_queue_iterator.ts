// SharedQueue's `for await` iterator. Not an async generator: a generator's return() waits for
// a pending next(), so breaking out of a loop (or a pipeline) over an open, empty queue would
// hang until some thread put an item, and that item would then be taken and dropped. Here
// return() aborts the pending get, which takes nothing.

import { QueueClosed } from "./errors.ts";
import type { WaitOptions } from "./queue.ts";

/** What the iterator uses of a SharedQueue (a type only: no import cycle). */
export interface IteratedQueue<T> {
  get(options?: WaitOptions): Promise<T>;
  taskDone(): void;
}

const DONE: IteratorResult<never, undefined> = Object.freeze({ value: undefined, done: true });

/** Iterates until the queue is closed and drained, marking each item done when the next is asked for. */
export class SharedQueueIterator<T> implements AsyncIterableIterator<T> {
  #queue: IteratedQueue<T>;
  #held = 0; // items handed out and not yet marked done
  #finished = false;
  #controller = new AbortController(); // aborted by return(): a pending get gives up

  constructor(queue: IteratedQueue<T>) {
    this.#queue = queue;
  }

  next(): Promise<IteratorResult<T, undefined>> {
    try {
      this.#release();
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#finished) return Promise.resolve(DONE);
    const signal = this.#controller.signal;
    return this.#queue.get({ signal }).then((value) => {
      this.#held++;
      // Taken just before return() (the get had resolved, this callback had not run): the
      // caller of this next() gets the item, and it counts as done, as if return() came after.
      if (this.#finished) this.#release();
      return { value, done: false };
    }, (error) => {
      if (signal.aborted && error === signal.reason) return DONE;
      if (error instanceof QueueClosed && !error.hasItem) {
        this.#finished = true;
        return DONE;
      }
      throw error;
    });
  }

  return(): Promise<IteratorResult<T, undefined>> {
    this.#finished = true;
    this.#controller.abort();
    try {
      this.#release();
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve(DONE);
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  #release(): void {
    while (this.#held > 0) {
      this.#held--;
      this.#queue.taskDone();
    }
  }
}
