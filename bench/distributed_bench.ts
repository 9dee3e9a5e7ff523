// Benchmarks for the distributed package (@effective/concurrency-redis, issue 20): tasks/s of the
// seed's gcd batch on 1, 2 and 4 worker processes through Redis; and the cost of one task's round
// trip, RedisPool.run() against raw BullMQ add + waitUntilFinished (target ≤ 1.1×) and a local
// WorkerPool. Needs Debian's redis-server on PATH (skipped without it); it starts its own on a
// free loopback port and its own worker processes.
// Run: npx --yes deno@2.9.6 bench -A bench/distributed_bench.ts
//
// On a 2-core machine the curve flattens at 2 processes: the third and fourth share the cores.
import { WorkerPool } from "../pool/mod.ts";
import { RedisPool } from "../distributed/mod.ts";
import { Child, Redis, startWorker } from "../distributed/_test_utils.ts";
import { rawClient } from "../distributed/testdata/raw_bullmq.ts";

type Tasks = typeof import("../distributed/testdata/tasks.ts");
const TASKS = new URL("../distributed/testdata/tasks.ts", import.meta.url);
const RAW = new URL("../distributed/testdata/raw_bullmq.ts", import.meta.url).pathname;

const PAIRS: [number, number][] = [
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
];
const BATCH = Array.from({ length: 8 }, () => PAIRS).flat(); // 32 tasks, as examples/41.

const hasRedis = await new Deno.Command("redis-server", { args: ["--version"], stdout: "null" })
  .output().then((out) => out.success, () => false);

if (!hasRedis) {
  console.error("distributed_bench: redis-server not found, skipped");
} else {
  const redis = await new Redis().start();
  const children: Child[] = [];
  const pools: RedisPool<Tasks>[] = [];
  // One queue per process count, each served by that many single-thread worker processes.
  for (const processes of [1, 2, 4]) {
    for (let i = 0; i < processes; i++) {
      children.push(await startWorker(redis.url, `gcd-${processes}`, ["--concurrency", "1"]));
    }
    const pool = new RedisPool<Tasks>(redis.url, { queue: `gcd-${processes}` });
    pools.push(pool);
    await Promise.all(BATCH.map((pair) => pool.run("gcd", [pair]))); // Warm every process.
    Deno.bench({
      name: `gcd batch (32 tasks) on ${processes} worker process${processes > 1 ? "es" : ""}`,
      group: "item 41 · distributed gcd batch: 1, 2, 4 worker processes",
      baseline: processes === 1,
      async fn() {
        await Promise.all(BATCH.map((pair) => pool.run("gcd", [pair])));
      },
    });
  }
  const local = new WorkerPool<Tasks>(TASKS, { size: 2 });
  await Promise.all(BATCH.map((pair) => local.run("gcd", [pair])));
  Deno.bench({
    name: "gcd batch (32 tasks) on a local WorkerPool(2)",
    group: "item 41 · distributed gcd batch: 1, 2, 4 worker processes",
    async fn() {
      await Promise.all(BATCH.map((pair) => local.run("gcd", [pair])));
    },
  });

  // --- One task's round trip, one at a time ---------------------------------------------------
  children.push(await startWorker(redis.url, "trip", ["--concurrency", "1"]));
  const trip = new RedisPool<Tasks>(redis.url, { queue: "trip" });
  pools.push(trip);
  const rawWorker = new Child(Deno.execPath(), ["run", "-A", RAW, redis.url, "raw"]);
  children.push(rawWorker);
  await rawWorker.waitFor(/^serving raw BullMQ/);
  const raw = await rawClient(redis.url, "raw");
  const rawOnOurs = await rawClient(redis.url, "trip");
  const one = new WorkerPool<Tasks>(TASKS, { size: 1 });
  await Promise.all([
    trip.run("add", [1, 1]),
    raw.add(1, 1),
    rawOnOurs.add(1, 1),
    one.run("add", [1, 1]),
  ]);
  Deno.bench({
    name: "raw BullMQ add + waitUntilFinished",
    group: "item 41 · distributed round trip: one tiny task",
    baseline: true,
    async fn() {
      await raw.add(1, 1);
    },
  });
  Deno.bench({
    // The caller's side alone: raw BullMQ calls, served by our worker command (which adds the hop
    // to its local WorkerPool's thread).
    name: "raw BullMQ add + waitUntilFinished, served by the worker command",
    group: "item 41 · distributed round trip: one tiny task",
    async fn() {
      await rawOnOurs.add(1, 1);
    },
  });
  Deno.bench({
    name: "RedisPool.run()",
    group: "item 41 · distributed round trip: one tiny task",
    async fn() {
      await trip.run("add", [1, 1]);
    },
  });
  Deno.bench({
    name: "local WorkerPool.run()",
    group: "item 41 · distributed round trip: one tiny task",
    async fn() {
      await one.run("add", [1, 1]);
    },
  });

  // Deno ends a bench run once the last benchmark has finished; the unload handler, which cannot
  // wait, ends the workers, the worker processes and Redis at once (no fake "cleanup" row).
  addEventListener("unload", () => {
    local.terminate();
    one.terminate();
    for (const child of children) {
      try {
        child.process.kill("SIGKILL");
      } catch {
        // already gone
      }
    }
    redis.killSync();
  });
}
