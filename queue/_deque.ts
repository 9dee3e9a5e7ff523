/**
 * A double-ended queue on a growable ring buffer: `push`, `shift` and `pop` are O(1) (amortised
 * for `push`), unlike `Array.prototype.shift`, which moves every remaining element.
 *
 * @module
 */

const MIN_CAPACITY = 16;

/** A ring-buffer deque. The capacity is a power of two, doubled when full, halved when a quarter full. */
export class Deque<T> {
  #buf: (T | undefined)[];
  #mask: number;
  #head = 0;
  #length = 0;

  constructor() {
    this.#buf = new Array(MIN_CAPACITY);
    this.#mask = MIN_CAPACITY - 1;
  }

  /** How many items the deque holds. */
  get length(): number {
    return this.#length;
  }

  /** The allocated capacity (for tests). */
  get capacity(): number {
    return this.#buf.length;
  }

  /** Appends `item` at the back. */
  push(item: T): void {
    if (this.#length === this.#buf.length) this.#resize(this.#buf.length * 2);
    this.#buf[(this.#head + this.#length) & this.#mask] = item;
    this.#length++;
  }

  /** Prepends `item` at the front. */
  unshift(item: T): void {
    if (this.#length === this.#buf.length) this.#resize(this.#buf.length * 2);
    this.#head = (this.#head - 1) & this.#mask;
    this.#buf[this.#head] = item;
    this.#length++;
  }

  /** Removes and returns the front item, or `undefined` if empty. */
  shift(): T | undefined {
    if (this.#length === 0) return undefined;
    const head = this.#head;
    const item = this.#buf[head];
    this.#buf[head] = undefined;
    this.#head = (head + 1) & this.#mask;
    this.#length--;
    this.#maybeShrink();
    return item;
  }

  /** Removes and returns the back item, or `undefined` if empty. */
  pop(): T | undefined {
    if (this.#length === 0) return undefined;
    this.#length--;
    const i = (this.#head + this.#length) & this.#mask;
    const item = this.#buf[i];
    this.#buf[i] = undefined;
    this.#maybeShrink();
    return item;
  }

  /** The front item without removing it, or `undefined` if empty. */
  peekFront(): T | undefined {
    return this.#length === 0 ? undefined : this.#buf[this.#head];
  }

  /** The back item without removing it, or `undefined` if empty. */
  peekBack(): T | undefined {
    return this.#length === 0 ? undefined : this.#buf[(this.#head + this.#length - 1) & this.#mask];
  }

  /** Removes every item and returns them front to back. */
  drain(): T[] {
    const out = this.toArray();
    this.#buf = new Array(MIN_CAPACITY);
    this.#mask = MIN_CAPACITY - 1;
    this.#head = 0;
    this.#length = 0;
    return out;
  }

  /** The items front to back, as a new array. */
  toArray(): T[] {
    const out = new Array<T>(this.#length);
    for (let i = 0; i < this.#length; i++) out[i] = this.#buf[(this.#head + i) & this.#mask] as T;
    return out;
  }

  #maybeShrink(): void {
    const cap = this.#buf.length;
    // Halve at a quarter full (hysteresis: growing again needs twice as many items).
    if (cap > MIN_CAPACITY && this.#length <= cap >>> 2) this.#resize(cap >>> 1);
  }

  #resize(capacity: number): void {
    const next = new Array<T | undefined>(capacity);
    for (let i = 0; i < this.#length; i++) next[i] = this.#buf[(this.#head + i) & this.#mask];
    this.#buf = next;
    this.#mask = capacity - 1;
    this.#head = 0;
  }
}
