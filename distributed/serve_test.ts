import assert from "node:assert/strict";
import { RedisPool, RedisUnavailable, serve } from "./mod.ts";
import { fifo, Redis, TASKS } from "./_test_utils.ts";

type Tasks = typeof import("./testdata/tasks.ts");

Deno.test("serve() runs tasks in-process on a local WorkerPool and close() leaves nothing running", async () => {
  await using redis = await new Redis().start();
  const server = await serve({ redis: redis.url, module: TASKS, concurrency: 2, queue: "inproc" });
  assert.equal(server.concurrency, 2);
  {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "inproc" });
    const sums = await Promise.all([pool.run("add", [1, 2]), pool.run("add", [3, 4])]);
    assert.deepEqual(sums, [3, 7]);
  }
  await server.close();
  assert.equal(server.running, 0);
});

Deno.test("serve() close() lets a running task finish and report", async () => {
  await using redis = await new Redis().start();
  const started = await fifo(redis.dir, "started");
  const release = await fifo(redis.dir, "release");
  const server = await serve({ redis: redis.url, module: TASKS, concurrency: 1, queue: "drain" });
  await using pool = new RedisPool<Tasks>(redis.url, { queue: "drain" });
  const running = pool.run("gate", [started, release, "gate"]);
  await Deno.readTextFile(started);
  assert.equal(server.running, 1);
  const closing = server.close();
  await Deno.writeTextFile(release, "drained");
  await closing;
  assert.equal(await running, "drained");
});

Deno.test("serve() rejects bad options and an unreachable Redis clearly", async () => {
  const redis = new Redis(); // Never started.
  await assert.rejects(serve({ redis: "http://x", module: TASKS }), {
    name: "TypeError",
    message: /^serve\(\): 'redis' must be a redis:\/\/ or rediss:\/\/ URL/,
  });
  await assert.rejects(serve({ redis: redis.url, module: TASKS, concurrency: 0 }), {
    name: "RangeError",
    message: /^serve\(\): 'concurrency' must be an integer from 1 to 1024, got 0/,
  });
  await assert.rejects(
    serve({ redis: redis.url, module: TASKS, connectTimeout: 200 }),
    (error: Error) => error instanceof RedisUnavailable && /within 200 ms/.test(error.message),
  );
  await Deno.remove(redis.dir);
});
