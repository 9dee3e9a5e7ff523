import assert from "node:assert/strict";

Deno.test("examples/36_subprocess.ts prints the chapter's results", async () => {
  const file = new URL("./36_subprocess.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
  }).output();
  const err = new TextDecoder().decode(stderr);
  assert.equal(code, 0, err);
  const lines = new TextDecoder().decode(stdout).trimEnd().split("\n");
  assert.equal(lines[0], "Hello from the child!");
  const exit = lines.indexOf("Exit status 0");
  assert.ok(exit >= 2, "Working... is printed before the exit status");
  assert.ok(lines.slice(1, exit).every((line) => line === "Working..."));
  assert.match(lines[exit + 1] ?? "", /^Finished in \d+\.\d{3} seconds$/);
  assert.match(lines[exit + 2] ?? "", /^Serially: finished in \d+\.\d{3} seconds$/);
  assert.equal(
    lines[exit + 3],
    "Command `sh -c \"echo 'still thinking'; exec sleep 10\"` timed out after 300 ms; " +
      "it was ended by SIGTERM; " +
      `output so far: "still thinking\\n"`,
  );
  assert.equal(lines.length, exit + 4);
});
