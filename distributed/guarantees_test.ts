// The guarantees of RedisPool and the worker command, each against a real redis-server and real
// worker processes. Tasks that must be caught mid-run wait on FIFOs (see testdata/tasks.ts'
// gate()), so every step waits on an event, never on a clock.
import assert from "node:assert/strict";
import { Queue } from "bullmq";
import { PoolClosed, RedisPool, TaskLost } from "./mod.ts";
import { fifo, Redis, startWorker } from "./_test_utils.ts";

type Tasks = typeof import("./testdata/tasks.ts");

// Prompt stalled-job recovery for the tests that kill a worker (the defaults are 5000/2500); the
// lock still has 1.5 s of slack over its renewal, which runs on an idle main thread.
const FAST_STALL = ["--lock-duration", "3000", "--stalled-interval", "500"];

Deno.test("RedisPool: a task module that fails to load is a clear error, not a stuck task", async () => {
  await using redis = await new Redis().start();
  const broken = new URL("./testdata/broken.ts", import.meta.url).pathname;
  const worker = await startWorker(redis.url, "broken", ["--concurrency", "1"], broken);
  try {
    await using pool = new RedisPool(redis.url, { queue: "broken" });
    await assert.rejects(pool.run("never", []), (error: Error) => {
      assert.equal(error.name, "ModuleLoadError");
      assert.match(error.message, /broken\.ts/);
      return true;
    });
  } finally {
    await worker.stop();
  }
});

Deno.test("RedisPool: a worker SIGKILLed mid-task has its task run again elsewhere; the caller gets one result", async () => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const first = await startWorker(redis.url, "kill", ["--concurrency", "1", ...FAST_STALL]);
  let second;
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "kill" });
    const result = pool.run("gate", [started, release, "run"]);
    assert.equal(await Deno.readTextFile(started), "run"); // Running on the first worker.
    assert.equal(pool.running, 1);
    assert.equal((await first.stop("SIGKILL")).signal, "SIGKILL");
    second = await startWorker(redis.url, "kill", ["--concurrency", "1", ...FAST_STALL]);
    // The second worker finds the dead worker's task stalled and runs it again: at least once.
    assert.equal(await Deno.readTextFile(started), "run");
    await Deno.writeTextFile(release, "released");
    assert.equal(await result, "released");
    await pool.join();
    assert.equal(pool.running + pool.queued, 0);
  } finally {
    await first.stop("SIGKILL");
    await second?.stop();
  }
});

Deno.test("RedisPool: a task that stalls more often than maxStalledCount fails with TaskLost", async () => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const strict = [...FAST_STALL, "--max-stalled-count", "0", "--concurrency", "1"];
  const first = await startWorker(redis.url, "lost", strict);
  let second;
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "lost" });
    const result = pool.run("gate", [started, release, "run"]);
    await Deno.readTextFile(started);
    await first.stop("SIGKILL");
    second = await startWorker(redis.url, "lost", strict);
    await assert.rejects(result, (error: Error) => {
      assert.ok(error instanceof TaskLost);
      assert.equal(error.task, "gate");
      assert.match(error.message, /job stalled more than allowable limit/);
      return true;
    });
  } finally {
    await first.stop("SIGKILL");
    await second?.stop();
  }
});

Deno.test("RedisPool: Redis restarted without persistence fails its lost tasks with TaskLost; every promise settles", async () => {
  await using redis = await new Redis(false).start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const worker = await startWorker(redis.url, "amnesia", ["--concurrency", "1"]);
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "amnesia" });
    const running = pool.run("gate", [started, release, "gate"]);
    await Deno.readTextFile(started);
    const waiting = Array.from({ length: 5 }, (_, i) => pool.run("add", [i, i]));
    await redis.kill();
    await redis.start(); // Empty: the jobs are gone.
    await assert.rejects(running, TaskLost);
    await Deno.writeTextFile(release, "too late"); // Frees the worker (its job is gone).
    // A task whose add had not reached the old Redis is sent to the new one and runs; the
    // others are lost. Either way, each settles.
    for (const outcome of await Promise.allSettled(waiting)) {
      if (outcome.status === "rejected") assert.ok(outcome.reason instanceof TaskLost);
    }
  } finally {
    await worker.stop();
  }
});

