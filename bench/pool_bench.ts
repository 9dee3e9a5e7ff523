// Benchmarks for pool/: the seed's gcd batch (serial vs AsyncPool vs WorkerPool), a tiny-task round
// trip (WorkerPool vs a bare Worker echo and piscina), and 10,000 tiny async tasks on
// AsyncPool vs p-limit, p-queue and an unlimited Promise.all.
import pLimit from "p-limit";
import PQueue from "p-queue";
import { Piscina } from "piscina";
import { AsyncPool, WorkerPool } from "../pool/mod.ts";
import { gcd } from "../pool/testdata/tasks.ts";

type Tasks = typeof import("../pool/testdata/tasks.ts");
const TASKS = new URL("../pool/testdata/tasks.ts", import.meta.url);
const NODE_ECHO = new URL("../pool/testdata/node_echo.mjs", import.meta.url);
const cores = navigator.hardwareConcurrency;

// The seed's numbers (item 41), repeated so the batch divides evenly over the cores.
const PAIRS: [number, number][] = [
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
];
const BATCH = Array.from({ length: 8 }, () => PAIRS).flat();

const workers = new WorkerPool<Tasks>(TASKS, { size: cores });
const echoPool = new WorkerPool<Tasks>(TASKS, { size: 1 });
// tinypool@2.2.0 is left out: under Deno 2.9.6 its destroy() never resolves and its threads keep
// the process alive, so `deno bench` hung on some runs (it measured ~170 µs, 3.3× the bare echo).
const piscina = new Piscina({ filename: NODE_ECHO.href, minThreads: 1, maxThreads: 1 });
await Promise.all([workers.join(), echoPool.run("echo", [0]), piscina.run(0)]);
await Promise.all(Array.from({ length: cores }, () => workers.run("echo", [0])));

// A bare Worker echo: the floor for a round trip through postMessage.
const bareUrl = URL.createObjectURL(
  new Blob(["onmessage = (e) => postMessage(e.data);"], { type: "text/javascript" }),
);
const bare = new Worker(bareUrl, { type: "module" });
let bareResolve: (value: unknown) => void = () => {};
bare.onmessage = (e) => bareResolve(e.data);
function bareEcho(value: unknown): Promise<unknown> {
  const { promise, resolve } = Promise.withResolvers<unknown>();
  bareResolve = resolve;
  bare.postMessage(value);
  return promise;
}
await bareEcho(0);

// Bare workers with the batch split evenly by hand: the most the platform gives on this machine.
const bareGcd = Array.from(
  { length: cores },
  () => new Worker(new URL("./_gcd_worker.ts", import.meta.url), { type: "module" }),
);
function bareSplit(): Promise<unknown[]> {
  return Promise.all(bareGcd.map((worker, i) => {
    const { promise, resolve } = Promise.withResolvers<unknown>();
    worker.onmessage = (e) => resolve(e.data);
    worker.postMessage(BATCH.filter((_, j) => j % cores === i));
    return promise;
  }));
}
await bareSplit();

let ended = false;
/** Ends the workers after the last benchmark, so the run exits. */
function done(): void {
  if (ended) return;
  ended = true;
  workers.terminate();
  echoPool.terminate();
  bare.terminate();
  for (const worker of bareGcd) worker.terminate();
  URL.revokeObjectURL(bareUrl);
  void piscina.destroy();
}
function bench(options: Deno.BenchDefinition & { fn: () => Promise<void> | void }): void {
  Deno.bench(options);
}

// --- CPU-bound batch: the seed's gcd -------------------------------------------------------------
bench({
  name: "gcd batch serial",
  group: "gcd batch (CPU)",
  baseline: true,
  fn() {
    for (const pair of BATCH) gcd(pair);
  },
});
const asyncPool = new AsyncPool({ concurrency: cores });
bench({
  name: "gcd batch AsyncPool",
  group: "gcd batch (CPU)",
  async fn() {
    await Promise.all(BATCH.map((pair) => asyncPool.run(() => gcd(pair))));
  },
});
bench({
  name: `gcd batch bare Workers(${cores}), split evenly by hand`,
  group: "gcd batch (CPU)",
  async fn() {
    await bareSplit();
  },
});
bench({
  name: `gcd batch WorkerPool(${cores})`,
  group: "gcd batch (CPU)",
  async fn() {
    await Promise.all(BATCH.map((pair) => workers.run("gcd", [pair])));
  },
});

// --- Tiny-task round trip ------------------------------------------------------------------------
bench({
  name: "bare Worker postMessage echo",
  group: "round trip",
  baseline: true,
  async fn() {
    await bareEcho(1);
  },
});
bench({
  name: "WorkerPool.run echo",
  group: "round trip",
  async fn() {
    await echoPool.run("echo", [1]);
  },
});
bench({
  name: "piscina echo",
  group: "round trip",
  async fn() {
    await piscina.run(1);
  },
});

