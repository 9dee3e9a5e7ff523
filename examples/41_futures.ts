// Item 41: concurrent.futures. A ThreadPoolExecutor (here, AsyncPool) gives no speed-up to CPU-bound
// gcd; a ProcessPoolExecutor (here, WorkerPool with one worker per core) does.
import { AsyncPool, WorkerPool } from "../pool/mod.ts";
import { gcd } from "./_tasks.ts";

const numbers: [number, number][] = [
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
];
// JavaScript runs this loop ~15× faster than CPython, so the batch is the seed's four pairs done
// ROUNDS times, to give the workers enough to chew on.
const ROUNDS = 8;
const batch = Array.from({ length: ROUNDS }, () => numbers).flat();
const cpuCount = navigator.hardwareConcurrency;
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(3);

let start = performance.now();
const serial = batch.map(gcd);
console.log(`Serial: Took ${seconds(start)} seconds`);

start = performance.now();
let results: number[] = [];
{
  await using pool = new AsyncPool({ concurrency: cpuCount });
  for await (const g of pool.map((pair: [number, number]) => gcd(pair), batch)) results.push(g);
}
console.log(`AsyncPool(${cpuCount}): Took ${seconds(start)} seconds`);
check(results);

results = [];
{
  await using pool = new WorkerPool<typeof import("./_tasks.ts")>(
    new URL("./_tasks.ts", import.meta.url),
    { size: cpuCount },
  );
  // Wait until every worker has started and loaded the module, then time the work alone.
  await Promise.all(Array.from({ length: cpuCount }, () => pool.run("gcd", [[1, 1]])));
  start = performance.now();
  for await (const g of pool.map("gcd", batch)) results.push(g);
}
console.log(`WorkerPool(${cpuCount}): Took ${seconds(start)} seconds`);
check(results);
console.log(`Results: ${serial.slice(0, numbers.length).join(", ")} (× ${ROUNDS})`);

function check(got: number[]): void {
  if (got.join() !== serial.join()) throw new Error(`results differ: ${got} vs ${serial}`);
}
