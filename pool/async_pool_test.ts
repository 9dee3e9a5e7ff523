import assert from "node:assert/strict";
import fc from "fast-check";
import { AsyncPool, PoolClosed } from "./mod.ts";

Deno.test("AsyncPool.run() never runs more than `concurrency` tasks and starts them in FIFO order", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.integer({ min: 1, max: 4 }),
      fc.integer({ min: 0, max: 12 }),
      async (s, concurrency, count) => {
        await using pool = new AsyncPool({ concurrency });
        const started: number[] = [];
        let active = 0;
        let peak = 0;
        const tasks = Array.from({ length: count }, (_, i) =>
          pool.run(async () => {
            started.push(i);
            active++;
            peak = Math.max(peak, active);
            await s.schedule(Promise.resolve(), `task ${i}`);
            active--;
            return i * 10;
          }));
        await s.waitFor(Promise.all(tasks));
        assert.deepEqual(await Promise.all(tasks), tasks.map((_, i) => i * 10));
        assert.deepEqual(started, tasks.map((_, i) => i));
        assert.ok(peak <= concurrency);
        assert.equal(pool.running + pool.queued, 0);
      },
    ),
    { numRuns: 50 },
  );
});

Deno.test("AsyncPool.run() passes sync results and errors through", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  assert.equal(await pool.run(() => 5), 5);
  await assert.rejects(
    pool.run(() => {
      throw new RangeError("sync");
    }),
    RangeError,
  );
  await assert.rejects(pool.run(() => Promise.reject(new Error("async"))), { message: "async" });
  assert.equal(pool.running, 0);
});

Deno.test("AsyncPool.run() aborted while queued never starts", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const gate = Promise.withResolvers<void>();
  const first = pool.run(() => gate.promise);
  const controller = new AbortController();
  let started = false;
  const dropped = pool.run(() => {
    started = true;
  }, { signal: controller.signal });
  assert.equal(pool.queued, 1);
  controller.abort(new Error("dropped"));
  assert.equal(pool.queued, 0);
  await assert.rejects(dropped, { message: "dropped" });
  gate.resolve();
  await first;
  await pool.join();
  assert.equal(started, false);
});

Deno.test("AsyncPool.run() aborted while running rejects at once and the task sees the signal", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const controller = new AbortController();
  const finish = Promise.withResolvers<void>();
  let seen: unknown;
  const task = pool.run(async ({ signal }) => {
    signal.addEventListener("abort", () => seen = signal.reason);
    await finish.promise;
    return "late";
  }, { signal: controller.signal });
  const next = pool.run(() => "next");
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(task, (e) => e === reason);
  assert.equal(seen, reason);
  // The aborted function keeps its place until it settles.
  assert.equal(pool.running, 1);
  assert.equal(pool.queued, 1);
  finish.resolve();
  assert.equal(await next, "next");
});

Deno.test("AsyncPool.run() with an already-aborted signal rejects without running", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  let ran = false;
  const reason = new Error("already");
  await assert.rejects(
    pool.run(() => void (ran = true), { signal: AbortSignal.abort(reason) }),
    (e) => e === reason,
  );
  assert.equal(ran, false);
  assert.equal(pool.running + pool.queued, 0);
});

Deno.test("AsyncPool.map() yields results in input order with at most inFlight ahead", async () => {
  await using pool = new AsyncPool({ concurrency: 2 });
  let pulled = 0;
  function* items() {
    for (let i = 0; i < 10; i++) {
      pulled++;
      yield i;
    }
  }
  const out: number[] = [];
  for await (
    const n of pool.map(
      async (n: number) => {
        await new Promise((r) => setTimeout(r, (10 - n) % 3));
        return n * n;
      },
      items(),
      { inFlight: 3 },
    )
  ) {
    assert.ok(pulled <= out.length + 4, `pulled ${pulled} with ${out.length} consumed`);
    out.push(n);
  }
  assert.deepEqual(out, [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]);
});

