import assert from "node:assert/strict";
import { CalledProcessError, SubprocessError, TimeoutExpired } from "./mod.ts";

Deno.test("SubprocessError is an Error with its own name and cause", () => {
  const cause = new Error("root");
  const error = new SubprocessError("it broke", { cause });
  assert.ok(error instanceof Error);
  assert.equal(error.name, "SubprocessError");
  assert.equal(error.message, "it broke");
  assert.equal(error.cause, cause);
});

Deno.test("CalledProcessError names the command, the exit status and the tail of stderr", () => {
  const error = new CalledProcessError({
    argv: ["sh", "-c", "exit 3"],
    code: 3,
    signal: null,
    stdout: "out",
    stderr: "warning\nfatal: it failed\n",
  });
  assert.ok(error instanceof SubprocessError);
  assert.equal(error.name, "CalledProcessError");
  assert.equal(
    error.message,
    "Command `sh -c 'exit 3'` returned non-zero exit status 3: warning\nfatal: it failed",
  );
  assert.equal(error.code, 3);
  assert.equal(error.stdout, "out");
});

Deno.test("CalledProcessError names the signal that ended the child", () => {
  const error = new CalledProcessError({
    argv: ["sleep", "10"],
    code: 137,
    signal: "SIGKILL",
    stdout: "",
    stderr: "",
  });
  assert.equal(error.message, "Command `sleep 10` died with SIGKILL (exit status 137)");
  assert.equal(error.signal, "SIGKILL");
});

Deno.test("CalledProcessError keeps only the last lines of a long stderr", () => {
  const stderr = Array.from({ length: 50 }, (_, i) => `line ${i}`).join("\n");
  const error = new CalledProcessError({ argv: ["x"], code: 1, signal: null, stdout: "", stderr });
  assert.ok(error.message.endsWith("line 49"));
  assert.ok(error.message.includes("line 40"));
  assert.ok(!error.message.includes("line 39"));
  const long = new CalledProcessError({
    argv: ["x"],
    code: 1,
    signal: null,
    stdout: "",
    stderr: "y".repeat(10_000),
  });
  assert.ok(long.message.length < 1100);
  assert.equal(long.stderr, "y".repeat(10_000), "the full stderr is kept on the error");
});

Deno.test("CalledProcessError decodes a bytes stderr for its message", () => {
  const error = new CalledProcessError({
    argv: ["x"],
    code: 2,
    signal: null,
    stdout: new Uint8Array(0),
    stderr: new TextEncoder().encode("échec\n"),
  });
  assert.equal(error.message, "Command `x` returned non-zero exit status 2: échec");
  assert.ok(error.stderr instanceof Uint8Array);
});

Deno.test("CalledProcessError quotes arguments that a shell would split", () => {
  const error = new CalledProcessError({
    argv: ["echo", "it's", "a b", "", `say "it's" $HOME`],
    code: 1,
    signal: null,
    stdout: "",
    stderr: "",
  });
  assert.equal(
    error.message,
    `Command \`echo "it's" 'a b' '' 'say "it'"'"'s" $HOME'\` returned non-zero exit status 1`,
  );
});

Deno.test("TimeoutExpired carries the command, the timeout and the output so far", () => {
  const error = new TimeoutExpired({
    argv: ["sleep", "10"],
    timeout: 250,
    stdout: "so far",
    stderr: new Uint8Array([1]),
  });
  assert.ok(error instanceof SubprocessError);
  assert.equal(error.name, "TimeoutExpired");
  assert.equal(error.message, "Command `sleep 10` timed out after 250 ms");
  assert.deepEqual(error.argv, ["sleep", "10"]);
  assert.equal(error.timeout, 250);
  assert.equal(error.stdout, "so far");
  assert.deepEqual(error.stderr, new Uint8Array([1]));
});
