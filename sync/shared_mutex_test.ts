import assert from "node:assert/strict";
import { SharedBarrier, SharedMutex, SharedSemaphore } from "./mod.ts";
import { spawnWorkers, TestWorker } from "./testdata/workers.ts";

Deno.test("SharedMutex.from() attaches to the same lock", () => {
  const mutex = new SharedMutex();
  const other = SharedMutex.from(mutex.buffer);
  assert.equal(other.buffer, mutex.buffer);
  const guard = mutex.tryLock()!;
  assert.equal(other.locked, true);
  assert.equal(other.tryLock(), undefined);
  guard.release();
  assert.equal(other.locked, false);
});

Deno.test("SharedMutex.from() rejects a buffer of the wrong type, size or kind", () => {
  // deno-lint-ignore no-explicit-any
  const from = SharedMutex.from as (b: any) => SharedMutex;
  assert.throws(() => from(new ArrayBuffer(8)), {
    name: "TypeError",
    message:
      "SharedMutex.from(): 'buffer' must be a SharedArrayBuffer (from SharedMutex.buffer), got an instance of ArrayBuffer",
  });
  assert.throws(() => from(undefined), TypeError);
  assert.throws(() => from(new Int32Array(new SharedArrayBuffer(8))), TypeError);
  assert.throws(() => from(new SharedArrayBuffer(4)), {
    name: "RangeError",
    message: "SharedMutex.from(): 'buffer' must be 12 bytes long, got 4",
  });
  assert.throws(
    () => from(new SharedArrayBuffer(12)),
    /the buffer of a SharedMutex \(its tag is wrong\)/,
  );
  assert.throws(() => from(new SharedSemaphore(1).buffer), RangeError);
  assert.throws(() => SharedSemaphore.from(new SharedBarrier(2).buffer), RangeError);
});

Deno.test("SharedMutex guard released twice throws", () => {
  const mutex = new SharedMutex();
  const guard = mutex.lockSync();
  guard.release();
  assert.throws(() => guard.release(), /Cannot release SharedMutex guard: it was already released/);
  const next = mutex.lockSync();
  assert.throws(() => guard[Symbol.dispose](), /already released/);
  assert.equal(mutex.locked, true);
  next.release();
});

