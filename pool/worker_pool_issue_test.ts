// WorkerPool: the channel, crashes, loading, idle workers, errors and queue hand-off (issue #14).
import assert from "node:assert/strict";
import {
  ModuleLoadError,
  PoolClosed,
  WorkerCrashed,
  WorkerPool,
  type WorkerPoolOptions,
} from "./mod.ts";
import { WorkerScheduler } from "./_worker_scheduler.ts";

type Tasks = typeof import("./testdata/tasks.ts");
const TASKS = new URL("./testdata/tasks.ts", import.meta.url);
const NEVER_LOADS = new URL("./testdata/never_loads.ts", import.meta.url);

function tasksPool(options: WorkerPoolOptions = { size: 1 }): WorkerPool<Tasks> {
  return new WorkerPool<Tasks>(TASKS, options);
}

Deno.test("WorkerPool: a task's stray self.postMessage() never shifts results", async () => {
  await using pool = tasksPool({ size: 1 });
  const results = await Promise.allSettled([
    pool.run("strayPost", [1]),
    pool.run("fail", ["type"]),
    pool.run("add", [2, 3]),
    pool.run("strayPost", [4]),
    pool.run("echo", ["e"]),
  ]);
  assert.deepEqual(results.map((r) => r.status), [
    "fulfilled",
    "rejected",
    "fulfilled",
    "fulfilled",
    "fulfilled",
  ]);
  assert.deepEqual(
    results.map((r) => r.status === "fulfilled" ? r.value : (r.reason as Error).message),
    [1, "bad type", 5, 4, "e"],
  );
});

for (const [task, code] of [["denoExit", 3], ["processExit", 4], ["denoExit", 0]] as const) {
  Deno.test({
    name:
      `WorkerPool: a task calling ${task}(${code}) rejects with WorkerCrashed naming the code; the worker is replaced`,
    ignore: task === "denoExit" && !("Deno" in globalThis && "exit" in Deno), // no exit() outside Deno
  }, async () => {
    const pool = tasksPool({ size: 1 });
    const dying = pool.run(task, [code]);
    const next = pool.run("add", [1, 2]);
    await assert.rejects(dying, (e: unknown) => {
      assert.ok(e instanceof WorkerCrashed);
      assert.equal(e.task, task);
      assert.equal(e.exitCode, code);
      assert.match(e.message, new RegExp(`exited with code ${code}`));
      return true;
    });
    assert.equal(await next, 3);
    await pool.join();
    await pool.close();
    assert.equal(pool.workers, 0);
  });
}

for (const [how, task] of [["exits", "exitLater"], ["throws", "throwLater"]] as const) {
  Deno.test(`WorkerPool: a worker that ${how} between tasks is dropped; the next task runs on a new worker`, async () => {
    await using pool = tasksPool({ size: 1 });
    const returned = task === "exitLater"
      ? await pool.run("exitLater", [5, 5])
      : await pool.run("throwLater", [5]);
    assert.equal(returned, "returned");
    while (pool.workers > 0) await new Promise((resolve) => setTimeout(resolve, 1));
    assert.equal(await pool.run("add", [1, 2]), 3);
    assert.equal(pool.workers, 1);
  });
}

Deno.test("WorkerPool: a task sent to a worker that is exiting between tasks is not lost", async () => {
  await using pool = tasksPool({ size: 1 });
  await pool.run("add", [0, 0]);
  // The exit comes from a timer of the first task while later tasks are already on their way.
  const tasks = [pool.run("exitLater", [6, 0]), pool.run("spinFor", [20]), pool.run("add", [1, 2])];
  assert.deepEqual(await Promise.all(tasks), ["returned", "done", 3]);
});

