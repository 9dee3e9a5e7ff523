// Kept apart from worker_pool_issue_test.ts because it needs Deno (a child process with
// --expose-gc); the rest of WorkerPool's tests also run on Bun (`deno task test:runtimes`).
import assert from "node:assert/strict";

Deno.test("WorkerPool.run() aborted while queued frees its arguments at once", async () => {
  // The worker stays busy and nothing more is queued: the aborted tasks' arguments must be
  // collectable all the same (before, they stayed queued until more work came).
  const script = new URL("./testdata/worker_pool_gc.ts", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--no-check", "--v8-flags=--expose-gc", script.pathname],
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(out.trim(), "collected 100 of 100; queued 0");
});
