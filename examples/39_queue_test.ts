import assert from "node:assert/strict";

Deno.test("examples/39_queue.ts prints the chapter's results", async () => {
  const file = new URL("./39_queue.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const lines = out.trim().split("\n");
  assert.equal(lines.length, 4, out);
  const polled = lines[0]?.match(/^Processed 1000 items after polling (\d+) times$/);
  assert(polled, lines[0]);
  assert(Number(polled[1]) > 3000, "the hand-made queue polls more often than it has items");
  assert.equal(lines[1], "1000 items finished");
  assert.equal(lines[2], "pipeline(): 1000 items finished");
  assert.equal(lines[3], "workers: 1000 items finished, each download → resize → upload");
});