Deno.test("RedisPool: Redis restarted mid-run with append-only persistence loses no accepted task", async () => {
  await using redis = await new Redis(true).start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const worker = await startWorker(redis.url, "restart", ["--concurrency", "1"]);
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "restart" });
    const running = pool.run("gate", [started, release, "gate"]);
    assert.equal(await Deno.readTextFile(started), "gate"); // The only worker thread is busy.
    const waiting = Array.from({ length: 20 }, (_, i) => pool.run("add", [i, i]));
    await waitingJobs(redis.url, "restart", 20); // Accepted: only the append-only file keeps them.
    await redis.kill(); // SIGKILL: nothing gets saved on the way out.
    await redis.start(); // Same port and directory: it replays its append-only file.
    await Deno.writeTextFile(release, "after restart");
    assert.equal(await running, "after restart");
    assert.deepEqual(await Promise.all(waiting), Array.from({ length: 20 }, (_, i) => 2 * i));
    // And the pool still takes new work.
    assert.equal(await pool.run("add", [40, 2]), 42);
  } finally {
    await worker.stop();
  }
});

Deno.test("RedisPool.run() aborted or timed out removes a waiting task; a running one is no longer waited for", async (t) => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const trace = `${redis.dir}/trace.txt`;
  const worker = await startWorker(redis.url, "abort", ["--concurrency", "1"]);
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "abort" });
    await using gatePool = new RedisPool<Tasks>(redis.url, { queue: "abort" });
    const controller = new AbortController();
    const blocked = gatePool.run("gate", [started, release, "gate"], { signal: controller.signal });
    await Deno.readTextFile(started); // The worker's only thread is busy from here on.

    await t.step("join() can time out or be aborted; the tasks go on", async () => {
      await assert.rejects(gatePool.join({ timeout: 1 }), {
        name: "TimeoutError",
        message: "RedisPool.join() timed out after 1 ms",
      });
      const reason = new Error("enough waiting");
      await assert.rejects(
        gatePool.join({ signal: AbortSignal.abort(reason) }),
        (e) => e === reason,
      );
      assert.equal(gatePool.running, 1);
    });

    await t.step("abort removes a waiting task: it never runs", async () => {
      const reason = new Error("not needed");
      const aborter = new AbortController();
      const task = pool.run("note", [trace, "aborted"], { signal: aborter.signal });
      aborter.abort(reason);
      await assert.rejects(task, (error) => error === reason);
      await pool.join(); // The removal has reached Redis.
      assert.equal(pool.queued + pool.running, 0);
    });

    await t.step("a timeout removes a waiting task with a TimeoutError", async () => {
      await assert.rejects(pool.run("note", [trace, "timed out"], { timeout: 1 }), {
        name: "TimeoutError",
      });
      await pool.join();
    });

    await t.step("abort of a running task rejects at once; the task runs on", async () => {
      const reason = new Error("stop waiting");
      controller.abort(reason);
      await assert.rejects(blocked, (error) => error === reason);
      assert.equal(gatePool.running, 0);
      await Deno.writeTextFile(release, "done"); // The remote task ends; nobody waits for it.
    });

    await t.step("FIFO order proves the removed tasks never ran", async () => {
      assert.equal(await pool.run("note", [trace, "after"]), "after");
      assert.equal(await Deno.readTextFile(trace), "after\n");
    });
  } finally {
    await worker.stop();
  }
});

/** Waits until the queue `name` holds exactly `count` waiting jobs (looked at through BullMQ). */
async function waitingJobs(url: string, name: string, count: number): Promise<void> {
  const { hostname, port } = new URL(url);
  const queue = new Queue(name, { connection: { host: hostname, port: Number(port) } });
  try {
    while (await queue.getWaitingCount() !== count) {
      await new Promise((resolve) => setTimeout(resolve, 10)); // between looks, not as a sync
    }
  } finally {
    await queue.close();
  }
}

Deno.test("RedisPool.map() aborted removes its waiting tasks and closes the input", async () => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const trace = `${redis.dir}/trace.txt`;
  const worker = await startWorker(redis.url, "map", ["--concurrency", "1"]);
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "map" });
    const gate = pool.run("gate", [started, release, "gate"]);
    await Deno.readTextFile(started); // The worker's only thread is busy from here on.
    let closed = false;
    const words = function* () {
      try {
        for (let i = 0; i < 100; i++) yield [trace, `word ${i}`] as [string, string];
      } finally {
        closed = true;
      }
    };
    const controller = new AbortController();
    const reason = new Error("enough");
    const map = pool.map("notePair", words(), { signal: controller.signal, inFlight: 3 });
    const first = map.next(); // Submits three tasks, which wait behind the gate.
    await waitingJobs(redis.url, "map", 3); // Redis has them.
    controller.abort(reason);
    await assert.rejects(first, (error) => error === reason);
    assert.equal(closed, true);
    await waitingJobs(redis.url, "map", 0); // Removed, while the worker is still busy.
    await Deno.writeTextFile(release, "go");
    assert.equal(await gate, "go");
    await pool.join();
    assert.equal(await pool.run("note", [trace, "after"]), "after");
    assert.equal(await Deno.readTextFile(trace), "after\n");
  } finally {
    await worker.stop();
  }
});