Deno.test("WorkerPool: a module whose top-level await never settles fails its tasks after loadTimeout; join() and close() settle", async () => {
  const pool = new WorkerPool(NEVER_LOADS, { size: 1, loadTimeout: 50 });
  const task = pool.run("never", []);
  const queued = pool.run("never", []);
  await assert.rejects(queued, ModuleLoadError, "a queued task does not wait as long again");
  await assert.rejects(task, (e: unknown) => {
    assert.ok(e instanceof ModuleLoadError);
    assert.equal(e.url, NEVER_LOADS.href);
    assert.ok(e.cause instanceof DOMException);
    assert.equal(e.cause.name, "TimeoutError");
    return true;
  });
  assert.equal(pool.workers, 0);
  await pool.join();
  await pool.close();
});

Deno.test("WorkerPool.close({ cancelPending }) ends a worker still loading and rejects its tasks", async () => {
  const pool = new WorkerPool(NEVER_LOADS, { size: 1, loadTimeout: Infinity });
  const sent = pool.run("never", []);
  const queued = pool.run("never", []);
  assert.equal(pool.workers, 1);
  await pool.close({ cancelPending: true });
  await assert.rejects(sent, PoolClosed);
  await assert.rejects(queued, PoolClosed);
  assert.equal(pool.workers, 0);
});

Deno.test("WorkerPool.close({ cancelPending }) lets running tasks finish and rejects the queued ones", async () => {
  await using pool = tasksPool({ size: 1 });
  await pool.run("add", [0, 0]); // loaded
  const running = pool.run("delayedEcho", ["ran", 20]);
  const pending = [pool.run("add", [1, 1]), pool.run("add", [2, 2])];
  const closing = pool.close({ cancelPending: true });
  assert.equal(pool.queued, 0);
  await assert.rejects(pool.run("add", [1, 1]), PoolClosed);
  for (const task of pending) await assert.rejects(task, /closed before 'add' started/);
  assert.equal(await running, "ran");
  await closing;
  assert.equal(pool.workers, 0);
});

Deno.test("WorkerPool.close() honours signal and timeout: they stop the wait, the pool stays closed", async () => {
  const pool = tasksPool({ size: 1 });
  const running = pool.run("delayedEcho", ["late", 200]);
  await assert.rejects(pool.close({ timeout: 10 }), {
    name: "TimeoutError",
    message: "WorkerPool.close() timed out after 10 ms",
  });
  const controller = new AbortController();
  const aborted = pool.close({ signal: controller.signal });
  controller.abort(new Error("gave up"));
  await assert.rejects(aborted, /gave up/);
  assert.equal(pool.closed, true);
  await assert.rejects(pool.run("add", [1, 1]), PoolClosed);
  assert.equal(await running, "late");
  await pool.close({ timeout: 1000 });
  assert.equal(pool.workers, 0);
});

Deno.test("WorkerPool: idle workers end after idleTimeout and start again on demand", async () => {
  await using pool = tasksPool({ size: 2, idleTimeout: 0 });
  const both = [pool.run("add", [1, 1]), pool.run("add", [1, 1])];
  assert.equal(pool.workers, 2);
  await Promise.all(both);
  // The sweep is a timer of idleTimeout ms: wait for the count to drop, without a fixed sleep.
  while (pool.workers > 0) await new Promise((resolve) => setTimeout(resolve, 1));
  assert.equal(await pool.run("add", [2, 2]), 4);
  assert.equal(pool.workers, 1);
});

Deno.test("WorkerPool.close() settles after a task aborted just before it, and with maxTasksPerWorker 1 after a failure", async () => {
  {
    // Python's gh-94440.
    const pool = tasksPool({ size: 1 });
    await pool.run("add", [0, 0]);
    const controller = new AbortController();
    const aborted = pool.run("add", [1, 1], { signal: controller.signal });
    const queued = pool.run("add", [1, 1], { signal: controller.signal });
    controller.abort(new Error("cancelled"));
    await assert.rejects(queued, /cancelled/);
    await aborted.catch(() => {}); // Sent already: aborting it ends its worker.
    await pool.close();
    assert.equal(pool.workers, 0);
  }
  // Python's gh-132969.
  const pool = tasksPool({ size: 4, maxTasksPerWorker: 1 });
  const outcomes = await Promise.allSettled([
    pool.run("delayedEcho", [1, 5]),
    pool.run("fail", ["type"]),
    pool.run("delayedEcho", [3, 5]),
  ]);
  assert.deepEqual(outcomes.map((o) => o.status), ["fulfilled", "rejected", "fulfilled"]);
  assert.equal(pool.workers, 0, "each worker retired after its one task");
  await pool.close();
});

