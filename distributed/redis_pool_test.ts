import assert from "node:assert/strict";
import { WorkerPool } from "@effective/concurrency/pool";
import { PoolClosed, RedisPool, RedisUnavailable } from "./mod.ts";
import { Redis, startWorker, TASKS } from "./_test_utils.ts";

type Tasks = typeof import("./testdata/tasks.ts");

const PAIRS: [number, number][] = [
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
  [12, 18],
  [35, 49],
];

Deno.test("RedisPool runs a task module on worker processes like a local WorkerPool", async (t) => {
  await using redis = await new Redis().start();
  const worker1 = await startWorker(redis.url, "basic", ["--concurrency", "2"]);
  const worker2 = await startWorker(redis.url, "basic", ["--concurrency", "1"]);
  try {
    await using pool = new RedisPool<Tasks>(redis.url, { queue: "basic" });

    await t.step("map() gives the local WorkerPool's results, in order", async () => {
      const local: number[] = [];
      {
        await using workers = new WorkerPool<Tasks>(new URL(`file://${TASKS}`), { size: 2 });
        for await (const g of workers.map("gcd", PAIRS)) local.push(g);
      }
      const remote: number[] = [];
      for await (const g of pool.map("gcd", PAIRS, { inFlight: 3 })) remote.push(g);
      assert.deepEqual(remote, local);
      assert.deepEqual(remote, [1, 1, 5, 1, 6, 7]);
    });

    await t.step("run() passes several arguments and JSON values both ways", async () => {
      assert.equal(await pool.run("add", [2, 3]), 5);
      const value = { a: [1, "two", null, true], b: { c: 1.5 } };
      assert.deepEqual(await pool.run("echo", [value]), value);
      assert.equal(await pool.run("nothing", []), undefined);
      assert.equal(pool.running + pool.queued, 0);
    });

    await t.step(
      "a task's error arrives with name, message, cause, fields, remote stack",
      async () => {
        const error = await pool.run("fail", ["bad value"]).then(
          () => assert.fail("resolved"),
          (error) => error,
        );
        assert.ok(error instanceof RangeError);
        assert.equal(error.name, "RangeError");
        assert.equal(error.message, "bad value");
        assert.equal((error as { code?: string }).code, "E_TASK");
        assert.equal((error.cause as Error).message, "the cause");
        assert.match(String(error.stack), /at fail \(.*testdata\/tasks\.ts/);
      },
    );

    await t.step("an unknown function is a clear error naming it", async () => {
      // deno-lint-ignore no-explicit-any
      const untyped = pool as RedisPool<any>;
      await assert.rejects(untyped.run("nope", []), (error: Error) => {
        assert.equal(error.name, "TypeError");
        assert.match(error.message, /nope/);
        return true;
      });
    });

    await t.step("arguments or results that are not JSON are refused clearly", async () => {
      await assert.rejects(pool.run("echo", [new Date(0)]), {
        name: "TypeError",
        message: /'args' must hold only JSON values; args\[0\] \(an instance of Date\) is not/,
      });
      await assert.rejects(pool.run("badResult", []), {
        name: "TypeError",
        message:
          /Task 'badResult' returned a value that is not JSON: result \(an instance of Date\)/,
      });
    });

    await t.step("bad arguments reject, never throw", async () => {
      // deno-lint-ignore no-explicit-any
      const untyped = pool as any;
      await assert.rejects(untyped.run(1, []), TypeError);
      await assert.rejects(untyped.run("add", "x"), TypeError);
      await assert.rejects(untyped.run("add", [], { timeout: -1 }), RangeError);
      await assert.rejects(untyped.run("add", [], { signal: 1 }), TypeError);
      assert.throws(() => untyped.map("gcd", 1), TypeError);
      assert.throws(() => untyped.map("gcd", [], { inFlight: 0 }), RangeError);
    });

    await t.step("close() waits for the accepted tasks, then refuses new ones", async () => {
      const tasks = [pool.run("add", [1, 1]), pool.run("add", [2, 2])];
      await pool.close();
      assert.deepEqual(await Promise.all(tasks), [2, 4]);
      await assert.rejects(pool.run("add", [1, 1]), PoolClosed);
      assert.throws(() => pool.map("gcd", PAIRS), PoolClosed);
    });
  } finally {
    await worker1.stop();
    await worker2.stop();
  }
});

Deno.test("RedisPool with an unreachable Redis rejects with RedisUnavailable in bounded time", async () => {
  const redis = new Redis();
  await using pool = new RedisPool(redis.url, { connectTimeout: 500 });
  await assert.rejects(pool.run("add", [1, 2]), (error: Error) => {
    assert.ok(error instanceof RedisUnavailable);
    assert.match(error.message, new RegExp(`Cannot reach Redis at ${redis.url} within 500 ms`));
    return true;
  });
  await Deno.remove(redis.dir);
});

Deno.test("RedisPool with an unreachable Redis: a task timed out before the failure still lets close() and terminate() settle", async () => {
  const redis = new Redis(); // Never started: its port refuses connections.
  for (const end of ["close", "terminate"] as const) {
    const pool = new RedisPool(redis.url, { connectTimeout: 300 });
    await assert.rejects(pool.run("add", [1, 2], { timeout: 1 }), { name: "TimeoutError" });
    await assert.rejects(pool.run("add", [1, 2]), RedisUnavailable);
    await pool[end](); // Its removal of the timed-out task must not wait on the closed queue.
    await pool.join();
  }
  await Deno.remove(redis.dir);
});

Deno.test("new RedisPool() with a bad URL or option throws an error naming it", () => {
  for (const url of ["http://localhost:6379", "localhost:6379", "", "redis://h/x"]) {
    assert.throws(() => new RedisPool(url), {
      name: "TypeError",
      message: /^new RedisPool\(\): 'url' must be a redis:\/\/ or rediss:\/\/ URL/,
    });
  }
  assert.throws(() => new RedisPool(6379 as unknown as string), TypeError);
  assert.throws(() => new RedisPool("redis://127.0.0.1", { queue: "no spaces" }), {
    name: "TypeError",
    message: /^new RedisPool\(\): 'queue' must be a name of 1 to 100 letters/,
  });
  assert.throws(() => new RedisPool("redis://127.0.0.1", { connectTimeout: -1 }), {
    name: "RangeError",
    message: /^new RedisPool\(\): 'connectTimeout' must be a number of milliseconds/,
  });
});

Deno.test("RedisPool with a wrong password rejects with RedisUnavailable naming the cause; the right one works", async () => {
  await using redis = await new Redis(false, ["--requirepass", "s3cret"]).start();
  const wrong = redis.url.replace("redis://", "redis://:nope@");
  {
    await using pool = new RedisPool(wrong, { connectTimeout: 1000 });
    await assert.rejects(pool.run("add", [1, 2]), (error: Error) => {
      assert.ok(error instanceof RedisUnavailable);
      assert.match(error.message, /within 1000 ms: .*(WRONGPASS|invalid username-password)/);
      assert.doesNotMatch(error.message, /nope/); // The password is not shown.
      return true;
    });
  }
  const right = redis.url.replace("redis://", "redis://:s3cret@");
  const worker = await startWorker(right, "auth", ["--concurrency", "1"]);
  try {
    await using pool = new RedisPool<Tasks>(right, { queue: "auth" });
    assert.equal(pool.url, redis.url); // Shown without the password.
    assert.equal(await pool.run("add", [1, 2]), 3);
    assert.ok(!worker.lines.some((line) => line.includes("s3cret")));
  } finally {
    await worker.stop();
  }
});
