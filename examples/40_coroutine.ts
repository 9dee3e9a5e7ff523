// Item 40: consider coroutines to run many functions concurrently.
//
// Run: npx --yes deno@2.9.6 run -A examples/40_coroutine.ts
import { coroutine, ensure, run, sleep, spawn, taskGroup, withTimeout } from "../coroutine/mod.ts";

// A coroutine is a generator driven by `send`: each sent value becomes the value of the `yield`
// expression the generator is paused at. `coroutine()` primes it (runs it to its first `yield`),
// which is the `next(it)` of the Python sample.
const myCoroutine = coroutine(function* (): Generator<void, never, string> {
  while (true) {
    const received = yield;
    console.log("Received:", received);
  }
});

const it = myCoroutine();
it.send("First");
it.send("Second");

// A coroutine that yields the minimum seen so far for each value sent in.
const minimize = coroutine(function* (): Generator<number | undefined, never, number> {
  let current = yield;
  while (true) {
    const value = yield current;
    current = Math.min(value, current);
  }
});

const m = minimize(); // primed
console.log(m.send(10));
console.log(m.send(4));
console.log(m.send(22));
console.log(m.send(-1));

// A suspended coroutine is small: measure the heap held by 100,000 of them. Exact figures need
// a garbage collection before and after, so without --expose-gc this part re-runs itself with it.
const N = 100_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (Deno.args[0] === "--measure-heap" || gc !== undefined) {
  const keep: unknown[] = new Array(N).fill(null);
  gc?.();
  gc?.();
  const before = Deno.memoryUsage().heapUsed;
  for (let i = 0; i < N; i++) keep[i] = myCoroutine();
  gc?.();
  gc?.();
  const bytes = (Deno.memoryUsage().heapUsed - before) / N;
  if (keep.length !== N) throw new Error("unreachable: keeps the coroutines alive until here");
  console.log(
    `${N} suspended coroutines: ${Math.round(bytes)} bytes of heap each (the seed: under 1 KB)`,
  );
  if (Deno.args[0] === "--measure-heap") Deno.exit(0);
} else {
  const { stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", import.meta.filename!, "--measure-heap"],
    stderr: "inherit",
  }).output();
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  console.log(lines[lines.length - 1]);
}

// The scheduler runs many generator tasks at once on one thread: 10,000 tasks each sleeping
// 100 ms finish together in about 0.1 s, not 1,000 s.
const TASKS = 10_000;
const start = performance.now();
const finished = await run(function* () {
  const tasks = [];
  for (let i = 0; i < TASKS; i++) {
    tasks.push(
      yield* spawn(function* () {
        yield* sleep(100);
        return 1;
      }),
    );
  }
  let done = 0;
  for (const task of tasks) done += yield* task;
  return done;
});
const seconds = (performance.now() - start) / 1000;
console.log(`${finished} tasks slept 100 ms each, all at once: took ${seconds.toFixed(2)} s`);

// Structured cancellation: a time limit cancels the whole group, and every cleanup (even one
// that pauses) has run, newest first, before the error reaches the caller.
const log: string[] = [];
try {
  await run(() =>
    withTimeout(
      taskGroup(function* () {
        for (const name of ["a", "b"]) {
          yield* spawn(function* () {
            yield* ensure(function* () {
              yield* sleep(1); // cleanup may pause
              log.push(`${name} cleaned up`);
            });
            yield* sleep(60_000);
          });
        }
      }),
      50,
    )
  );
} catch (error) {
  log.push(`${(error as Error).name}: ${(error as Error).message}`);
}
console.log(log.join("; "));
