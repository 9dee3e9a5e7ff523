// Fault: 10,000 waiters on one lock, each with a random timeout or abort (real timers), while the
// lock passes from waiter to waiter. Only the waiters that gave up fail, each with its own reason;
// every other waiter gets the lock exactly once; no timer or listener is left behind (the
// sanitizers check the timers).
import assert from "node:assert/strict";
import { type Guard, Mutex, RWLock, Semaphore, type WaitOptions } from "../sync/mod.ts";
import { prng, repeats, Tally } from "./_harness.ts";

const WAITERS = 10_000;

interface Lock {
  /** How a timeout names the call: "Mutex.lock()". */
  what(write: boolean): string;
  acquire(write: boolean, options?: WaitOptions): Promise<Guard>;
  /** Asserts the current holders may be inside together. */
  check(readers: number, writers: number): void;
  /** Asserts the lock is free and nobody waits. */
  idle(): void;
}

function macrotask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

async function tenThousandWaiters(lock: Lock, first: Guard[], seed: number, tally: Tally) {
  const random = prng(seed);
  const pick = <T>(list: T[]): T => list.splice(Math.floor(random() * list.length), 1)[0]!;
  let readers = 0;
  let writers = 0;
  let acquired = 0;
  let timedOut = 0;
  let aborted = 0;
  const plain = new Set<number>();
  const aborts: (() => void)[] = [];
  const { promise: firstTimeout, resolve: onFirstTimeout } = Promise.withResolvers<void>();
  const waits: Promise<void>[] = [];
  for (let i = 0; i < WAITERS; i++) {
    const r = random();
    const write = i % 7 === 0;
    let options: WaitOptions | undefined;
    let reason: Error | undefined;
    let timeout = 0;
    if (r < 0.4) {
      timeout = Math.floor(random() * 20);
      options = { timeout };
    } else if (r < 0.8) {
      const controller = new AbortController();
      const why = reason = new Error(`abort ${i}`);
      aborts.push(() => controller.abort(why));
      options = { signal: controller.signal };
    } else plain.add(i);
    waits.push(
      lock.acquire(write, options).then(
        async (guard) => {
          if (write) writers++;
          else readers++;
          lock.check(readers, writers);
          acquired++;
          plain.delete(i);
          // Abort a still-waiting waiter now and then during the hand-over, and let the timers
          // run while holding the lock every so often.
          if (random() < 0.05 && aborts.length > 0) pick(aborts)();
          if (i % 97 === 0) await macrotask();
          else await Promise.resolve();
          if (write) writers--;
          else readers--;
          guard.release();
        },
        (error) => {
          if (reason !== undefined) {
            assert.equal(error, reason, `waiter ${i} rejected with another reason`);
            aborted++;
            return;
          }
          assert.ok(options !== undefined, `waiter ${i} without a cancellation rejected: ${error}`);
          assert.ok(error instanceof DOMException && error.name === "TimeoutError", `${error}`);
          assert.equal(error.message, `${lock.what(write)} timed out after ${timeout} ms`);
          timedOut++;
          onFirstTimeout();
        },
      ),
    );
  }
  // A third of the aborts fire while everyone is still queued behind the first holder.
  for (let k = aborts.length / 3; k > 0; k--) pick(aborts)();
  // Hand the lock on once the timers have started to fire.
  await firstTimeout;
  for (const guard of first) guard.release();
  // Abort the rest, spread over the hand-overs.
  while (aborts.length > 0) {
    await macrotask();
    for (let k = 0; k < 50 && aborts.length > 0; k++) pick(aborts)();
  }
  await Promise.all(waits);
  assert.equal(acquired + timedOut + aborted, WAITERS, "a waiter settled twice or never");
  assert.deepEqual([...plain], [], "waiters without a timeout or abort never got the lock");
  lock.idle();
  tally.runs++;
  tally.items += acquired;
  tally.faults += timedOut + aborted;
}

Deno.test("Mutex: 10,000 waiters with random timeouts and aborts; only they fail, all others get the lock once", async () => {
  const tally = new Tally("sync", "Mutex x 10,000 waiters", "acquisitions");
  try {
    for (let run = 0; run < repeats(); run++) {
      const mutex = new Mutex();
      await tenThousandWaiters(
        {
          what: () => "Mutex.lock()",
          acquire: (_, options) => mutex.lock(options),
          check: (readers, writers) => assert.equal(readers + writers, 1, "two holders"),
          idle: () => {
            assert.equal(mutex.locked, false);
            assert.equal(mutex.waiting, 0);
          },
        },
        [await mutex.lock()],
        1 + run,
        tally,
      );
    }
  } finally {
    tally.flush();
  }
});

Deno.test("Semaphore: 10,000 waiters with random timeouts and aborts never exceed the permits or lose one", async () => {
  const tally = new Tally("sync", "Semaphore(4) x 10,000 waiters", "acquisitions");
  try {
    for (let run = 0; run < repeats(); run++) {
      const semaphore = new Semaphore(4);
      const all = Array.from({ length: 4 }, () => semaphore.tryAcquire()!);
      await tenThousandWaiters(
        {
          what: () => "Semaphore.acquire()",
          acquire: (_, options) => semaphore.acquire(options),
          check: (readers, writers) =>
            assert.ok(readers + writers <= 4, "more holders than permits"),
          idle: () => {
            assert.equal(semaphore.available, 4, "a permit was lost");
            assert.equal(semaphore.waiting, 0);
          },
        },
        all,
        100 + run,
        tally,
      );
    }
  } finally {
    tally.flush();
  }
});

Deno.test("RWLock: 10,000 readers and writers with random timeouts and aborts never mix a writer with anyone", async () => {
  const tally = new Tally("sync", "RWLock x 10,000 waiters", "acquisitions");
  try {
    for (let run = 0; run < repeats(); run++) {
      const lock = new RWLock();
      await tenThousandWaiters(
        {
          what: (write) => write ? "RWLock.write()" : "RWLock.read()",
          acquire: (write, options) => write ? lock.write(options) : lock.read(options),
          check: (readers, writers) => {
            assert.ok(writers <= 1 && (writers === 0 || readers === 0), "a writer with others");
          },
          idle: () => {
            assert.equal(lock.readers, 0);
            assert.equal(lock.writeLocked, false);
            assert.equal(lock.waiting, 0);
          },
        },
        [await lock.write()],
        200 + run,
        tally,
      );
    }
  } finally {
    tally.flush();
  }
});
