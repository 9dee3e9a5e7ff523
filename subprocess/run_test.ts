import assert from "node:assert/strict";
import {
  CalledProcessError,
  checkOutput,
  CompletedProcess,
  run,
  SubprocessError,
  TimeoutExpired,
} from "./mod.ts";
import { fifo, HELD, holdTimers, isDead, isGone, killAndWait } from "./_test_utils.ts";

/** Counts the `Deno.Command`s made while `fn` runs. */
async function commandsMadeDuring(fn: () => Promise<unknown>): Promise<number> {
  const Original = Deno.Command;
  let count = 0;
  const Counting = class extends Original {
    constructor(...args: ConstructorParameters<typeof Original>) {
      count++;
      super(...args);
    }
  };
  Object.defineProperty(Deno, "Command", { value: Counting, configurable: true, writable: true });
  try {
    await fn();
  } finally {
    Object.defineProperty(Deno, "Command", { value: Original, configurable: true, writable: true });
  }
  return count;
}

function megabytes(n: number): Uint8Array {
  return new Uint8Array(n * 1_000_000).fill(97);
}

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return ReadableStream.from(chunks);
}

Deno.test("run() captures stdout and stderr as UTF-8 text by default", async () => {
  const result = await run(["sh", "-c", "printf 'h\\303\\251llo\\n'; echo oops >&2; exit 3"]);
  assert.ok(result instanceof CompletedProcess);
  assert.deepEqual(result.argv, ["sh", "-c", "printf 'h\\303\\251llo\\n'; echo oops >&2; exit 3"]);
  assert.equal(result.stdout, "héllo\n");
  assert.equal(result.stderr, "oops\n");
  assert.equal(result.code, 3);
  assert.equal(result.signal, null);
  assert.equal(result.success, false);
});

Deno.test("run() with encoding 'bytes' returns Uint8Array output", async () => {
  const result = await run(["sh", "-c", "printf '\\377\\000'; printf '\\001' >&2"], {
    encoding: "bytes",
  });
  assert.deepEqual(result.stdout, new Uint8Array([255, 0]));
  assert.deepEqual(result.stderr, new Uint8Array([1]));
});

Deno.test("run() returns empty output for streams that are not piped", async () => {
  const text = await run(["sh", "-c", "echo out; echo err >&2"], {
    stdout: "null",
    stderr: "null",
  });
  assert.equal(text.stdout, "");
  assert.equal(text.stderr, "");
  const bytes = await run(["true"], { stdout: "null", stderr: "null", encoding: "bytes" });
  assert.deepEqual(bytes.stdout, new Uint8Array(0));
  // The same through the spawn path (a timeout is set).
  const slow = await run(["echo", "x"], { stdout: "null", timeout: 10_000 });
  assert.equal(slow.stdout, "");
  assert.equal(slow.code, 0);
});

Deno.test("run() sends string, bytes and stream input to stdin", async () => {
  assert.equal((await run(["cat"], { input: "héllo" })).stdout, "héllo");
  assert.equal((await run(["cat"], { input: new Uint8Array([104, 105]) })).stdout, "hi");
  const stream = streamOf([new Uint8Array([97]), new Uint8Array([98]), new Uint8Array([99])]);
  assert.equal((await run(["cat"], { input: stream })).stdout, "abc");
  assert.equal((await run(["cat"], { input: "" })).stdout, "");
});

Deno.test("run() stdin defaults to /dev/null", async () => {
  const result = await run(["cat"], { timeout: 10_000 });
  assert.equal(result.stdout, "");
  assert.equal(result.code, 0);
});

Deno.test("run() with stdin 'piped' and no input gives the child an empty stdin", async () => {
  const result = await run(["cat"], { stdin: "piped" });
  assert.equal(result.stdout, "");
  assert.equal(result.code, 0);
});

