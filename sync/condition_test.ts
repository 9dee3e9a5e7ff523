import assert from "node:assert/strict";
import { Condition, Mutex } from "./mod.ts";
import { flush } from "./_test_utils.ts";

Deno.test("new Condition() takes a Mutex or makes one", () => {
  const mutex = new Mutex();
  assert.equal(new Condition(mutex).mutex, mutex);
  assert.ok(new Condition().mutex instanceof Mutex);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => new Condition({} as any),
    /^TypeError: new Condition\(\): 'mutex' must be a Mutex, got an object$/,
  );
});

Deno.test("Condition.wait() releases the mutex while waiting and holds it again after", async () => {
  const condition = new Condition();
  const guard = await condition.lock();
  const waiting = condition.wait();
  assert.equal(condition.mutex.locked, false);
  {
    using _ = await condition.lock();
    condition.notify();
  }
  await waiting;
  assert.equal(condition.mutex.locked, true);
  guard.release(); // the original guard is still the owner
  assert.equal(condition.mutex.locked, false);
  assert.throws(() => guard.release(), /already released/);
});

Deno.test("Condition.wait() and notify() need the mutex locked", async () => {
  const condition = new Condition();
  await assert.rejects(condition.wait(), /the mutex is not locked/);
  await assert.rejects(condition.waitFor(() => true), /the mutex is not locked/);
  assert.throws(() => condition.notify(), /Condition.notify\(\): the mutex is not locked/);
  assert.throws(() => condition.notifyAll(), /the mutex is not locked/);
});

Deno.test("Condition.notify() wakes waiters in FIFO order, n at a time", async () => {
  const condition = new Condition();
  const woken: number[] = [];
  const waiters = [0, 1, 2, 3].map(async (n) => {
    using _ = await condition.lock();
    await condition.wait();
    woken.push(n);
  });
  await flush();
  assert.equal(condition.waiting, 4);
  {
    using _ = await condition.lock();
    condition.notify(2);
  }
  await flush();
  assert.deepEqual(woken, [0, 1]);
  {
    using _ = await condition.lock();
    condition.notify();
  }
  await flush();
  assert.deepEqual(woken, [0, 1, 2]);
  {
    using _ = await condition.lock();
    condition.notifyAll();
  }
  await Promise.all(waiters);
  assert.deepEqual(woken, [0, 1, 2, 3]);
});

Deno.test("Condition.notify() rejects bad n", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  for (const n of [-1, 1.5, NaN, -Infinity]) {
    assert.throws(() => condition.notify(n), {
      name: "RangeError",
      message: `Condition.notify(): 'n' must be an integer from 0 up, or Infinity, got ${n}`,
    });
  }
  // deno-lint-ignore no-explicit-any
  assert.throws(() => condition.notify("1" as any), TypeError);
  condition.notify(0);
});

Deno.test("Condition.wait() aborted re-locks the mutex before it rejects", async () => {
  const condition = new Condition();
  const controller = new AbortController();
  const events: string[] = [];
  const waiter = (async () => {
    using _ = await condition.lock();
    try {
      await condition.wait({ signal: controller.signal });
    } catch (e) {
      events.push(`rejected, locked=${condition.mutex.locked}`);
      throw e;
    }
  })();
  await flush();
  const other = await condition.lock(); // another task holds the mutex
  controller.abort(new Error("cancelled"));
  await flush();
  assert.equal(events.length, 0); // still waiting for the mutex
  assert.equal(condition.waiting, 0); // but no longer waiting for a notification
  events.push("other releases");
  other.release();
  await assert.rejects(waiter, /cancelled/);
  assert.deepEqual(events, ["other releases", "rejected, locked=true"]);
  assert.equal(condition.mutex.locked, false);
});

Deno.test("Condition.wait() notified before an abort resolves (no lost wake-up)", async () => {
  const condition = new Condition();
  const controller = new AbortController();
  const waiter = (async () => {
    using _ = await condition.lock();
    await condition.wait({ signal: controller.signal });
    return "woken";
  })();
  await flush();
  {
    using _ = await condition.lock();
    condition.notify();
    controller.abort();
  }
  assert.equal(await waiter, "woken");
});

