import assert from "node:assert/strict";
import { CompletedProcess, spawn, Subprocess, TimeoutExpired } from "./mod.ts";
import { fifo, HELD, holdTimers, isDead, isGone, killAndWait } from "./_test_utils.ts";
import { readLines } from "./_lines.ts";

/** Reads stdout up to its first line, through `lines()`, then stops reading (keeps the pipe). */
async function firstLine(child: Subprocess<string>): Promise<string> {
  const lines = child.lines();
  const { value } = await lines.next();
  return value as string;
}

Deno.test("spawn() exposes the pid and the piped streams, null for the others", async () => {
  await using child = spawn(["cat"], { stdin: "piped", stdout: "piped", stderr: "null" });
  assert.ok(child instanceof Subprocess);
  assert.ok(Number.isInteger(child.pid) && child.pid > 0);
  assert.deepEqual(child.argv, ["cat"]);
  assert.ok(child.stdin instanceof WritableStream);
  assert.ok(child.stdout instanceof ReadableStream);
  assert.equal(child.stderr, null);
  await using plain = spawn(["true"]);
  assert.equal(plain.stdin, null);
  assert.equal(plain.stdout, null);
  assert.equal(plain.stderr, null);
});

Deno.test("Subprocess streams can be driven by hand", async () => {
  await using child = spawn(["tr", "a-z", "A-Z"], { stdin: "piped", stdout: "piped" });
  const writer = child.stdin!.getWriter();
  await writer.write(new TextEncoder().encode("shout"));
  await writer.close();
  const text = await new Response(child.stdout).text();
  assert.equal(text, "SHOUT");
  assert.equal((await child.wait()).code, 0);
});

Deno.test("Subprocess.poll() returns null while running and the exit code after", async () => {
  await using child = spawn(["sh", "-c", "read line; exit 7"], { stdin: "piped" });
  assert.equal(child.poll(), null);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(child.poll(), null);
  await child.stdin!.close(); // read gets EOF, the child exits
  await child.wait();
  assert.equal(child.poll(), 7);
});

Deno.test("Subprocess.poll() lets the parent work while the child runs (the seed's loop)", async () => {
  await using proc = spawn(["sleep", "0.3"]);
  const log: string[] = [];
  while (proc.poll() === null) {
    log.push("Working...");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  log.push(`Exit status ${proc.poll()}`);
  assert.ok(log.length >= 2);
  assert.ok(log.slice(0, -1).every((line) => line === "Working..."));
  assert.equal(log.at(-1), "Exit status 0");
});

Deno.test("Subprocess.wait() gives every waiter the same status", async () => {
  await using child = spawn(["sh", "-c", "exit 5"]);
  const [a, b] = await Promise.all([child.wait(), child.wait()]);
  assert.deepEqual(a, b);
  assert.equal(a.code, 5);
  assert.equal(a.success, false);
  assert.equal(a.signal, null);
  assert.deepEqual(await child.wait(), a);
});

Deno.test("Subprocess.wait() timeout rejects with TimeoutExpired and leaves the child running", async () => {
  await using child = spawn(["sleep", "10"]);
  const error = await child.wait({ timeout: 20 }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.timeout, 20);
  assert.deepEqual(error.argv, ["sleep", "10"]);
  assert.equal(child.poll(), null);
  assert.ok(!isGone(child.pid));
  child.kill();
  assert.equal((await child.wait({ timeout: 10_000 })).signal, "SIGKILL");
});

Deno.test("Subprocess.wait() aborted rejects with signal.reason and leaves the child running", async () => {
  await using child = spawn(["sleep", "10"]);
  const controller = new AbortController();
  const promise = child.wait({ signal: controller.signal });
  controller.abort("enough");
  await assert.rejects(promise, (error) => error === "enough");
  assert.equal(child.poll(), null);
  await assert.rejects(
    child.wait({ signal: AbortSignal.abort("already") }),
    (e) => e === "already",
  );
  child.terminate();
  assert.equal((await child.wait()).signal, "SIGTERM");
});

Deno.test("Subprocess.wait() validates its options", async () => {
  await using child = spawn(["true"]);
  await assert.rejects(child.wait({ timeout: -1 }), RangeError);
  await assert.rejects(child.wait({ timeout: NaN }), RangeError);
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    child.wait({ signal: "x" as any }),
    /^TypeError: Subprocess.wait\(\): 'signal' must be an AbortSignal, got "x"$/,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    child.wait(null as any),
    /^TypeError: Subprocess.wait\(\): 'options' must be an object, got null$/,
  );
  // Infinity means no timeout, as everywhere in the package.
  assert.equal((await child.wait({ timeout: Infinity })).code, 0);
});

