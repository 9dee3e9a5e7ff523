// The features of issue 17: process groups, merged stderr, maxBuffer, piping, pass-through options.
import assert from "node:assert/strict";
import { MaxBufferExceeded, run, spawn, TimeoutExpired } from "./mod.ts";
import { fifo, isDead, killAndWait } from "./_test_utils.ts";

/** Prints the pid of a background `sleep 60` (the grandchild), then runs `rest`. */
function grandchildThen(rest: string): string[] {
  return ["sh", "-c", `sleep 60 >/dev/null 2>&1 & echo $!; ${rest}`];
}

Deno.test("Subprocess with processGroup: disposal stops the grandchildren too", async () => {
  let grandchild: number;
  {
    await using child = spawn(grandchildThen("exec sleep 60"), {
      stdout: "piped",
      processGroup: true,
    });
    const { value } = await child.lines().next();
    grandchild = Number(value);
    assert.ok(!isDead(grandchild));
  }
  assert.ok(isDead(grandchild), "the grandchild was stopped with the group");
});

Deno.test("Subprocess without processGroup: disposal stops the child only", async () => {
  let grandchild: number;
  {
    await using child = spawn(grandchildThen("exec sleep 60"), { stdout: "piped" });
    const { value } = await child.lines().next();
    grandchild = Number(value);
  }
  try {
    assert.ok(!isDead(grandchild), "the grandchild is not in reach without processGroup");
  } finally {
    await killAndWait(grandchild);
  }
});

Deno.test("Subprocess with processGroup: disposal stops what is left after the child exited", async () => {
  let grandchild: number;
  {
    await using child = spawn(grandchildThen("exit 0"), { stdout: "piped", processGroup: true });
    const result = await child.communicate();
    grandchild = Number(result.stdout);
    assert.equal(result.code, 0);
    assert.ok(!isDead(grandchild));
  }
  assert.ok(isDead(grandchild));
});

Deno.test("run() aborted with processGroup stops a grandchild that holds the pipes", async () => {
  // Without the group, the grandchild would keep stdout open after the child is killed.
  await using ready = await fifo();
  const controller = new AbortController();
  const pending = run(["sh", "-c", `sleep 60 & echo $! > '${ready.path}'; exec sleep 60`], {
    signal: controller.signal,
    processGroup: true,
  });
  const grandchild = Number(await ready.read());
  controller.abort("enough");
  await assert.rejects(pending, (e) => e === "enough");
  assert.ok(isDead(grandchild));
});

Deno.test("run() timeout with processGroup reports the group's polite stop", async () => {
  const error = await run(grandchildThen("exec sleep 60"), { timeout: 0, processGroup: true })
    .catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.signal, "SIGTERM");
});

Deno.test("Subprocess.kill() with processGroup signals the whole group", async () => {
  // The grandchild shares stdout, so stdout ends only when it is dead too.
  await using child = spawn(["sh", "-c", "sleep 60 & echo $!; exec sleep 60"], {
    stdout: "piped",
    processGroup: true,
  });
  const lines = child.lines();
  const grandchild = Number((await lines.next()).value);
  child.kill("SIGKILL");
  assert.equal((await child.wait()).signal, "SIGKILL");
  assert.equal((await lines.next()).done, true); // EOF: every holder of the pipe is dead
  assert.ok(isDead(grandchild));
});

Deno.test("processGroup starts the child as the leader of a new session", async () => {
  // Field 6 of /proc/PID/stat is the session id.
  const { stdout } = await run(["sh", "-c", 'echo $$; cut -d" " -f6 /proc/$$/stat'], {
    processGroup: true,
  });
  const [pid, session] = stdout.trim().split("\n");
  assert.equal(session, pid);
});

