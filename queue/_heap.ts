/**
 * A binary min-heap with a comparator, stable for equal priorities (ties are broken by insertion
 * sequence), and exception-safe: when the comparator or the key function throws, the heap is left
 * exactly as it was.
 *
 * @module
 */

import { invalid, show } from "./_options.ts";

/** A comparator in the style of `Array.prototype.sort`: negative when `a` comes first. */
export type Compare<T> = (a: T, b: T) => number;

/**
 * Python's default order, for `(priority, item)` habits: numbers (and bigints and booleans, as
 * Python's `bool` is an `int`) compare as numbers, strings as strings (by UTF-16 code units),
 * `Date`s by time, arrays element by element like Python tuples (the first unequal element
 * decides; a prefix comes first). Identical values are equal. Anything else throws a `TypeError`,
 * where JavaScript's `<` would silently compare them as strings.
 *
 * @param call Who compares, for the error message.
 */
export function pythonOrder(call: string): Compare<unknown> {
  const compare = (a: unknown, b: unknown): number => {
    if (a === b) return 0;
    const kind = kindOf(a);
    if (kind !== "" && kind === kindOf(b)) {
      if (kind === "array") {
        const x = a as unknown[];
        const y = b as unknown[];
        const n = Math.min(x.length, y.length);
        for (let i = 0; i < n; i++) {
          const c = compare(x[i], y[i]);
          if (c !== 0) return c;
        }
        return x.length - y.length;
      }
      const x = kind === "date" ? (a as Date).getTime() : a as number;
      const y = kind === "date" ? (b as Date).getTime() : b as number;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    throw invalid(
      call,
      "item",
      `orderable against ${
        show(b)
      } (numbers with numbers, strings with strings, arrays element by element, as Python orders tuples), or give a 'key' or 'compare' option`,
      a,
    );
  };
  return compare;
}

function kindOf(value: unknown): string {
  switch (typeof value) {
    case "number":
    case "bigint":
    case "boolean":
      return "number";
    case "string":
      return "string";
    case "object":
      if (Array.isArray(value)) return "array";
      if (value instanceof Date) return "date";
  }
  return "";
}

interface Entry<T> {
  readonly item: T;
  readonly key: unknown;
  readonly seq: number;
}

/** A stable binary heap: `push` and `pop` are O(log n). */
export class Heap<T> {
  #heap: Entry<T>[] = [];
  #seq = 0;
  #compare: Compare<unknown>;
  #key: ((item: T) => unknown) | undefined;
  /** The children chosen by the last sift-down, reused so `pop()` allocates nothing. */
  #path: number[] = [];

  /**
   * @param compare Orders the keys (the items themselves without `key`).
   * @param key Maps an item to what is compared; called once per item, at `push`.
   */
  constructor(compare: Compare<never>, key?: (item: T) => unknown) {
    this.#compare = compare as Compare<unknown>;
    this.#key = key;
  }

  /** How many items the heap holds. */
  get length(): number {
    return this.#heap.length;
  }

  /** Adds `item`. If the key function or the comparator throws, the heap is unchanged. */
  push(item: T): void {
    const heap = this.#heap;
    const entry: Entry<T> = {
      item,
      key: this.#key === undefined ? item : this.#key(item),
      seq: this.#seq,
    };
    // Find the slot first, moving nothing: sift-up compares the entry with its ancestors only.
    let slot = heap.length;
    while (slot > 0) {
      const parent = (slot - 1) >>> 1;
      if (!this.#before(entry, heap[parent] as Entry<T>)) break;
      slot = parent;
    }
    // No comparison is left: move the ancestors down.
    let i = heap.length;
    heap.push(entry);
    while (i > slot) {
      const parent = (i - 1) >>> 1;
      heap[i] = heap[parent] as Entry<T>;
      i = parent;
    }
    heap[slot] = entry;
    this.#seq++;
  }

  /**
   * Removes and returns the first item in priority order; only called when not empty. If the
   * comparator throws, the heap is unchanged.
   */
  pop(): T {
    const heap = this.#heap;
    const top = heap[0] as Entry<T>;
    const size = heap.length - 1;
    const last = heap[size] as Entry<T>;
    // Sift-down reads only the children along its path, none of which it has moved yet, so the
    // path can be found first and the moves made once no comparison can throw any more.
    const path = this.#path;
    path.length = 0;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && this.#before(heap[right] as Entry<T>, heap[left] as Entry<T>)) {
        child = right;
      }
      if (!this.#before(heap[child] as Entry<T>, last)) break;
      path.push(child);
      i = child;
    }
    heap.pop();
    if (size > 0) {
      let hole = 0;
      for (const child of path) {
        heap[hole] = heap[child] as Entry<T>;
        hole = child;
      }
      heap[hole] = last;
    } else {
      this.#seq = 0;
    }
    return top.item;
  }

  /**
   * The items in the order `pop()` would return them. If the comparator throws, the items it
   * could not order follow in insertion order: nothing is left out.
   */
  toArray(): T[] {
    const entries = this.#heap.slice();
    try {
      entries.sort((a, b) => (this.#before(a, b) ? -1 : 1));
    } catch {
      entries.sort((a, b) => a.seq - b.seq);
    }
    return entries.map((entry) => entry.item);
  }

  /** Removes every item and returns them as {@linkcode Heap.prototype.toArray} does. */
  drain(): T[] {
    const out = this.toArray();
    this.#heap = [];
    this.#seq = 0;
    return out;
  }

  #before(a: Entry<T>, b: Entry<T>): boolean {
    const c = this.#compare(a.key, b.key);
    return c < 0 || (!(c > 0) && a.seq < b.seq);
  }
}