Deno.test("Condition.wait() aborted passes a notify() to the next waiter", async () => {
  const condition = new Condition();
  const controller = new AbortController();
  const first = (async () => {
    using _ = await condition.lock();
    await condition.wait({ signal: controller.signal });
  })();
  const second = (async () => {
    using _ = await condition.lock();
    await condition.wait();
    return "second woken";
  })();
  await flush();
  controller.abort(new Error("first gave up"));
  await assert.rejects(first, /first gave up/);
  {
    using _ = await condition.lock();
    condition.notify();
  }
  assert.equal(await second, "second woken");
});

Deno.test("Condition.wait() times out with a TimeoutError and holds the mutex", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  await assert.rejects(condition.wait({ timeout: 1 }), {
    name: "TimeoutError",
    message: "Condition.wait() timed out after 1 ms",
  });
  assert.equal(condition.mutex.locked, true);
  assert.equal(condition.waiting, 0);
});

Deno.test("Condition.wait() with an already-aborted signal keeps the mutex", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  await assert.rejects(condition.wait({ signal: AbortSignal.abort(new Error("x")) }), /x/);
  assert.equal(condition.mutex.locked, true);
  assert.equal(condition.waiting, 0);
});

Deno.test("Condition.waitFor() re-checks the predicate after each notification", async () => {
  const condition = new Condition();
  let value = 0;
  let checks = 0;
  const waiter = (async () => {
    using _ = await condition.lock();
    return await condition.waitFor(() => {
      checks++;
      assert.equal(condition.mutex.locked, true);
      return value >= 3 ? `value ${value}` : undefined;
    });
  })();
  for (let i = 0; i < 3; i++) {
    await flush();
    using _ = await condition.lock();
    value++;
    condition.notifyAll();
  }
  assert.equal(await waiter, "value 3");
  assert.equal(checks, 4);
});

Deno.test("Condition.waitFor() timeout bounds the whole call", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  await assert.rejects(condition.waitFor(() => false, { timeout: 5 }), {
    name: "TimeoutError",
    message: "Condition.waitFor() timed out after 5 ms",
  });
  assert.equal(condition.mutex.locked, true);
  // A predicate that already holds returns at once, even with timeout 0.
  assert.equal(await condition.waitFor(() => 7, { timeout: 0 }), 7);
});

Deno.test("Condition.waitFor() rejects a non-function predicate and bad options", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  // deno-lint-ignore no-explicit-any
  await assert.rejects(condition.waitFor(1 as any), /'predicate' must be a function/);
  await assert.rejects(condition.waitFor(() => false, { timeout: -1 }), RangeError);
  await assert.rejects(condition.wait({ timeout: NaN }), RangeError);
});

// Python's wait_for returns the predicate's value once the wait ends, even on a timeout: the
// state may have changed while the waiter was queued to re-lock the mutex.
Deno.test("Condition.waitFor() re-checks the predicate after re-locking on a timeout", async () => {
  const condition = new Condition();
  const { mutex } = condition;
  let ready = false;
  const waiter = (async () => {
    using _ = await condition.lock();
    return await condition.waitFor(() => ready, { timeout: 1 });
  })();
  await flush(); // the waiter waits, and has released the mutex
  const guard = await condition.lock();
  // Hold the mutex until the waiter has timed out and queued to re-lock it.
  while (mutex.waiting === 0) await new Promise((resolve) => setTimeout(resolve, 1));
  ready = true;
  guard.release();
  assert.equal(await waiter, true);
});

Deno.test("Condition.waitFor() still times out when the predicate stays false", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  await assert.rejects(condition.waitFor(() => false, { timeout: 1 }), {
    name: "TimeoutError",
    message: "Condition.waitFor() timed out after 1 ms",
  });
  assert.equal(condition.mutex.locked, true);
});

Deno.test("Condition.waitFor() aborted by AbortSignal.timeout() rejects with the signal's reason", async () => {
  const condition = new Condition();
  using _ = await condition.lock();
  const signal = AbortSignal.timeout(1);
  const error = await condition.waitFor(() => false, { signal }).catch((e) => e);
  assert.equal(error, signal.reason); // not a TimeoutError of its own, "after undefined ms"
  assert.equal(condition.mutex.locked, true);
});
