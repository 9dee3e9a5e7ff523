import assert from "node:assert/strict";
import {
  ModuleLoadError,
  PoolClosed,
  PoolFull,
  WorkerCrashed,
  WorkerPool,
  type WorkerPoolOptions,
} from "./mod.ts";

type Tasks = typeof import("./testdata/tasks.ts");
const TASKS = new URL("./testdata/tasks.ts", import.meta.url);

function tasksPool(options: WorkerPoolOptions = { size: 1 }): WorkerPool<Tasks> {
  return new WorkerPool<Tasks>(TASKS, options);
}

/** A shared log that `record` tasks append to (see testdata/tasks.ts). */
function sharedLog(cells = 64): { buffer: SharedArrayBuffer; values: () => number[] } {
  const buffer = new SharedArrayBuffer(4 * (cells + 1));
  const log = new Int32Array(buffer);
  return { buffer, values: () => [...log.slice(1, 1 + Atomics.load(log, 0))] };
}

Deno.test("WorkerPool.run() calls a named export of the task module with its arguments", async () => {
  await using pool = tasksPool({ size: 2 });
  assert.equal(await pool.run("add", [2, 3]), 5);
  assert.equal(await pool.run("delayedEcho", ["hi", 1]), "hi");
  assert.deepEqual(await pool.run("echo", [{ a: [1, 2n, new Date(0)] }]), {
    a: [1, 2n, new Date(0)],
  });
  assert.equal(await pool.run("gcd", [[1963309, 2265973]]), 1);
});

Deno.test("WorkerPool starts workers on demand, up to `size`, and counts them truly", async () => {
  await using pool = tasksPool({ size: 2 });
  assert.equal(pool.size, 2);
  assert.equal(pool.workers, 0);
  assert.equal(await pool.run("add", [1, 1]), 2);
  assert.equal(pool.workers, 1, "one task needs one worker");
  const three = [pool.run("add", [1, 1]), pool.run("add", [1, 1]), pool.run("add", [1, 1])];
  assert.equal(pool.workers, 2);
  assert.equal(pool.running, 2);
  assert.equal(pool.queued, 1);
  await Promise.all(three);
  assert.equal(pool.workers, 2);
});

Deno.test("WorkerPool size defaults to navigator.hardwareConcurrency", async () => {
  await using pool = new WorkerPool(TASKS);
  assert.equal(pool.size, navigator.hardwareConcurrency);
});

Deno.test("WorkerPool.run() rejects with the task's error name, message, cause, props and worker-side stack", async () => {
  await using pool = tasksPool();
  await assert.rejects(pool.run("fail", ["type"]), (e: unknown) => {
    assert.ok(e instanceof TypeError);
    assert.equal(e.message, "bad type");
    assert.match(e.stack!, /at fail \(.*testdata\/tasks\.ts/);
    return true;
  });
  await assert.rejects(pool.run("fail", ["custom"]), (e: Error & { line?: number }) => {
    assert.equal(e.name, "ParseError");
    assert.equal(e.message, "unexpected token");
    assert.equal(e.line, 7);
    assert.ok(e.cause instanceof RangeError);
    assert.equal(e.cause.message, "inner");
    assert.match(e.stack!, /tasks\.ts/);
    return true;
  });
  await assert.rejects(pool.run("fail", ["dom"]), (e: unknown) => {
    assert.ok(e instanceof DOMException);
    assert.equal(e.name, "NotSupportedError");
    assert.equal(e.message, "nope");
    return true;
  });
  await assert.rejects(pool.run("fail", ["string"]), (e: unknown) => e === "a plain string");
  await assert.rejects(pool.run("failLater", ["later"]), { name: "Error", message: "later" });
  // The worker survived all of that.
  assert.equal(await pool.run("add", [1, 2]), 3);
});

Deno.test("WorkerPool.run() of an unknown name rejects with a TypeError listing the exports", async () => {
  await using pool = tasksPool();
  for (const name of ["nope", "notAFunction"]) {
    await assert.rejects(pool.run(name as "add", [1, 2]), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, new RegExp(`no exported function '${name}'`));
      assert.match(e.message, /tasks\.ts/);
      assert.match(e.message, /add, .*gcd/);
      return true;
    });
  }
});