Deno.test("run() with a child that exits without reading its input does not reject", async () => {
  const bytes = await run(["true"], { input: megabytes(8) });
  assert.equal(bytes.code, 0);
  const text = await run(["sh", "-c", "exit 4"], { input: "x".repeat(4_000_000) });
  assert.equal(text.code, 4);
  const chunks = Array.from({ length: 100 }, () => new Uint8Array(100_000));
  const stream = await run(["head", "-c", "10"], { input: streamOf(chunks) });
  assert.equal(stream.stdout.length, 10);
  assert.equal(stream.code, 0);
});

Deno.test("run() never deadlocks on megabytes of stdin, stdout and stderr at once", async () => {
  // cat echoes 4 MB of stdin to stdout while a background job writes 4 MB to stderr.
  const result = await run(["sh", "-c", "head -c 4000000 /dev/zero >&2 & cat; wait"], {
    input: megabytes(4),
    encoding: "bytes",
    timeout: 60_000,
  });
  assert.equal(result.code, 0);
  assert.equal(result.stdout.length, 4_000_000);
  assert.equal(result.stderr.length, 4_000_000);
  assert.ok(result.stdout.every((byte) => byte === 97));
});

Deno.test("run() captures large output on the fast path", async () => {
  const result = await run(["head", "-c", "3000000", "/dev/zero"], { encoding: "bytes" });
  assert.equal(result.stdout.length, 3_000_000);
});

Deno.test("run() resolves on a non-zero exit unless check is set", async () => {
  const result = await run(["false"]);
  assert.equal(result.code, 1);
  assert.equal(result.success, false);
});

Deno.test("run() with check rejects with a CalledProcessError naming command, code and stderr", async () => {
  const argv = [
    "sh",
    "-c",
    "echo partial; echo 'first problem' >&2; echo 'last words' >&2; exit 3",
  ];
  const error = await run(argv, { check: true }).catch((e) => e);
  assert.ok(error instanceof CalledProcessError);
  assert.ok(error instanceof SubprocessError);
  assert.equal(error.code, 3);
  assert.equal(error.signal, null);
  assert.deepEqual(error.argv, argv);
  assert.equal(error.stdout, "partial\n");
  assert.equal(error.stderr, "first problem\nlast words\n");
  assert.match(error.message, /^Command `sh -c .*` returned non-zero exit status 3: /);
  assert.match(error.message, /first problem\nlast words$/);
  // The same through the spawn path.
  const slow = await run(argv, { check: true, timeout: 10_000 }).catch((e) => e);
  assert.ok(slow instanceof CalledProcessError);
  assert.equal(slow.code, 3);
});

Deno.test("run() with check resolves when the child succeeds", async () => {
  const result = await run(["echo", "ok"], { check: true });
  assert.equal(result.stdout, "ok\n");
});

Deno.test("run() timeout kills and reaps the child, then rejects with the output so far", async () => {
  // The timeout passes once the child has written its output (it then tells the fifo).
  await using ready = await fifo();
  using clock = holdTimers(HELD);
  const pending = run([
    "sh",
    "-c",
    `echo $$; echo working >&2; echo > '${ready.path}'; exec sleep 60`,
  ], {
    timeout: HELD,
  });
  await ready.read();
  clock.fire();
  const error = await pending.catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.timeout, HELD);
  assert.equal(error.argv[0], "sh");
  assert.equal(error.stderr, "working\n");
  assert.match(error.message, new RegExp(`timed out after ${HELD} ms`));
  assert.equal(error.signal, "SIGTERM");
  const pid = Number((error.stdout as string).trim());
  assert.ok(pid > 0);
  assert.ok(isGone(pid), "the child was reaped");
});

Deno.test("run() timeout with encoding 'bytes' carries bytes", async () => {
  await using ready = await fifo();
  using clock = holdTimers(HELD);
  const pending = run(["sh", "-c", `printf '\\377'; echo > '${ready.path}'; exec sleep 60`], {
    timeout: HELD,
    encoding: "bytes",
  });
  await ready.read();
  clock.fire();
  const error = await pending.catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.deepEqual(error.stdout, new Uint8Array([255]));
});

