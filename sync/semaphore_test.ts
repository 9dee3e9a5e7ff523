import assert from "node:assert/strict";
import fc from "fast-check";
import { Semaphore } from "./mod.ts";
import { flush } from "./_test_utils.ts";

Deno.test("new Semaphore() rejects bad permits with TypeError or RangeError", () => {
  for (const permits of [-1, 1.5, NaN, Infinity]) {
    assert.throws(
      () => new Semaphore(permits),
      (e: unknown) =>
        e instanceof RangeError &&
        e.message.startsWith("new Semaphore(): 'permits' must be") &&
        e.message.endsWith(`got ${permits}`),
    );
  }
  assert.throws(() => new Semaphore(1.5), {
    message: "new Semaphore(): 'permits' must be an integer from 0 to 9007199254740991, got 1.5",
  });
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new Semaphore("2" as any), TypeError);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new (Semaphore as any)(), TypeError);
});

Deno.test("Semaphore.acquire() lets at most `permits` holders in", async () => {
  const semaphore = new Semaphore(3);
  let inside = 0;
  let peak = 0;
  await Promise.all(Array.from({ length: 10 }, async () => {
    using _ = await semaphore.acquire();
    peak = Math.max(peak, ++inside);
    await flush();
    inside--;
  }));
  assert.equal(peak, 3);
  assert.equal(semaphore.available, 3);
  assert.equal(semaphore.permits, 3);
});

Deno.test("Semaphore.acquire() resolves waiters in FIFO order", async () => {
  const semaphore = new Semaphore(1);
  const holder = await semaphore.acquire();
  const order: number[] = [];
  const tasks = [0, 1, 2, 3].map(async (n) => {
    using _ = await semaphore.acquire();
    order.push(n);
    await flush();
  });
  holder.release();
  await Promise.all(tasks);
  assert.deepEqual(order, [0, 1, 2, 3]);
});

Deno.test("Semaphore.tryAcquire() does not barge ahead of waiters", async () => {
  const semaphore = new Semaphore(1);
  const holder = semaphore.tryAcquire()!;
  const next = semaphore.acquire();
  holder.release();
  assert.equal(semaphore.available, 0);
  assert.equal(semaphore.tryAcquire(), undefined);
  (await next).release();
  assert.equal(semaphore.available, 1);
});

Deno.test("Semaphore.acquire() aborted never takes a permit and loses none", async () => {
  const semaphore = new Semaphore(1);
  const holder = await semaphore.acquire();
  const controller = new AbortController();
  const aborted = semaphore.acquire({ signal: controller.signal });
  const next = semaphore.acquire();
  controller.abort(new Error("stop"));
  await assert.rejects(aborted, /stop/);
  holder.release();
  (await next).release();
  assert.equal(semaphore.available, 1);
  assert.equal(semaphore.waiting, 0);
});

Deno.test("Semaphore.acquire() times out with a TimeoutError", async () => {
  const semaphore = new Semaphore(1);
  using _ = await semaphore.acquire();
  await assert.rejects(semaphore.acquire({ timeout: 1 }), {
    name: "TimeoutError",
    message: "Semaphore.acquire() timed out after 1 ms",
  });
  assert.equal(semaphore.waiting, 0);
});

Deno.test("Semaphore.acquire() with an already-aborted signal takes nothing", async () => {
  const semaphore = new Semaphore(2);
  await assert.rejects(semaphore.acquire({ signal: AbortSignal.abort() }), {
    name: "AbortError",
  });
  assert.equal(semaphore.available, 2);
});

Deno.test("Semaphore guard released twice throws and cannot over-release", async () => {
  const semaphore = new Semaphore(1);
  const guard = await semaphore.acquire();
  guard.release();
  assert.throws(() => guard.release(), /already released/);
  assert.throws(() => guard[Symbol.dispose](), /already released/);
  assert.equal(semaphore.available, 1);
});

