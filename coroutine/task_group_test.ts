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

// asyncio's test_taskgroups.py, one case each (KeyboardInterrupt/BaseException cases have no
// JavaScript counterpart).

Deno.test("taskGroup(): cancelled from outside, every task's cancellation runs and the run rejects with the reason (test_cancellation)", async () => {
  let cancelled = 0;
  const controller = new AbortController();
  const reason = new Error("test");
  const error = await run(() =>
    taskGroup(function* () {
      for (let i = 0; i < 5; i++) {
        yield* spawn(function* () {
          try {
            yield* sleep(Infinity);
          } catch (error) {
            cancelled++;
            throw error;
          }
        });
      }
      yield* sleep(0); // every task is sleeping now
      controller.abort(reason);
      yield* sleep(Infinity);
    }), { signal: controller.signal }).then(() => undefined, (e) => e);
  assert.equal(error, reason);
  assert.equal(cancelled, 5);
});

Deno.test("taskGroup(): a task's failure cancels its siblings and the body, and no code after the group runs (test_cancel_children_on_child_error)", async () => {
  const log: string[] = [];
  const error = await run(function* () {
    yield* taskGroup(function* () {
      for (let i = 0; i < 3; i++) {
        yield* spawn(function* () {
          yield* sleep(0);
          throw new RangeError("boom");
        });
      }
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } catch (error) {
          log.push("sibling cancelled");
          throw error;
        }
      });
      try {
        yield* sleep(Infinity);
      } catch (error) {
        log.push("body cancelled");
        throw error;
      }
    });
    log.push("after the group");
  }).then(() => undefined, (e) => e);
  const errors = error instanceof AggregateError ? error.errors : [error];
  for (const e of errors) assert.equal(e.message, "boom");
  assert.deepEqual(log.toSorted(), ["body cancelled", "sibling cancelled"]);
});

Deno.test("taskGroup(): the body failing before its tasks ran: the newest never starts, older ones run until their turn (asyncio test_taskgroup_10 cancels all)", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(() =>
      taskGroup(function* () {
        for (const name of ["t0", "t1", "t2"]) {
          yield* spawn(function* () {
            log.push(`${name} started`);
            try {
              yield* sleep(Infinity);
            } finally {
              log.push(`${name} cancelled`);
            }
          });
        }
        throw new RangeError("body failed");
      })
    ),
    { name: "RangeError", message: "body failed" },
  );
  // Torn down newest first, one after another: t2 is cancelled before it starts; t0 and t1
  // start while t2's cancellation completes, then are cancelled in turn.
  assert.deepEqual(log, ["t0 started", "t1 started", "t1 cancelled", "t0 cancelled"]);
});

Deno.test("taskGroup(): an outer group's task failing cancels a nested group, and the error is thrown as itself (test_taskgroup_13)", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(() =>
      taskGroup(function* () {
        yield* spawn(function* () {
          yield* sleep(0);
          throw new RangeError("outer task");
        });
        yield* taskGroup(function* () {
          yield* spawn(function* () {
            try {
              yield* sleep(Infinity);
            } finally {
              log.push("inner task cancelled");
            }
          });
        });
      })
    ),
    (e) => e instanceof RangeError && e.message === "outer task",
  );
  assert.deepEqual(log, ["inner task cancelled"]);
});

Deno.test("taskGroup(): a nested group's failure fails the outer group with the same error, not wrapped (test_taskgroup_14)", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(() =>
      taskGroup(function* () {
        yield* spawn(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            log.push("outer task cancelled");
          }
        });
        yield* taskGroup(function* () {
          yield* spawn(function* () {
            yield* sleep(0);
            throw new RangeError("inner task");
          });
        });
      })
    ),
    (e) => e instanceof RangeError && e.message === "inner task",
  );
  assert.deepEqual(log, ["outer task cancelled"]);
});

Deno.test("taskGroup(): cancelled from outside, tasks are cancelled before the body's handler pauses and rethrows (test_taskgroup_15)", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const reason = new Error("stop");
  const error = await run(() =>
    taskGroup(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          log.push("task cancelled");
        }
        throw new RangeError("never thrown");
      });
      yield* sleep(0);
      controller.abort(reason);
      try {
        yield* sleep(Infinity);
      } catch (error) {
        log.push("body handler");
        yield* sleep(1); // pauses in its handler; the task is gone already
        throw error;
      }
    }), { signal: controller.signal }).then(() => undefined, (e) => e);
  assert.equal(error, reason);
  assert.deepEqual(log, ["task cancelled", "body handler"]);
});

Deno.test("taskGroup() with no tasks, cancelled from outside: the body's handler runs and the reason is thrown (test_taskgroup_17)", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const reason = new Error("stop");
  const error = await run(() =>
    taskGroup(function* () {
      yield* sleep(0);
      controller.abort(reason);
      try {
        yield* sleep(Infinity);
      } catch (error) {
        log.push("body cancelled");
        throw error;
      }
    }), { signal: controller.signal }).then(() => undefined, (e) => e);
  assert.equal(error, reason);
  assert.deepEqual(log, ["body cancelled"]);
});

Deno.test("taskGroup(): a body that turns its cancellation into another error fails with that error (test_taskgroup_18)", async () => {
  const controller = new AbortController();
  const error = await run(() =>
    taskGroup(function* () {
      yield* sleep(0);
      controller.abort(new Error("stop"));
      try {
        yield* sleep(Infinity);
      } catch {
        throw new RangeError("not a cancellation");
      }
    }), { signal: controller.signal }).then(() => undefined, (e) => e);
  assert.ok(error instanceof RangeError);
  assert.equal(error.message, "not a cancellation");
});

Deno.test("taskGroup(): a task's failure and an error from the body's cancelled finally are both kept (test_taskgroup_19)", async () => {
  const error = await run(() =>
    taskGroup(function* () {
      yield* spawn(function* () {
        yield* sleep(0);
        throw new RangeError("task failed");
      });
      try {
        yield* sleep(Infinity);
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw new TypeError("finally failed");
      }
    })
  ).then(() => undefined, (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors.map((e: Error) => e.message), ["task failed", "finally failed"]);
  assert.equal(error.cause, error.errors[0]);
});

Deno.test("taskGroup(): a task spawned after others finished is waited for too (test_taskgroup_02)", async () => {
  const log: string[] = [];
  await run(function* () {
    yield* taskGroup(function* () {
      yield* spawn(function* () {
        yield* sleep(0);
        log.push("first");
      });
      yield* sleep(1);
      yield* spawn(function* () {
        yield* sleep(1);
        log.push("second");
      });
    });
    log.push("after");
  });
  assert.deepEqual(log, ["first", "second", "after"]);
});
