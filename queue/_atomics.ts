// The little shared-memory machinery SharedQueue needs (queue/ cannot import sync/): a futex lock
// for its short critical sections, and waits on a cell multiplexed onto one `Atomics.waitAsync`.

/**
 * Locks the futex in `cells[index]`: 0 free, 1 locked, 2 locked and maybe contended (Ulrich
 * Drepper, "Futexes Are Tricky", mutex #3). The critical sections it guards are a few copies, so
 * a thread that may not block (a browser's main thread) spins instead of sleeping.
 */
export function lock(cells: Int32Array<SharedArrayBuffer>, index: number): void {
  let c = Atomics.compareExchange(cells, index, 0, 1);
  if (c === 0) return;
  do {
    if (c === 2 || Atomics.compareExchange(cells, index, 1, 2) !== 0) sleep(cells, index);
    c = Atomics.compareExchange(cells, index, 0, 2);
  } while (c !== 0);
}

/** Unlocks what {@linkcode lock} locked, waking one sleeper if any may wait. */
export function unlock(cells: Int32Array<SharedArrayBuffer>, index: number): void {
  if (Atomics.exchange(cells, index, 0) === 2) Atomics.notify(cells, index, 1);
}

let mayBlock = true;

function sleep(cells: Int32Array<SharedArrayBuffer>, index: number): void {
  if (!mayBlock) return; // spin
  try {
    Atomics.wait(cells, index, 2, 1);
  } catch {
    mayBlock = false;
  }
}

// A pending `Atomics.waitAsync` does not keep Deno's or Node's event loop alive (the process may
// exit, or a test fail with "the event loop has already resolved", while another thread is about
// to notify). One idle interval, held while any wait is pending, keeps it alive; it fires every
// 24 days, so it is not polling. (The same workaround as sync/_atomics.ts.)
let pending = 0;
let keepAlive: ReturnType<typeof setInterval> | undefined;

function hold(): void {
  if (pending++ === 0) keepAlive = setInterval(() => {}, 0x7fffffff);
}

function unhold(): void {
  if (--pending === 0) {
    clearInterval(keepAlive);
    keepAlive = undefined;
  }
}

/** The outcome of {@linkcode CellWaiters.prototype.wait}. */
export type WaitOutcome = "ok" | "not-equal" | "timed-out" | "aborted";

/**
 * The waits of one thread on one shared cell, multiplexed onto a single `Atomics.waitAsync`.
 *
 * The engine's wait cannot be withdrawn, so giving each abortable wait its own would leave one
 * engine wait behind per abort until the next notify, without bound on an idle queue, or need
 * a notify of every waiter in every thread per abort. Here an abort or a timeout (a plain
 * timer) only drops the local waiter; the one engine wait stays armed for the others, or lingers
 * alone, and any notify of the cell wakes every local waiter to re-check.
 *
 * Notifiers must notify whenever their change may matter to a waiter (the cell changed while
 * someone waits): a stale engine wait, armed on an older value, then still wakes on the next
 * change, which is the one a new waiter waits for.
 */
export class CellWaiters {
  #cells: Int32Array<SharedArrayBuffer>;
  #index: number;
  #waiters = new Set<(outcome: WaitOutcome) => void>();
  #armed = false;

  constructor(cells: Int32Array<SharedArrayBuffer>, index: number) {
    this.#cells = cells;
    this.#index = index;
  }

  /**
   * Waits until the cell is notified, unless it no longer holds `value` ("not-equal"), `timeout`
   * ms pass (`Infinity` for none) or `signal` aborts. May wake spuriously: re-check after.
   */
  wait(value: number, timeout: number, signal: AbortSignal | undefined): Promise<WaitOutcome> {
    if (signal?.aborted) return Promise.resolve("aborted");
    if (Atomics.load(this.#cells, this.#index) !== value) return Promise.resolve("not-equal");
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const settle = (outcome: WaitOutcome): void => {
        if (!this.#waiters.delete(settle)) return;
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        unhold();
        resolve(outcome);
      };
      const onAbort = (): void => settle("aborted");
      this.#waiters.add(settle);
      hold();
      signal?.addEventListener("abort", onAbort, { once: true });
      if (timeout !== Infinity) timer = setTimeout(() => settle("timed-out"), timeout);
      this.#arm(value);
    });
  }

  #arm(value: number): void {
    if (this.#armed) return;
    const result = Atomics.waitAsync(this.#cells, this.#index, value);
    if (!result.async) return this.#wake();
    this.#armed = true;
    result.value.then(() => {
      this.#armed = false;
      this.#wake();
    });
  }

  #wake(): void {
    for (const settle of [...this.#waiters]) settle("ok");
  }
}