Deno.test("Subprocess.communicate() returns a CompletedProcess (the seed's echo)", async () => {
  await using proc = spawn(["echo", "Hello from the child!"], { stdout: "piped" });
  const result = await proc.communicate();
  assert.ok(result instanceof CompletedProcess);
  assert.equal(result.stdout, "Hello from the child!\n");
  assert.equal(result.stderr, "");
  assert.equal(result.code, 0);
  assert.equal(proc.poll(), 0);
});

Deno.test("Subprocess.communicate() writes stdin and drains stdout and stderr concurrently", async () => {
  // cat echoes 4 MB of stdin to stdout while a background job writes 4 MB to stderr: done one
  // pipe at a time, this deadlocks after 64 KiB.
  await using child = spawn(["sh", "-c", "head -c 4000000 /dev/zero >&2 & cat; wait"], {
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    encoding: "bytes",
  });
  const result = await child.communicate({
    input: new Uint8Array(4_000_000).fill(1),
    timeout: 60_000,
  });
  assert.equal(result.stdout.length, 4_000_000);
  assert.equal(result.stderr.length, 4_000_000);
  assert.ok(result.stdout.every((byte) => byte === 1));
  assert.ok(result.stderr.every((byte) => byte === 0));
});

Deno.test("Subprocess.communicate() ignores the broken pipe of a child that does not read", async () => {
  await using child = spawn(["sh", "-c", "echo bye; exit 3"], {
    stdin: "piped",
    stdout: "piped",
  });
  const result = await child.communicate({ input: "x".repeat(8_000_000) });
  assert.equal(result.stdout, "bye\n");
  assert.equal(result.code, 3);

  await using streamed = spawn(["true"], { stdin: "piped" });
  let pulled = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      pulled++;
      controller.enqueue(new Uint8Array(65_536));
    },
  });
  assert.equal((await streamed.communicate({ input: endless })).code, 0);
  assert.ok(pulled > 0);
});

Deno.test("Subprocess.communicate() closes a piped stdin when there is no input", async () => {
  await using child = spawn(["cat"], { stdin: "piped", stdout: "piped" });
  const result = await child.communicate({ timeout: 10_000 });
  assert.equal(result.stdout, "");
  assert.equal(result.code, 0);
});

Deno.test("Subprocess.communicate() timeout carries the output so far and can be resumed", async () => {
  await using ready = await fifo();
  await using child = spawn(
    ["sh", "-c", `echo first; echo err >&2; echo > '${ready.path}'; exec sleep 60`],
    { stdout: "piped", stderr: "piped" },
  );
  await ready.read(); // the output is written
  // Each call times out with what was read so far, and the next call reads on: the calls go on
  // until the reading has caught up with what the child wrote (however slow the machine).
  for (;;) {
    const error = await child.communicate({ timeout: 10 }).catch((e) => e);
    assert.ok(error instanceof TimeoutExpired);
    const { stdout, stderr } = error as { stdout: string; stderr: string };
    assert.ok("first\n".startsWith(stdout) && "err\n".startsWith(stderr), "no byte lost");
    assert.equal(error.code, null);
    if (stdout === "first\n" && stderr === "err\n") break;
  }
  assert.equal(child.poll(), null, "the child keeps running");
  child.kill();
  const result = await child.communicate();
  assert.equal(result.stdout, "first\n");
  assert.equal(result.stderr, "err\n");
  assert.equal(result.signal, "SIGKILL");
});

Deno.test("Subprocess.communicate() aborted rejects with signal.reason and leaves the child running", async () => {
  await using child = spawn(["sleep", "10"], { stdout: "piped" });
  const controller = new AbortController();
  const promise = child.communicate({ signal: controller.signal });
  controller.abort(new RangeError("why not"));
  await assert.rejects(promise, RangeError);
  assert.equal(child.poll(), null);
  await assert.rejects(child.communicate({ signal: AbortSignal.abort(7) }), (e) => e === 7);
});

Deno.test("Subprocess.communicate() with encoding 'bytes' returns bytes", async () => {
  await using child = spawn(["printf", "\\001\\002"], { stdout: "piped", encoding: "bytes" });
  const { stdout, stderr } = await child.communicate();
  assert.deepEqual(stdout, new Uint8Array([1, 2]));
  assert.deepEqual(stderr, new Uint8Array(0));
});

