import assert from "node:assert/strict";
import { ensure } from "./ensure.ts";
import { run } from "./run.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import { withResolvers } from "./_options.ts";
import { call } from "./call.ts";

Deno.test("ensure() runs a pausing cleanup operation when the task ends", async () => {
  const log: string[] = [];
  await run(function* () {
    yield* ensure(function* () {
      log.push("started");
      yield* sleep(1);
      log.push("completed");
    });
    log.push("body done");
  });
  assert.deepEqual(log, ["body done", "started", "completed"]);
});

Deno.test("ensure() runs even when the body returns without pausing", async () => {
  let cleaned = false;
  await run(function* () {
    yield* ensure(() => {
      cleaned = true;
    });
  });
  assert.equal(cleaned, true);
});

Deno.test("ensure() runs on cancellation, before the task's own finally blocks", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const done = run(function* () {
    try {
      yield* ensure(() => {
        log.push("ensure");
      });
      yield* sleep(Infinity);
    } finally {
      log.push("finally");
    }
  }, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["ensure", "finally"]);
});

Deno.test("ensure() runs after the task's own finally blocks when the body ends by itself", async () => {
  const log: string[] = [];
  await run(function* () {
    try {
      yield* ensure(() => {
        log.push("ensure");
      });
      yield* sleep(0);
    } finally {
      log.push("finally");
    }
  });
  assert.deepEqual(log, ["finally", "ensure"]);
});

Deno.test("ensure() can make the task wait for a sibling it joins (Effection)", async () => {
  let reached = false;
  await run(function* () {
    const task = yield* spawn(function* () {
      yield* sleep(0);
      reached = true;
    });
    yield* ensure(() => task);
  });
  assert.equal(reached, true);
});

Deno.test("ensure(): a cleanup that started is not interrupted by a second cancel", async () => {
  const log: string[] = [];
  const release = withResolvers<void>();
  await run(function* () {
    const task = yield* spawn(function* () {
      yield* ensure(function* () {
        log.push("cleanup start");
        yield* call(release.promise);
        log.push("cleanup end");
      });
      yield* sleep(Infinity);
    });
    yield* sleep(0);
    task.cancel();
    task.cancel();
    release.resolve();
    yield* task.cancel();
  });
  assert.deepEqual(log, ["cleanup start", "cleanup end"]);
});

Deno.test("ensure(): a throwing cleanup fails the task", async () => {
  await assert.rejects(
    run(function* () {
      yield* ensure(() => {
        throw new Error("cleanup failed");
      });
      return 1;
    }),
    { message: "cleanup failed" },
  );
});

Deno.test("ensure() refuses a non-function, naming 'fn'", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => ensure(1 as any), {
    name: "TypeError",
    message: "ensure(): 'fn' must be a function, got 1",
  });
});

Deno.test("ensure(): a cleanup returning a promise or a non-operation fails the task, naming 'fn()'", async () => {
  await assert.rejects(
    run(function* () {
      yield* ensure((async () => {}) as () => void);
    }),
    {
      name: "TypeError",
      message:
        /^ensure\(\): 'fn\(\)' must be an operation or nothing \(to wait for a promise.*got an instance of Promise$/,
    },
  );
  await assert.rejects(
    run(function* () {
      yield* ensure((() => 5) as () => void);
    }),
    { name: "TypeError", message: "ensure(): 'fn()' must be an operation or nothing, got 5" },
  );
});
