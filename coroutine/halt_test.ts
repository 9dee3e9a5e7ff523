// Halting: the cases of Effection's issue #1190 and "cancellation principles", and the defects
// of issue 15 (a halted task resuming, halts that never finish, cleanup cut short, teardown
// order, deep nesting).
import assert from "node:assert/strict";
import { call } from "./call.ts";
import type { Operation } from "./operation.ts";
import { race } from "./race.ts";
import { run } from "./run.ts";
import { scoped } from "./scoped.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import type { Task } from "./task.ts";
import { withResolvers } from "./_options.ts";

function* pausingCleanup(log: string[]): Operation<number> {
  try {
    yield* sleep(Infinity);
    return 999;
  } finally {
    log.push("cleanup start");
    yield* sleep(0);
    log.push("cleanup end");
  }
}

Deno.test("Task.cancel(): code after a yield* whose finally pauses never runs", async () => {
  const log: string[] = [];
  await run(function* () {
    const child = yield* spawn(function* () {
      const value = yield* pausingCleanup(log);
      log.push(`resumed with ${value}`); // must not run
    });
    yield* sleep(0);
    yield* child.cancel();
    log.push("cancelled");
  });
  assert.deepEqual(log, ["cleanup start", "cleanup end", "cancelled"]);
});

Deno.test("Task.cancel() completes for a loop over a helper whose finally pauses", async () => {
  let rounds = 0;
  await run(function* () {
    const child = yield* spawn(function* () {
      while (true) {
        rounds++;
        yield* pausingCleanup([]);
      }
    });
    yield* sleep(0);
    yield* child.cancel();
  });
  assert.equal(rounds, 1);
});

Deno.test("run(): an abort issued while the task starts an operation settles the run", async () => {
  const controller = new AbortController();
  const log: string[] = [];
  const done = run(function* () {
    try {
      // deno-lint-ignore require-await
      yield* call(async () => controller.abort(new Error("stop")));
      log.push("after call"); // must not run
    } finally {
      log.push("finally");
    }
  }, { signal: controller.signal });
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["finally"]);
});

Deno.test("run(): an abort issued by a child while it starts an operation halts the whole tree", async () => {
  const controller = new AbortController();
  const log: string[] = [];
  const done = run(function* () {
    try {
      yield* scoped(function* () {
        yield* spawn(function* () {
          try {
            yield* call(() => {
              controller.abort(new Error("stop"));
              return "sync value";
            });
            log.push("child after call"); // must not run
          } finally {
            log.push("child finally");
          }
        });
        yield* sleep(Infinity);
      });
    } finally {
      log.push("root finally");
    }
  }, { signal: controller.signal });
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["child finally", "root finally"]);
});

Deno.test("run(): a child spawned by a callback that halts the run is halted too", async () => {
  const controller = new AbortController();
  const log: string[] = [];
  const done = run(function* () {
    yield* spawn(() => {
      controller.abort(new Error("stop"));
      return (function* () {
        log.push("child ran"); // never starts: it was born into a halting parent
        yield* sleep(Infinity);
      })();
    });
    log.push("parent after spawn"); // must not run
  }, { signal: controller.signal });
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, []);
});

Deno.test("run(): aborting run's own signal inside the body is honoured", async () => {
  const controller = new AbortController();
  const log: string[] = [];
  await assert.rejects(
    run(() => {
      controller.abort(new Error("from fn"));
      return (function* () {
        log.push("body"); // the signal aborted before the body started
        yield* sleep(Infinity);
      })();
    }, { signal: controller.signal }),
    { message: "from fn" },
  );
  await assert.rejects(
    run(function* () {
      const inner = new AbortController();
      const nested = run(function* () {
        inner.abort(new Error("from body"));
        log.push("after abort"); // runs: the body is not paused yet, a halt takes effect at its next pause
        yield* sleep(Infinity);
        log.push("after sleep"); // must not run
      }, { signal: inner.signal });
      yield* call(nested);
    }),
    { message: "from body" },
  );
  assert.deepEqual(log, ["after abort"]);
});

Deno.test("Task.cancel(): a halt during a started cleanup does not skip the rest of it", async () => {
  const log: string[] = [];
  const release = withResolvers<void>();
  await run(function* () {
    const child = yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        log.push("cleanup1 start");
        yield* call(release.promise);
        log.push("cleanup1 end");
        yield* sleep(0);
        log.push("cleanup2 end");
      }
    });
    yield* sleep(0);
    child.cancel(); // starts the cleanup
    yield* sleep(0);
    child.cancel(); // a second halt while cleaning up: ignored
    release.resolve();
    yield* child.cancel();
  });
  assert.deepEqual(log, ["cleanup1 start", "cleanup1 end", "cleanup2 end"]);
});