Deno.test("WorkerPool.run() rejects with ModuleLoadError naming the URL and cause when the module fails to load", async () => {
  const broken = new URL("./testdata/broken.ts", import.meta.url);
  {
    await using pool = new WorkerPool(broken, { size: 1 });
    await assert.rejects(pool.run("anything", []), (e: unknown) => {
      assert.ok(e instanceof ModuleLoadError);
      assert.equal(e.url, broken.href);
      assert.ok(e.message.includes(broken.href));
      assert.match(e.message, /broken at load/);
      assert.equal((e.cause as Error).message, "broken at load");
      return true;
    });
  }
  const missing = new URL("./testdata/does_not_exist.ts", import.meta.url);
  await using pool = new WorkerPool(missing, { size: 1 });
  await assert.rejects(pool.run("anything", []), (e: unknown) => {
    assert.ok(e instanceof ModuleLoadError);
    assert.ok(e.message.includes(missing.href));
    assert.ok(e.cause !== undefined);
    return true;
  });
});

Deno.test("WorkerPool.run() of an uncloneable result or argument rejects with a DataCloneError naming the function", async () => {
  await using pool = tasksPool();
  await assert.rejects(pool.run("uncloneable", []), (e: unknown) => {
    assert.ok(e instanceof DOMException);
    assert.equal(e.name, "DataCloneError");
    assert.match(e.message, /'uncloneable'/);
    return true;
  });
  await assert.rejects(pool.run("echo", [() => {}]), (e: unknown) => {
    assert.ok(e instanceof DOMException);
    assert.equal(e.name, "DataCloneError");
    assert.match(e.message, /'echo'/);
    return true;
  });
  assert.equal(pool.running, 0);
  assert.equal(await pool.run("add", [1, 2]), 3);
});

for (
  const [name, crash, cause] of [
    ["an uncaught error", "crashLater", /uncaught in worker/],
    ["an unhandled rejection", "rejectUnhandled", /unhandled in worker/],
    ["self.close()", "closeSelf", /self\.close\(\)/],
  ] as const
) {
  Deno.test({
    name: `WorkerPool: a worker that dies of ${name} fails only its task; queued tasks still run`,
    // Bun's workers have no self.close() (calling it is a TypeError, an ordinary task error).
    ignore: crash === "closeSelf" && "Bun" in globalThis,
  }, async () => {
    await using pool = tasksPool({ size: 1 });
    const dying = pool.run(crash, []);
    const queued = [pool.run("add", [1, 2]), pool.run("add", [3, 4])];
    await assert.rejects(dying, (e: unknown) => {
      assert.ok(e instanceof WorkerCrashed);
      assert.equal(e.task, crash);
      assert.match(e.message, cause);
      return true;
    });
    assert.deepEqual(await Promise.all(queued), [3, 7]);
    assert.equal(pool.workers, 1);
  });
}

Deno.test("WorkerPool: a crash's cause is the worker-side error", async () => {
  await using pool = tasksPool();
  await assert.rejects(pool.run("crashLater", []), (e: unknown) => {
    assert.ok(e instanceof WorkerCrashed);
    assert.ok(e.cause instanceof Error);
    assert.equal(e.cause.message, "uncaught in worker");
    return true;
  });
});