Deno.test("SharedMutex.lockSync() and lock() reject bad options", async () => {
  const mutex = new SharedMutex();
  assert.throws(() => mutex.lockSync({ timeout: -1 }), RangeError);
  assert.throws(() => mutex.lockSync({ timeout: NaN }), RangeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => mutex.lockSync({ timeout: "1" as any }), TypeError);
  await assert.rejects(mutex.lock({ timeout: -1 }), RangeError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(mutex.lock({ signal: {} as any }), TypeError);
  assert.equal(mutex.locked, false);
});

Deno.test("SharedMutex.lockSync() times out with a TimeoutError", () => {
  const mutex = new SharedMutex();
  using _ = mutex.lockSync();
  assert.throws(() => mutex.lockSync({ timeout: 5 }), {
    name: "TimeoutError",
    message: "SharedMutex.lockSync() timed out after 5 ms",
  });
  assert.throws(() => mutex.lockSync({ timeout: 0 }), { name: "TimeoutError" });
});

Deno.test("SharedMutex.lockSync() where the thread may not block says so and points to lock()", () => {
  const mutex = new SharedMutex();
  using _ = mutex.lockSync();
  const original = Atomics.wait;
  // What a browser's main thread does.
  Atomics.wait = () => {
    throw new TypeError("Atomics.wait cannot be called in this context");
  };
  try {
    assert.throws(
      () => mutex.lockSync(),
      (e: unknown) =>
        e instanceof TypeError && /this thread may not block/.test(e.message) &&
        /use await mutex\.lock\(\) instead/.test(e.message),
    );
  } finally {
    Atomics.wait = original;
  }
});

Deno.test("SharedMutex.lock() with an already-aborted signal takes nothing", async () => {
  const mutex = new SharedMutex();
  await assert.rejects(mutex.lock({ signal: AbortSignal.abort(new Error("no")) }), /no/);
  assert.equal(mutex.locked, false);
});

Deno.test("SharedMutex.lock() waits without blocking for a same-thread release", async () => {
  const mutex = new SharedMutex();
  const guard = await mutex.lock();
  const waiting = mutex.lock({ timeout: 30_000 });
  await Promise.resolve();
  guard.release();
  (await waiting).release();
  assert.equal(mutex.locked, false);
});

Deno.test("SharedMutex.lock() times out with a TimeoutError", async () => {
  const mutex = new SharedMutex();
  using _ = mutex.lockSync();
  await assert.rejects(mutex.lock({ timeout: 5 }), {
    name: "TimeoutError",
    message: "SharedMutex.lock() timed out after 5 ms",
  });
});

Deno.test("SharedMutex.lock() woken then aborted passes the wake-up on (no lost wake-up)", async () => {
  const mutex = new SharedMutex();
  const holder = mutex.tryLock()!;
  const controller = new AbortController();
  const first = mutex.lock({ signal: controller.signal });
  const second = mutex.lock({ timeout: 30_000 });
  await Promise.resolve();
  holder.release(); // notifies one waiter: the first
  controller.abort(new Error("first gave up")); // before its wake-up is delivered
  await assert.rejects(first, /first gave up/);
  const guard = await second; // the second still gets the lock
  guard.release();
  assert.equal(mutex.locked, false);
});

Deno.test("SharedMutex.lock() on the main thread waits for a worker's release", async () => {
  using worker = new TestWorker();
  const mutex = new SharedMutex();
  assert.equal(await worker.run({ task: "hold", mutex: mutex.buffer }), "locked");
  assert.equal(mutex.locked, true);
  assert.equal(mutex.tryLock(), undefined);
  const controller = new AbortController();
  const aborted = mutex.lock({ signal: controller.signal });
  const waiting = mutex.lock();
  controller.abort(new Error("gave up"));
  await assert.rejects(aborted, /gave up/);
  assert.equal(await worker.run({ task: "release" }), "released");
  const guard = await waiting;
  assert.equal(mutex.locked, true);
  guard.release();
});

for (const mode of ["sync", "async"] as const) {
  Deno.test(`SharedMutex keeps a counter exact across 4 workers (${mode === "sync" ? "lockSync" : "lock"})`, async () => {
    const workers = 4;
    const n = 20_000;
    using pool = spawnWorkers(workers);
    const mutex = new SharedMutex();
    const barrier = new SharedBarrier(workers);
    const cells = new Int32Array(new SharedArrayBuffer(4));
    const results = await Promise.all(pool.map((worker) =>
      worker.run({
        task: "count",
        mode,
        n,
        mutex: mutex.buffer,
        barrier: barrier.buffer,
        cells: cells.buffer,
      })
    ));
    assert.deepEqual(results, Array(workers).fill("counted"));
    assert.equal(cells[0], workers * n);
    assert.equal(mutex.locked, false);
  });
}

/** Runs `fn` and returns how many waiters each `Atomics.notify` call in it woke. */
function countWakeUps(fn: () => void): number[] {
  const notify = Atomics.notify;
  const woken: number[] = [];
  Atomics.notify = ((cells: Int32Array, index: number, count?: number) => {
    const n = notify(cells, index, count);
    woken.push(n);
    return n;
  }) as typeof Atomics.notify;
  try {
    fn();
  } finally {
    Atomics.notify = notify;
  }
  return woken;
}

Deno.test("SharedMutex.lock() aborted wakes no other waiter (O(1)); the rest still get the lock", async () => {
  const mutex = new SharedMutex();
  const holder = mutex.tryLock()!;
  const controller = new AbortController();
  const before = [mutex.lock(), mutex.lock()];
  const aborted = mutex.lock({ signal: controller.signal });
  const after = [mutex.lock(), mutex.lock()];
  await Promise.resolve(); // every waiter has reached Atomics.waitAsync
  const woken = countWakeUps(() => controller.abort(new Error("gave up")));
  assert.ok(woken.every((n) => n <= 1), `an abort woke ${woken.join(", ")} waiters`);
  await assert.rejects(aborted, /gave up/);
  // The aborted wait is still queued in the engine; the releases must reach the live waiters.
  holder.release();
  // Not FIFO across the engine's queue: release each as it gets through.
  await Promise.all([...before, ...after].map(async (waiting) => (await waiting).release()));
  assert.equal(mutex.locked, false);
});