Deno.test("WorkerPool.run() keeps a thrown non-Error's data fields, an AggregateError's errors and the caller's call site", async () => {
  await using pool = tasksPool();
  await assert.rejects(pool.run("throwOdd", ["object"]), (e: unknown) => {
    assert.deepEqual(e, { code: 42, detail: "odd", nested: { a: 1 } });
    return true;
  });
  await assert.rejects(pool.run("throwOdd", ["aggregate"]), (e: unknown) => {
    assert.ok(e instanceof AggregateError);
    assert.equal(e.message, "many");
    assert.equal(e.errors.length, 2);
    assert.ok(e.errors[0] instanceof TypeError);
    assert.equal(e.errors[1].message, "second");
    assert.equal((e.cause as Error).message, "root");
    return true;
  });
  await assert.rejects(pool.run("throwOdd", ["field"]), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.equal(e.message, "with a function field");
    assert.equal((e as Error & { code: string }).code, "E_FIELD");
    assert.equal("retry" in e, false);
    assert.match(e.stack!, /at throwOdd \(.*testdata\/tasks\.ts/, "the worker-side frames");
    // The caller's own frames come from V8's async stack traces; Bun (JavaScriptCore) has none.
    if (!("Bun" in globalThis)) {
      assert.match(e.stack!, /WorkerPool\.run\(\) \(awaited\)[\s\S]*worker_pool_issue_test\.ts/);
    }
    return true;
  });
});

Deno.test("WorkerPool.map() over maxQueue hands room to the oldest waiting map only", async () => {
  // Every task enters the queue through submit(): the peak is read there, at each submission.
  let peak = 0;
  const submit = WorkerScheduler.prototype.submit;
  WorkerScheduler.prototype.submit = function (this: WorkerScheduler, task) {
    submit.call(this, task);
    peak = Math.max(peak, this.queued);
  };
  try {
    await using pool = tasksPool({ size: 1, maxQueue: 1 });
    const blocker = pool.run("delayedEcho", [0, 30]);
    const drain = async (offset: number) => {
      const out: number[] = [];
      for await (
        const n of pool.map("echo", [offset, offset + 1, offset + 2], { inFlight: 3 })
      ) {
        out.push(n as number);
      }
      return out;
    };
    const results = await Promise.all([drain(0), drain(10), drain(20)]);
    await blocker;
    assert.deepEqual(results, [[0, 1, 2], [10, 11, 12], [20, 21, 22]]);
    assert.equal(peak, 1, "the queue never held more than maxQueue");
  } finally {
    WorkerScheduler.prototype.submit = submit;
  }
});

Deno.test("WorkerPool.map() aborted while waiting for room gives up its place and throws signal.reason", async () => {
  await using pool = tasksPool({ size: 1, maxQueue: 0 });
  const blocker = pool.run("delayedEcho", [0, 30]);
  const controller = new AbortController();
  const waiting = (async () => {
    for await (const _ of pool.map("echo", [1, 2], { signal: controller.signal })) {
      assert.fail("nothing runs before the abort");
    }
  })();
  const next = (async () => {
    const out: unknown[] = [];
    for await (const n of pool.map("echo", [3, 4])) out.push(n);
    return out;
  })();
  await Promise.resolve();
  const reason = new Error("stop waiting");
  controller.abort(reason);
  await assert.rejects(waiting, (e) => e === reason);
  await blocker;
  assert.deepEqual(await next, [3, 4], "the map behind it got the room");
});

