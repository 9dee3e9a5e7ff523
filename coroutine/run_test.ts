import assert from "node:assert/strict";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import { call } from "./call.ts";
import { withTimeout } from "./with_timeout.ts";
import type { Operation } from "./operation.ts";

function* forever(log: string[], name: string): Operation<void> {
  try {
    yield* sleep(Infinity);
  } finally {
    log.push(name);
  }
}

Deno.test("run() resolves with the body's return value", async () => {
  assert.equal(
    await run(function* () {
      yield* sleep(0);
      return "value";
    }),
    "value",
  );
});

Deno.test("run() rejects with the body's error", async () => {
  const error = new Error("body failed");
  await assert.rejects(
    run(function* () {
      yield* sleep(0);
      throw error;
    }),
    (e) => e === error,
  );
});

Deno.test("run() starts the body synchronously, up to its first pause", async () => {
  const log: string[] = [];
  const done = run(function* () {
    log.push("before");
    yield* sleep(0);
    log.push("after");
  });
  assert.deepEqual(log, ["before"]);
  await done;
  assert.deepEqual(log, ["before", "after"]);
});

Deno.test("run() with an already-aborted signal rejects at once without running the body", async () => {
  let ran = false;
  const reason = new Error("already");
  const done = run(function* () {
    ran = true;
    yield* sleep(0);
  }, { signal: AbortSignal.abort(reason) });
  await assert.rejects(done, (e) => e === reason);
  assert.equal(ran, false);
});

Deno.test("run() aborted rejects with signal.reason after finally blocks ran, children first", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const done = run(function* () {
    yield* spawn(function* () {
      yield* spawn(() => forever(log, "grandchild"));
      yield* forever(log, "child");
    });
    yield* spawn(() => forever(log, "second child"));
    yield* forever(log, "root");
  }, { signal: controller.signal });
  await run(function* () {
    yield* sleep(0); // let every task reach its sleep
  });
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(done, (e) => e === reason);
  // Siblings are cancelled newest first; each task's children before the task itself.
  assert.deepEqual(log, ["second child", "grandchild", "child", "root"]);
});

Deno.test("run() cancellation waits for finally blocks that pause (async cleanup)", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const done = run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        yield* sleep(1);
        log.push("child cleanup done");
        yield* call(Promise.resolve());
      }
    });
    try {
      yield* sleep(Infinity);
    } finally {
      log.push("root cleanup");
    }
  }, { signal: controller.signal });
  await Promise.resolve();
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["child cleanup done", "root cleanup"]);
});

Deno.test("run() timeout rejects with a TimeoutError and clears its timer", async () => {
  const log: string[] = [];
  const done = run(() => forever(log, "root"), { timeout: 5 });
  await assert.rejects(
    done,
    (e: unknown) =>
      e instanceof DOMException && e.name === "TimeoutError" &&
      e.message === "run() timed out after 5 ms",
  );
  assert.deepEqual(log, ["root"]);
  // A run that finishes in time clears its timeout timer (the sanitizer checks nothing is left).
  assert.equal(
    // deno-lint-ignore require-yield
    await run(function* () {
      return 1;
    }, { timeout: 60_000 }),
    1,
  );
});

Deno.test("run() settles only after the children the body left running were cancelled", async () => {
  const log: string[] = [];
  const value = await run(function* () {
    yield* spawn(() => forever(log, "child a"));
    yield* spawn(() => forever(log, "child b"));
    yield* sleep(0);
    log.push("body returns");
    return 5;
  });
  assert.equal(value, 5);
  assert.deepEqual(log, ["body returns", "child b", "child a"]);
});

Deno.test("run() fails a task that yields an operation without the star", async () => {
  await assert.rejects(
    run(function* () {
      // deno-lint-ignore no-explicit-any
      yield sleep(1) as any;
    }),
    { name: "TypeError", message: /use `yield\*` \(with a star\)/ },
  );
});

Deno.test("run() accepts any function returning an operation", async () => {
  const custom: Operation<number> = {
    [Symbol.iterator]: () => ({ next: () => ({ done: true, value: 9 }) }),
  };
  assert.equal(await run(() => custom), 9);
  function* op(): Operation<string> {
    yield* sleep(0);
    return "op";
  }
  assert.equal(await run(() => op()), "op");
});