Deno.test("run() with stderr 'stdout' merges both streams in the order they were written", async () => {
  const script = "for i in 1 2 3 4 5; do echo out$i; echo err$i >&2; done";
  const result = await run(["sh", "-c", script], { stderr: "stdout" });
  assert.equal(
    result.stdout,
    "out1\nerr1\nout2\nerr2\nout3\nerr3\nout4\nerr4\nout5\nerr5\n",
  );
  assert.equal(result.stderr, "");
  // The spawn path keeps the order too.
  const timed = await run(["sh", "-c", script], { stderr: "stdout", timeout: 60_000 });
  assert.equal(timed.stdout, result.stdout);
});

Deno.test("spawn() with stderr 'stdout' streams both through lines(); the pid is the program's", async () => {
  await using child = spawn(["sh", "-c", "echo $$; echo oops >&2"], {
    stdout: "piped",
    stderr: "stdout",
  });
  assert.equal(child.stderr, null);
  const lines: string[] = [];
  for await (const line of child.lines()) lines.push(line);
  assert.deepEqual(lines, [String(child.pid), "oops"]); // sh exec'd the program in place
});

Deno.test("stderr 'stdout' keeps the errors of a missing or unrunnable program", async () => {
  await assert.rejects(
    run(["no-such-program-xyz"], { stderr: "stdout" }),
    /^NotFound: Cannot run 'no-such-program-xyz': program not found on PATH$/,
  );
  const file = await Deno.makeTempFile();
  try {
    await assert.rejects(run([file], { stderr: "stdout" }), Deno.errors.PermissionDenied);
  } finally {
    await Deno.remove(file);
  }
  // Arguments reach the program untouched: no shell parsing.
  const { stdout } = await run(["printf", "%s|", "$HOME", "a b", "-n", "'"], { stderr: "stdout" });
  assert.equal(stdout, "$HOME|a b|-n|'|");
});

Deno.test("run() past maxBuffer stops the child and rejects with what was kept", async () => {
  const error = await run(["yes"], { maxBuffer: 1000 }).catch((e) => e);
  assert.ok(error instanceof MaxBufferExceeded);
  assert.equal(error.stream, "stdout");
  assert.equal(error.maxBuffer, 1000);
  assert.equal(error.stdout, "y\n".repeat(500));
  assert.ok(error.signal !== null, `the child was stopped, got code ${error.code}`);
  assert.match(error.message, /^Command `yes` wrote more than maxBuffer \(1000 bytes\) to stdout/);
});

Deno.test("run() maxBuffer applies to stderr, in bytes, and output up to it is fine", async () => {
  const error = await run(["sh", "-c", "echo ok; head -c 5000 /dev/zero >&2; exec sleep 60"], {
    maxBuffer: 4096,
    encoding: "bytes",
  }).catch((e) => e);
  assert.ok(error instanceof MaxBufferExceeded);
  assert.equal(error.stream, "stderr");
  assert.equal(error.stderr.length, 4096);
  assert.deepEqual(error.stdout, new TextEncoder().encode("ok\n"));
  assert.equal(error.signal, "SIGTERM");
  const exact = await run(["head", "-c", "4096", "/dev/zero"], { maxBuffer: 4096 });
  assert.equal(exact.stdout.length, 4096);
});

Deno.test("Subprocess.communicate() past maxBuffer rejects every call and reaps the child", async () => {
  await using child = spawn(["yes"], { stdout: "piped", maxBuffer: 10 });
  const [a, b] = await Promise.allSettled([child.communicate(), child.communicate()]);
  assert.ok(a.status === "rejected" && a.reason instanceof MaxBufferExceeded);
  assert.ok(b.status === "rejected" && b.reason === a.reason);
  assert.notEqual(child.poll(), null);
});

Deno.test("run() refuses a bad maxBuffer", async () => {
  await assert.rejects(run(["true"], { maxBuffer: -1 }), /^RangeError: run\(\): 'maxBuffer'/);
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    run(["true"], { maxBuffer: "1" as any }),
    /^TypeError: run\(\): 'maxBuffer'/,
  );
});

Deno.test("piping one child into another reports both statuses", async () => {
  await using producer = spawn(["printf", "b\\na\\nc\\n"], { stdout: "piped" });
  const sorted = await run(["sort"], { input: producer.stdout! });
  const first = await producer.wait();
  assert.equal(sorted.stdout, "a\nb\nc\n");
  assert.equal(sorted.code, 0);
  assert.equal(first.code, 0);
});

