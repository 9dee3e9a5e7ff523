/**
 * A binary min-heap with a comparator, stable for equal priorities: ties are broken by insertion
 * sequence, so equal items come out in the order they went in.
 *
 * @module
 */

/** A comparator in the style of `Array.prototype.sort`: negative when `a` comes first. */
export type Compare<T> = (a: T, b: T) => number;

/** The default order: `<` on the items, as Python's `heapq` does. */
export function defaultCompare<T>(a: T, b: T): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A stable binary heap: `push` and `pop` are O(log n). */
export class Heap<T> {
  #items: T[] = [];
  #seqs: number[] = [];
  #seq = 0;
  #compare: Compare<T>;

  constructor(compare: Compare<T> = defaultCompare) {
    this.#compare = compare;
  }

  /** How many items the heap holds. */
  get length(): number {
    return this.#items.length;
  }

  /** Adds `item`. */
  push(item: T): void {
    const items = this.#items;
    const seqs = this.#seqs;
    let i = items.length;
    items.push(item);
    seqs.push(this.#seq++);
    // Sift up.
    const seq = seqs[i];
    while (i > 0) {
      const parent = (i - 1) >>> 1;
      if (!this.#before(item, seq, items[parent], seqs[parent])) break;
      items[i] = items[parent];
      seqs[i] = seqs[parent];
      i = parent;
    }
    items[i] = item;
    seqs[i] = seq;
  }

  /** Removes and returns the first item in priority order, or `undefined` if empty. */
  pop(): T | undefined {
    const items = this.#items;
    const seqs = this.#seqs;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0];
    const lastItem = items.pop() as T;
    const lastSeq = seqs.pop() as number;
    if (n > 1) {
      // Sift down the last item from the root.
      const size = n - 1;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= size) break;
        const right = left + 1;
        let child = left;
        if (right < size && this.#before(items[right], seqs[right], items[left], seqs[left])) {
          child = right;
        }
        if (!this.#before(items[child], seqs[child], lastItem, lastSeq)) break;
        items[i] = items[child];
        seqs[i] = seqs[child];
        i = child;
      }
      items[i] = lastItem;
      seqs[i] = lastSeq;
    }
    if (items.length === 0) this.#seq = 0;
    return top;
  }

  /** The first item in priority order without removing it, or `undefined` if empty. */
  peek(): T | undefined {
    return this.#items[0];
  }

  /** Removes every item and returns them in priority order. */
  drain(): T[] {
    const out: T[] = [];
    while (this.#items.length > 0) out.push(this.pop() as T);
    return out;
  }

  #before(a: T, seqA: number, b: T, seqB: number): boolean {
    const c = this.#compare(a, b);
    return c < 0 || (!(c > 0) && seqA < seqB);
  }
}
