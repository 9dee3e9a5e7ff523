/**
 * {@linkcode RWLock}: many readers or one writer, for async tasks.
 *
 * @module
 */
import { beginWait } from "./_options.ts";
import type { Guard, WaitOptions } from "./types.ts";
import { WaiterList } from "./_waiters.ts";
import { releasedTwice } from "./_validate.ts";
import { defineInspect } from "./_inspect.ts";

const READ = 0;
const WRITE = 1;

let releaseRead: (lock: RWLock) => void;
let releaseWrite: (lock: RWLock) => void;

class RWLockGuard implements Guard {
  #lock: RWLock | undefined;
  #kind: number;
  constructor(lock: RWLock, kind: number) {
    this.#lock = lock;
    this.#kind = kind;
  }
  release(): void {
    const lock = this.#lock;
    if (lock === undefined) throw releasedTwice("RWLock");
    this.#lock = undefined;
    if (this.#kind === READ) releaseRead(lock);
    else releaseWrite(lock);
  }
  [Symbol.dispose](): void {
    this.release();
  }
}

/**
 * An RWLock lets many async tasks read shared state at once, or one task write it. Use it when
 * reads are frequent, slow (they `await`) and must not see a half-done write.
 *
 * Fairness: one FIFO queue for readers and writers. A new reader joins the current readers only
 * if nobody is queued; once a writer waits, later readers queue behind it, so writers do not
 * starve. When the writer releases, the readers at the head of the queue enter together. Tokio's
 * `RwLock` is fair the same way.
 *
 * @example Readers share, a writer is alone
 * ```ts
 * import { RWLock } from "@effective/concurrency/sync";
 * import assert from "node:assert/strict";
 *
 * const lock = new RWLock();
 * const a = await lock.read();
 * const b = await lock.read();
 * assert.equal(lock.readers, 2);
 * assert.equal(lock.tryWrite(), undefined);
 * a.release();
 * b.release();
 * using _ = await lock.write();
 * assert.equal(lock.writeLocked, true);
 * ```
 */
export class RWLock {
  #readers = 0;
  #writer = false;
  #waiters: WaiterList<Guard> = new WaiterList<Guard>();
  #drainBound: () => void = () => this.#drain();

  static {
    releaseRead = (lock) => {
      lock.#readers--;
      lock.#drain();
    };
    releaseWrite = (lock) => {
      lock.#writer = false;
      lock.#drain();
    };
  }

  // Grants the lock to the head of the queue for as long as it can.
  #drain(): void {
    for (let waiter = this.#waiters.head; waiter !== undefined; waiter = this.#waiters.head) {
      if (this.#writer) return;
      if (waiter.data === WRITE) {
        if (this.#readers > 0) return;
        this.#waiters.shift();
        this.#writer = true;
        waiter.resolve(new RWLockGuard(this, WRITE));
        return;
      }
      this.#waiters.shift();
      this.#readers++;
      waiter.resolve(new RWLockGuard(this, READ));
    }
  }

  /**
   * How many readers hold the lock.
   *
   * @example Count readers
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * using _ = await lock.read();
   * assert.equal(lock.readers, 1);
   * ```
   */
  get readers(): number {
    return this.#readers;
  }

  /**
   * Whether a writer holds the lock.
   *
   * @example Check for a writer
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * assert.equal(lock.writeLocked, false);
   * ```
   */
  get writeLocked(): boolean {
    return this.#writer;
  }

  /**
   * How many calls (readers and writers) wait.
   *
   * @example Count the waiters
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * const writer = await lock.write();
   * const reader = lock.read();
   * assert.equal(lock.waiting, 1);
   * writer.release();
   * (await reader).release();
   * ```
   */
  get waiting(): number {
    return this.#waiters.length;
  }

  /**
   * Takes the lock for reading, shared with other readers; waits while a writer holds it or any
   * call is queued.
   *
   * Fairness: FIFO with writers; a reader never overtakes a waiting writer.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason` and
   * gives up its place; after `timeout` ms it rejects with a `TimeoutError` `DOMException`. It
   * never takes the lock afterwards.
   *
   * @param options How to give up waiting.
   * @returns A promise of the read guard.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Read under the lock
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * const config = { port: 80 };
   * using _ = await lock.read();
   * assert.equal(config.port, 80);
   * ```
   */
  read(options?: WaitOptions): Promise<Guard> {
    const wait = beginWait("RWLock.read()", options);
    if (wait instanceof Promise) return wait;
    if (!this.#writer && this.#waiters.length === 0) {
      this.#readers++;
      return Promise.resolve(new RWLockGuard(this, READ));
    }
    return this.#waiters.wait(wait, "RWLock.read()", READ, this.#drainBound);
  }

  /**
   * Takes the lock for writing, alone; waits while readers or a writer hold it or any call is
   * queued. While it waits, new readers queue behind it.
   *
   * Fairness: FIFO with readers and writers.
   *
   * **Cancellation**: if `signal` aborts while waiting, the call rejects with `signal.reason` and
   * gives up its place, letting the readers queued behind it in if they can; after `timeout` ms
   * it rejects with a `TimeoutError` `DOMException`. It never takes the lock afterwards.
   *
   * @param options How to give up waiting.
   * @returns A promise of the write guard.
   * @throws {TypeError} (as a rejection) If `options`, `signal` or `timeout` has the wrong type.
   * @throws {RangeError} (as a rejection) If `timeout` is negative or NaN.
   *
   * @example Write under the lock
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * const config = { port: 80 };
   * {
   *   using _ = await lock.write();
   *   config.port = 8080;
   * }
   * assert.equal(lock.writeLocked, false);
   * ```
   */
  write(options?: WaitOptions): Promise<Guard> {
    const wait = beginWait("RWLock.write()", options);
    if (wait instanceof Promise) return wait;
    if (!this.#writer && this.#readers === 0 && this.#waiters.length === 0) {
      this.#writer = true;
      return Promise.resolve(new RWLockGuard(this, WRITE));
    }
    return this.#waiters.wait(wait, "RWLock.write()", WRITE, this.#drainBound);
  }

  /**
   * Takes the lock for reading if that needs no wait.
   *
   * @returns The read guard, or `undefined` if a writer holds the lock or a call is queued.
   *
   * @example Try to read
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * const guard = lock.tryRead();
   * assert.ok(guard);
   * guard.release();
   * ```
   */
  tryRead(): Guard | undefined {
    if (this.#writer || this.#waiters.length > 0) return undefined;
    this.#readers++;
    return new RWLockGuard(this, READ);
  }

  /**
   * Takes the lock for writing if that needs no wait.
   *
   * @returns The write guard, or `undefined` if the lock is held or a call is queued.
   *
   * @example Try to write
   * ```ts
   * import { RWLock } from "@effective/concurrency/sync";
   * import assert from "node:assert/strict";
   *
   * const lock = new RWLock();
   * const guard = lock.tryWrite();
   * assert.ok(guard);
   * assert.equal(lock.tryRead(), undefined);
   * guard.release();
   * ```
   */
  tryWrite(): Guard | undefined {
    if (this.#writer || this.#readers > 0 || this.#waiters.length > 0) return undefined;
    this.#writer = true;
    return new RWLockGuard(this, WRITE);
  }
}

defineInspect(RWLock, "RWLock", (lock) => ({
  readers: lock.readers,
  writeLocked: lock.writeLocked,
  waiting: lock.waiting,
}));
