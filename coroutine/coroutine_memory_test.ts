// Deno-only: measures heap in a child process (Deno.Command, Deno.memoryUsage), so it lives apart
// from coroutine_test.ts, which also runs on Node and Bun (`deno task test:runtimes`).
import assert from "node:assert/strict";

Deno.test("Coroutine: 100,000 suspended coroutines take under 256 bytes each", async () => {
  // Measured in a child process with --expose-gc, so garbage does not count.
  const code = `
    import { coroutine } from ${JSON.stringify(new URL("./coroutine.ts", import.meta.url).href)};
    const make = coroutine(function* () { while (true) { const r = yield; if (r === 0) break; } });
    const N = 100_000;
    const keep = new Array(N).fill(null);
    gc(); gc();
    const before = Deno.memoryUsage().heapUsed;
    for (let i = 0; i < N; i++) keep[i] = make();
    gc(); gc();
    const after = Deno.memoryUsage().heapUsed;
    if (keep.some((c) => c.done)) throw new Error("finished early");
    console.log((after - before) / N);
  `;
  const { code: status, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--expose-gc", code],
  }).output();
  assert.equal(status, 0, new TextDecoder().decode(stderr));
  const bytes = Number(new TextDecoder().decode(stdout).trim());
  assert.ok(bytes > 50 && bytes < 256, `measured ${bytes} bytes per suspended coroutine`);
});