Deno.test("WorkerPool.run() aborted while queued leaves the queue at once", async () => {
  // That its arguments are freed too is worker_pool_gc_test.ts's (it needs --expose-gc).
  await using pool = tasksPool({ size: 1 });
  const blocker = pool.run("delayedEcho", [0, 20]);
  const controller = new AbortController();
  const task = pool.run("byteLength", [new ArrayBuffer(8)], { signal: controller.signal });
  assert.equal(pool.queued, 1);
  controller.abort(new Error("no"));
  assert.equal(pool.queued, 0);
  await assert.rejects(task, /no/);
  await blocker;
});

Deno.test("WorkerPool.run() onMessage receives each of 10 progress steps in order, before the result", async () => {
  await using pool = tasksPool({ size: 1 });
  const steps: unknown[] = [];
  const result = await pool.run("progress", [10], { onMessage: (value) => steps.push(value) });
  assert.equal(result, "finished");
  assert.deepEqual(steps, Array.from({ length: 10 }, (_, i) => ({ step: i + 1, of: 10 })));
});

Deno.test("WorkerPool initializer runs once per worker with initArgs; a failing one rejects tasks with ModuleLoadError", async () => {
  {
    await using pool = tasksPool({ size: 2, initializer: "setup", initArgs: [{ db: "x" }] });
    const data = await Promise.all([pool.run("initData", []), pool.run("initData", [])]);
    assert.deepEqual(data, [{ db: "x" }, { db: "x" }]);
  }
  await using pool = tasksPool({ size: 1, initializer: "badSetup" });
  await assert.rejects(pool.run("add", [1, 2]), (e: unknown) => {
    assert.ok(e instanceof ModuleLoadError);
    assert.equal(e.initializer, "badSetup");
    assert.match(e.message, /initializer 'badSetup' failed: Error: setup failed/);
    return true;
  });
});

Deno.test("WorkerPool maxTasksPerWorker replaces a worker after N tasks", async () => {
  await using pool = tasksPool({ size: 1, maxTasksPerWorker: 3 });
  const counts: number[] = [];
  for (let i = 0; i < 7; i++) counts.push(await pool.run("countHere", []));
  assert.deepEqual(counts, [1, 2, 3, 1, 2, 3, 1]);
  // Queued work still runs while workers retire (Python's gh-115634).
  {
    await using two = tasksPool({ size: 2, maxTasksPerWorker: 2 });
    const eight = await Promise.all(Array.from({ length: 8 }, (_, i) => two.run("add", [i, i])));
    assert.deepEqual(eight, [0, 2, 4, 6, 8, 10, 12, 14]);
  }
  // Batched tasks respect it too.
  const batch = await Promise.all(Array.from({ length: 9 }, () => pool.run("countHere", [])));
  assert.ok(batch.every((n) => n >= 1 && n <= 3), `${batch}`);
});

Deno.test("WorkerPool: many queued tiny run()s (sent in batches once tasks prove tiny) each settle with their own outcome", async () => {
  await using pool = tasksPool({ size: 2 });
  await Promise.all([pool.run("add", [0, 0]), pool.run("add", [0, 0])]); // learn they are tiny
  const tasks = Array.from(
    { length: 2000 },
    (_, i) => i % 500 === 7 ? pool.run("fail", ["type"]) : pool.run("add", [i, 1]),
  );
  const results = await Promise.allSettled(tasks);
  results.forEach((r, i) => {
    if (i % 500 === 7) assert.equal(r.status, "rejected");
    else assert.deepEqual(r, { status: "fulfilled", value: i + 1 });
  });
  assert.equal(pool.running + pool.queued, 0);
});

Deno.test("WorkerPool: a crash inside a batch fails only the task that ran; the rest run on a new worker", async () => {
  await using pool = tasksPool({ size: 1 });
  await pool.run("add", [0, 0]);
  const tasks: Promise<unknown>[] = [];
  for (let i = 0; i < 50; i++) {
    tasks.push(i === 20 ? pool.run("processExit", [9]) : pool.run("add", [i, 0]));
  }
  const results = await Promise.allSettled(tasks);
  results.forEach((r, i) => {
    if (i === 20) {
      assert.equal(r.status, "rejected");
      assert.ok((r as PromiseRejectedResult).reason instanceof WorkerCrashed);
    } else assert.deepEqual(r, { status: "fulfilled", value: i });
  });
});