Deno.test("WorkerPool.run() timeout stops a running CPU-bound task and replaces its worker", async () => {
  await using pool = tasksPool({ size: 1 });
  // The task spins until the flag is set, which happens only after the rejection: the promise
  // cannot have waited for the task to finish. (The flag also lets the thread end: Deno 2.9 does
  // not stop a terminated worker's synchronous loop.)
  const flag = new Int32Array(new SharedArrayBuffer(4));
  try {
    await assert.rejects(pool.run("spinUntil", [flag.buffer], { timeout: 30 }), (e: unknown) => {
      assert.ok(e instanceof DOMException);
      assert.equal(e.name, "TimeoutError");
      assert.equal(e.message, "WorkerPool task 'spinUntil' timed out after 30 ms");
      return true;
    });
    assert.equal(Atomics.load(flag, 0), 0, "rejected while the task was still spinning");
    assert.equal(pool.workers, 0, "the stopped worker is gone; a new one starts when work comes");
    assert.equal(pool.running, 0);
  } finally {
    Atomics.store(flag, 0, 1);
  }
  assert.equal(await pool.run("add", [1, 2]), 3);
});

Deno.test("WorkerPool.run() timeout counts from when the task starts, not while it is queued", async () => {
  await using pool = tasksPool({ size: 1 });
  const flag = new Int32Array(new SharedArrayBuffer(4));
  const first = pool.run("spinUntil", [flag.buffer]);
  const second = pool.run("add", [1, 2], { timeout: 500 });
  assert.equal(pool.queued, 1);
  // Queued for twice its timeout: a timeout counted from the call would have fired by now.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  assert.equal(pool.queued, 1, "still queued behind the spinning task");
  Atomics.store(flag, 0, 1);
  assert.equal(await first, "done");
  assert.equal(await second, 3);
});

Deno.test("WorkerPool.run() aborted while running rejects with signal.reason and replaces the worker", async () => {
  await using pool = tasksPool({ size: 1 });
  const controller = new AbortController();
  const task = pool.run("delayedEcho", ["x", 10_000], { signal: controller.signal });
  const next = pool.run("add", [2, 2]);
  assert.equal(pool.running, 1);
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(task, (e) => e === reason);
  assert.equal(await next, 4);
  assert.equal(pool.workers, 1);
});

Deno.test("WorkerPool.run() aborted while queued is removed without starting", async () => {
  await using pool = tasksPool({ size: 1 });
  const log = sharedLog();
  const first = pool.run("spinFor", [100]);
  const controller = new AbortController();
  const dropped = pool.run("record", [log.buffer, 1], { signal: controller.signal });
  const kept = pool.run("record", [log.buffer, 2]);
  assert.equal(pool.queued, 2);
  controller.abort();
  assert.equal(pool.queued, 1);
  await assert.rejects(dropped, { name: "AbortError" });
  await first;
  await kept;
  assert.deepEqual(log.values(), [2]);
});

Deno.test("WorkerPool.run() with an already-aborted signal rejects at once without queueing", async () => {
  await using pool = tasksPool({ size: 1 });
  const reason = new Error("already");
  const task = pool.run("add", [1, 2], { signal: AbortSignal.abort(reason) });
  assert.equal(pool.running + pool.queued, 0);
  await assert.rejects(task, (e) => e === reason);
});

Deno.test("WorkerPool starts tasks in FIFO order", async () => {
  await using pool = tasksPool({ size: 1 });
  const log = sharedLog();
  const tasks = Array.from({ length: 20 }, (_, i) => pool.run("record", [log.buffer, i]));
  await Promise.all(tasks);
  assert.deepEqual(log.values(), Array.from({ length: 20 }, (_, i) => i));
});

Deno.test("WorkerPool.run() rejects with PoolFull when maxQueue tasks wait; ready() waits for room", async () => {
  await using pool = tasksPool({ size: 1, maxQueue: 1 });
  const running = pool.run("delayedEcho", [1, 50]);
  const queued = pool.run("add", [1, 1]);
  await assert.rejects(pool.run("add", [2, 2]), (e: unknown) => {
    assert.ok(e instanceof PoolFull);
    assert.equal(e.task, "add");
    assert.match(e.message, /maxQueue 1/);
    return true;
  });
  assert.equal(pool.queued, 1);
  await pool.ready();
  assert.ok(pool.queued < 1);
  const third = pool.run("add", [2, 2]);
  assert.deepEqual(await Promise.all([running, queued, third]), [1, 2, 4]);
});

