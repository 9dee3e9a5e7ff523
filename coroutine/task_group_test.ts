// asyncio's test_taskgroups.py and trio's nursery tests, as far as they apply.
import assert from "node:assert/strict";
import { call } from "./call.ts";
import { ensure } from "./ensure.ts";
import { run } from "./run.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import { taskGroup } from "./task_group.ts";
import { withResolvers } from "./_options.ts";

Deno.test("taskGroup() waits for every task spawned in it, then returns the body's value", async () => {
  const log: string[] = [];
  const value = await run(function* () {
    const result = yield* taskGroup(function* () {
      for (const name of ["a", "b"]) {
        yield* spawn(function* () {
          yield* sleep(1);
          log.push(name);
        });
      }
      return "body";
    });
    log.push("after group");
    return result;
  });
  assert.equal(value, "body");
  assert.deepEqual(log.toSorted(), ["a", "after group", "b"]);
  assert.equal(log[2], "after group");
});

Deno.test("taskGroup(): a failing task cancels the others and the group throws its error", async () => {
  const log: string[] = [];
  const message = await run(function* () {
    try {
      yield* taskGroup(function* () {
        yield* spawn(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            log.push("sibling cancelled");
          }
        });
        yield* spawn(function* () {
          yield* sleep(0);
          throw new Error("boom");
        });
      });
      return "no error";
    } catch (error) {
      return (error as Error).message;
    }
  });
  assert.equal(message, "boom");
  assert.deepEqual(log, ["sibling cancelled"]);
});

Deno.test("taskGroup(): the body failing cancels the tasks (asyncio test_taskgroup_07)", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(() =>
      taskGroup(function* () {
        yield* spawn(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            log.push("cancelled");
          }
        });
        yield* sleep(0);
        throw new Error("body failed");
      })
    ),
    { message: "body failed" },
  );
  assert.deepEqual(log, ["cancelled"]);
});

Deno.test("taskGroup(): two failures are thrown together as an AggregateError", async () => {
  const error = await run(() =>
    taskGroup(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw new Error("second");
        }
      });
      yield* spawn(function* () {
        yield* sleep(0);
        throw new Error("first");
      });
    })
  ).then(() => undefined, (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors.map((e: Error) => e.message), ["first", "second"]);
});

Deno.test("taskGroup(): cancelling the caller cancels the group's tasks first", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const started = withResolvers<void>();
  const done = run(function* () {
    try {
      yield* taskGroup(function* () {
        yield* spawn(function* () {
          try {
            started.resolve();
            yield* sleep(Infinity);
          } finally {
            log.push("task");
          }
        });
      });
    } finally {
      log.push("caller");
    }
  }, { signal: controller.signal });
  await started.promise;
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["task", "caller"]);
});

Deno.test("taskGroup() does not wait for ensure() cleanups, but runs them at its end", async () => {
  const log: string[] = [];
  await run(function* () {
    yield* taskGroup(function* () {
      yield* ensure(() => {
        log.push("cleanup");
      });
      yield* spawn(function* () {
        yield* call(Promise.resolve());
        log.push("task");
      });
    });
    log.push("after");
  });
  assert.deepEqual(log, ["task", "cleanup", "after"]);
});

Deno.test("taskGroup() with no tasks returns at once", async () => {
  assert.equal(
    await run(() =>
      // deno-lint-ignore require-yield
      taskGroup(function* () {
        return 5;
      })
    ),
    5,
  );
});

Deno.test("taskGroup() refuses a non-function, naming 'fn'", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => taskGroup(null as any), {
    name: "TypeError",
    message: "taskGroup(): 'fn' must be a function returning an operation, got null",
  });
});

Deno.test("taskGroup(): a task cancelled on its own does not fail the group (asyncio)", async () => {
  const log: string[] = [];
  const value = await run(() =>
    taskGroup(function* () {
      const task = yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          log.push("cancelled");
        }
      });
      yield* spawn(function* () {
        yield* sleep(0);
        log.push("sibling finished");
      });
      yield* sleep(0);
      task.cancel();
      return "group ok";
    })
  );
  assert.equal(value, "group ok");
  assert.deepEqual(log.toSorted(), ["cancelled", "sibling finished"]);
});