Deno.test("Semaphore.acquire() rejects bad options", async () => {
  const semaphore = new Semaphore(1);
  await assert.rejects(semaphore.acquire({ timeout: -1 }), RangeError);
  await assert.rejects(semaphore.acquire({ timeout: NaN }), RangeError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(semaphore.acquire({ signal: "x" as any }), TypeError);
  assert.equal(semaphore.available, 1);
});

Deno.test("Semaphore loses no permit when releases race aborts (fc.scheduler)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.constantFrom("plain", "abort", "timeout-ish"), { minLength: 1, maxLength: 8 }),
      async (s, permits, kinds) => {
        const semaphore = new Semaphore(permits);
        let inside = 0;
        let got = 0;
        let gaveUp = 0;
        const tasks = kinds.map(async (kind, i) => {
          await s.schedule(Promise.resolve(), `start ${i}`);
          const controller = new AbortController();
          if (kind !== "plain") s.scheduleFunction(() => Promise.resolve(controller.abort()))();
          let guard;
          try {
            guard = await semaphore.acquire({ signal: controller.signal });
          } catch {
            gaveUp++;
            return;
          }
          got++;
          inside++;
          assert.ok(inside <= permits, "more holders than permits");
          await s.schedule(Promise.resolve(), `hold ${i}`);
          inside--;
          guard.release();
        });
        await s.waitFor(Promise.all(tasks));
        assert.equal(got + gaveUp, kinds.length);
        assert.equal(semaphore.available, permits, "a permit leaked");
        assert.equal(semaphore.waiting, 0);
      },
    ),
    { numRuns: 200 },
  );
});

// Python's Semaphore(0) as a signal counter: acquire() waits until another task releases.
Deno.test("Semaphore(0) waits until addPermits() signals, oldest waiter first", async () => {
  const semaphore = new Semaphore(0);
  assert.equal(semaphore.tryAcquire(), undefined);
  const order: number[] = [];
  const waiters = [0, 1, 2].map(async (n) => {
    (await semaphore.acquire()).release();
    order.push(n);
  });
  await flush();
  assert.equal(semaphore.waiting, 3);
  semaphore.addPermits(2);
  await flush();
  semaphore.addPermits();
  await Promise.all(waiters);
  assert.deepEqual(order, [0, 1, 2]);
  assert.equal(semaphore.permits, 3);
  assert.equal(semaphore.available, 3);
});

// Tokio's add_permits: the bound grows only on purpose; guards still give back one permit each.
Deno.test("Semaphore.addPermits() raises the bound; guards cannot go past it", async () => {
  const semaphore = new Semaphore(1);
  const guard = await semaphore.acquire();
  semaphore.addPermits(2);
  assert.equal(semaphore.permits, 3);
  assert.equal(semaphore.available, 2);
  guard.release();
  assert.throws(() => guard.release(), /already released/);
  assert.equal(semaphore.available, 3);
  semaphore.addPermits(0);
  assert.equal(semaphore.permits, 3);
});

Deno.test("Semaphore.addPermits() rejects a bad count and never overflows", () => {
  const semaphore = new Semaphore(1);
  for (const n of [-1, 1.5, NaN, Infinity]) {
    assert.throws(() => semaphore.addPermits(n), RangeError);
  }
  // deno-lint-ignore no-explicit-any
  assert.throws(() => semaphore.addPermits("1" as any), {
    name: "TypeError",
    message: `Semaphore.addPermits(): 'n' must be an integer from 0 to ${
      Number.MAX_SAFE_INTEGER - 1
    }, got "1"`,
  });
  assert.throws(() => semaphore.addPermits(Number.MAX_SAFE_INTEGER), RangeError);
  assert.equal(semaphore.permits, 1);
});

Deno.test("Semaphore.addPermits() skips a waiter that gave up", async () => {
  const semaphore = new Semaphore(0);
  const controller = new AbortController();
  const gaveUp = semaphore.acquire({ signal: controller.signal });
  const waiting = semaphore.acquire();
  controller.abort(new Error("gave up"));
  await assert.rejects(gaveUp, /gave up/);
  semaphore.addPermits(1);
  (await waiting).release();
  assert.equal(semaphore.available, 1);
});
