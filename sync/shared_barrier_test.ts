import assert from "node:assert/strict";
import { BrokenBarrierError, SharedBarrier } from "./mod.ts";
import { spawnWorkers, TestWorker } from "./testdata/workers.ts";

Deno.test("new SharedBarrier() rejects bad parties with TypeError or RangeError", () => {
  for (const parties of [0, -1, 1.5, NaN, Infinity, 65536]) {
    assert.throws(() => new SharedBarrier(parties), {
      name: "RangeError",
      message: new RegExp(`^new SharedBarrier\\(\\): 'parties' must be .*got ${parties}$`),
    });
  }
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new SharedBarrier("5" as any), TypeError);
});

Deno.test("SharedBarrier.from() rejects foreign buffers", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => SharedBarrier.from({} as any), TypeError);
  assert.throws(() => SharedBarrier.from(new SharedArrayBuffer(8)), RangeError);
  assert.throws(() => SharedBarrier.from(new SharedArrayBuffer(16)), TypeError);
});

Deno.test("SharedBarrier.wait() gives arrival indices and is reusable", async () => {
  const barrier = new SharedBarrier(3);
  const other = SharedBarrier.from(barrier.buffer);
  for (let round = 0; round < 3; round++) {
    const indices = await Promise.all([barrier.wait(), other.wait(), barrier.wait()]);
    assert.deepEqual(indices, [0, 1, 2]);
  }
  assert.equal(barrier.waiting, 0);
  assert.equal(new SharedBarrier(1).waitSync(), 0);
});

Deno.test("SharedBarrier.abort() breaks it for current and later waiters", async () => {
  const barrier = new SharedBarrier(3);
  const waiting = barrier.wait();
  barrier.abort();
  assert.equal(barrier.broken, true);
  await assert.rejects(waiting, BrokenBarrierError);
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  assert.throws(() => barrier.waitSync(), BrokenBarrierError);
});

Deno.test("SharedBarrier.wait() aborted breaks the barrier and rejects with the reason", async () => {
  const barrier = new SharedBarrier(3);
  const controller = new AbortController();
  const other = assert.rejects(barrier.wait(), BrokenBarrierError);
  const gaveUp = barrier.wait({ signal: controller.signal });
  controller.abort(new Error("left"));
  await assert.rejects(gaveUp, /left/);
  await other;
  assert.equal(barrier.broken, true);
});

Deno.test("SharedBarrier.wait() with an already-aborted signal does not arrive", async () => {
  const barrier = new SharedBarrier(2);
  await assert.rejects(barrier.wait({ signal: AbortSignal.abort() }), { name: "AbortError" });
  assert.equal(barrier.waiting, 0);
  assert.equal(barrier.broken, false);
});

Deno.test("SharedBarrier.waitSync() and wait() time out with a TimeoutError and break it", async () => {
  const barrier = new SharedBarrier(2);
  assert.throws(() => barrier.waitSync({ timeout: 5 }), {
    name: "TimeoutError",
    message: "SharedBarrier.waitSync() timed out after 5 ms",
  });
  assert.equal(barrier.broken, true);
  const again = new SharedBarrier(2);
  await assert.rejects(again.wait({ timeout: 5 }), {
    name: "TimeoutError",
    message: "SharedBarrier.wait() timed out after 5 ms",
  });
  assert.throws(() => again.waitSync({ timeout: -1 }), RangeError);
  await assert.rejects(again.wait({ timeout: NaN }), RangeError);
});

Deno.test("SharedBarrier waiter that times out in a worker breaks it for the main thread", async () => {
  using worker = new TestWorker();
  const barrier = new SharedBarrier(3);
  const mine = assert.rejects(barrier.wait(), BrokenBarrierError);
  assert.equal(
    await worker.run({ task: "barrier-timeout", barrier: barrier.buffer, timeout: 20 }),
    "TimeoutError",
  );
  await mine;
});

Deno.test("SharedBarrier.abort() on the main thread wakes a worker blocked in wait()", async () => {
  using worker = new TestWorker();
  const barrier = new SharedBarrier(2);
  const reply = worker.run({ task: "barrier-wait", barrier: barrier.buffer });
  // Poll (not sleep) until the worker has arrived and is blocked.
  while (barrier.waiting === 0) await new Promise((r) => setTimeout(r, 1));
  barrier.abort();
  assert.equal(await reply, "BrokenBarrierError");
});

for (const async of [false, true]) {
  Deno.test(`SharedBarrier gives 5 workers distinct indices, round after round (${async ? "wait" : "waitSync"})`, async () => {
    const parties = 5;
    const rounds = 50;
    using pool = spawnWorkers(parties);
    const barrier = new SharedBarrier(parties);
    const cells = new Int32Array(new SharedArrayBuffer(4 * parties * rounds));
    const results = await Promise.all(
      pool.map((w) =>
        w.run({ task: "barrier", async, rounds, barrier: barrier.buffer, cells: cells.buffer })
      ),
    );
    assert.deepEqual(results, Array(parties).fill("met"));
    assert.deepEqual([...cells], Array(parties * rounds).fill(1));
    assert.equal(barrier.waiting, 0);
  });
}

// Before, the round number had 14 bits: a waiter that re-checked only after 16,384 more rounds
// saw its own (completed) round as current and waited on, until it timed out.
Deno.test("SharedBarrier waiters that re-check after 16,384 more rounds still return", async () => {
  const barrier = new SharedBarrier(2);
  const late: Promise<number>[] = []; // re-check only once this thread is idle
  for (let round = 0; round <= 16_384; round++) {
    late.push(barrier.wait({ timeout: 10_000 })); // one async arrival
    assert.equal(barrier.waitSync(), 1); // completes the round
  }
  assert.deepEqual(new Set(await Promise.all(late)), new Set([0]));
  assert.equal(barrier.broken, false);
});