Deno.test("WorkerPool maxQueue 0 refuses a task only while every worker is busy", async () => {
  await using pool = tasksPool({ size: 1, maxQueue: 0 });
  const first = pool.run("delayedEcho", [1, 20]);
  await assert.rejects(pool.run("add", [1, 1]), PoolFull);
  await first;
  assert.equal(await pool.run("add", [1, 1]), 2);
});

Deno.test("WorkerPool.ready() honours signal and timeout", async () => {
  await using pool = tasksPool({ size: 1, maxQueue: 0 });
  const busy = pool.run("delayedEcho", [1, 100]);
  await assert.rejects(pool.ready({ timeout: 1 }), { name: "TimeoutError" });
  const reason = new Error("no wait");
  await assert.rejects(pool.ready({ signal: AbortSignal.abort(reason) }), (e) => e === reason);
  await busy;
});

Deno.test("WorkerPool.map() waits for room instead of failing with PoolFull", async () => {
  await using pool = tasksPool({ size: 1, maxQueue: 1 });
  const out: number[] = [];
  for await (const n of pool.map("echo", [1, 2, 3, 4, 5, 6], { inFlight: 6 })) {
    out.push(n as number);
  }
  assert.deepEqual(out, [1, 2, 3, 4, 5, 6]);
});

Deno.test("WorkerPool.map() yields results in input order", async () => {
  await using pool = tasksPool({ size: 2 });
  const delays = [40, 1, 20, 1, 5, 1];
  const out: number[] = [];
  for await (const v of pool.map("delayedPair", delays.map((d, i): [number, number] => [i, d]))) {
    out.push(v);
  }
  assert.deepEqual(out, [0, 1, 2, 3, 4, 5]);
  const echoed: string[] = [];
  async function* words() {
    yield "a";
    yield "b";
    yield "c";
  }
  for await (const w of pool.map("echo", words())) echoed.push(w as string);
  assert.deepEqual(echoed, ["a", "b", "c"]);
});

Deno.test("WorkerPool.map() keeps at most inFlight tasks ahead of the consumer", async () => {
  await using pool = tasksPool({ size: 2 });
  let pulled = 0;
  function* items() {
    for (let i = 0; i < 100; i++) {
      pulled++;
      yield i;
    }
  }
  const it = pool.map("echo", items(), { inFlight: 3 });
  assert.deepEqual(await it.next(), { value: 0, done: false });
  assert.ok(pulled <= 4, `pulled ${pulled}`);
  await it.return();
  await pool.join();
});

Deno.test("WorkerPool.map() rethrows a task's error and drops the tasks not started", async () => {
  await using pool = tasksPool({ size: 1 });
  const log = sharedLog();
  const gen = pool.map("fail", ["first", "second"]);
  await assert.rejects(gen.next(), { message: "plain" });
  await pool.join();
  assert.equal(pool.queued, 0);
  // A break drops queued tasks too.
  for await (const _ of pool.map("record", [log.buffer, log.buffer].map(() => log.buffer))) break;
  await pool.join();
  assert.ok(log.values().length <= 2);
});

Deno.test("WorkerPool.run() transfers arguments and results without copying", async () => {
  await using pool = tasksPool();
  const buffer = new ArrayBuffer(1024);
  assert.equal(await pool.run("byteLength", [buffer], { transfer: [buffer] }), 1024);
  assert.equal(buffer.byteLength, 0, "the argument buffer moved to the worker");
  const bytes = await pool.run("fill", [8]);
  assert.ok(bytes instanceof Uint8Array);
  assert.deepEqual([...bytes], [7, 7, 7, 7, 7, 7, 7, 7]);
});

