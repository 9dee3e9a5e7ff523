// Benchmarks for subprocess/: the cost of run() over raw Deno.Command, next to execa, and ten
// children in parallel against one after the other.
//
//   npx --yes deno@2.9.6 bench -A bench/subprocess_bench.ts
import { execa } from "execa";
import { run, spawn } from "../subprocess/mod.ts";

Deno.bench({
  name: "raw new Deno.Command('true').output()",
  group: "run true",
  baseline: true,
  async fn() {
    await new Deno.Command("true").output();
  },
});

Deno.bench({
  name: "run(['true'])",
  group: "run true",
  async fn() {
    await run(["true"]);
  },
});

Deno.bench({
  name: "run(['true'], { timeout }) (spawn path)",
  group: "run true",
  async fn() {
    await run(["true"], { timeout: 10_000 });
  },
});

Deno.bench({
  name: "execa('true')",
  group: "run true",
  async fn() {
    await execa("true");
  },
});

Deno.bench({
  name: "ten sleep 0.1 one after the other",
  group: "ten sleeps",
  baseline: true,
  n: 3,
  warmup: 1,
  async fn() {
    for (let i = 0; i < 10; i++) await run(["sleep", "0.1"]);
  },
});

Deno.bench({
  name: "ten sleep 0.1 in parallel (spawn + wait)",
  group: "ten sleeps",
  n: 10,
  warmup: 1,
  async fn() {
    await using stack = new AsyncDisposableStack();
    const children = Array.from({ length: 10 }, () => stack.use(spawn(["sleep", "0.1"])));
    await Promise.all(children.map((child) => child.wait()));
  },
});

Deno.bench({
  name: "ten sleep 0.1 in parallel (run)",
  group: "ten sleeps",
  n: 10,
  warmup: 1,
  async fn() {
    await Promise.all(Array.from({ length: 10 }, () => run(["sleep", "0.1"])));
  },
});
