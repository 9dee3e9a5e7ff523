// Defects of issue 17: each test here failed before the fix it names.
import assert from "node:assert/strict";
import { checkOutput, run, spawn, TimeoutExpired } from "./mod.ts";
import { endless, isGone } from "./_test_utils.ts";

Deno.test("Subprocess.communicate() after the caller closed stdin returns normally (gh-70560)", async () => {
  await using child = spawn(["sh", "-c", "cat; echo done"], { stdin: "piped", stdout: "piped" });
  await child.stdin!.close();
  const result = await child.communicate();
  assert.equal(result.stdout, "done\n");
  assert.equal(result.code, 0);
});

Deno.test("Subprocess.communicate() with input for a stdin the caller closed rejects clearly", async () => {
  await using child = spawn(["cat"], { stdin: "piped", stdout: "piped" });
  await child.stdin!.close();
  await assert.rejects(
    child.communicate({ input: "lost" }),
    /^TypeError: Subprocess.communicate\(\): 'input' cannot be sent, stdin is already closed$/,
  );
});

Deno.test("Subprocess.kill() refuses signal names this OS lacks instead of sending nothing", async () => {
  await using child = spawn(["sleep", "10"]);
  const lacking = Deno.build.os === "linux" ? ["SIGINFO", "SIGEMT", "SIGBREAK"] : ["SIGPWR"];
  for (const name of lacking) {
    assert.throws(
      () => child.kill(name as Deno.Signal),
      new RegExp(
        `^TypeError: Subprocess.kill\\(\\): 'signal' must be a signal that ${Deno.build.os} has \\(${name} exists only on other systems\\), got "${name}"$`,
      ),
    );
  }
  assert.equal(child.poll(), null);
  child.kill(15); // numbers are signals too
  assert.equal((await child.wait()).signal, "SIGTERM");
});

Deno.test("spawn() and run() refuse a killSignal this OS lacks, so a timeout never skips it", async () => {
  const name = Deno.build.os === "linux" ? "SIGINFO" : "SIGPWR";
  assert.throws(
    () => spawn(["true"], { killSignal: name as Deno.Signal }),
    /'killSignal' must be a signal that/,
  );
  await assert.rejects(
    run(["true"], { killSignal: name as Deno.Signal }),
    /'killSignal' must be a signal that/,
  );
});

Deno.test("run() timeout sends a numeric killSignal first", async () => {
  const error = await run(["sleep", "10"], { timeout: 0, killSignal: 2 }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.signal, "SIGINT");
});

Deno.test("run() with a stream input that never ends settles when the child exits", async () => {
  const { stream, cancelled } = endless();
  const result = await run(["sh", "-c", "echo bye"], { input: stream });
  assert.equal(result.stdout, "bye\n");
  await cancelled; // the stream was cancelled, not left pending
});

Deno.test("run() timeout with a stream input that never ends does not blame a child that exited", async () => {
  const { stream, cancelled } = endless();
  const result = await run(["true"], { input: stream, timeout: 60_000 });
  assert.equal(result.code, 0);
  await cancelled;
});

Deno.test("Subprocess.communicate() with a stream input that never ends settles when the child exits", async () => {
  const { stream, cancelled } = endless();
  await using child = spawn(["sh", "-c", "exit 4"], { stdin: "piped" });
  assert.equal((await child.communicate({ input: stream })).code, 4);
  await cancelled;
});

Deno.test("run() refuses env names with '=' or NUL and values with NUL", async () => {
  await assert.rejects(
    run(["true"], { env: { "A=B": "1" } }),
    /^TypeError: run\(\): 'env' must be an object whose keys are names without "=" or NUL, got "A=B"$/,
  );
  await assert.rejects(
    run(["true"], { env: { "A\0B": "1" } }),
    /'env' must be an object whose keys/,
  );
  await assert.rejects(run(["true"], { env: { "": "1" } }), /'env' must be an object whose keys/);
  await assert.rejects(
    run(["true"], { env: { A: "x\0y" } }),
    /^TypeError: run\(\): 'env.A' must be a string without NUL characters, got "x\\u0000y"$/,
  );
  assert.throws(
    () => spawn(["true"], { env: { "PATH=/tmp:": "x" } }),
    /^TypeError: spawn\(\): 'env'/,
  );
});

Deno.test("run() refuses a NUL in the program or an argument, naming it", async () => {
  await assert.rejects(
    run(["tr\0ue"]),
    /^TypeError: run\(\): 'argv\[0\]' must be a string without NUL characters, got "tr\\u0000ue"$/,
  );
  await assert.rejects(run(["echo", "a\0b"]), /'argv\[1\]' must be a string without NUL/);
  assert.throws(() => spawn(["tr\0ue"]), /^TypeError: spawn\(\): 'argv\[0\]'/);
});

