import assert from "node:assert/strict";

Deno.test("examples/40_coroutine.ts prints the seed's results and the measurements", async () => {
  const file = new URL("./40_coroutine.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const lines = new TextDecoder().decode(stdout).trim().split("\n");
  assert.deepEqual(lines.slice(0, 6), [
    "Received: First",
    "Received: Second",
    "10",
    "4",
    "4",
    "-1",
  ]);
  const [heapLine = "", sleptLine = "", cancelLine = ""] = lines.slice(6);
  const heap = heapLine.match(/^100000 suspended coroutines: (\d+) bytes of heap each/);
  assert.ok(heap, heapLine);
  assert.ok(Number(heap[1]) > 0 && Number(heap[1]) < 1024, heapLine);
  assert.match(sleptLine, /^10000 tasks slept 100 ms each, all at once: took \d+\.\d\d s$/);
  assert.equal(
    cancelLine,
    "b cleaned up; a cleaned up; TimeoutError: withTimeout() timed out after 50 ms",
  );
  assert.equal(lines.length, 9);
});
