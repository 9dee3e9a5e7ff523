// How cost grows with load: per-item time and heap bytes for one structure at growing sizes,
// ours or its peer, through public APIs only. Run by `deno task bench:scaling` (one process per
// structure and side, so one side's garbage never lands on the other's heap figures):
//
//   deno run -A --v8-flags=--expose-gc bench/scaling.ts <structure> <ours|peer> <n>...
//
// Prints one JSON line per size: {"n", "nsPerItem", "bytesPerItem"}, or {"n", "skipped"} for the
// sizes left out because the last one measured predicts a run over the time budget. Each workload
// first puts all n items in flight (waiters queued, items buffered, tasks pending) and measures the
// heap they hold, then drains them; the time per item covers both halves.
import { Mutex } from "../sync/mod.ts";
import { Queue } from "../queue/mod.ts";
import { AsyncPool, WorkerPool } from "../pool/mod.ts";
import { call as ourCall, run as ourRun, spawn as ourSpawn } from "../coroutine/mod.ts";
import { Mutex as PeerMutex } from "async-mutex";
import pLimit from "p-limit";
import * as effection from "effection";
import { Piscina } from "piscina";

/** Time (ms) a whole size may take: a larger size predicted to exceed it is skipped. */
const BUDGET_MS = Number(Deno.env.get("SCALING_BUDGET_MS") ?? 20_000);

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");

function heap(): number {
  gc!();
  gc!();
  return Deno.memoryUsage().heapUsed;
}

/** One workload: fills `n` items in flight, then drains them; reports the three figures. */
interface Measured {
  fillMs: number;
  drainMs: number;
  bytes: number;
}

/** Times `fill`, measures the heap it left, then times `drain`. */
async function measure(
  fill: () => Promise<void> | void,
  drain: () => Promise<void> | void,
  before: number,
): Promise<Measured> {
  let t = performance.now();
  await fill();
  const fillMs = performance.now() - t;
  const bytes = heap() - before;
  t = performance.now();
  await drain();
  return { fillMs, drainMs: performance.now() - t, bytes };
}

type Workload = (n: number) => Promise<Measured>;

const TASKS = new URL("../pool/testdata/tasks.ts", import.meta.url);
const NODE_ECHO = new URL("../pool/testdata/node_echo.mjs", import.meta.url);
const cores = navigator.hardwareConcurrency;

