// Benchmarks for subprocess/ (item 36): the cost of run() over a raw Deno.Command, next to execa,
// and ten children in parallel against one after the other, with ten raw Deno.Command children in
// parallel as the floor.
//
//   npx --yes deno@2.9.6 bench -A bench/subprocess_bench.ts
import { execa } from "execa";
import { run, spawn } from "../subprocess/mod.ts";
import { readLines } from "../subprocess/_lines.ts";

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

// lines() must be linear in bytes, however long a line is (issue 17: one 32 MiB line took 41 s
// when each chunk re-scanned the whole unfinished line). Target: one 32 MiB line within 2x the
// same bytes in short lines. The chunks are 64 KiB, as a pipe delivers them; the floor decodes
// all the bytes at once and splits them, which a stream cannot do.
const LINES_SIZE = 32 * 1024 * 1024;
const PIPE_CHUNK = 64 * 1024;

function chunked(text: string): Uint8Array[] {
  const bytes = new TextEncoder().encode(text);
  const chunks: Uint8Array[] = [];
  for (let at = 0; at < bytes.length; at += PIPE_CHUNK) {
    chunks.push(bytes.subarray(at, at + PIPE_CHUNK));
  }
  return chunks;
}

const shortLines = chunked(("x".repeat(79) + "\n").repeat(LINES_SIZE / 80));
const oneLine = chunked("x".repeat(LINES_SIZE - 1) + "\n");

async function countLines(chunks: Uint8Array[]): Promise<number> {
  let count = 0;
  const reader = ReadableStream.from(chunks).getReader();
  for await (const _ of readLines(reader, () => {})) count++;
  return count;
}

Deno.bench({
  name: "platform floor: TextDecoder.decode(all) + split (32 MiB in 80-byte lines)",
  group: "item 36 · lines() over 32 MiB",
  baseline: true,
  n: 5,
  warmup: 1,
  fn() {
    const all = new Uint8Array(LINES_SIZE);
    let at = 0;
    for (const chunk of shortLines) {
      all.set(chunk, at);
      at += chunk.length;
    }
    new TextDecoder().decode(all).split("\n");
  },
});

Deno.bench({
  name: "lines(): 32 MiB in 80-byte lines",
  group: "item 36 · lines() over 32 MiB",
  n: 5,
  warmup: 1,
  async fn() {
    await countLines(shortLines);
  },
});

Deno.bench({
  name: "lines(): one 32 MiB line",
  group: "item 36 · lines() over 32 MiB",
  n: 5,
  warmup: 1,
  async fn() {
    await countLines(oneLine);
  },
});

// The same through a real pipe, end to end: the child's output, read with Subprocess.lines().
async function childLines(script: string): Promise<number> {
  await using child = spawn(["sh", "-c", script], { stdout: "piped" });
  let count = 0;
  for await (const _ of child.lines()) count++;
  return count;
}

Deno.bench({
  name: "Subprocess.lines(): 32 MiB in 80-byte lines from a child",
  group: "item 36 · Subprocess.lines() from a child, 32 MiB",
  baseline: true,
  n: 5,
  warmup: 1,
  async fn() {
    await childLines(`yes ${"x".repeat(78)} | head -c ${LINES_SIZE}`);
  },
});

Deno.bench({
  name: "Subprocess.lines(): one 32 MiB line from a child",
  group: "item 36 · Subprocess.lines() from a child, 32 MiB",
  n: 5,
  warmup: 1,
  async fn() {
    await childLines(`head -c ${LINES_SIZE - 1} /dev/zero | tr '\\0' x; echo`);
  },
});