Deno.test("Subprocess.communicate() refuses input it cannot send", async () => {
  await using plain = spawn(["true"]);
  await assert.rejects(plain.communicate({ input: "x" }), /'input' needs a piped stdin/);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(plain.communicate({ input: 3 as any }), TypeError);
  await assert.rejects(plain.communicate({ timeout: -5 }), RangeError);
  await using piped = spawn(["cat"], { stdin: "piped", stdout: "piped" });
  assert.equal((await piped.communicate({ input: "once" })).stdout, "once");
  await assert.rejects(piped.communicate({ input: "twice" }), /only be given to the first/);
});

Deno.test("Subprocess.communicate() refuses a stdout that is already being read", async () => {
  await using child = spawn(["echo", "hi"], { stdout: "piped" });
  const reader = child.stdout!.getReader();
  await assert.rejects(child.communicate(), /'stdout' is already being read/);
  assert.equal(new TextDecoder().decode((await reader.read()).value), "hi\n");
  reader.releaseLock();
});

Deno.test("Subprocess.kill() sends SIGKILL by default, or the signal given", async () => {
  await using a = spawn(["sleep", "10"]);
  a.kill();
  assert.equal((await a.wait()).signal, "SIGKILL");
  assert.equal(a.poll(), 137);
  await using b = spawn(["sleep", "10"]);
  b.kill("SIGINT");
  assert.equal((await b.wait()).signal, "SIGINT");
});

Deno.test("Subprocess.kill() after the child has exited does nothing", async () => {
  await using child = spawn(["true"]);
  await child.wait();
  child.kill();
  child.terminate();
  assert.equal(child.poll(), 0);
});

Deno.test("Subprocess.kill() rejects an unknown signal name", async () => {
  await using child = spawn(["true"]);
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => child.kill("KILL" as any),
    /^TypeError: Subprocess.kill\(\): 'signal' must be a signal name such as "SIGTERM" or a signal number, got "KILL"$/,
  );
  assert.throws(() => child.kill(32), RangeError);
  assert.throws(() => child.kill(1.5), TypeError);
});

Deno.test("Subprocess.terminate() sends SIGTERM", async () => {
  await using child = spawn(["sleep", "10"]);
  child.terminate();
  const status = await child.wait();
  assert.equal(status.signal, "SIGTERM");
  assert.equal(status.code, 143);
});

Deno.test("Subprocess.lines() yields stdout line by line without line endings", async () => {
  await using child = spawn(["printf", "a\\nb\\r\\n\\nlast"], { stdout: "piped" });
  const lines: string[] = [];
  for await (const line of child.lines()) lines.push(line);
  assert.deepEqual(lines, ["a", "b", "", "last"]);
  assert.equal((await child.wait()).code, 0);
});

Deno.test("Subprocess.lines() decodes characters split across chunks", async () => {
  await using child = spawn(["sh", "-c", "yes 'é€😀' | head -n 50000"], { stdout: "piped" });
  let count = 0;
  for await (const line of child.lines()) {
    assert.equal(line, "é€😀");
    count++;
  }
  assert.equal(count, 50_000);
});

Deno.test("Subprocess.lines() closes stdout when the loop breaks", async () => {
  await using child = spawn(["yes"], { stdout: "piped" });
  let count = 0;
  for await (const line of child.lines()) {
    assert.equal(line, "y");
    if (++count === 3) break;
  }
  // yes gets SIGPIPE once nobody reads its output.
  assert.equal((await child.wait({ timeout: 10_000 })).signal, "SIGPIPE");
  assert.equal(child.stdout!.locked, false);
});

Deno.test("Subprocess.lines() refuses a stdout that is not piped or already read", async () => {
  await using plain = spawn(["true"]);
  assert.throws(() => plain.lines(), /stdout is not piped/);
  await using piped = spawn(["echo"], { stdout: "piped" });
  const lines = piped.lines();
  assert.throws(() => piped.lines(), /already being read/);
  for await (const _ of lines) { /* drain */ }
});

Deno.test("Subprocess[Symbol.asyncDispose] kills a running child and reaps it", async () => {
  let child: Subprocess | undefined;
  {
    await using sleeper = spawn(["sleep", "10"]);
    child = sleeper;
    assert.equal(child.poll(), null);
  }
  assert.equal(child.poll(), 143);
  assert.ok(isGone(child.pid));
});