Deno.test("AsyncPool.map() rethrows the first error in order and drops tasks not started", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const started: number[] = [];
  const gate = Promise.withResolvers<void>();
  const hold = Promise.withResolvers<void>();
  const gen = pool.map(
    async (n: number) => {
      started.push(n);
      if (n === 1) {
        await gate.promise;
        throw new Error("one");
      }
      if (n >= 2) await hold.promise;
      return n;
    },
    [0, 1, 2, 3, 4],
    { inFlight: 5 },
  );
  assert.deepEqual(await gen.next(), { value: 0, done: false });
  const failing = gen.next();
  gate.resolve();
  await assert.rejects(failing, { message: "one" });
  hold.resolve();
  await pool.join();
  // Task 2 may take the freed place before the map drops the rest; 3 and 4 never start.
  assert.ok(!started.includes(3) && !started.includes(4), `started ${started}`);
  assert.equal(pool.queued, 0);
});

Deno.test("AsyncPool.map() closes its input on break", async () => {
  await using pool = new AsyncPool({ concurrency: 2 });
  let closed = false;
  function* items() {
    try {
      for (let i = 0;; i++) yield i;
    } finally {
      closed = true;
    }
  }
  for await (const n of pool.map((n: number) => n, items())) if (n === 3) break;
  assert.equal(closed, true);
  await pool.join();
});

Deno.test("AsyncPool.join() waits until idle; close() refuses new tasks and waits", async () => {
  const pool = new AsyncPool({ concurrency: 2 });
  await pool.join();
  const done: number[] = [];
  for (const n of [1, 2, 3]) pool.run(() => void done.push(n));
  await assert.rejects(pool.join({ signal: AbortSignal.abort(new Error("x")) }), { message: "x" });
  const gate = Promise.withResolvers<void>();
  pool.run(() => gate.promise);
  await assert.rejects(pool.join({ timeout: 1 }), {
    name: "TimeoutError",
    message: "AsyncPool.join() timed out after 1 ms",
  });
  const closing = pool.close();
  await assert.rejects(pool.run(() => 1), PoolClosed);
  assert.throws(() => pool.map((x) => x, [1]), PoolClosed);
  gate.resolve();
  await closing;
  assert.deepEqual(done, [1, 2, 3]);
  assert.equal(pool.closed, true);
});

Deno.test("AsyncPool validates its arguments", () => {
  for (const concurrency of [0, -1, 1.5, NaN]) {
    assert.throws(() => new AsyncPool({ concurrency }), (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.equal(
        e.message,
        `Cannot create AsyncPool: 'concurrency' must be a positive integer or Infinity, got ${concurrency}`,
      );
      return true;
    });
  }
  assert.throws(() => new AsyncPool({ concurrency: "2" as unknown as number }), TypeError);
  assert.throws(() => new AsyncPool(5 as unknown as { concurrency: number }), TypeError);
  assert.equal(new AsyncPool({ concurrency: Infinity }).concurrency, Infinity);
  assert.ok(new AsyncPool().concurrency >= 5);
  const pool = new AsyncPool({ concurrency: 1 });
  assert.throws(() => pool.run(5 as unknown as () => void), /'fn' must be a function, got 5/);
  assert.throws(() => pool.run(() => 1, { signal: "x" as unknown as AbortSignal }), TypeError);
  assert.throws(() => pool.map((x) => x, 5 as unknown as number[]), /'items' must be iterable/);
  assert.throws(() => pool.map((x) => x, [1], { inFlight: 1.5 }), RangeError);
  assert.throws(() => pool.join({ timeout: -1 }), RangeError);
});

Deno.test("AsyncPool.run() queued without a signal: sync values, sync throws and FIFO order", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const order: number[] = [];
  const gate = Promise.withResolvers<void>();
  const first = pool.run(async () => {
    order.push(0);
    await gate.promise;
    return "first";
  });
  const second = pool.run(() => {
    order.push(1);
    throw new TypeError("boom");
  });
  const third = pool.run(() => {
    order.push(2);
    return 3;
  });
  assert.equal(pool.queued, 2);
  gate.resolve();
  assert.equal(await first, "first");
  await assert.rejects(second, TypeError);
  assert.equal(await third, 3);
  assert.deepEqual(order, [0, 1, 2]);
  assert.equal(pool.running, 0);
  assert.equal(pool.queued, 0);
});

Deno.test("AsyncPool.map() over a string maps its characters", async () => {
  await using pool = new AsyncPool({ concurrency: 2 });
  const out: string[] = [];
  for await (const c of pool.map((c: string) => c.toUpperCase(), "abc")) out.push(c);
  assert.deepEqual(out, ["A", "B", "C"]);
});
