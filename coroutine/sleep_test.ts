import assert from "node:assert/strict";
import { call } from "./call.ts";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";

Deno.test("sleep() pauses the task for at least the given time, never waking early", async () => {
  // A lower bound only: a busy machine may wake it late, never early (a host timer that fires
  // before the deadline re-arms).
  const start = performance.now();
  await run(function* () {
    yield* sleep(30);
  });
  assert.ok(performance.now() - start >= 30);
});

Deno.test("sleep() wakes tasks by deadline, then in the order they began sleeping", async () => {
  // Freeze the clock while the tasks start so several deadlines are exactly equal.
  const now = performance.now;
  const log: string[] = [];
  let done: Promise<void>;
  performance.now = () => 0;
  try {
    done = run(function* () {
      const tasks = [];
      for (const [name, ms] of [["a", 20], ["b", 10], ["c", 10], ["d", 0], ["e", 10]] as const) {
        tasks.push(
          yield* spawn(function* () {
            yield* sleep(ms);
            log.push(name);
          }),
        );
      }
      for (const t of tasks) yield* t;
    });
  } finally {
    performance.now = now;
  }
  await done;
  assert.deepEqual(log, ["d", "b", "c", "e", "a"]);
});

Deno.test("sleep(0) yields to the event loop", async () => {
  const log: string[] = [];
  const timer = new Promise<void>((resolve) =>
    setTimeout(() => {
      log.push("host timer");
      resolve();
    }, 0)
  );
  await run(function* () {
    yield* sleep(0);
    log.push("after sleep(0)");
  });
  await timer;
  assert.deepEqual(log, ["host timer", "after sleep(0)"]);
});

Deno.test("sleep() cancelled removes its timer, leaving none behind", async () => {
  // The op sanitizer fails this test if a host timer is still pending when it ends.
  const controller = new AbortController();
  const done = run(function* () {
    for (let i = 0; i < 1000; i++) {
      yield* spawn(function* () {
        yield* sleep(60_000 + i);
      });
    }
    yield* sleep(120_000);
  }, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
});

Deno.test("sleep(Infinity) sleeps until cancelled, without a timer", async () => {
  let cleaned = false;
  let armed = 0;
  const hostSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    armed++;
    return hostSetTimeout(...args);
  }) as typeof setTimeout;
  try {
    await run(function* () {
      const task = yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          cleaned = true;
        }
      });
      yield* call(Promise.resolve()); // the child runs first, and parks in its sleep
      assert.equal(cleaned, false);
      yield* task.cancel();
    });
  } finally {
    globalThis.setTimeout = hostSetTimeout;
  }
  assert.equal(cleaned, true);
  assert.equal(armed, 0);
});

Deno.test("sleep() operations are reusable", async () => {
  let n = 0;
  await run(function* () {
    const tick = sleep(0);
    for (let i = 0; i < 3; i++) {
      yield* tick;
      n++;
    }
  });
  assert.equal(n, 3);
});

Deno.test("sleep() validates 'ms': RangeError for negative or NaN, TypeError for non-numbers", () => {
  for (const ms of [-1, -0.5, NaN, -Infinity]) {
    assert.throws(() => sleep(ms), {
      name: "RangeError",
      message:
        `sleep(): 'ms' must be a non-negative number of milliseconds, or Infinity, got ${ms}`,
    });
  }
  for (const ms of [undefined, null, "10", 10n, {}]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => sleep(ms as any),
      (e: unknown) => e instanceof TypeError && /'ms' must be a number/.test(e.message),
    );
  }
  for (const ms of [0, 1.5, 1e10, Infinity]) sleep(ms);
});
