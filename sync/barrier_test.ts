import assert from "node:assert/strict";
import { Barrier, BrokenBarrierError } from "./mod.ts";
import { flush } from "./_test_utils.ts";

Deno.test("new Barrier() rejects bad parties with TypeError or RangeError", () => {
  for (const parties of [0, -1, 1.5, NaN, Infinity]) {
    assert.throws(() => new Barrier(parties), {
      name: "RangeError",
      message: new RegExp(`^new Barrier\\(\\): 'parties' must be .*got ${parties}$`),
    });
  }
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new Barrier("3" as any), TypeError);
});

Deno.test("Barrier.wait() resolves all parties once the last arrives, with arrival indices", async () => {
  const barrier = new Barrier(3);
  const resolved: number[] = [];
  const a = barrier.wait().then((i) => resolved.push(i));
  const b = barrier.wait().then((i) => resolved.push(i));
  await flush();
  assert.deepEqual(resolved, []);
  assert.equal(barrier.waiting, 2);
  const last = await barrier.wait();
  await Promise.all([a, b]);
  assert.equal(last, 2);
  assert.deepEqual(resolved.sort(), [0, 1]);
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier is reusable round after round", async () => {
  const barrier = new Barrier(2);
  for (let round = 0; round < 3; round++) {
    assert.deepEqual(await Promise.all([barrier.wait(), barrier.wait()]), [0, 1]);
  }
  assert.equal(await new Barrier(1).wait(), 0);
});

Deno.test("Barrier.abort() rejects every waiter with BrokenBarrierError until reset()", async () => {
  const barrier = new Barrier(3);
  const a = barrier.wait();
  const b = barrier.wait();
  barrier.abort();
  assert.equal(barrier.broken, true);
  await assert.rejects(a, BrokenBarrierError);
  await assert.rejects(
    b,
    (e: unknown) => e instanceof BrokenBarrierError && e.name === "BrokenBarrierError",
  );
  await assert.rejects(barrier.wait(), BrokenBarrierError);
  barrier.reset();
  assert.equal(barrier.broken, false);
  assert.deepEqual(await Promise.all([barrier.wait(), barrier.wait(), barrier.wait()]), [0, 1, 2]);
});

Deno.test("Barrier.reset() fails the waiters of the current round", async () => {
  const barrier = new Barrier(2);
  const waiting = barrier.wait();
  barrier.reset();
  await assert.rejects(waiting, BrokenBarrierError);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier.wait() aborted leaves the round; the others wait for a full round", async () => {
  const barrier = new Barrier(3);
  const controller = new AbortController();
  const a = barrier.wait();
  const gaveUp = barrier.wait({ signal: controller.signal });
  controller.abort(new Error("left"));
  await assert.rejects(gaveUp, /left/);
  assert.equal(barrier.waiting, 1);
  const b = barrier.wait();
  await flush();
  assert.equal(barrier.waiting, 2); // not tripped: the aborted party does not count
  const c = barrier.wait();
  assert.deepEqual(await Promise.all([a, b, c]), [0, 1, 2]);
  assert.equal(barrier.broken, false);
});

Deno.test("Barrier.wait() times out with a TimeoutError and leaves", async () => {
  const barrier = new Barrier(2);
  await assert.rejects(barrier.wait({ timeout: 1 }), {
    name: "TimeoutError",
    message: "Barrier.wait() timed out after 1 ms",
  });
  assert.equal(barrier.waiting, 0);
});

Deno.test("Barrier.wait() with an already-aborted signal does not count as an arrival", async () => {
  const barrier = new Barrier(2);
  const a = barrier.wait();
  await assert.rejects(barrier.wait({ signal: AbortSignal.abort() }), { name: "AbortError" });
  assert.equal(barrier.waiting, 1);
  const b = barrier.wait();
  assert.deepEqual(await Promise.all([a, b]), [0, 1]);
});

Deno.test("Barrier.wait() rejects bad options", async () => {
  const barrier = new Barrier(1);
  await assert.rejects(barrier.wait({ timeout: -1 }), RangeError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(barrier.wait({ signal: 1 as any }), TypeError);
});