Deno.test("run() timeout escalates to SIGKILL for a child that ignores SIGTERM", async () => {
  // The ignored SIGTERM is inherited through exec; the timeout passes once the trap is set.
  await using ready = await fifo();
  using clock = holdTimers(HELD);
  const pending = run(["sh", "-c", `trap '' TERM; echo $$ > '${ready.path}'; exec sleep 60`], {
    timeout: HELD,
    forceKillAfterDelay: 200,
  });
  const pid = Number(await ready.read());
  clock.fire();
  const error = await pending.catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.signal, "SIGKILL", "SIGTERM was ignored, SIGKILL ended the child");
  assert.equal(error.code, 137);
  assert.ok(isGone(pid), "the child was reaped");
});

Deno.test("run() timeout kills a shell that ignores SIGTERM while its grandchild holds the pipes", async () => {
  // The background `sleep` keeps stdout and stderr open after the shell is killed (it inherits
  // the ignored SIGTERM too); run() signals the child only, so the test ends the grandchild.
  await using ready = await fifo();
  using clock = holdTimers(HELD);
  const script = `trap '' TERM; sleep 60 & echo $$ $! > '${ready.path}'; while :; do wait; done`;
  const pending = run(["sh", "-c", script], { timeout: HELD, forceKillAfterDelay: 100 });
  const [shell = 0, grandchild = 0] = (await ready.read()).trim().split(" ").map(Number);
  try {
    clock.fire();
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof TimeoutExpired);
    assert.equal(error.signal, "SIGKILL", "SIGTERM was ignored, SIGKILL ended the shell");
    assert.ok(isGone(shell), "the shell was reaped");
    assert.ok(!isDead(grandchild), "run() settled while the grandchild still held the pipes");
  } finally {
    await killAndWait(grandchild);
  }
});

Deno.test("run() timeout sends killSignal first", async () => {
  // The child records the signal it gets in a file, then exits with 9 from its SIGINT trap.
  await using ready = await fifo();
  const file = await Deno.makeTempFile();
  let grandchild = 0;
  try {
    using clock = holdTimers(HELD);
    const pending = run([
      "sh",
      "-c",
      `trap 'echo INT > ${file}; exit 9' INT; trap 'echo TERM > ${file}' TERM; ` +
      `sleep 60 & echo $! > '${ready.path}'; wait`,
    ], { timeout: HELD, killSignal: "SIGINT" });
    grandchild = Number(await ready.read());
    clock.fire();
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof TimeoutExpired);
    assert.equal(error.code, 9, "the SIGINT trap ended the child");
    assert.equal(error.signal, null);
    assert.equal(await Deno.readTextFile(file), "INT\n", "no SIGTERM came before SIGINT");
  } finally {
    if (grandchild > 0) await killAndWait(grandchild);
    await Deno.remove(file);
  }
});

Deno.test("run() timeout does not hang on a grandchild that keeps the pipes open", async () => {
  await using ready = await fifo();
  using clock = holdTimers(HELD);
  const pending = run(["sh", "-c", `sleep 60 & echo $! > '${ready.path}'; exec sleep 60`], {
    timeout: HELD,
  });
  const grandchild = Number(await ready.read());
  try {
    clock.fire();
    const error = await pending.catch((e) => e);
    assert.ok(error instanceof TimeoutExpired);
    assert.equal(error.signal, "SIGTERM");
    assert.ok(!isDead(grandchild), "run() settled while the grandchild still held the pipes");
  } finally {
    await killAndWait(grandchild);
  }
});

Deno.test("run() timeout 0 and fractional timeouts are accepted", async () => {
  await assert.rejects(run(["sleep", "10"], { timeout: 0 }), TimeoutExpired);
  const error = await run(["sleep", "10"], { timeout: 1.5 }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.timeout, 1.5);
});

Deno.test("run() aborted while running rejects with signal.reason", async () => {
  const controller = new AbortController();
  const reason = new Error("stop it");
  const promise = run(["sleep", "10"], { signal: controller.signal });
  controller.abort(reason);
  await assert.rejects(promise, (error) => error === reason);
});

