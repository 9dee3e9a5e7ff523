/** Opens a queued task's gate with a value (a function, or what the pool needs to start it). */
export type Start = (value: unknown) => void;

/**
 * The queue of an `AsyncPool`: for each waiting task, the function that opens its gate, the value
 * to open it with, and the task's promise. It lives in one flat array (three slots a task, no
 * object per task: the queue is the hot path of a pool of tiny tasks), with O(1) `push`, `shift`
 * and `remove`. A removed task's slots are emptied at once, so nothing it holds stays reachable;
 * `shift` skips them.
 */
export class TaskQueue {
  #items: unknown[] = [];
  /** The oldest entry not yet shifted, in entries (three slots each). */
  #head = 0;
  /** The ticket of the entry at index 0 (tickets count every entry ever pushed). */
  #base = 0;
  #length = 0;

  /** The number of waiting tasks. */
  get length(): number {
    return this.#length;
  }

  /** Appends a task; returns its ticket, for {@linkcode TaskQueue.prototype.remove}. */
  push(start: Start, value: unknown, promise: Promise<unknown>): number {
    const ticket = this.#base + this.#items.length / 3;
    this.#items.push(start, value, promise);
    this.#length++;
    return ticket;
  }

  /** Opens the gate of the oldest waiting task with its value; false if none waits. */
  startNext(): boolean {
    const items = this.#items;
    while (this.#length > 0) {
      const index = this.#head * 3;
      const start = items[index] as Start | undefined;
      const value = items[index + 1];
      items[index] = items[index + 1] = items[index + 2] = undefined;
      this.#head++;
      if (start === undefined) continue; // removed
      this.#length--;
      this.#compact();
      start(value);
      return true;
    }
    return false;
  }

  /**
   * Takes out the task with `ticket` if it still waits, and returns its gate and promise (to
   * cancel it); else `undefined`.
   */
  remove(ticket: number): [Start, Promise<unknown>] | undefined {
    const index = (ticket - this.#base) * 3;
    if (index < this.#head * 3 || index >= this.#items.length) return undefined;
    const start = this.#items[index] as Start | undefined;
    if (start === undefined) return undefined;
    const promise = this.#items[index + 2] as Promise<unknown>;
    this.#items[index] = this.#items[index + 1] = this.#items[index + 2] = undefined;
    this.#length--;
    if (this.#length === 0) this.#compact();
    return [start, promise];
  }

  /** Takes out every waiting task, oldest first, returning their gates and promises. */
  drain(): [Start, Promise<unknown>][] {
    const out: [Start, Promise<unknown>][] = [];
    for (let entry = this.#take(); entry !== undefined; entry = this.#take()) {
      out.push([entry[0], entry[2]]);
    }
    return out;
  }

  #take(): [Start, unknown, Promise<unknown>] | undefined {
    const items = this.#items;
    while (this.#length > 0) {
      const index = this.#head * 3;
      const start = items[index] as Start | undefined;
      const value = items[index + 1];
      const promise = items[index + 2] as Promise<unknown>;
      items[index] = items[index + 1] = items[index + 2] = undefined;
      this.#head++;
      if (start === undefined) continue; // removed
      this.#length--;
      this.#compact();
      return [start, value, promise];
    }
    this.#compact();
    return undefined;
  }

  /** Drops the shifted slots: all of them when empty, else half the array once it is large. */
  #compact(): void {
    if (this.#length === 0) {
      this.#base += this.#items.length / 3;
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= 1024 && this.#head * 6 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head * 3);
      this.#base += this.#head;
      this.#head = 0;
    }
  }
}
