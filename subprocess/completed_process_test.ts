import assert from "node:assert/strict";
import { CalledProcessError, CompletedProcess } from "./mod.ts";

Deno.test("CompletedProcess holds the argv, the exit status and the output", () => {
  const done = new CompletedProcess(
    ["ls", "-l"],
    { code: 2, signal: null, success: false },
    "out",
    "err",
  );
  assert.deepEqual(done.argv, ["ls", "-l"]);
  assert.equal(done.code, 2);
  assert.equal(done.signal, null);
  assert.equal(done.success, false);
  assert.equal(done.stdout, "out");
  assert.equal(done.stderr, "err");
});

Deno.test("CompletedProcess.checkReturncode() returns the result on success", () => {
  const done = new CompletedProcess(["true"], { code: 0, signal: null, success: true }, "", "");
  assert.equal(done.checkReturncode(), done);
});

Deno.test("CompletedProcess.checkReturncode() throws a CalledProcessError with everything", () => {
  const done = new CompletedProcess(
    ["sleep", "10"],
    { code: 143, signal: "SIGTERM", success: false },
    new Uint8Array([1]),
    new Uint8Array([2]),
  );
  assert.throws(() => done.checkReturncode(), (error) => {
    assert.ok(error instanceof CalledProcessError);
    assert.equal(error.code, 143);
    assert.equal(error.signal, "SIGTERM");
    assert.deepEqual(error.argv, ["sleep", "10"]);
    assert.deepEqual(error.stdout, new Uint8Array([1]));
    assert.deepEqual(error.stderr, new Uint8Array([2]));
    assert.match(error.message, /died with SIGTERM/);
    return true;
  });
});