Deno.test("run() is deterministic: the same program gives the same interleaving every run", async () => {
  async function program(): Promise<string[]> {
    const log: string[] = [];
    await run(function* () {
      const tasks = [];
      for (const name of ["a", "b", "c"]) {
        tasks.push(
          yield* spawn(function* () {
            for (let i = 0; i < 3; i++) {
              log.push(`${name}${i}`);
              if (name === "b") yield* call(Promise.resolve());
              else yield* sleep(0);
            }
            const inner = yield* spawn(function* () {
              log.push(`${name}-inner`);
              return name;
            });
            log.push(`${name} joined ${yield* inner}`);
          }),
        );
      }
      log.push("root spawned all");
      for (const task of tasks) yield* task;
    });
    return log;
  }
  const first = await program();
  assert.deepEqual(first.slice(0, 5), ["root spawned all", "a0", "b0", "c0", "b1"]);
  for (let i = 0; i < 10; i++) assert.deepEqual(await program(), first);
});

Deno.test("run() validates its arguments, naming them", async () => {
  // deno-lint-ignore no-explicit-any
  const r = run as any;
  await assert.rejects(r(undefined), { name: "TypeError", message: /'fn' must be a function/ });
  await assert.rejects(r(42), { name: "TypeError", message: /'fn' must be a function.*got 42/ });
  await assert.rejects(r(() => 42), {
    name: "TypeError",
    message: "run(): 'fn()' must be an operation (an iterable such as a generator), got 42",
  });
  const fn = function* () {};
  await assert.rejects(r(fn, null), { name: "TypeError", message: /'options'/ });
  await assert.rejects(r(fn, { signal: {} }), {
    name: "TypeError",
    message: /run\(\): 'signal' must be an AbortSignal/,
  });
  await assert.rejects(r(fn, { timeout: "10" }), {
    name: "TypeError",
    message: /run\(\): 'timeout' must be a number of milliseconds, got "10"/,
  });
  for (const timeout of [-1, NaN, -Infinity, 2 ** 31]) {
    await assert.rejects(r(fn, { timeout }), {
      name: "RangeError",
      message:
        `run(): 'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got ${timeout}`,
    });
  }
  assert.equal(
    // deno-lint-ignore require-yield
    await run(function* () {
      return 1;
    }, { timeout: Infinity }),
    1,
  );
  assert.equal(
    // deno-lint-ignore require-yield
    await run(function* () {
      return 1.5;
    }, { timeout: 1.5 }),
    1.5,
  );
});

Deno.test("run(): an error thrown by a finally block while cancelling fails the task", async () => {
  const controller = new AbortController();
  const log: string[] = [];
  const done = run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw new Error("child cleanup failed");
      }
    });
    yield* forever(log, "root");
  }, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "child cleanup failed" });
  assert.deepEqual(log, ["root"]);
});

Deno.test("run(): a child failing while being cancelled after the body returned fails the run", async () => {
  await assert.rejects(
    run(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw new Error("late failure");
        }
      });
      yield* sleep(0);
      return "body done";
    }),
    { message: "late failure" },
  );
});

Deno.test("run() with a 0 ms timeout rejects a body that pauses with a TimeoutError (asyncio test_timeout_zero)", async () => {
  const log: string[] = [];
  await assert.rejects(run(() => forever(log, "root"), { timeout: 0 }), {
    name: "TimeoutError",
    message: "run() timed out after 0 ms",
  });
  assert.deepEqual(log, ["root"]);
});

Deno.test("run(): an inner withTimeout() expiring first is caught; run's own timeout still fires later", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(function* () {
      try {
        yield* withTimeout(sleep(Infinity), 0);
      } catch (error) {
        log.push((error as DOMException).message);
      }
      yield* forever(log, "body");
    }, { timeout: 50 }),
    { name: "TimeoutError", message: "run() timed out after 50 ms" },
  );
  assert.deepEqual(log, ["withTimeout() timed out after 0 ms", "body"]);
});