Deno.test("WorkerPool: transfer() from the package unwraps to the value", async () => {
  await using pool = new WorkerPool<typeof import("./testdata/with_transfer.ts")>(
    new URL("./testdata/with_transfer.ts", import.meta.url),
    { size: 1 },
  );
  const bytes: Uint8Array = await pool.run("fill", [3]);
  assert.deepEqual([...bytes], [9, 9, 9]);
});

Deno.test("WorkerPool.close() finishes accepted tasks, then ends every worker and refuses new ones", async () => {
  const pool = tasksPool({ size: 1 });
  const tasks = [pool.run("delayedEcho", ["a", 5]), pool.run("add", [1, 2])];
  const closing = pool.close();
  assert.equal(pool.close(), closing);
  await assert.rejects(pool.run("add", [1, 1]), (e: unknown) => {
    assert.ok(e instanceof PoolClosed);
    assert.match(e.message, /'add'.*closed/);
    return true;
  });
  assert.throws(() => pool.map("echo", [1]), PoolClosed);
  await assert.rejects(pool.ready(), PoolClosed);
  await closing;
  assert.deepEqual(await Promise.all(tasks), ["a", 3]);
  assert.equal(pool.workers, 0);
  assert.equal(pool.closed, true);
});

Deno.test("WorkerPool.terminate() rejects running and queued tasks with PoolClosed and ends the workers", async () => {
  const pool = tasksPool({ size: 1 });
  const controller = new AbortController();
  const running = pool.run("delayedEcho", ["a", 10_000], { timeout: 60_000 });
  const queued = pool.run("add", [1, 2], { signal: controller.signal });
  const idle = pool.join();
  const closing = pool.close();
  pool.terminate();
  pool.terminate();
  await assert.rejects(running, { name: "PoolClosed", message: /while 'delayedEcho' was running/ });
  await assert.rejects(queued, { name: "PoolClosed", message: /before 'add' started/ });
  await idle;
  await closing;
  assert.equal(pool.workers, 0);
  assert.equal(pool.running + pool.queued, 0);
  await assert.rejects(pool.run("add", [1, 1]), PoolClosed);
});

Deno.test("WorkerPool.join() waits for the tasks and honours its timeout", async () => {
  await using pool = tasksPool({ size: 1 });
  await pool.join();
  const task = pool.run("delayedEcho", [1, 100]);
  await assert.rejects(pool.join({ timeout: 1 }), { name: "TimeoutError" });
  await pool.join();
  assert.equal(pool.running, 0);
  await task;
});