const WORKLOADS: Record<string, Record<"ours" | "peer", Workload>> = {
  // n lock() calls queued behind a held lock, then granted one after another.
  mutex: {
    async ours(n) {
      const mutex = new Mutex();
      const held = await mutex.lock();
      const waiters: Promise<{ release(): void }>[] = new Array(n);
      return await measure(() => {
        for (let i = 0; i < n; i++) waiters[i] = mutex.lock();
      }, async () => {
        held.release();
        for (const waiter of waiters) (await waiter).release();
      }, heap());
    },
    async peer(n) {
      const mutex = new PeerMutex();
      const held = await mutex.acquire();
      const waiters: Promise<() => void>[] = new Array(n);
      return await measure(() => {
        for (let i = 0; i < n; i++) waiters[i] = mutex.acquire();
      }, async () => {
        held();
        for (const waiter of waiters) (await waiter)();
      }, heap());
    },
  },
  // n items buffered in an unbounded queue, then taken one by one.
  queue: {
    async ours(n) {
      const queue = new Queue<number>();
      return await measure(() => {
        for (let i = 0; i < n; i++) queue.putNowait(i);
      }, async () => {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += await queue.get();
        if (sum !== (n * (n - 1)) / 2) throw new Error("lost items");
      }, heap());
    },
    peer(n) {
      return effection.run(function* () {
        const queue = effection.createQueue<number, void>();
        const before = heap();
        let t = performance.now();
        for (let i = 0; i < n; i++) queue.add(i);
        const fillMs = performance.now() - t;
        const bytes = heap() - before;
        t = performance.now();
        let sum = 0;
        for (let i = 0; i < n; i++) {
          const next = yield* queue.next();
          if (!next.done) sum += next.value;
        }
        if (sum !== (n * (n - 1)) / 2) throw new Error("lost items");
        return { fillMs, drainMs: performance.now() - t, bytes };
      });
    },
  },
  // n tasks submitted at concurrency 8, all waiting on one gate; then the gate opens.
  asyncpool: {
    async ours(n) {
      const pool = new AsyncPool({ concurrency: 8 });
      const gate = Promise.withResolvers<void>();
      const results: Promise<void>[] = new Array(n);
      const task = () => gate.promise;
      return await measure(() => {
        for (let i = 0; i < n; i++) results[i] = pool.run(task);
      }, async () => {
        gate.resolve();
        await Promise.all(results);
        await pool.close();
      }, heap());
    },
    async peer(n) {
      const limit = pLimit(8);
      const gate = Promise.withResolvers<void>();
      const results: Promise<void>[] = new Array(n);
      const task = () => gate.promise;
      return await measure(() => {
        for (let i = 0; i < n; i++) results[i] = limit(task);
      }, async () => {
        gate.resolve();
        await Promise.all(results);
      }, heap());
    },
  },
  // n tasks spawned under one parent, each suspended on one gate; then the gate opens and the
  // parent joins them all.
  coroutine: {
    ours(n) {
      const gate = Promise.withResolvers<void>();
      function* child() {
        yield* ourCall(gate.promise);
        return 1;
      }
      return ourRun(function* () {
        const tasks = new Array(n);
        const before = heap();
        let t = performance.now();
        for (let i = 0; i < n; i++) tasks[i] = yield* ourSpawn(child);
        // Every child starts and suspends on the gate. A settled promise, not sleep(0): a timer's
        // millisecond is a fixed cost that would pass for per-item cost at small sizes.
        yield* ourCall(Promise.resolve());
        const fillMs = performance.now() - t;
        const bytes = heap() - before;
        t = performance.now();
        gate.resolve();
        let sum = 0;
        for (const task of tasks) sum += yield* task;
        if (sum !== n) throw new Error("lost tasks");
        return { fillMs, drainMs: performance.now() - t, bytes };
      });
    },
    peer(n) {
      const gate = Promise.withResolvers<void>();
      function* child() {
        yield* effection.until(gate.promise);
        return 1;
      }
      return effection.run(function* () {
        const tasks: effection.Task<number>[] = new Array(n);
        const before = heap();
        let t = performance.now();
        for (let i = 0; i < n; i++) tasks[i] = yield* effection.spawn(child);
        yield* effection.until(Promise.resolve());
        const fillMs = performance.now() - t;
        const bytes = heap() - before;
        t = performance.now();
        gate.resolve();
        let sum = 0;
        for (const task of tasks) sum += yield* task;
        if (sum !== n) throw new Error("lost tasks");
        return { fillMs, drainMs: performance.now() - t, bytes };
      });
    },
  },
  // n echo tasks submitted at once to one worker per core (the heap is the main thread's).
  workerpool: {
    async ours(n) {
      const pool = new WorkerPool<typeof import("../pool/testdata/tasks.ts")>(TASKS, {
        size: cores,
      });
      // Warm every worker (and the pool's adaptive batching) before measuring, as for the peer.
      await Promise.all(Array.from({ length: 50 * cores }, () => pool.run("echo", [0])));
      const results: Promise<unknown>[] = new Array(n);
      try {
        return await measure(() => {
          for (let i = 0; i < n; i++) results[i] = pool.run("echo", [i]);
        }, async () => {
          await Promise.all(results);
        }, heap());
      } finally {
        await pool.close();
      }
    },
    async peer(n) {
      const pool = new Piscina({ filename: NODE_ECHO.href, minThreads: cores, maxThreads: cores });
      await Promise.all(Array.from({ length: 50 * cores }, () => pool.run(0)));
      const results: Promise<number>[] = new Array(n);
      try {
        return await measure(() => {
          for (let i = 0; i < n; i++) results[i] = pool.run(i);
        }, async () => {
          await Promise.all(results);
        }, heap());
      } finally {
        await pool.destroy();
      }
    },
  },
};

const [structure = "", side = "", ...sizes] = Deno.args;
const workload = WORKLOADS[structure]?.[side as "ours" | "peer"];
if (workload === undefined) {
  throw new Error(`usage: scaling.ts <${Object.keys(WORKLOADS).join("|")}> <ours|peer> <n>...`);
}
await workload(1000); // warm the code paths up
// Each size runs at least three times and until it has taken 200 ms, and reports its median run.
// A size is skipped when the growth seen so far predicts it would overrun the budget: the
// exponent comes from the last two sizes (at least linear), so a quadratic peer stops early.
const done: { n: number; ms: number }[] = [];
for (const n of sizes.map(Number)) {
  const [prev, last] = done.slice(-2);
  if (last !== undefined) {
    const k = prev === undefined
      ? 1
      : Math.max(1, Math.log(last.ms / prev.ms) / Math.log(last.n / prev.n));
    const predictedMs = last.ms * (n / last.n) ** k;
    if (predictedMs > BUDGET_MS) {
      console.log(JSON.stringify({ n, skipped: { predictedMs, budgetMs: BUDGET_MS } }));
      break;
    }
  }
  const runs: Measured[] = [];
  let spent = 0;
  while (runs.length < 3 || (spent < 200 && runs.length < 50)) {
    const m = await workload(n);
    runs.push(m);
    spent += m.fillMs + m.drainMs;
    if (spent > BUDGET_MS / 4) break;
  }
  runs.sort((a, b) => (a.fillMs + a.drainMs) - (b.fillMs + b.drainMs));
  const median = runs[runs.length >> 1]!;
  const ms = median.fillMs + median.drainMs;
  done.push({ n, ms });
  console.log(
    JSON.stringify({
      n,
      nsPerItem: (ms * 1e6) / n,
      bytesPerItem: median.bytes / n,
      runs: runs.length,
    }),
  );
}
Deno.exit(0); // piscina's or a peer's leftover handles must not keep the process alive