Deno.test("WorkerPool.map() with chunksize yields every result in order, then a chunk's error after the results before it", async () => {
  await using pool = tasksPool({ size: 2 });
  const out: unknown[] = [];
  for await (
    const n of pool.map(
      "gcd",
      Array.from({ length: 95 }, (_, i) => [i + 1, 2] as [number, number]),
      { chunksize: 10 },
    )
  ) {
    out.push(n);
  }
  assert.deepEqual(out, Array.from({ length: 95 }, (_, i) => (i + 1) % 2 === 0 ? 2 : 1));
  const seen: number[] = [];
  const items = Array.from({ length: 10 }, (_, i) => i);
  await assert.rejects(async () => {
    for await (const n of pool.map("notFive", items, { chunksize: 4 })) seen.push(n);
  }, (e: unknown) => {
    assert.ok(e instanceof RangeError);
    assert.equal(e.message, "five");
    // The caller's own frames come from V8's async stack traces; Bun (JavaScriptCore) has none.
    if (!("Bun" in globalThis)) {
      assert.match(e.stack!, /WorkerPool\.map\(\) \(awaited\)[\s\S]*worker_pool_issue_test\.ts/);
    }
    return true;
  });
  assert.deepEqual(seen, [0, 1, 2, 3, 4], "the results before the error, then the error");
  // Chunks larger than the input, and as large as it (Python's test_map_chunksize).
  for (const chunksize of [50, 3]) {
    const all: number[] = [];
    for await (const n of pool.map("notFive", [6, 7, 8], { chunksize })) all.push(n);
    assert.deepEqual(all, [6, 7, 8]);
  }
});

Deno.test("WorkerPool refuses with a clear error where there are no Web Workers", () => {
  const saved = globalThis.Worker;
  // deno-lint-ignore no-explicit-any
  delete (globalThis as any).Worker;
  try {
    assert.throws(() => new WorkerPool(TASKS), (e: unknown) => {
      assert.ok(e instanceof DOMException);
      assert.equal(e.name, "NotSupportedError");
      assert.match(
        e.message,
        /^new WorkerPool\(\): (Deno|Bun)\/[\d.]+ lacks Web Workers \(a global Worker\)/,
      );
      return true;
    });
  } finally {
    globalThis.Worker = saved;
  }
});

for (const chunksize of [1, 2]) {
  Deno.test(`WorkerPool.map() with chunksize ${chunksize} aborted while its input is stalled rejects at once`, async () => {
    await using pool = tasksPool({ size: 1 });
    const controller = new AbortController();
    const stall = Promise.withResolvers<void>();
    async function* input() {
      yield 1;
      yield 2;
      await stall.promise; // never settles before the abort
      yield 3;
    }
    const it = pool.map("echo", input(), { signal: controller.signal, chunksize });
    assert.deepEqual(await it.next(), { value: 1, done: false });
    assert.deepEqual(await it.next(), { value: 2, done: false });
    const pending = it.next(); // waits on the stalled input
    const reason = new Error("stop");
    controller.abort(reason);
    await assert.rejects(pending, (e) => e === reason);
    stall.resolve();
    assert.deepEqual(await it.next(), { value: undefined, done: true });
  });
}

Deno.test("WorkerPool.map() with chunksize runs the items read before its input threw, then throws", async () => {
  await using pool = tasksPool({ size: 1 });
  const boom = new Error("input failed");
  function* input() {
    yield 1;
    yield 2;
    yield 3; // a chunk of one, not full when the input throws
    throw boom;
  }
  const out: unknown[] = [];
  await assert.rejects(async () => {
    for await (const n of pool.map("echo", input(), { chunksize: 2 })) out.push(n);
  }, (e) => e === boom);
  assert.deepEqual(out, [1, 2, 3]);
});