Deno.test("run() aborted reaps the child", async () => {
  // The child's pid is learned through a second, piped-through channel: a temp file.
  const file = await Deno.makeTempFile();
  try {
    const controller = new AbortController();
    const promise = run(["sh", "-c", `echo $$ > ${file}; exec sleep 10`], {
      signal: controller.signal,
    });
    let pid = 0;
    while (pid === 0) {
      pid = Number((await Deno.readTextFile(file)).trim()) || 0;
      if (pid === 0) await run(["true"]); // yield to the child without a timer
    }
    controller.abort();
    await assert.rejects(promise, (error) => (error as Error).name === "AbortError");
    assert.ok(isGone(pid));
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("run() with an already-aborted signal never spawns", async () => {
  const reason = new Error("too late");
  const made = await commandsMadeDuring(async () => {
    await assert.rejects(
      run(["touch", "/nonexistent-dir/should-not-exist"], { signal: AbortSignal.abort(reason) }),
      (error) => error === reason,
    );
  });
  assert.equal(made, 0);
});

Deno.test("run() rejects bad arguments before spawning anything", async () => {
  const bad: [unknown, unknown, ErrorConstructor, RegExp][] = [
    [[], undefined, TypeError, /'argv' must be a non-empty array of strings, got an array/],
    ["ls", undefined, TypeError, /'argv' must be an array of strings, got "ls"/],
    [["ls", 1], undefined, TypeError, /'argv\[1\]' must be a string, got 1/],
    [[""], undefined, TypeError, /'argv\[0\]' must be a non-empty string \(the program\)/],
    [["true"], 5, TypeError, /'options' must be an object, got 5/],
    [["true"], { timeout: NaN }, RangeError, /'timeout' must be a number .* got NaN/],
    [["true"], { timeout: -1 }, RangeError, /'timeout' .* got -1/],
    [["true"], { timeout: "1" }, TypeError, /'timeout' must be a number .* got "1"/],
    [
      ["true"],
      { encoding: "utf8" },
      TypeError,
      /'encoding' must be "utf-8" or "bytes", got "utf8"/,
    ],
    [["true"], { stdout: "pipe" }, TypeError, /'stdout' must be "piped", "inherit" or "null"/],
    [["true"], { stderr: true }, TypeError, /'stderr' must be/],
    [["true"], { stdin: "piped!" }, TypeError, /'stdin' must be/],
    [["true"], { killSignal: "TERM" }, TypeError, /'killSignal' must be a signal name/],
    [["true"], { forceKillAfterDelay: -1 }, RangeError, /'forceKillAfterDelay' .* got -1/],
    [["true"], { forceKillAfterDelay: NaN }, RangeError, /'forceKillAfterDelay' .* got NaN/],
    [["true"], { forceKillAfterDelay: true }, TypeError, /'forceKillAfterDelay'/],
    [["true"], { input: 42 }, TypeError, /'input' must be a string, a Uint8Array or a Readable/],
    [
      ["true"],
      { input: "x", stdin: "inherit" },
      TypeError,
      /'stdin' must be "piped" or left out when 'input' is given, got "inherit"/,
    ],
    [["true"], { check: "yes" }, TypeError, /'check' must be a boolean, got "yes"/],
    [["true"], { signal: {} }, TypeError, /'signal' must be an AbortSignal/],
    [["true"], { cwd: 1 }, TypeError, /'cwd' must be a string or a URL, got 1/],
    [["true"], { env: { A: 1 } }, TypeError, /'env.A' must be a string, got 1/],
    [["true"], { clearEnv: 1 }, TypeError, /'clearEnv' must be a boolean/],
  ];
  const made = await commandsMadeDuring(async () => {
    for (const [argv, options, type, message] of bad) {
      await assert.rejects(
        // deno-lint-ignore no-explicit-any
        run(argv as any, options as any),
        (error) => {
          assert.ok(error instanceof type, `${message}: got ${error}`);
          assert.match((error as Error).message, /^run\(\): /);
          assert.match((error as Error).message, message);
          return true;
        },
      );
    }
  });
  assert.equal(made, 0);
});

Deno.test("run() of a missing program rejects with an error naming it", async () => {
  const error = await run(["no-such-program-xyz"]).catch((e) => e);
  assert.ok(error instanceof Deno.errors.NotFound);
  assert.match(error.message, /'no-such-program-xyz'/);
  assert.ok(error.cause instanceof Deno.errors.NotFound);
  // The spawn path reports it the same way.
  const slow = await run(["no-such-program-xyz"], { timeout: 1000 }).catch((e) => e);
  assert.ok(slow instanceof Deno.errors.NotFound);
  assert.match(slow.message, /'no-such-program-xyz'/);
});

Deno.test("run() of a file that is not executable rejects with an error naming it", async () => {
  const file = await Deno.makeTempFile();
  try {
    const error = await run([file]).catch((e) => e);
    assert.ok(error instanceof Deno.errors.PermissionDenied);
    assert.ok(error.message.includes(file));
    assert.ok(error.cause instanceof Deno.errors.PermissionDenied);
  } finally {
    await Deno.remove(file);
  }
});

Deno.test("run() with a missing cwd rejects with an error naming it", async () => {
  const error = await run(["true"], { cwd: "/no/such/dir" }).catch((e) => e);
  assert.ok(error instanceof Deno.errors.NotFound);
  assert.match(error.message, /'\/no\/such\/dir' does not exist/);
});

Deno.test("run() passes cwd, env and clearEnv to the child", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal((await run(["pwd"], { cwd: dir })).stdout.trim(), await Deno.realPath(dir));
    const env = await run(["sh", "-c", "echo $GREETING"], { env: { GREETING: "hi" } });
    assert.equal(env.stdout, "hi\n");
    const clear = await run(["/usr/bin/env"], { env: { ONLY: "1" }, clearEnv: true });
    assert.equal(clear.stdout, "ONLY=1\n");
  } finally {
    await Deno.remove(dir);
  }
});

Deno.test("run() runs its children in parallel", async () => {
  // Each child reports that it started, then blocks on its stdin, which is fed only once all ten
  // have reported: the ten run at the same time, or this never finishes. How fast is in
  // bench/subprocess_bench.ts.
  const readies = await Promise.all(Array.from({ length: 10 }, () => fifo()));
  try {
    const feeds = readies.map(() => new TransformStream<Uint8Array, Uint8Array>());
    const pending = readies.map((ready, i) =>
      run(["sh", "-c", `echo $$ > '${ready.path}'; read line; echo "$line $$"`], {
        input: feeds[i]!.readable,
      })
    );
    const pids = await Promise.all(readies.map(async (ready) => Number(await ready.read())));
    assert.equal(new Set(pids).size, 10);
    assert.ok(pids.every((pid) => !isDead(pid)), "all ten are running at once");
    for (const feed of feeds) {
      const writer = feed.writable.getWriter();
      await writer.write(new TextEncoder().encode("go\n"));
      await writer.close();
    }
    const results = await Promise.all(pending);
    assert.deepEqual(results.map((result) => result.stdout), pids.map((pid) => `go ${pid}\n`));
    assert.ok(results.every((result) => result.success));
  } finally {
    for (const ready of readies) await ready[Symbol.asyncDispose]();
  }
});

Deno.test("checkOutput() returns stdout", async () => {
  assert.equal(await checkOutput(["echo", "hello"]), "hello\n");
  assert.deepEqual(await checkOutput(["printf", "A"], { encoding: "bytes" }), new Uint8Array([65]));
  assert.equal(await checkOutput(["cat"], { input: "piped" }), "piped");
});

Deno.test("checkOutput() rejects with a CalledProcessError on failure", async () => {
  const error = await checkOutput(["sh", "-c", "echo bad >&2; exit 2"]).catch((e) => e);
  assert.ok(error instanceof CalledProcessError);
  assert.equal(error.code, 2);
  assert.match(error.message, /exit status 2: bad$/);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(checkOutput(["false"], { check: true } as any), CalledProcessError);
});

Deno.test("checkOutput() validates its arguments", async () => {
  // deno-lint-ignore no-explicit-any
  await assert.rejects(checkOutput(["true"], 3 as any), TypeError);
  await assert.rejects(checkOutput([], {}), TypeError);
});