Deno.test("Subprocess[Symbol.asyncDispose] escalates to SIGKILL after forceKillAfterDelay", async () => {
  // The child reports each SIGTERM on stdout and lives on. The grace period is virtual: it
  // passes when the test says, after the child has reported the SIGTERM.
  using clock = holdTimers(HELD);
  const child = spawn(
    ["sh", "-c", "trap 'echo TERM' TERM; sleep 60 >/dev/null & echo $!; while :; do wait; done"],
    { stdout: "piped", forceKillAfterDelay: HELD },
  );
  const lines = child.lines();
  const grandchild = Number((await lines.next()).value); // the trap is set
  try {
    const disposing = child[Symbol.asyncDispose]();
    assert.equal((await lines.next()).value, "TERM", "SIGTERM came first");
    assert.equal(clock.held, 1, "the grace period is running");
    assert.equal(child.poll(), null, "SIGTERM did not end the child, and no SIGKILL came yet");
    clock.fire();
    await disposing;
    assert.equal(child.poll(), 137, "SIGKILL ended the child once the grace period passed");
    assert.equal((await child.wait()).signal, "SIGKILL");
    assert.ok(isGone(child.pid));
    assert.equal((await lines.next()).done, true);
  } finally {
    await child[Symbol.asyncDispose]();
    await killAndWait(grandchild);
  }
});

Deno.test("Subprocess[Symbol.asyncDispose] uses killSignal first", async () => {
  let child: Subprocess | undefined;
  {
    await using sleeper = spawn(["sleep", "10"], { killSignal: "SIGINT" });
    child = sleeper;
  }
  assert.equal(child.poll(), 130);
});

Deno.test("Subprocess[Symbol.asyncDispose] with forceKillAfterDelay false waits for the child", async () => {
  let child: Subprocess | undefined;
  let grandchild = 0;
  try {
    {
      await using polite = spawn(
        ["sh", "-c", "trap 'exit 4' TERM; sleep 60 >/dev/null & echo $!; wait"],
        { stdout: "piped", forceKillAfterDelay: false },
      );
      child = polite;
      grandchild = Number(await firstLine(polite)); // the trap is set
    }
    assert.equal(child.poll(), 4, "the child ended itself on SIGTERM; no SIGKILL came");
  } finally {
    if (grandchild > 0) await killAndWait(grandchild);
  }
});

Deno.test("Subprocess[Symbol.asyncDispose] closes pipes that were never used", async () => {
  {
    await using _child = spawn(["cat"], { stdin: "piped", stdout: "piped", stderr: "piped" });
  }
  {
    await using child = spawn(["echo", "unread"], { stdout: "piped", stderr: "piped" });
    await child.wait();
  }
  // The resource sanitizer fails this test if a pipe were left open.
});

Deno.test("Subprocess[Symbol.asyncDispose] ends a pending communicate() with the killed status", async () => {
  let pending: Promise<CompletedProcess> | undefined;
  {
    await using child = spawn(["sh", "-c", "echo started; exec sleep 10"], { stdout: "piped" });
    pending = child.communicate();
    assert.equal(await firstLineOf(pending, child), "started");
  }
  const result = await pending;
  assert.equal(result.signal, "SIGTERM");
  assert.equal(result.stdout, "started\n");
});

/** Waits until the pending `communicate()` has read a line, by asking for its output so far. */
async function firstLineOf(pending: Promise<CompletedProcess>, child: Subprocess): Promise<string> {
  for (;;) {
    const error = await child.communicate({ timeout: 20 }).catch((e) => e);
    if (error instanceof TimeoutExpired && error.stdout !== "") {
      return (error.stdout as string).split("\n")[0] ?? "";
    }
    if (!(error instanceof TimeoutExpired)) return (await pending).stdout.split("\n")[0] ?? "";
  }
}

Deno.test("Subprocess[Symbol.asyncDispose] does not hang on a grandchild holding the pipes", async () => {
  // The grandchild shares stdout and stderr and outlives the child: the pipes never reach EOF.
  await using ready = await fifo();
  let grandchild = 0;
  try {
    let pending: Promise<CompletedProcess> | undefined;
    {
      await using child = spawn(
        ["sh", "-c", `sleep 60 & echo $! > '${ready.path}'; exec sleep 60`],
        { stdout: "piped", stderr: "piped" },
      );
      grandchild = Number(await ready.read());
      pending = child.communicate();
    }
    const result = await pending;
    assert.equal(result.signal, "SIGTERM");
    assert.ok(!isDead(grandchild), "disposal finished while the grandchild held the pipes");
  } finally {
    if (grandchild > 0) await killAndWait(grandchild);
  }
});

Deno.test("Subprocess[Symbol.asyncDispose] on an exited child only reaps it", async () => {
  const child = spawn(["sh", "-c", "exit 2"]);
  await child.wait();
  await child[Symbol.asyncDispose]();
  await child[Symbol.asyncDispose]();
  assert.equal(child.poll(), 2);
});