Deno.test("WorkerPool maxTasksPerWorker counts a map() chunk as one task", async () => {
  await using pool = tasksPool({ size: 1, maxTasksPerWorker: 2 });
  const counts: unknown[] = [];
  for await (
    const n of pool.map("countHere", Array<undefined>(6).fill(undefined), { chunksize: 3 })
  ) {
    counts.push(n);
  }
  // Two chunks of three on the first worker, then a fresh one.
  assert.deepEqual(counts, [1, 2, 3, 4, 5, 6]);
  assert.equal(await pool.run("countHere", []), 1);
});

Deno.test("new WorkerPool() refuses initArgs that cannot be cloned, and copies them once", async () => {
  assert.throws(
    () => tasksPool({ size: 1, initializer: "setup", initArgs: [() => 1] }),
    {
      name: "TypeError",
      message:
        "new WorkerPool(): 'initArgs' must be an array of values structured clone can copy, got an array",
    },
  );
  const initArgs: unknown[] = [{ db: "before" }];
  await using pool = tasksPool({ size: 1, initializer: "setup", initArgs });
  initArgs[0] = () => "changed after construction";
  assert.deepEqual(await pool.run("initData", []), { db: "before" });
});

Deno.test("WorkerPool.run() timeout does not count the time a new worker takes to load", async () => {
  // The initializer holds the worker in loading until the flag is set.
  const flag = new Int32Array(new SharedArrayBuffer(4));
  await using pool = tasksPool({ size: 1, initializer: "spinUntil", initArgs: [flag.buffer] });
  const task = pool.run("add", [1, 2], { timeout: 100 });
  // Loading for twice the timeout: a timeout counted from the send would have fired by now.
  await new Promise((resolve) => setTimeout(resolve, 200));
  Atomics.store(flag, 0, 1);
  assert.equal(await task, 3);
});

Deno.test("WorkerPool.map() left while waiting for room gives up its place in the line", async () => {
  const cells = new Int32Array(new SharedArrayBuffer(64));
  const open = (gate: number) => {
    Atomics.store(cells, gate, 1);
    Atomics.notify(cells, gate);
  };
  const logged = () => Array.from(cells.subarray(9, 9 + Atomics.load(cells, 8)));
  const shared = cells.buffer as SharedArrayBuffer;
  try {
    await using pool = tasksPool({ size: 2, maxQueue: 0 });
    const blocker = pool.run("gated", [[shared, 0, 0]]); // worker 1, busy to the end
    // The map's input yields item 1, then stalls until the other map waits for room.
    const stall = Promise.withResolvers<void>();
    const input = async function* (): AsyncGenerator<[SharedArrayBuffer, number, number]> {
      yield [shared, 1, 1]; // runs on worker 2
      await stall.promise;
      yield [shared, 2, 2]; // must wait for room
    };
    const left = pool.map("gated", input(), { inFlight: 2 });
    const first = left.next();
    while (pool.running < 2) await Promise.resolve(); // item 1 on worker 2
    // Another map waits for room first, then item 2 of the first map.
    const other = pool.map("gated", [[shared, 3, 3] as [SharedArrayBuffer, number, number]]);
    const otherResult = other.next();
    stall.resolve();
    // Item 1 ends: its worker goes to the other map (the oldest waiting), item 2 still waits.
    open(1);
    assert.deepEqual(await first, { value: 1, done: false });
    await left.return(); // leaves while item 2 waits for room
    open(3);
    assert.deepEqual(await otherResult, { value: 3, done: false });
    await other.return();
    open(2); // had item 2 been submitted, it would now run and log 2
    open(0);
    await blocker;
    await pool.close();
    assert.deepEqual(logged().sort(), [0, 1, 3], "item 2 was never submitted");
  } finally {
    for (const gate of [0, 1, 2, 3]) open(gate);
  }
});