Deno.test("WorkerPool validates its arguments", async () => {
  for (const size of [0, -1, 1.5, NaN, Infinity, 2 ** 53, 1025]) {
    assert.throws(() => new WorkerPool(TASKS, { size }), (e: unknown) => {
      assert.ok(e instanceof RangeError);
      assert.equal(
        e.message,
        `new WorkerPool(): 'size' must be an integer from 1 to 1024, got ${size}`,
      );
      return true;
    });
  }
  assert.throws(() => new WorkerPool(TASKS, { size: "2" as unknown as number }), TypeError);
  for (const maxQueue of [-1, 1.5, NaN]) {
    assert.throws(() => new WorkerPool(TASKS, { size: 1, maxQueue }), RangeError);
  }
  for (const option of ["idleTimeout", "loadTimeout"]) {
    assert.throws(() => new WorkerPool(TASKS, { [option]: -1 }), {
      name: "RangeError",
      message: new RegExp(`'${option}' must be a number of milliseconds`),
    });
  }
  assert.throws(() => new WorkerPool(TASKS, { maxTasksPerWorker: 0 }), RangeError);
  assert.throws(() => new WorkerPool(TASKS, { initializer: 1 as unknown as string }), TypeError);
  assert.throws(() => new WorkerPool(TASKS, { initArgs: 1 as unknown as [] }), TypeError);
  for (const url of [42, null, undefined, {}]) {
    assert.throws(() => new WorkerPool(url as string), (e: unknown) => {
      assert.ok(e instanceof TypeError);
      assert.match(e.message, /'moduleUrl' must be a URL or a string/);
      return true;
    });
  }
  assert.throws(() => new WorkerPool("./relative.ts"), {
    name: "TypeError",
    message: /absolute URL/,
  });
  assert.throws(() => new WorkerPool(TASKS, 3 as unknown as WorkerPoolOptions), TypeError);

  await using pool = tasksPool();
  // Promise-returning methods reject, never throw.
  await assert.rejects(pool.run(1 as unknown as "add", [1, 2]), /'name' must be a string/);
  await assert.rejects(
    pool.run("add", 1 as unknown as [number, number]),
    /'args' must be an array/,
  );
  await assert.rejects(pool.run("add", [1, 2], { timeout: -1 }), {
    name: "RangeError",
    message:
      "WorkerPool.run(): 'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got -1",
  });
  await assert.rejects(pool.run("add", [1, 2], { timeout: NaN }), RangeError);
  await assert.rejects(pool.run("add", [1, 2], { signal: {} as AbortSignal }), TypeError);
  await assert.rejects(pool.run("add", [1, 2], { transfer: {} as Transferable[] }), TypeError);
  await assert.rejects(
    pool.run("add", [1, 2], { onMessage: 1 as unknown as () => void }),
    /'onMessage' must be a function/,
  );
  assert.throws(() => pool.map("echo", 5 as unknown as number[]), /'items' must be iterable/);
  assert.throws(() => pool.map("echo", [1], { inFlight: 0 }), RangeError);
  assert.throws(() => pool.map("echo", [1], { chunksize: 0 }), RangeError);
  await assert.rejects(pool.join({ timeout: -5 }), RangeError);
  await assert.rejects(pool.ready({ signal: 1 as unknown as AbortSignal }), TypeError);
  await assert.rejects(
    pool.close({ cancelPending: 1 as unknown as boolean }),
    /'cancelPending' must be a boolean/,
  );
  assert.equal(pool.running + pool.queued, 0);
});

Deno.test("WorkerPool accepts a URL string and reports it absolute", async () => {
  await using pool = new WorkerPool(TASKS.href, { size: 1 });
  assert.equal(pool.moduleUrl, TASKS.href);
  assert.equal(await pool.run("add", [1, 2]), 3);
});

Deno.test("WorkerPool runs tasks at the same time on separate workers", async () => {
  await using pool = tasksPool({ size: 2 });
  // Each task blocks its thread until the other has started: both return true only if they ran
  // at once, on two threads (on one worker, the first would time out).
  const cells = new SharedArrayBuffer(8);
  const met = await Promise.all([
    pool.run("rendezvous", [cells, 0, 30_000]),
    pool.run("rendezvous", [cells, 1, 30_000]),
  ]);
  assert.deepEqual(met, [true, true]);
  const names = await Promise.all([pool.run("threadId", []), pool.run("threadId", [])]);
  // Workers are named after their module where the runtime names workers (not Bun).
  const name = "Bun" in globalThis ? undefined : TASKS.href;
  assert.deepEqual(names, [name, name]);
  assert.equal(pool.running, 0);
});

Deno.test("WorkerPool.run() passes every shape of argument list intact", async () => {
  await using pool = tasksPool({ size: 1 });
  const cases: unknown[][] = [[], ["text"], [["a", "b"]], [undefined], [null], [{ x: 1 }], [7n], [
    1,
    "two",
  ]];
  for (const args of cases) {
    assert.deepEqual(await pool.run("echo", args as [unknown]), args[0]);
  }
  assert.equal(await pool.run("add", [2, 5]), 7);
  assert.equal(await pool.run("echo", ["again"]), "again");
});
