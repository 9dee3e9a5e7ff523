// Item 37: threads (here, concurrent async tasks) overlap blocking I/O, but give no speed-up to
// CPU-bound work; a WorkerPool runs that work on every core.
import { AsyncPool, WorkerPool } from "../pool/mod.ts";
import { factorize } from "./_tasks.ts";

const numbers = [2139079, 1214759, 1516637, 1852285];
// JavaScript runs this loop ~15× faster than CPython, so each number is factorized ROUNDS times, to
// give the workers enough to chew on.
const ROUNDS = 8;
const batch = Array.from({ length: ROUNDS }, () => numbers).flat();
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(3);

// Serially.
let start = performance.now();
const serial = batch.map((n) => factorize(n));
console.log(`Serial: took ${seconds(start)} seconds`);

// On an AsyncPool (the "threads"): one thread still does all the computing, so no speed-up.
start = performance.now();
{
  await using pool = new AsyncPool({ concurrency: numbers.length });
  const results = await Promise.all(batch.map((n) => pool.run(() => factorize(n))));
  console.log(`AsyncPool: took ${seconds(start)} seconds`);
  check(results);
}

// On a WorkerPool: every core computes.
{
  await using pool = new WorkerPool<typeof import("./_tasks.ts")>(
    new URL("./_tasks.ts", import.meta.url),
    { size: navigator.hardwareConcurrency },
  );
  // Wait until every worker has started and loaded the module, then time the work alone.
  await Promise.all(Array.from({ length: pool.size }, () => pool.run("factorize", [1])));
  start = performance.now();
  const results = await Promise.all(batch.map((n) => pool.run("factorize", [n])));
  console.log(`WorkerPool(${pool.size}): took ${seconds(start)} seconds`);
  check(results);
}
for (const [i, n] of numbers.entries()) console.log(`factorize(${n}) = ${serial[i]?.join(", ")}`);

function check(results: number[][]): void {
  if (JSON.stringify(results) !== JSON.stringify(serial)) throw new Error("results differ");
}

// The other half of the lesson: blocking I/O overlaps. Five child processes that each wait 100 ms
// run at once while the main thread computes, so the whole takes about as long as the longest.
const slowSystemCall = async (): Promise<number> => {
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "await new Promise((r) => setTimeout(r, 100))"],
    stdout: "null",
    stderr: "null",
  }).output();
  return code;
};
start = performance.now();
{
  await using io = new AsyncPool({ concurrency: 5 });
  const calls = Array.from({ length: 5 }, () => io.run(slowSystemCall));
  const locations = Array.from({ length: 5 }, (_, i) => computeHelicopterLocation(i));
  const codes = await Promise.all(calls);
  console.log(`Five child processes, exit codes ${codes.join(", ")}`);
  console.log(`Helicopter locations: ${locations.join(" ")}`);
  console.log(`Took ${seconds(start)} seconds`);
}

function computeHelicopterLocation(index: number): string {
  return `(${index * 10},${index * 5})`;
}
