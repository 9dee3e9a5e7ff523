/** A node of a {@linkcode TaskList}: the list writes these fields, nothing else does. */
export interface Linked<T> {
  prev: T | undefined;
  next: T | undefined;
  listed: boolean;
}

/**
 * A FIFO list with O(1) push, unshift, shift and removal of any member: a doubly linked list
 * through the members' own `prev`/`next` fields, so removing an aborted task frees it at once.
 */
export class TaskList<T extends Linked<T>> {
  #head: T | undefined;
  #tail: T | undefined;
  #length = 0;

  /** The number of members. */
  get length(): number {
    return this.#length;
  }

  /** The oldest member, or `undefined`. */
  get first(): T | undefined {
    return this.#head;
  }

  /** Appends `item`. */
  push(item: T): void {
    item.prev = this.#tail;
    item.next = undefined;
    if (this.#tail === undefined) this.#head = item;
    else this.#tail.next = item;
    this.#tail = item;
    item.listed = true;
    this.#length++;
  }

  /** Puts `item` first. */
  unshift(item: T): void {
    item.next = this.#head;
    item.prev = undefined;
    if (this.#head === undefined) this.#tail = item;
    else this.#head.prev = item;
    this.#head = item;
    item.listed = true;
    this.#length++;
  }

  /** Removes and returns the oldest member, or `undefined` if empty. */
  shift(): T | undefined {
    const item = this.#head;
    if (item !== undefined) this.remove(item);
    return item;
  }

  /** Removes `item` if it is a member. */
  remove(item: T): void {
    if (!item.listed) return;
    const { prev, next } = item;
    if (prev === undefined) this.#head = next;
    else prev.next = next;
    if (next === undefined) this.#tail = prev;
    else next.prev = prev;
    item.prev = item.next = undefined;
    item.listed = false;
    this.#length--;
  }
}
