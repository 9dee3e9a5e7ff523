// Benchmarks for coroutine/ (item 40): `send` against a raw `generator.next`, and spawning +
// joining 10,000 tasks against Effection, with plain promises (no scheduler) as the floor.
//
//   npx --yes deno@2.9.6 bench -A bench/coroutine_bench.ts
import { coroutine, run, spawn } from "../coroutine/mod.ts";
import * as effection from "effection";

function* minimize(): Generator<number | undefined, never, number> {
  let current = yield;
  while (true) current = Math.min(yield current, current);
}

const raw = minimize();
raw.next(0);
raw.next(1_000_000);
const co = coroutine(minimize)();
co.send(1_000_000);
let sink = 0;
const sendGroup = "item 40 · send 1,000 values: Coroutine.send vs raw generator.next";

Deno.bench({
  name: "raw generator.next(v) x1000",
  group: sendGroup,
  baseline: true,
  fn() {
    for (let i = 0; i < 1000; i++) sink += raw.next(i).value as number;
  },
});

Deno.bench({
  name: "Coroutine.send(v) x1000",
  group: sendGroup,
  fn() {
    for (let i = 0; i < 1000; i++) sink += co.send(i) as number;
  },
});

const N = 10_000;
const spawnGroup = "item 40 · spawn + join 10,000 tasks: run/spawn vs Effection";

Deno.bench({
  name: "plain promises: 10,000 async calls + Promise.all",
  group: spawnGroup,
  baseline: true,
  async fn() {
    const tasks = [];
    // deno-lint-ignore require-await
    for (let i = 0; i < N; i++) tasks.push((async () => 1)());
    let n = 0;
    for (const v of await Promise.all(tasks)) n += v;
    if (n !== N) throw new Error("wrong total");
  },
});

Deno.bench({
  name: "run/spawn/join, inline task body",
  group: spawnGroup,
  async fn() {
    const total = await run(function* () {
      const tasks = [];
      for (let i = 0; i < N; i++) {
        tasks.push(
          yield* spawn(function* () {
            return 1;
          }),
        );
      }
      let n = 0;
      for (const task of tasks) n += yield* task;
      return n;
    });
    if (total !== N) throw new Error("wrong total");
  },
});

// The same with the task body hoisted: every inline `function* () {}` closure gets its own
// generator prototype (an engine cost, paid by Effection too), which a hoisted one avoids.
// deno-lint-ignore require-yield
function* one(): Generator<never, number, unknown> {
  return 1;
}

Deno.bench({
  name: "run/spawn/join, hoisted task body",
  group: spawnGroup,
  async fn() {
    const total = await run(function* () {
      const tasks = [];
      for (let i = 0; i < N; i++) tasks.push(yield* spawn(one));
      let n = 0;
      for (const task of tasks) n += yield* task;
      return n;
    });
    if (total !== N) throw new Error("wrong total");
  },
});

Deno.bench({
  name: "effection run/spawn/join",
  group: spawnGroup,
  async fn() {
    const total = await effection.run(function* () {
      const tasks = [];
      for (let i = 0; i < N; i++) {
        tasks.push(
          yield* effection.spawn(function* () {
            return 1;
          }),
        );
      }
      let n = 0;
      for (const task of tasks) n += yield* task;
      return n;
    });
    if (total !== N) throw new Error("wrong total");
  },
});

addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});

// Cancelling one waiter is O(1): waiters form an intrusive linked list, so cancelling 100 of n
// tasks joined on one task (or racing one task against a timeout) costs the same for n = 1,000
// as for n = 100,000. Setup is outside the timed part (b.start/b.end).
import { race as raceOps, sleep as sleepFor, type Task } from "../coroutine/mod.ts";

const CANCELLED = 100;

function cancelJoiners(n: number, viaRace: boolean) {
  return async (b: Deno.BenchContext) => {
    await run(function* () {
      const shared = yield* spawn(() => sleepFor(Infinity));
      const waiters: Task<unknown>[] = [];
      for (let i = 0; i < n; i++) {
        waiters.push(
          yield* spawn(function* () {
            if (viaRace) yield* raceOps([shared, sleepFor(Infinity)]);
            else yield* shared;
          }),
        );
      }
      yield* sleepFor(0); // every waiter is parked now
      b.start();
      // The oldest first: the worst case for a list scanned from its end.
      for (let i = 0; i < CANCELLED; i++) (waiters[i] as Task<unknown>).cancel();
      b.end();
      // Returning tears the rest down, newest first: the waiters, then `shared`.
    });
  };
}

for (const n of [1_000, 100_000]) {
  Deno.bench({
    name: `cancel 100 of ${n.toLocaleString("en-US")} joiners`,
    group: "item 40 · cancel joiners of one task",
    baseline: n === 1_000,
    n: 20,
    warmup: 2,
    fn: cancelJoiners(n, false),
  });
}

for (const n of [1_000, 100_000]) {
  Deno.bench({
    name: `cancel 100 of ${n.toLocaleString("en-US")} race([task, timeout])`,
    group: "item 40 · cancel races on one task",
    baseline: n === 1_000,
    n: 20,
    warmup: 2,
    fn: cancelJoiners(n, true),
  });
}

// A join of one's own child is O(1) (no walk up the joiner's ancestors looking for a cycle), so a
// chain of n tasks each joining its child costs the same per level for n = 1,000 as 100,000.
import type { Operation as JoinedOperation } from "../coroutine/mod.ts";

function joinChain(depth: number) {
  const nest = (level: number): () => JoinedOperation<number> =>
    function* () {
      if (level === depth) return level;
      const child = yield* spawn(nest(level + 1));
      return yield* child;
    };
  return async () => {
    if ((await run(nest(1))) !== depth) throw new Error("wrong depth");
  };
}

for (const depth of [1_000, 100_000]) {
  Deno.bench({
    name: `100,000 levels of child joins, in chains ${depth.toLocaleString("en-US")} deep`,
    group: "item 40 · join chains: 100,000 levels, shallow vs deep",
    baseline: depth === 1_000,
    n: depth === 1_000 ? 200 : 2,
    warmup: 1,
    async fn(b) {
      b.start();
      for (let i = 0; i < 100_000 / depth; i++) await joinChain(depth)();
      b.end();
    },
  });
}

// taskGroup() lists its work once when its body returns, so waiting for n tasks interleaved with
// n ensure() helpers, finishing newest first, costs the same per task for n = 1,000 as 40,000.
import { call as callFor, ensure as ensureFor, taskGroup as group } from "../coroutine/mod.ts";

function groupWait(n: number) {
  return async () => {
    const resolvers: (() => void)[] = [];
    const done = run(() =>
      group(function* () {
        for (let i = 0; i < n; i++) {
          const p = new Promise<void>((resolve) => resolvers.push(resolve));
          yield* spawn(() => callFor(p));
          yield* ensureFor(() => {});
        }
      })
    );
    for (let i = n - 1; i >= 0; i--) {
      (resolvers[i] as () => void)();
      await Promise.resolve();
      await Promise.resolve();
    }
    await done;
  };
}

for (const n of [1_000, 40_000]) {
  Deno.bench({
    name: `taskGroup waits for 40,000 tasks, in groups of ${n.toLocaleString("en-US")}`,
    group: "item 40 · taskGroup wait: 40,000 tasks with ensure() helpers, small vs large groups",
    baseline: n === 1_000,
    n: 3,
    warmup: 1,
    async fn(b) {
      b.start();
      for (let i = 0; i < 40_000 / n; i++) await groupWait(n)();
      b.end();
    },
  });
}
