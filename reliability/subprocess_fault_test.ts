// Faults around child processes: a child SIGKILLed from outside while communicate() reads it, a
// child that closes stdin while we write 10 MB to it, a child that writes 100 MB that we stream.
// Invariants: only the affected child's call reports the fault (and clearly); nothing it wrote
// before the fault is lost; the other children are untouched; memory stays bounded when
// streaming; no child, pipe or timer leaks (the sanitizers check pipes and timers, `isGone`
// checks reaping).
import assert from "node:assert/strict";
import { CalledProcessError, run, spawn, TimeoutExpired } from "../subprocess/mod.ts";
import { fifo, isDead, isGone } from "../subprocess/_test_utils.ts";
import { repeats, Tally } from "./_harness.ts";

const MB = 1024 * 1024;

/** The named-pipe handshake: the child writes a line when it reaches a point. */
const handshake = fifo;

/** Prints lines 1..n, then tells the handshake its pid, then sleeps with stdout still open. */
function numberedThenSleep(n: number, fifo: string): string[] {
  return ["sh", "-c", `seq 1 ${n}; echo $$ > '${fifo}'; exec sleep 60`];
}

const expectedLines = (n: number): string =>
  Array.from({ length: n }, (_, i) => `${i + 1}\n`).join("");

/** Children that must not notice the fault: each echoes its input through `cat`. */
function bystanders(count: number): Promise<void>[] {
  return Array.from({ length: count }, async (_, i) => {
    const input = `bystander ${i}\n`.repeat(10_000);
    const result = await run(["cat"], { input, check: true });
    assert.equal(result.stdout, input, `bystander ${i} lost output`);
  });
}

Deno.test("Subprocess.communicate() on a child SIGKILLed from outside resolves with SIGKILL and every byte written before", async () => {
  const tally = new Tally("subprocess", "SIGKILL during communicate()", "lines");
  try {
    for (let run = 0; run < repeats(); run++) {
      await using ready = await handshake();
      const others = bystanders(3);
      await using child = spawn(numberedThenSleep(5000, ready.path), { stdout: "piped" });
      const reading = child.communicate();
      const pid = Number((await ready.read()).trim());
      assert.equal(pid, child.pid);
      Deno.kill(pid, "SIGKILL");
      tally.faults++;
      const result = await reading;
      assert.equal(result.signal, "SIGKILL");
      assert.equal(result.code, 137);
      assert.equal(result.stdout, expectedLines(5000), "output written before the kill was lost");
      assert.throws(() => result.checkReturncode(), CalledProcessError);
      await Promise.all(others);
      await child.wait();
      tally.runs++;
      tally.items += 5000;
    }
  } finally {
    tally.flush();
  }
});

Deno.test("run() with check on a child SIGKILLed from outside rejects with a CalledProcessError naming SIGKILL and carrying the output", async () => {
  const tally = new Tally("subprocess", "SIGKILL during run({ check })", "lines");
  try {
    for (let i = 0; i < repeats(); i++) {
      await using ready = await handshake();
      const others = bystanders(3);
      const running = run(numberedThenSleep(2000, ready.path), { check: true });
      const pid = Number((await ready.read()).trim());
      Deno.kill(pid, "SIGKILL");
      tally.faults++;
      const error = await running.then(() => assert.fail("run() resolved"), (e) => e);
      assert.ok(error instanceof CalledProcessError, `${error}`);
      assert.equal(error.signal, "SIGKILL");
      assert.match(error.message, /SIGKILL/);
      assert.equal(error.stdout, expectedLines(2000));
      await Promise.all(others);
      assert.ok(isGone(pid), "the killed child was not reaped");
      tally.runs++;
      tally.items += 2000;
    }
  } finally {
    tally.flush();
  }
});

/** 10 MB of input, as a string, as bytes, or as a stream of 64 KiB chunks (we see it cancelled). */
function inputs(): {
  kind: string;
  input: () => string | Uint8Array | ReadableStream<Uint8Array>;
  cancelled?: () => boolean;
}[] {
  let cancelled = false;
  return [
    { kind: "string", input: () => "x".repeat(10 * MB) },
    { kind: "bytes", input: () => new Uint8Array(10 * MB).fill(120) },
    {
      kind: "stream",
      input: () => {
        let sent = 0;
        return new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= 10 * MB) return controller.close();
            controller.enqueue(new Uint8Array(64 * 1024).fill(120));
            sent += 64 * 1024;
          },
          cancel() {
            cancelled = true;
          },
        }, { highWaterMark: 0 });
      },
      cancelled: () => cancelled,
    },
  ];
}

// Reads 1000 bytes, closes its stdin, then writes 2 MB and exits 0: the rest of our 10 MB meets a
// closed pipe, which is the child's right and must not fail the call or lose its output.
const CLOSES_STDIN = ["sh", "-c", "head -c 1000 >/dev/null; exec 0<&-; head -c 2097152 /dev/zero"];