// --- 10,000 tiny async tasks at concurrency 8 ----------------------------------------------------
const N = 10_000;
const tiny = () => Promise.resolve(1);
bench({
  name: "Promise.all unlimited",
  group: "10k tiny async tasks",
  baseline: true,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = tiny();
    await Promise.all(out);
  },
});
const pool8 = new AsyncPool({ concurrency: 8 });
bench({
  name: "AsyncPool(8)",
  group: "10k tiny async tasks",
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = pool8.run(tiny);
    await Promise.all(out);
  },
});
const limit = pLimit(8);
bench({
  name: "p-limit(8)",
  group: "10k tiny async tasks",
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = limit(tiny);
    await Promise.all(out);
  },
});
const queue = new PQueue({ concurrency: 8 });
bench({
  name: "p-queue(8)",
  group: "10k tiny async tasks",
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = queue.add(tiny);
    await Promise.all(out);
  },
});
// Registered last, so it runs last: it ends the workers so that the run can exit.
Deno.bench({ name: "(end the workers)", group: "zz cleanup", n: 1, warmup: 0, fn: done });

// --- item 37 · AsyncPool cost per task as load grows (10^3 … 10^6 queued at once) -------------------
// Each iteration runs 10^6 tasks in all, in batches of `size` submitted at once, so that a flat
// time per iteration means a flat cost per task (O(1) queueing: no shift or splice on a hot list).
// The platform floor, an unlimited Promise.all over the same batches, is measured at every size
// too: holding 10^5 or 10^6 promises alive at once costs the garbage collector more per promise,
// for the floor as for any pool, so compare each row with the floor at its own size.
const TOTAL = 1_000_000;
const SCALING =
  "item 37 · AsyncPool(8) scaling: 10^6 tiny tasks per iteration, batches of 10^3…10^6";
function batched(size: number, submit: () => Promise<number>): () => Promise<void> {
  const batches = TOTAL / size;
  return async () => {
    for (let b = 0; b < batches; b++) {
      const out: Promise<number>[] = new Array(size);
      for (let i = 0; i < size; i++) out[i] = submit();
      await Promise.all(out);
    }
  };
}
for (const size of [1_000, 10_000, 100_000, 1_000_000]) {
  const at = `10^${Math.log10(size)} tasks at once ×${TOTAL / size}`;
  const scaled = new AsyncPool({ concurrency: 8 });
  const scaledLimit = pLimit(8);
  bench({
    name: `Promise.all unlimited, ${at}`,
    group: SCALING,
    baseline: size === 1_000,
    n: 3,
    warmup: 1,
    fn: batched(size, tiny),
  });
  bench({
    name: `AsyncPool(8), ${at}`,
    group: SCALING,
    n: 3,
    warmup: 1,
    fn: batched(size, () => scaled.run(tiny)),
  });
  if (size === 1_000 || size === 1_000_000) {
    bench({
      name: `p-limit(8), ${at}`,
      group: SCALING,
      n: 3,
      warmup: 1,
      fn: batched(size, () => scaledLimit(tiny)),
    });
  }
}
// --- item 41 · 10,000 tiny tasks in flight on workers: WorkerPool vs piscina --------------------
// Target (issue #14): WorkerPool at <= 0.25x piscina's time, from batching queued run()s.
const inFlightPool = new WorkerPool<Tasks>(TASKS, { size: 2 });
const inFlightPiscina = new Piscina({ filename: NODE_ECHO.href, minThreads: 2, maxThreads: 2 });
await Promise.all([
  inFlightPool.run("echo", [0]),
  inFlightPool.run("echo", [0]),
  inFlightPiscina.run(0),
  inFlightPiscina.run(0),
]);
bench({
  name: "piscina(2) 10k echo in flight",
  group: "item 41 · 10k tiny worker tasks in flight",
  baseline: true,
  async fn() {
    const out: Promise<unknown>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = inFlightPiscina.run(i);
    await Promise.all(out);
  },
});
bench({
  name: "WorkerPool(2) 10k echo in flight",
  group: "item 41 · 10k tiny worker tasks in flight",
  async fn() {
    const out: Promise<unknown>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = inFlightPool.run("echo", [i]);
    await Promise.all(out);
  },
});
bench({
  name: "WorkerPool(2) map(chunksize 256) 10k echo",
  group: "item 41 · 10k tiny worker tasks in flight",
  async fn() {
    let n = 0;
    const items = Array.from({ length: N }, (_, i) => i);
    for await (const _ of inFlightPool.map("echo", items, { chunksize: 256, inFlight: 8 })) n++;
    if (n !== N) throw new Error("lost results");
  },
});
Deno.bench({
  name: "(end the in-flight workers)",
  group: "zz cleanup (in flight)",
  n: 1,
  warmup: 0,
  fn() {
    inFlightPool.terminate();
    void inFlightPiscina.destroy();
  },
});
