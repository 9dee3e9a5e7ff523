// Kept apart from async_pool_test.ts because it needs Deno (a child process with --expose-gc);
// the rest of AsyncPool's tests also run on Node and Bun (`deno task test:runtimes`).
import assert from "node:assert/strict";

Deno.test("AsyncPool.run() aborted while queued leaves nothing behind, nor map() a yielded result", async () => {
  // Run in a child with --expose-gc: the aborted task's closure must be collectable at once,
  // while the pool is still blocked (before, it stayed queued until a place freed up).
  const script = new URL("./testdata/async_pool_gc.ts", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", "--v8-flags=--expose-gc", script.pathname],
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.equal(
    out.trim(),
    "collected 1000 of 1000; queued 0\nmap kept the yielded result: false",
  );
});