Deno.test("Subprocess.communicate() writing 10 MB to a child that closes stdin early resolves with all its output", async () => {
  const tally = new Tally("subprocess", "stdin closed under a 10 MB write", "bytes");
  try {
    for (let i = 0; i < repeats(); i++) {
      for (const { kind, input, cancelled } of inputs()) {
        const intact = run(["wc", "-c"], { input: input(), check: true });
        await using child = spawn(CLOSES_STDIN, {
          stdin: "piped",
          stdout: "piped",
          stderr: "piped",
          encoding: "bytes",
        });
        const result = await child.communicate({ input: input() });
        tally.faults++;
        assert.equal(result.code, 0, `${kind}: ${new TextDecoder().decode(result.stderr)}`);
        assert.equal(result.stdout.length, 2 * MB, `${kind}: the child's output was cut`);
        assert.equal(result.stderr.length, 0);
        if (cancelled !== undefined) assert.ok(cancelled(), "the input stream was not cancelled");
        // The child next to it got all 10 MB.
        assert.equal(
          (await intact).stdout.trim(),
          String(10 * MB),
          `${kind}: bystander lost input`,
        );
        tally.runs++;
        tally.items += result.stdout.length + 10 * MB;
      }
    }
  } finally {
    tally.flush();
  }
});

Deno.test("run() writing 10 MB to a child that closes stdin early does not reject", async () => {
  const tally = new Tally("subprocess", "stdin closed under a 10 MB write", "bytes");
  try {
    for (let i = 0; i < repeats(); i++) {
      for (const { kind, input } of inputs()) {
        const result = await run(CLOSES_STDIN, { input: input(), encoding: "bytes", check: true });
        tally.faults++;
        assert.equal(result.stdout.length, 2 * MB, `${kind}: the child's output was cut`);
        tally.runs++;
        tally.items += result.stdout.length;
      }
    }
  } finally {
    tally.flush();
  }
});

/** RSS may grow by at most this much while 100 MiB flow through (measured: ~17 MB, ~35 MB). */
const RSS_BOUND = 64 * MB;

/**
 * Streams 100 MiB of a child's output in a fresh Deno process with a 32 MB V8 heap (so the
 * figure is this stream's alone, and retaining the output would crash it), and returns what the
 * fixture reports.
 */
async function stream100MB(mode: "lines" | "stdout") {
  const fixture = new URL("./testdata/stream_100mb.ts", import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--max-old-space-size=32", fixture.pathname, mode],
    stdin: "null",
  }).output();
  const text = new TextDecoder().decode(stdout);
  assert.equal(code, 0, `the streaming process failed: ${new TextDecoder().decode(stderr)}`);
  return JSON.parse(text) as {
    code: number;
    bytes: number;
    lines: number;
    badLines: number;
    growth: number;
  };
}

Deno.test("Subprocess.lines() streams 100 MB of output in bounded memory, losing no line", async () => {
  const tally = new Tally("subprocess", "100 MB through lines()", "bytes");
  try {
    for (let i = 0; i < repeats(); i++) {
      const r = await stream100MB("lines");
      assert.equal(r.code, 0);
      assert.equal(r.lines, 102_400, "lines were lost");
      assert.equal(r.badLines, 0, "lines were cut or joined");
      assert.equal(r.bytes, 100 * MB);
      assert.ok(r.growth < RSS_BOUND, `RSS grew by ${(r.growth / MB).toFixed(1)} MB`);
      tally.runs++;
      tally.items += r.bytes;
    }
  } finally {
    tally.flush();
  }
});

Deno.test("Subprocess.stdout streams 100 MB in bounded memory, losing no byte", async () => {
  const tally = new Tally("subprocess", "100 MB through stdout", "bytes");
  try {
    for (let i = 0; i < repeats(); i++) {
      const r = await stream100MB("stdout");
      assert.equal(r.code, 0);
      assert.equal(r.bytes, 100 * MB, "bytes were lost");
      assert.ok(r.growth < RSS_BOUND, `RSS grew by ${(r.growth / MB).toFixed(1)} MB`);
      tally.runs++;
      tally.items += r.bytes;
    }
  } finally {
    tally.flush();
  }
});

Deno.test("run() aborted with processGroup stops every grandchild holding the pipes; bystanders finish", async () => {
  const tally = new Tally(
    "subprocess",
    "process group stopped under 20 grandchildren",
    "processes",
  );
  try {
    for (let i = 0; i < repeats(); i++) {
      await using ready = await handshake();
      const others = bystanders(3);
      const controller = new AbortController();
      // 20 background sleeps hold stdout (fd 3 is it) and stderr; their pids come through the
      // fifo, which they must not hold: its read ends only when every writer has closed it.
      const script =
        `exec 3>&1; for i in $(seq 20); do sleep 60 >&3 & echo $!; done > '${ready.path}'; exec sleep 60`;
      const pending = run(["sh", "-c", script], { signal: controller.signal, processGroup: true });
      const pids = (await ready.read()).trim().split("\n").map(Number);
      assert.equal(pids.length, 20);
      controller.abort("stop");
      tally.faults++;
      await assert.rejects(pending, (e) => e === "stop");
      for (const pid of pids) assert.ok(isDead(pid), `grandchild ${pid} survived its group`);
      await Promise.all(others);
      tally.runs++;
      tally.items += pids.length;
    }
  } finally {
    tally.flush();
  }
});

Deno.test("run() timeout with processGroup reports the status of the stopped child", async () => {
  const error = await run(["sh", "-c", "sleep 60 & exec sleep 60"], {
    timeout: 0,
    processGroup: true,
  }).catch((e) => e);
  assert.ok(error instanceof TimeoutExpired);
  assert.equal(error.signal, "SIGTERM");
  assert.equal(error.code, 143);
});
