// Benchmarks for subprocess/ (item 36): the cost of run() over a raw Deno.Command, next to execa,
// and ten children in parallel against one after the other, with ten raw Deno.Command children in
// parallel as the floor.
//
//   npx --yes deno@2.9.6 bench -A bench/subprocess_bench.ts
import { execa } from "execa";
import { run, spawn } from "../subprocess/mod.ts";

const trueGroup = "item 36 · run `true`: run() vs execa";
const sleepGroup = "item 36 · ten `sleep 0.1` children: in parallel vs one after another";

Deno.bench({
  name: "raw new Deno.Command('true').output()",
  group: trueGroup,
  baseline: true,
  async fn() {
    await new Deno.Command("true").output();
  },
});

Deno.bench({
  name: "run(['true'])",
  group: trueGroup,
  async fn() {
    await run(["true"]);
  },
});

Deno.bench({
  name: "run(['true'], { timeout }) (spawn path)",
  group: trueGroup,
  async fn() {
    await run(["true"], { timeout: 10_000 });
  },
});

Deno.bench({
  name: "execa('true')",
  group: trueGroup,
  async fn() {
    await execa("true");
  },
});

Deno.bench({
  name: "raw Deno.Command, ten in parallel",
  group: sleepGroup,
  baseline: true,
  n: 10,
  warmup: 1,
  async fn() {
    await Promise.all(
      Array.from({ length: 10 }, () => new Deno.Command("sleep", { args: ["0.1"] }).output()),
    );
  },
});

Deno.bench({
  name: "serial: run() ten times, one after the other",
  group: sleepGroup,
  n: 3,
  warmup: 1,
  async fn() {
    for (let i = 0; i < 10; i++) await run(["sleep", "0.1"]);
  },
});

Deno.bench({
  name: "spawn() + wait(), ten in parallel",
  group: sleepGroup,
  n: 10,
  warmup: 1,
  async fn() {
    await using stack = new AsyncDisposableStack();
    const children = Array.from({ length: 10 }, () => stack.use(spawn(["sleep", "0.1"])));
    await Promise.all(children.map((child) => child.wait()));
  },
});

Deno.bench({
  name: "run(), ten in parallel",
  group: sleepGroup,
  n: 10,
  warmup: 1,
  async fn() {
    await Promise.all(Array.from({ length: 10 }, () => run(["sleep", "0.1"])));
  },
});