Deno.test("spawn() runs its children in parallel", async () => {
  // Each child reports its pid, then blocks on its stdin, which is fed only once all ten have
  // reported: the ten run at the same time, or this never finishes. How fast is in
  // bench/subprocess_bench.ts.
  const children = Array.from(
    { length: 10 },
    () =>
      spawn(["sh", "-c", 'echo $$; read line; echo "$line"'], { stdin: "piped", stdout: "piped" }),
  );
  try {
    const lines = children.map((child) => child.lines());
    const pids = await Promise.all(lines.map(async (it) => Number((await it.next()).value)));
    assert.deepEqual(pids, children.map((child) => child.pid));
    assert.ok(children.every((child) => child.poll() === null && !isGone(child.pid)));
    for (const child of children) {
      const writer = child.stdin!.getWriter();
      await writer.write(new TextEncoder().encode("go\n"));
      await writer.close();
    }
    for (const it of lines) assert.deepEqual(await Array.fromAsync(it), ["go"]);
    for (const child of children) assert.equal((await child.wait()).code, 0);
  } finally {
    for (const child of children) await child[Symbol.asyncDispose]();
  }
});

Deno.test("spawn() of a missing program throws an error naming it", () => {
  assert.throws(
    () => spawn(["no-such-program-xyz", "--flag"]),
    (error) => {
      assert.ok(error instanceof Deno.errors.NotFound);
      assert.match(error.message, /^Cannot run 'no-such-program-xyz': program not found on PATH/);
      assert.ok(error.cause instanceof Deno.errors.NotFound);
      return true;
    },
  );
  assert.throws(() => spawn(["./no/such/program"]), /'\.\/no\/such\/program': program not found$/);
});

Deno.test("spawn() rejects bad arguments before spawning", () => {
  // deno-lint-ignore no-explicit-any
  const bad: [any, any, ErrorConstructor, RegExp][] = [
    [[], undefined, TypeError, /'argv' must be a non-empty array/],
    [[1], undefined, TypeError, /'argv\[0\]' must be a string, got 1/],
    [["true"], { stdin: "pipe" }, TypeError, /'stdin' must be "piped", "inherit" or "null"/],
    [["true"], { encoding: "latin1" }, TypeError, /'encoding' must be "utf-8" or "bytes"/],
    [["true"], { killSignal: "sigterm" }, TypeError, /'killSignal' must be a signal name/],
    [["true"], { forceKillAfterDelay: "1" }, TypeError, /'forceKillAfterDelay'/],
    [["true"], { forceKillAfterDelay: -0.5 }, RangeError, /'forceKillAfterDelay'/],
    [["true"], { env: [] }, TypeError, /'env' must be an object of strings/],
  ];
  for (const [argv, options, type, message] of bad) {
    assert.throws(() => spawn(argv, options), (error) => {
      assert.ok(error instanceof type, `${message}: got ${error}`);
      assert.match((error as Error).message, /^spawn\(\): /);
      assert.match((error as Error).message, message);
      return true;
    });
  }
});

Deno.test("Subprocess.lines() yields one 32 MiB line whole", async () => {
  const size = 32 * 1024 * 1024;
  await using child = spawn([
    "sh",
    "-c",
    `head -c ${size} /dev/zero | tr '\\0' a; printf '\\r\\nend'`,
  ], {
    stdout: "piped",
  });
  const lines: string[] = [];
  for await (const line of child.lines()) lines.push(line);
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.length, size);
  assert.ok(/^a+$/.test(lines[0] ?? ""));
  assert.equal(lines[1], "end");
});

Deno.test("readLines() splits lines, \\r\\n and characters across one-byte chunks", async () => {
  const bytes = new TextEncoder().encode("é1\r\n\nx\r\r\n€ last\r");
  const stream = ReadableStream.from(Array.from(bytes, (byte) => new Uint8Array([byte])));
  const lines: string[] = [];
  for await (const line of readLines(stream.getReader(), () => {})) lines.push(line);
  assert.deepEqual(lines, ["é1", "", "x\r", "€ last\r"]);
});

Deno.test("readLines() drops a byte order mark only at the start of the stream", async () => {
  const bom = [0xef, 0xbb, 0xbf];
  const bytes = new Uint8Array([...bom, 97, 10, ...bom, 98, 10, 99]);
  const stream = ReadableStream.from([bytes.subarray(0, 5), bytes.subarray(5)]);
  const lines: string[] = [];
  for await (const line of readLines(stream.getReader(), () => {})) lines.push(line);
  assert.deepEqual(lines, ["a", "\ufeffb", "c"]);
});
