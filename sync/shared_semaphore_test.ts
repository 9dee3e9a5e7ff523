import assert from "node:assert/strict";
import { SharedSemaphore } from "./mod.ts";
import { spawnWorkers } from "./testdata/workers.ts";

Deno.test("new SharedSemaphore() rejects bad permits with TypeError or RangeError", () => {
  for (const permits of [-1, 1.5, NaN, Infinity, 2 ** 31]) {
    assert.throws(() => new SharedSemaphore(permits), {
      name: "RangeError",
      message: new RegExp(`^new SharedSemaphore\\(\\): 'permits' must be .*got ${permits}$`),
    });
  }
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new SharedSemaphore(null as any), TypeError);
});

Deno.test("SharedSemaphore.from() shares the permits and rejects foreign buffers", () => {
  const semaphore = new SharedSemaphore(2);
  const other = SharedSemaphore.from(semaphore.buffer);
  assert.equal(other.permits, 2);
  const a = semaphore.tryAcquire()!;
  const b = other.tryAcquire()!;
  assert.equal(semaphore.tryAcquire(), undefined);
  assert.equal(other.available, 0);
  a.release();
  b.release();
  assert.equal(semaphore.available, 2);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => SharedSemaphore.from(new ArrayBuffer(16) as any), TypeError);
  assert.throws(() => SharedSemaphore.from(new SharedArrayBuffer(12)), RangeError);
  assert.throws(() => SharedSemaphore.from(new SharedArrayBuffer(20)), /tag is wrong/);
});

Deno.test("SharedSemaphore guard released twice throws and cannot over-release", () => {
  const semaphore = new SharedSemaphore(1);
  const guard = semaphore.acquireSync();
  guard.release();
  assert.throws(() => guard.release(), /Cannot release SharedSemaphore guard/);
  assert.equal(semaphore.available, 1);
});

Deno.test("SharedSemaphore.acquireSync() and acquire() time out with a TimeoutError", async () => {
  const semaphore = new SharedSemaphore(1);
  using _ = semaphore.acquireSync();
  assert.throws(() => semaphore.acquireSync({ timeout: 5 }), {
    name: "TimeoutError",
    message: "SharedSemaphore.acquireSync() timed out after 5 ms",
  });
  await assert.rejects(semaphore.acquire({ timeout: 5 }), {
    name: "TimeoutError",
    message: "SharedSemaphore.acquire() timed out after 5 ms",
  });
  assert.equal(semaphore.available, 0);
});

Deno.test("SharedSemaphore.acquire() aborted takes nothing and passes a release on", async () => {
  const semaphore = new SharedSemaphore(1);
  await assert.rejects(semaphore.acquire({ signal: AbortSignal.abort(new Error("x")) }), /x/);
  assert.equal(semaphore.available, 1);
  const holder = semaphore.tryAcquire()!;
  const controller = new AbortController();
  const first = semaphore.acquire({ signal: controller.signal });
  const second = semaphore.acquire({ timeout: 30_000 });
  await Promise.resolve();
  holder.release(); // notifies one waiter: the first
  controller.abort(new Error("first gave up"));
  await assert.rejects(first, /first gave up/);
  (await second).release();
  assert.equal(semaphore.available, 1);
});

Deno.test("SharedSemaphore bad options are rejected", async () => {
  const semaphore = new SharedSemaphore(1);
  assert.throws(() => semaphore.acquireSync({ timeout: -1 }), RangeError);
  await assert.rejects(semaphore.acquire({ timeout: NaN }), RangeError);
  assert.equal(semaphore.available, 1);
});

for (const async of [false, true]) {
  Deno.test(`SharedSemaphore caps holders across 4 workers (${async ? "acquire" : "acquireSync"})`, async () => {
    using pool = spawnWorkers(4);
    const semaphore = new SharedSemaphore(2);
    const cells = new Int32Array(new SharedArrayBuffer(8));
    const results = await Promise.all(
      pool.map((w) =>
        w.run({
          task: "semaphore",
          async,
          n: 2_000,
          semaphore: semaphore.buffer,
          cells: cells.buffer,
        })
      ),
    );
    assert.deepEqual(results, Array(4).fill("held"));
    const peak = Atomics.load(cells, 1);
    assert.ok(peak <= 2, `saw ${peak} holders at once`);
    assert.ok(peak >= 1);
    assert.equal(cells[0], 0);
    assert.equal(semaphore.available, 2);
  });
}

Deno.test("SharedSemaphore.acquire() aborted wakes no other waiter (O(1)); the rest still acquire", async () => {
  const semaphore = new SharedSemaphore(1);
  const holder = semaphore.tryAcquire()!;
  const controller = new AbortController();
  const before = [semaphore.acquire(), semaphore.acquire()];
  const aborted = semaphore.acquire({ signal: controller.signal });
  const after = [semaphore.acquire(), semaphore.acquire()];
  await Promise.resolve();
  const notify = Atomics.notify;
  const woken: number[] = [];
  Atomics.notify = ((cells: Int32Array, index: number, count?: number) => {
    const n = notify(cells, index, count);
    woken.push(n);
    return n;
  }) as typeof Atomics.notify;
  try {
    controller.abort(new Error("gave up"));
  } finally {
    Atomics.notify = notify;
  }
  assert.ok(woken.every((n) => n <= 1), `an abort woke ${woken.join(", ")} waiters`);
  await assert.rejects(aborted, /gave up/);
  holder.release();
  // Not FIFO across the engine's queue: release each as it gets through.
  await Promise.all([...before, ...after].map(async (waiting) => (await waiting).release()));
  assert.equal(semaphore.available, 1);
});

Deno.test("SharedSemaphore(0) counts signals from addPermits(), across attached copies", async () => {
  const done = new SharedSemaphore(0);
  const other = SharedSemaphore.from(done.buffer);
  assert.equal(done.tryAcquire(), undefined);
  const waiting = [done.acquire(), done.acquire()];
  await Promise.resolve();
  other.addPermits(2);
  for (const guard of await Promise.all(waiting)) guard.release();
  assert.equal(done.permits, 2);
  assert.equal(other.available, 2);
  other.addPermits(0);
  assert.equal(done.permits, 2);
  assert.throws(() => done.addPermits(-1), RangeError);
  assert.throws(() => done.addPermits(2 ** 31 - 2), {
    name: "RangeError",
    message:
      "SharedSemaphore.addPermits(): 'n' must be an integer from 0 to 2147483645, got 2147483646",
  });
  assert.equal(done.permits, 2);
});

Deno.test("SharedSemaphore.addPermits() in one thread lets a worker's acquireSync() through", async () => {
  const semaphore = new SharedSemaphore(0);
  using workers = spawnWorkers(1);
  // The worker blocks in acquireSync() (or finds the permit already added): either way it holds.
  const acquired = workers[0]!.run({
    task: "semaphore",
    n: 1,
    semaphore: semaphore.buffer,
    cells: new SharedArrayBuffer(8),
  });
  semaphore.addPermits(1);
  assert.equal(await acquired, "held");
  assert.equal(semaphore.available, 1);
});