Deno.test("piping into a child that exits early stops the producer with SIGPIPE, no deadlock", async () => {
  // `yes` never ends by itself; `head` reads one line and exits. The feed stops, the pipe is
  // cancelled, and `yes` dies of SIGPIPE as in `yes | head -n 1`.
  await using producer = spawn(["yes"], { stdout: "piped" });
  const head = await run(["head", "-n", "1"], { input: producer.stdout! });
  assert.equal(head.stdout, "y\n");
  assert.equal((await producer.wait()).signal, "SIGPIPE");
});

Deno.test("piping a failing producer: its status is there to check", async () => {
  await using producer = spawn(["sh", "-c", "echo partial; exit 2"], { stdout: "piped" });
  const consumer = await run(["cat"], { input: producer.stdout! });
  assert.equal(consumer.stdout, "partial\n");
  assert.equal((await producer.wait()).code, 2); // `set -o pipefail`, by hand
});

Deno.test("run() passes uid and gid through", async () => {
  const uid = Deno.uid();
  const gid = Deno.gid();
  assert.ok(uid !== null && gid !== null);
  const { stdout } = await run(["sh", "-c", "id -u; id -g"], { uid, gid });
  assert.equal(stdout, `${uid}\n${gid}\n`);
  await assert.rejects(run(["true"], { uid: -1 }), /^RangeError: run\(\): 'uid'/);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(run(["true"], { gid: "0" as any }), /^TypeError: run\(\): 'gid'/);
});

Deno.test("spawn() passes detached through: a new session, still waited for", async () => {
  await using child = spawn(["sh", "-c", 'cut -d" " -f6 /proc/$$/stat'], {
    stdout: "piped",
    detached: true,
  });
  const { stdout } = await child.communicate();
  assert.equal(stdout.trim(), String(child.pid));
});

Deno.test("children inherit the descriptors Deno inherited, not the files Deno opens", async () => {
  // fd 7 is opened by a shell without close-on-exec, then inherited by a Deno that spawns `ls`:
  // the listing shows fd 7, and not the file the Deno script opened itself.
  const script = `
    const file = await Deno.open("/dev/zero");
    const out = await new Deno.Command("ls", { args: ["-l", "/proc/self/fd/"] }).output();
    file.close();
    console.log(new TextDecoder().decode(out.stdout));`;
  const { stdout } = await run([
    "sh",
    "-c",
    'exec 7</dev/null; exec "$0" eval "$1"',
    Deno.execPath(),
    script,
  ]);
  assert.match(stdout, / 7 -> \/dev\/null/);
  assert.doesNotMatch(stdout, /\/dev\/zero/);
});

Deno.test("stderr 'stdout' with an inherited stdout sends both to the parent's stdout", async () => {
  // A Deno child runs the command with stdout inherited; we capture that child's own streams.
  const mod = new URL("./mod.ts", import.meta.url).href;
  const script = `import { run } from "${mod}";
    await run(["sh", "-c", "echo out; echo err >&2"], { stdout: "inherit", stderr: "stdout" });`;
  const { stdout, stderr, code } = await run([Deno.execPath(), "eval", script]);
  assert.equal(code, 0, stderr);
  assert.equal(stdout, "out\nerr\n");
  assert.equal(stderr, "");
});

Deno.test("stderr 'stdout' finds a relative program from the child's cwd", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/hello.sh`, "#!/bin/sh\necho hi; echo there >&2\n", {
      mode: 0o755,
    });
    const { stdout } = await run(["./hello.sh"], { cwd: dir, stderr: "stdout" });
    assert.equal(stdout, "hi\nthere\n");
    const viaUrl = await run(["./hello.sh"], { cwd: new URL(`file://${dir}/`), stderr: "stdout" });
    assert.equal(viaUrl.stdout, "hi\nthere\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
