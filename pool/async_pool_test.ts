import assert from "node:assert/strict";
import fc from "fast-check";
import { AsyncLocalStorage } from "node:async_hooks";
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
  const started = Promise.withResolvers<void>();
  const task = pool.run(async ({ signal }) => {
    signal.addEventListener("abort", () => seen = signal.reason);
    started.resolve();
    await finish.promise;
    return "late";
  }, { signal: controller.signal });
  const next = pool.run(() => "next");
  await started.promise;
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

Deno.test("AsyncPool validates its arguments: constructors and map() throw, promises reject", async () => {
  for (const concurrency of [0, -1, 1.5, NaN]) {
    assert.throws(() => new AsyncPool({ concurrency }), {
      name: "RangeError",
      message:
        `new AsyncPool(): 'concurrency' must be an integer from 1 up, or Infinity, got ${concurrency}`,
    });
  }
  assert.throws(() => new AsyncPool({ concurrency: "2" as unknown as number }), TypeError);
  assert.throws(() => new AsyncPool(5 as unknown as { concurrency: number }), TypeError);
  assert.equal(new AsyncPool({ concurrency: Infinity }).concurrency, Infinity);
  assert.ok(new AsyncPool().concurrency >= 5);
  const pool = new AsyncPool({ concurrency: 1 });
  await assert.rejects(pool.run(5 as unknown as () => void), {
    name: "TypeError",
    message: "AsyncPool.run(): 'fn' must be a function, got 5",
  });
  await assert.rejects(pool.run(() => 1, { signal: "x" as unknown as AbortSignal }), {
    name: "TypeError",
    message: `AsyncPool.run(): 'signal' must be an AbortSignal, got "x"`,
  });
  await assert.rejects(pool.run(() => 1, null as unknown as undefined), TypeError);
  assert.throws(() => pool.map((x) => x, 5 as unknown as number[]), {
    name: "TypeError",
    message: "AsyncPool.map(): 'items' must be an iterable or async iterable, got 5",
  });
  assert.throws(() => pool.map((x) => x, [1], { inFlight: 1.5 }), RangeError);
  await assert.rejects(pool.join({ timeout: -1 }), RangeError);
  await assert.rejects(pool.close({ cancelPending: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: `AsyncPool.close(): 'cancelPending' must be a boolean, got "yes"`,
  });
  assert.equal(pool.closed, false, "a refused close() does not close");
  await pool.close();
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

Deno.test("AsyncPool.run() runs each queued task in its caller's async context", async () => {
  // p-limit's "propagates async execution context properly"
  const store = new AsyncLocalStorage<{ id: number }>();
  await using pool = new AsyncPool({ concurrency: 2 });
  const seen: (number | undefined)[] = [];
  const check = async (id: number) => {
    seen[id] = store.getStore()?.id;
    await Promise.resolve();
    assert.equal(store.getStore()?.id, id);
  };
  await Promise.all(
    Array.from({ length: 100 }, (_, id) => store.run({ id }, () => pool.run(() => check(id)))),
  );
  assert.deepEqual(seen, Array.from({ length: 100 }, (_, id) => id));
});

Deno.test("AsyncPool.run() calls fn asynchronously whether a place is free or not", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const calls: string[] = [];
  const free = pool.run(() => void calls.push("free"));
  assert.equal(pool.running, 1, "the place is taken at once");
  const queued = pool.run(() => void calls.push("queued"));
  assert.equal(calls.length, 0, "fn ran synchronously inside run()");
  await Promise.all([free, queued]);
  assert.deepEqual(calls, ["free", "queued"]);
  // Also when the place was freed by an earlier task: still not inside run().
  const later = pool.run(() => void calls.push("later"));
  assert.deepEqual(calls, ["free", "queued"]);
  await later;
});

Deno.test("AsyncPool.run() fire-and-forget: a task's error is an unhandled rejection on every path", async () => {
  // Every path: a free place or queued, thrown at once or rejected later, and each of the three
  // ways `run()` wires the task (no options, a `signal`, a `timeout`).
  const reported: unknown[] = [];
  const thrown: Error[] = [];
  const all = Promise.withResolvers<void>();
  const onUnhandled = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    reported.push(event.reason);
    if (reported.length === thrown.length) all.resolve();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  try {
    await using pool = new AsyncPool({ concurrency: 1 });
    const optionSets = [undefined, { signal: new AbortController().signal }, { timeout: 60_000 }];
    for (const [i, options] of optionSets.entries()) {
      const first = new Error(`thrown at once, options ${i}`);
      const second = new Error(`thrown after waiting, options ${i}`);
      thrown.push(first, second);
      pool.run(() => {
        throw first;
      }, options);
      pool.run(() => Promise.reject(second), options);
    }
    await all.promise;
    assert.deepEqual(new Set(reported), new Set(thrown));
  } finally {
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
});

Deno.test("AsyncPool.run() frees the place before its caller sees the result", async () => {
  // Like p-limit's activeCount: once `await task` returns, the task no longer counts.
  await using pool = new AsyncPool({ concurrency: 2 });
  const task = pool.run(() => Promise.resolve(1));
  await task;
  assert.equal(pool.running, 0);
  await assert.rejects(pool.run(() => Promise.reject(new Error("x"))));
  assert.equal(pool.running, 0);
});

Deno.test("AsyncPool.close({ cancelPending: true }) cancels queued tasks and lets running ones finish", async () => {
  // Python's shutdown(cancel_futures=True); p-limit's clearQueue() and p-queue's clear() leave
  // the cancelled promises pending forever, ours reject.
  const pool = new AsyncPool({ concurrency: 2 });
  const gate = Promise.withResolvers<void>();
  const started: number[] = [];
  const tasks = Array.from({ length: 10 }, (_, i) =>
    pool.run(async () => {
      started.push(i);
      await gate.promise;
      return i;
    }));
  const fireAndForget = pool.run(() => "never"); // cancelled: not an unhandled rejection
  assert.equal(pool.queued, 9);
  const closing = pool.close({ cancelPending: true });
  assert.equal(pool.queued, 0);
  assert.equal(pool.closed, true);
  await assert.rejects(pool.run(() => 1), PoolClosed);
  let closed = false;
  closing.then(() => closed = true);
  await Promise.resolve();
  assert.equal(closed, false, "close() resolved while tasks ran");
  gate.resolve();
  await closing;
  assert.deepEqual(await Promise.all(tasks.slice(0, 2)), [0, 1]);
  for (const task of tasks.slice(2)) {
    await assert.rejects(task, {
      name: "PoolClosed",
      message: "AsyncPool.close({ cancelPending: true }): the task was cancelled before it started",
    });
  }
  await assert.rejects(fireAndForget, PoolClosed);
  assert.deepEqual(started, [0, 1]);
  assert.equal(pool.running, 0);
});

Deno.test("AsyncPool.close() after a queued task was aborted does not hang", async () => {
  // Python's gh-94440: a future cancelled right before shutdown(wait=True).
  const pool = new AsyncPool({ concurrency: 1 });
  await pool.run(() => 1);
  const controller = new AbortController();
  const task = pool.run(() => 2, { signal: controller.signal });
  controller.abort();
  await pool.close();
  await assert.rejects(task, { name: "AbortError" });
});

Deno.test("AsyncPool.terminate() cancels queued tasks and aborts the running tasks' signals", async () => {
  const pool = new AsyncPool({ concurrency: 3 });
  const started = Promise.withResolvers<void>();
  let count = 0;
  const honours = pool.run(({ signal }) =>
    new Promise((_, reject) => {
      if (++count === 3) started.resolve();
      signal.addEventListener("abort", () => reject(signal.reason));
    })
  );
  const finish = Promise.withResolvers<string>();
  const ignores = pool.run(() => {
    if (++count === 3) started.resolve();
    return finish.promise;
  });
  const own = new AbortController();
  let ownSignal: AbortSignal | undefined;
  const withSignal = pool.run(({ signal }) => {
    ownSignal = signal;
    if (++count === 3) started.resolve();
    return new Promise((_, reject) =>
      signal.addEventListener("abort", () => reject(signal.reason))
    );
  }, { signal: own.signal });
  const queued = pool.run(() => "never");
  await started.promise;
  pool.terminate();
  pool.terminate(); // harmless
  assert.equal(pool.closed, true);
  assert.equal(pool.queued, 0);
  await assert.rejects(queued, PoolClosed);
  await assert.rejects(honours, {
    name: "PoolClosed",
    message: "AsyncPool.terminate(): the pool was terminated while the task ran",
  });
  await assert.rejects(withSignal, PoolClosed);
  assert.equal(ownSignal?.aborted, true);
  assert.equal(own.signal.aborted, false, "the caller's own signal is not aborted");
  await assert.rejects(pool.run(() => 1), PoolClosed);
  // A function that ignores its signal cannot be stopped: it keeps its place until it settles.
  assert.equal(pool.running, 1);
  finish.resolve("late");
  await pool.close();
  assert.equal(await ignores, "late");
  assert.equal(pool.running, 0);
});

Deno.test("AsyncPool.terminate() between a task's start and its call: fn is never called", async () => {
  const pool = new AsyncPool({ concurrency: 1 });
  let called = false;
  const task = pool.run(() => void (called = true));
  pool.terminate();
  await assert.rejects(task, PoolClosed);
  assert.equal(called, false);
  await pool.join();
});

Deno.test("AsyncPool.run() calls a function that has a then() method, rather than awaiting it", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const fn = Object.assign(() => "called", { then: () => assert.fail("then() was called") });
  assert.equal(await pool.run(fn), "called");
  assert.equal(await pool.run(fn), "called");
});

Deno.test("AsyncPool.run() timeout cancels a queued task and aborts a running one's signal", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  // A queued task whose time runs out leaves the queue without starting.
  const hold = Promise.withResolvers<void>();
  const holder = pool.run(() => hold.promise);
  let started = false;
  const queued = pool.run(() => {
    started = true;
  }, { timeout: 0 });
  await assert.rejects(queued, {
    name: "TimeoutError",
    message: "AsyncPool.run() timed out after 0 ms",
  });
  assert.equal(pool.queued, 0);
  hold.resolve();
  await holder;
  assert.equal(started, false);
  // A running task sees the timeout on its signal.
  let seen: unknown;
  const running = pool.run(({ signal }) =>
    new Promise((_, reject) => {
      signal.addEventListener("abort", () => {
        seen = signal.reason;
        reject(signal.reason);
      });
    }), { timeout: 0 });
  await assert.rejects(running, { name: "TimeoutError" });
  assert.equal((seen as DOMException).name, "TimeoutError");
});

Deno.test("AsyncPool.map() timeout limits each task and throws its TimeoutError", async () => {
  await using pool = new AsyncPool({ concurrency: 2 });
  const seen: unknown[] = [];
  const results = pool.map(
    (n: number, { signal }) =>
      n === 2
        ? new Promise((_, reject) => {
          signal.addEventListener("abort", () => {
            seen.push(signal.reason);
            reject(signal.reason);
          });
        })
        : n,
    [1, 2, 3],
    { timeout: 0 },
  );
  assert.equal((await results.next()).value, 1);
  await assert.rejects(results.next(), {
    name: "TimeoutError",
    message: "AsyncPool.map() timed out after 0 ms",
  });
  assert.equal((seen[0] as DOMException).name, "TimeoutError", "the task saw the abort");
  // map() returns an iterator, not a promise: a bad option throws at the call, as documented.
  assert.throws(() => pool.map((n: number) => n, [1], { timeout: -1 }), RangeError);
});