Deno.test("run() with a cwd that is a file says it is not a directory", async () => {
  const file = await Deno.makeTempFile();
  try {
    const error = await run(["true"], { cwd: file }).catch((e) => e);
    assert.ok(error instanceof Deno.errors.NotFound);
    assert.equal(
      error.message,
      `Cannot run 'true': the working directory '${file}' is not a directory`,
    );
    assert.throws(() => spawn(["true"], { cwd: file }), /is not a directory$/);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("run() of a missing program in a missing cwd blames the cwd", async () => {
  const error = await run(["no-such-program-xyz"], { cwd: "/no/such/dir" }).catch((e) => e);
  assert.ok(error instanceof Deno.errors.NotFound);
  assert.equal(
    error.message,
    "Cannot run 'no-such-program-xyz': the working directory '/no/such/dir' does not exist",
  );
  const slow = await run(["no-such-program-xyz"], { cwd: "/no/such/dir", timeout: 1000 })
    .catch((e) => e);
  assert.match(slow.message, /working directory '\/no\/such\/dir' does not exist$/);
});

Deno.test("checkOutput() refuses options that contradict it", async () => {
  await assert.rejects(
    checkOutput(["echo", "x"], { stdout: "null" }),
    /^TypeError: checkOutput\(\): 'stdout' must be "piped" or left out \(checkOutput\(\) returns stdout\), got "null"$/,
  );
  await assert.rejects(
    checkOutput(["echo", "x"], { stdout: "inherit" }),
    /'stdout' must be "piped"/,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    checkOutput(["false"], { check: false } as any),
    /^TypeError: checkOutput\(\): 'check' must be true or left out \(checkOutput\(\) always checks\), got false$/,
  );
});

Deno.test("run() refuses options it does not have, naming what to use instead", async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { extendEnv: false },
      /^TypeError: run\(\): 'extendEnv' must be a known option \(run\(\) has no 'extendEnv'; for an empty environment, use 'clearEnv: true'\), got false$/,
    ],
    [{ cancelSignal: AbortSignal.abort() }, /'cancelSignal' .*use 'signal'/],
    [{ all: true }, /'all' .*use 'stderr: "stdout"'/],
    [{ shell: true }, /'shell' .*run \['sh', '-c', command\]/],
    [
      { timout: 5 },
      /^TypeError: run\(\): 'timout' must be a known option \(run\(\) has no 'timout'\), got 5$/,
    ],
  ];
  for (const [options, message] of cases) {
    // deno-lint-ignore no-explicit-any
    await assert.rejects(run(["true"], options as any), message);
  }
  // undefined means "not given", for unknown keys too.
  // deno-lint-ignore no-explicit-any
  assert.equal((await run(["true"], { extendEnv: undefined } as any)).code, 0);
});

Deno.test("spawn() refuses run()'s options, naming where they belong", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { timeout: 100 },
      /^TypeError: spawn\(\): 'timeout' must be a known option \(spawn\(\) has no 'timeout'; pass it to wait\(\) or communicate\(\), or use run\(\)\), got 100$/,
    ],
    [{ input: "x" }, /'input' .*pass it to communicate\(\{ input \}\)/],
    [{ signal: AbortSignal.abort() }, /'signal' .*pass it to wait\(\) or communicate\(\)/],
    [{ check: true }, /'check' .*use run\(\)/],
  ];
  for (const [options, message] of cases) {
    // deno-lint-ignore no-explicit-any
    assert.throws(() => spawn(["true"], options as any), message);
  }
});

Deno.test("Subprocess.wait() and communicate() refuse unknown options", async () => {
  await using child = spawn(["true"]);
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    child.wait({ timout: 1 } as any),
    /^TypeError: Subprocess.wait\(\): 'timout'/,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    child.communicate({ maxBuffer: 1 } as any),
    /^TypeError: Subprocess.communicate\(\): 'maxBuffer' must be a known option \(Subprocess.communicate\(\) has no 'maxBuffer'; it is an option of spawn\(\)\), got 1$/,
  );
});

Deno.test("TimeoutExpired from run() says the polite signal worked", async () => {
  const error = await run(["sleep", "10"], { timeout: 0 }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.signal, "SIGTERM");
  assert.equal(error.code, 143);
  assert.match(error.message, /timed out after 0 ms; it was ended by SIGTERM$/);
});

Deno.test("TimeoutExpired from run() says the child ignored the polite signal", async () => {
  // SIGURG is ignored by default, so the polite signal certainly fails, whenever it arrives.
  const error = await run(["sleep", "10"], {
    timeout: 0,
    killSignal: "SIGURG",
    forceKillAfterDelay: 10,
  }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.signal, "SIGKILL");
  assert.equal(error.code, 137);
});

Deno.test("TimeoutExpired reports the exit code of a child that stopped by itself", () => {
  const error = new TimeoutExpired({
    argv: ["server"],
    timeout: 5,
    stdout: "",
    stderr: "",
    code: 3,
    signal: null,
  });
  assert.equal(error.code, 3);
  assert.equal(
    error.message,
    "Command `server` timed out after 5 ms; it exited with status 3",
  );
});

Deno.test("Subprocess.wait() timeout leaves code and signal null: the child still runs", async () => {
  await using child = spawn(["sleep", "10"]);
  const error = await child.wait({ timeout: 0 }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.code, null);
  assert.equal(error.signal, null);
  assert.ok(!isGone(child.pid));
});
