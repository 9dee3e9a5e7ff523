// Benchmarks for pool/ (items 37 and 41): the seed's gcd batch (serial vs AsyncPool vs WorkerPool,
// against bare workers given the batch split by hand), a tiny-task round trip (WorkerPool vs piscina,
// against a bare Worker echo), and 10,000 tiny async tasks (AsyncPool vs p-limit and p-queue,
// against an unlimited Promise.all). Each group's baseline is the platform's floor.
//
//   npx --yes deno@2.9.6 bench -A bench/pool_bench.ts
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

// Deno ends a bench run once the last benchmark has finished, live workers or not; ending them in
// the unload handler keeps the exit tidy (no fake "cleanup" benchmark needed).
addEventListener("unload", () => {
  workers.terminate();
  echoPool.terminate();
  bare.terminate();
  for (const worker of bareGcd) worker.terminate();
  URL.revokeObjectURL(bareUrl);
  void piscina.destroy();
  inFlightPool.terminate();
  void inFlightPiscina.destroy();
  for (const worker of inFlightBare) worker.terminate();
});
function bench(options: Deno.BenchDefinition & { fn: () => Promise<void> | void }): void {
  Deno.bench(options);
}

// --- CPU-bound batch: the seed's gcd -------------------------------------------------------------
const gcdGroup = `item 41 · gcd on ${cores} cores: serial vs AsyncPool vs WorkerPool`;
bench({
  name: `bare Workers(${cores}), batch split evenly by hand`,
  group: gcdGroup,
  baseline: true,
  async fn() {
    await bareSplit();
  },
});
bench({
  name: "serial: the batch on the main thread",
  group: gcdGroup,
  fn() {
    for (const pair of BATCH) gcd(pair);
  },
});
const asyncPool = new AsyncPool({ concurrency: cores });
bench({
  name: `AsyncPool(${cores})`,
  group: gcdGroup,
  async fn() {
    await Promise.all(BATCH.map((pair) => asyncPool.run(() => gcd(pair))));
  },
});
bench({
  name: `WorkerPool(${cores})`,
  group: gcdGroup,
  async fn() {
    await Promise.all(BATCH.map((pair) => workers.run("gcd", [pair])));
  },
});

// --- Tiny-task round trip ------------------------------------------------------------------------
const tripGroup = "item 41 · worker round trip: WorkerPool vs piscina";
bench({
  name: "bare Worker postMessage echo",
  group: tripGroup,
  baseline: true,
  async fn() {
    await bareEcho(1);
  },
});
bench({
  name: "WorkerPool(1).run echo",
  group: tripGroup,
  async fn() {
    await echoPool.run("echo", [1]);
  },
});
bench({
  name: "piscina echo",
  group: tripGroup,
  async fn() {
    await piscina.run(1);
  },
});

// --- 10,000 tiny async tasks at concurrency 8 ----------------------------------------------------
const tinyGroup = "item 37 · 10,000 tiny async tasks, concurrency 8: AsyncPool vs p-limit, p-queue";
const N = 10_000;
const tiny = () => Promise.resolve(1);
bench({
  name: "Promise.all, unlimited",
  group: tinyGroup,
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
  group: tinyGroup,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = pool8.run(tiny);
    await Promise.all(out);
  },
});
const limit = pLimit(8);
bench({
  name: "p-limit(8)",
  group: tinyGroup,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = limit(tiny);
    await Promise.all(out);
  },
});
const queue = new PQueue({ concurrency: 8 });
bench({
  name: "p-queue(8)",
  group: tinyGroup,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = queue.add(tiny);
    await Promise.all(out);
  },
});
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
// The platform floor: two bare workers echoing the same 10,000 messages, one message per task,
// every reply awaited (no pool, no batching).
const inFlightBare = Array.from({ length: 2 }, () => new Worker(bareUrl, { type: "module" }));
function bareInFlight(n: number): Promise<void> {
  const { promise, resolve } = Promise.withResolvers<void>();
  let replies = 0;
  const onReply = () => {
    if (++replies === n) resolve();
  };
  for (const worker of inFlightBare) worker.onmessage = onReply;
  for (let i = 0; i < n; i++) inFlightBare[i & 1]!.postMessage(i);
  return promise;
}
await bareInFlight(2);
bench({
  name: "bare Workers(2), 10k postMessage echoes in flight",
  group: "item 41 · 10k tiny worker tasks in flight",
  baseline: true,
  fn: () => bareInFlight(N),
});
bench({
  name: "piscina(2) 10k echo in flight",
  group: "item 41 · 10k tiny worker tasks in flight",
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

// --- item 37 · 10,000 queued tiny tasks sharing one AbortSignal ---------------------------------
// A listener per task on a shared signal costs O(n) a task (addEventListener scans for
// duplicates); the pool adds one per signal, so this should stay near the group without a signal.
const sharedGroup = "item 37 · 10,000 tiny async tasks sharing one AbortSignal, concurrency 8";
const shared = new AbortController();
bench({
  name: "Promise.all, unlimited (no signal)",
  group: sharedGroup,
  baseline: true,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = tiny();
    await Promise.all(out);
  },
});
bench({
  name: "AsyncPool(8), one signal",
  group: sharedGroup,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = pool8.run(tiny, { signal: shared.signal });
    await Promise.all(out);
  },
});
bench({
  name: "p-queue(8), one signal",
  group: sharedGroup,
  async fn() {
    const out: Promise<number>[] = new Array(N);
    for (let i = 0; i < N; i++) out[i] = queue.add(tiny, { signal: shared.signal });
    await Promise.all(out);
  },
});
