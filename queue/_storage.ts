/**
 * The storage strategies behind `Queue`, `LifoQueue` and `PriorityQueue`: one queue implementation
 * (waiting, closing, task accounting) over three ways to order the items.
 *
 * @module
 */

import { Deque } from "./_deque.ts";
import { type Compare, Heap } from "./_heap.ts";

/** Where a queue keeps its items and in which order it hands them out. */
export interface Storage<T> {
  /** How many items are stored. */
  readonly length: number;
  /** Stores `item`. */
  push(item: T): void;
  /** Removes and returns the next item to hand out; only called when `length > 0`. */
  take(): T;
  /** Removes every item and returns them in the order `take()` would have. */
  drain(): T[];
  /** The items in the order `take()` would return them, as a new array. */
  toArray(): T[];
}

/** First in, first out (`Queue`). */
export class FifoStorage<T> implements Storage<T> {
  #deque = new Deque<T>();
  get length(): number {
    return this.#deque.length;
  }
  push(item: T): void {
    this.#deque.push(item);
  }
  take(): T {
    return this.#deque.shift() as T;
  }
  drain(): T[] {
    return this.#deque.drain();
  }
  toArray(): T[] {
    return this.#deque.toArray();
  }
}

/** Last in, first out (`LifoQueue`). */
export class LifoStorage<T> implements Storage<T> {
  #deque = new Deque<T>();
  get length(): number {
    return this.#deque.length;
  }
  push(item: T): void {
    this.#deque.push(item);
  }
  take(): T {
    return this.#deque.pop() as T;
  }
  drain(): T[] {
    return this.#deque.drain().reverse();
  }
  toArray(): T[] {
    return this.#deque.toArray().reverse();
  }
}

/**
 * Lowest first by a comparator, insertion order among equals (`PriorityQueue`). `push` and
 * `take` leave the storage unchanged when the key function or the comparator throws.
 */
export class HeapStorage<T> implements Storage<T> {
  #heap: Heap<T>;
  constructor(compare: Compare<never>, key?: (item: T) => unknown) {
    this.#heap = new Heap(compare, key);
  }
  get length(): number {
    return this.#heap.length;
  }
  push(item: T): void {
    this.#heap.push(item);
  }
  take(): T {
    return this.#heap.pop();
  }
  drain(): T[] {
    return this.#heap.drain();
  }
  toArray(): T[] {
    return this.#heap.toArray();
  }
}

/**
 * The hidden option key through which `LifoQueue` and `PriorityQueue` hand their storage to the
 * `Queue` constructor. Not exported from `mod.ts`.
 */
export const STORAGE: unique symbol = Symbol("queue storage");

/** Constructor options as the `Queue` constructor sees them. */
export interface InternalOptions<T> {
  [STORAGE]?: Storage<T>;
}

/**
 * Adds `storage` to constructor options under the hidden key. Options that are not an object are
 * passed through unchanged, so that the `Queue` constructor reports them.
 */
export function withStorage<O, T>(options: O, storage: Storage<T>): O {
  if (options === undefined) return { [STORAGE]: storage } as O;
  if (options === null || typeof options !== "object") return options;
  return { ...options, [STORAGE]: storage } as O;
}
