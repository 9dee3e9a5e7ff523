// Kept apart from worker_pool_issue_test.ts because it needs Deno (a child process); the rest of
// WorkerPool's issue tests also run on Bun (`deno task test:runtimes`).
import assert from "node:assert/strict";

const TASKS = new URL("./testdata/tasks.ts", import.meta.url);

Deno.test("WorkerPool: a pool that is never closed lets the program exit (finite idleTimeout default)", async () => {
  const script = `
    import { WorkerPool } from ${JSON.stringify(new URL("./mod.ts", import.meta.url).href)};
    const pool = new WorkerPool(${JSON.stringify(TASKS.href)}, { size: 2 });
    pool.run("delayedEcho", [5, 10]).then(console.log); // fire and forget, never closed
  `;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["eval", "--no-check", script],
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill(), 60_000); // A hang fails the test, not the run.
  const { code, stdout, stderr } = await child.output();
  clearTimeout(timer);
  assert.equal(new TextDecoder().decode(stderr), "");
  assert.equal(code, 0);
  assert.equal(new TextDecoder().decode(stdout).trim(), "5", "the task ran to the end");
});