Deno.test("RedisPool.terminate() rejects every unsettled task with PoolClosed and removes the waiting ones", async () => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const trace = `${redis.dir}/trace.txt`;
  const worker = await startWorker(redis.url, "terminate", ["--concurrency", "1"]);
  try {
    const pool = new RedisPool<Tasks>(redis.url, { queue: "terminate" });
    const running = pool.run("gate", [started, release, "gate"]);
    await Deno.readTextFile(started);
    const waiting = pool.run("note", [trace, "terminated"]);
    const settled = Promise.allSettled([running, waiting]);
    await pool.terminate();
    for (const outcome of await settled) {
      assert.equal(outcome.status, "rejected");
      assert.ok(outcome.reason instanceof PoolClosed);
    }
    await assert.rejects(pool.run("add", [1, 2]), PoolClosed);
    await Deno.writeTextFile(release, "done");
    await using after = new RedisPool<Tasks>(redis.url, { queue: "terminate" });
    assert.equal(await after.run("note", [trace, "after"]), "after");
    assert.equal(await Deno.readTextFile(trace), "after\n");
  } finally {
    await worker.stop();
  }
});

Deno.test("worker command: SIGTERM finishes the running task, takes no new one, exits 0", async () => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const first = await startWorker(redis.url, "sigterm", ["--concurrency", "1"]);
  let second;
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "sigterm" });
    const running = pool.run("gate", [started, release, "gate"]);
    await Deno.readTextFile(started);
    const next = pool.run("add", [1, 2]);
    first.process.kill("SIGTERM");
    await first.waitFor(/^stopping: finishing 1 running task/);
    await Deno.writeTextFile(release, "finished");
    assert.equal(await running, "finished");
    const status = await first.done();
    assert.equal(status.code, 0);
    assert.ok(first.lines.includes("stopped"));
    assert.equal(pool.queued, 1); // Not taken by the stopping worker.
    second = await startWorker(redis.url, "sigterm", ["--concurrency", "1"]);
    assert.equal(await next, 3);
  } finally {
    await first.stop();
    await second?.stop();
  }
});

Deno.test("worker command: an unreachable Redis or a bad argument exits 2 with a message", async () => {
  const redis = new Redis(); // Never started: its port refuses connections.
  const main = new URL("./main.ts", import.meta.url).pathname;
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", main, ...args] }).output();
  const unreachable = await run([
    "--redis",
    redis.url,
    "--module",
    "./tasks.ts",
    "--connect-timeout",
    "300",
  ]);
  assert.equal(unreachable.code, 2);
  assert.match(
    new TextDecoder().decode(unreachable.stderr),
    new RegExp(`Cannot reach Redis at ${redis.url} within 300 ms`),
  );
  const missing = await run(["--redis", redis.url]);
  assert.equal(missing.code, 2);
  assert.match(new TextDecoder().decode(missing.stderr), /--redis and --module are required/);
  await Deno.remove(redis.dir);
});

Deno.test("RedisPool.run() aborted before Redis has the task never sends it", async () => {
  await using redis = await new Redis().start();
  await using pool = new RedisPool<Tasks>(redis.url, { queue: "unsent" });
  const reason = new Error("changed my mind");
  const controller = new AbortController();
  const task = pool.run("add", [1, 2], { signal: controller.signal });
  controller.abort(reason); // Before the add can have gone out: no worker could ever take it.
  await assert.rejects(task, (error) => error === reason);
  await pool.join();
  const { hostname, port } = new URL(redis.url);
  const queue = new Queue("unsent", { connection: { host: hostname, port: Number(port) } });
  try {
    const counts = await queue.getJobCounts();
    assert.deepEqual(Object.values(counts).filter((n) => n !== 0), []);
  } finally {
    await queue.close();
  }
});