Deno.test("run(): an abort during a failing parent's teardown does not cut a child's cleanup short", async () => {
  const log: string[] = [];
  const release = withResolvers<void>();
  const controller = new AbortController();
  const done = run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        log.push("child cleanup start");
        controller.abort(new Error("abort during teardown"));
        release.resolve();
        yield* call(release.promise);
        log.push("child cleanup end");
      }
    });
    yield* sleep(0);
    throw new Error("body failed"); // starts the teardown
  }, { signal: controller.signal });
  await assert.rejects(done, { message: "body failed" });
  assert.deepEqual(log, ["child cleanup start", "child cleanup end"]);
});

Deno.test("run(): children are torn down newest first, one after another", async () => {
  const log: string[] = [];
  await run(function* () {
    for (const name of ["a", "b", "c"]) {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          log.push(`${name} start`);
          yield* sleep(0);
          yield* sleep(0);
          log.push(`${name} end`);
        }
      });
    }
    yield* sleep(0);
  });
  assert.deepEqual(log, ["c start", "c end", "b start", "b end", "a start", "a end"]);
});

Deno.test("Task.cancel(): a task that cancels itself finishes (Effection's principle 5)", async () => {
  const log: string[] = [];
  await run(function* () {
    const task: Task<void> = yield* spawn(function* () {
      try {
        yield* sleep(0);
        yield* task.cancel();
        log.push("after self-cancel"); // must not run
      } finally {
        log.push("finally");
      }
    });
    yield* sleep(0);
    yield* sleep(0);
  });
  assert.deepEqual(log, ["finally"]);
});

Deno.test("run(): cancelling 100,000 nested tasks unwinds without overflowing the stack", async () => {
  const depth = 100_000;
  let cleaned = 0;
  const nest = (level: number): () => Operation<void> =>
    function* () {
      try {
        if (level < depth) yield* spawn(nest(level + 1));
        yield* sleep(Infinity);
      } finally {
        cleaned++;
      }
    };
  const controller = new AbortController();
  const done = run(nest(1), { signal: controller.signal });
  // run() ran the body synchronously up to its first pause: it is parked now.
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
  assert.equal(cleaned, depth);
});

Deno.test("run(): 100,000 nested tasks all returning settle without overflowing the stack", async () => {
  const depth = 100_000;
  const nest = (level: number): () => Operation<number> =>
    function* () {
      if (level < depth) yield* spawn(nest(level + 1));
      return level;
    };
  assert.equal(await run(nest(1)), 1);
});

Deno.test("run(): 100,000 nested tasks each joining its child settle (a join is O(1), not a walk up)", async () => {
  // Each join used to walk the joiner's ancestors looking for a cycle: O(depth) per level,
  // minutes for this chain. Joining one's own child (and scoped/all/race) cannot be a cycle.
  const depth = 100_000;
  const nest = (level: number): () => Operation<number> =>
    function* () {
      if (level === depth) return level;
      const child = yield* spawn(nest(level + 1));
      return yield* child;
    };
  assert.equal(await run(nest(1)), depth);
  const nestScoped = (level: number): () => Operation<number> =>
    function* () {
      if (level === depth) return level;
      return yield* scoped(nestScoped(level + 1));
    };
  assert.equal(await run(nestScoped(1)), depth);
});

Deno.test("run(): a timeout halting 100,000 nested tasks rejects cleanly", async () => {
  const depth = 100_000;
  const nest = (level: number): () => Operation<void> =>
    function* () {
      if (level < depth) yield* spawn(nest(level + 1));
      yield* sleep(Infinity);
    };
  await assert.rejects(run(nest(1), { timeout: 1 }), { name: "TimeoutError" });
});

Deno.test("race(): a loser whose finally pauses is torn down before race() returns", async () => {
  const log: string[] = [];
  const winner = await run(function* () {
    const result = yield* race([
      (function* () {
        yield* pausingCleanup(log);
        log.push("loser resumed"); // must not run
        return "loser";
      })(),
      (function* () {
        yield* sleep(0);
        return "winner";
      })(),
    ]);
    log.push("race returned");
    return result;
  });
  assert.equal(winner, "winner");
  assert.deepEqual(log, ["cleanup start", "cleanup end", "race returned"]);
});
