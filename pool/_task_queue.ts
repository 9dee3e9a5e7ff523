/** A node of a {@linkcode TaskQueue}: the queue links its nodes through these two fields. */
export interface Linked<T> {
  prev: T | undefined;
  next: T | undefined;
}

/**
 * A first-in, first-out queue that links its nodes themselves (no array), so that a node can be
 * taken out of the middle in O(1) when its task is cancelled: it is unreachable from the queue at
 * once, with everything it holds.
 */
export class TaskQueue<T extends Linked<T>> {
  #head: T | undefined;
  #tail: T | undefined;
  #length = 0;

  /** The number of nodes. */
  get length(): number {
    return this.#length;
  }

  /** Appends `node`, which must not be in a queue. */
  push(node: T): void {
    node.prev = this.#tail;
    node.next = undefined;
    if (this.#tail === undefined) this.#head = node;
    else this.#tail.next = node;
    this.#tail = node;
    this.#length++;
  }

  /** Removes and returns the oldest node, or `undefined` if empty. */
  shift(): T | undefined {
    const node = this.#head;
    if (node !== undefined) this.remove(node);
    return node;
  }

  /** Takes `node`, which must be in this queue, out of it. */
  remove(node: T): void {
    const { prev, next } = node;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    node.prev = node.next = undefined;
    this.#length--;
  }
}
