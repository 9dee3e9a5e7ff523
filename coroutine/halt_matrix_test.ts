// Effection's issue #1190 scenario matrix (test/issue-1190/scenarios.md): a halted operation
// whose `finally` pauses must finish its cleanup, and no code after the halted `yield*` may run,
// whatever the shape of delegation, the kind of pause, or who initiated the halt.
import assert from "node:assert/strict";
import { all } from "./all.ts";
import { call } from "./call.ts";
import { ensure } from "./ensure.ts";
import type { Operation } from "./operation.ts";
import { race } from "./race.ts";
import { resource } from "./resource.ts";
import { run } from "./run.ts";
import { scoped } from "./scoped.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";

type Pause = (log: string[]) => Operation<void>;

// The different suspension points a cleanup can pause at (scenarios 16-23).
const pauses: Record<string, Pause> = {
  "sleep(0)": () => sleep(0),
  "call(promise)": () => call(Promise.resolve()),
  "call(fn)": () => call(() => new Promise<void>((resolve) => setTimeout(resolve, 0))),
  "resource()": function* () {
    yield* resource<void>(function* (provide) {
      yield* sleep(0);
      yield* provide();
    });
  },
  "scoped()": () =>
    scoped(function* () {
      yield* spawn(() => sleep(Infinity));
      yield* sleep(0);
    }),
  "spawn() and join": function* () {
    const task = yield* spawn(() => sleep(0));
    yield* task;
  },
  "task.cancel()": function* () {
    const task = yield* spawn(() => sleep(Infinity));
    yield* sleep(0);
    yield* task.cancel();
  },
  "twice": function* (log) {
    yield* sleep(0);
    log.push("between pauses");
    yield* sleep(0);
  },
};

function* child(log: string[], pause: Pause): Operation<string> {
  try {
    yield* sleep(Infinity);
    return "unreachable";
  } finally {
    log.push("cleanup start");
    yield* pause(log);
    log.push("cleanup end");
  }
}

function* middle(log: string[], pause: Pause, asyncFinally: boolean): Operation<string> {
  try {
    const value = yield* child(log, pause);
    log.push("LEAK: middle after child");
    return value;
  } finally {
    if (asyncFinally) yield* sleep(0);
    log.push("middle finally");
  }
}

async function cancelAfterStart(body: () => Operation<unknown>): Promise<void> {
  const controller = new AbortController();
  const done = run(body, { signal: controller.signal });
  // run() ran the body synchronously up to its first pause: it is parked now.
  controller.abort(new Error("halt"));
  await assert.rejects(done, { message: "halt" });
}

for (const [pauseName, pause] of Object.entries(pauses)) {
  Deno.test(`halt: a delegated child pausing at ${pauseName} in its finally never resumes its caller`, async () => {
    const log: string[] = [];
    await cancelAfterStart(function* () {
      try {
        yield* child(log, pause);
        log.push("LEAK: after yield*");
        yield* sleep(0);
        log.push("LEAK: after a second yield*");
      } finally {
        log.push("parent finally");
      }
    });
    assert.ok(!log.some((line) => line.startsWith("LEAK")), log.join(", "));
    assert.equal(log[0], "cleanup start");
    assert.deepEqual(log.slice(-2), ["cleanup end", "parent finally"]);
  });
}

for (const asyncFinally of [false, true]) {
  Deno.test(`halt: nested delegation (middle finally ${asyncFinally ? "pauses" : "is sync"}) leaks nothing`, async () => {
    const log: string[] = [];
    await cancelAfterStart(function* () {
      yield* middle(log, pauses["sleep(0)"] as Pause, asyncFinally);
      log.push("LEAK: parent after middle");
    });
    assert.deepEqual(log, ["cleanup start", "cleanup end", "middle finally"]);
  });
}

Deno.test("halt: a child throwing from its pausing finally fails the run with that error", async () => {
  const controller = new AbortController();
  const done = run(function* () {
    try {
      yield* sleep(Infinity);
    } finally {
      yield* sleep(0);
      // deno-lint-ignore no-unsafe-finally
      throw new Error("cleanup failed");
    }
  }, { signal: controller.signal });
  // run() ran the body synchronously up to its first pause: it is parked now.
  controller.abort(new Error("halt"));
  await assert.rejects(done, { message: "cleanup failed" });
});

// Halt initiators (scenarios 24-30, 39, 40): each one halts a task that is inside `child`.
const initiators: Record<string, (log: string[]) => Operation<unknown>> = {
  "the parent returning": function* (log) {
    yield* spawn(function* () {
      yield* child(log, pauses["sleep(0)"] as Pause);
      log.push("LEAK");
    });
    yield* sleep(0);
  },
  "the parent throwing": function* (log) {
    try {
      yield* scoped(function* () {
        yield* spawn(function* () {
          yield* child(log, pauses["sleep(0)"] as Pause);
          log.push("LEAK");
        });
        yield* sleep(0);
        throw new Error("parent failed");
      });
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
    }
  },
  "a sibling failing": function* (log) {
    try {
      yield* scoped(function* () {
        yield* spawn(function* () {
          yield* child(log, pauses["sleep(0)"] as Pause);
          log.push("LEAK");
        });
        yield* spawn(function* () {
          yield* sleep(0);
          throw new Error("sibling failed");
        });
        yield* sleep(Infinity);
      });
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
    }
  },
  "an all() member failing": function* (log) {
    try {
      yield* all([
        (function* () {
          yield* child(log, pauses["sleep(0)"] as Pause);
          log.push("LEAK");
        })(),
        (function* () {
          yield* sleep(0);
          throw new Error("member failed");
        })(),
      ]);
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
    }
  },
  "losing a race()": function* (log) {
    yield* race([
      (function* () {
        yield* child(log, pauses["sleep(0)"] as Pause);
        log.push("LEAK");
      })(),
      sleep(0),
    ]);
  },
  "an ensure() that cancels it": function* (log) {
    const task = yield* spawn(function* () {
      yield* child(log, pauses["sleep(0)"] as Pause);
      log.push("LEAK");
    });
    yield* ensure(() => task.cancel());
    yield* sleep(0);
  },
};

for (const [name, body] of Object.entries(initiators)) {
  Deno.test(`halt: a task halted by ${name} finishes its pausing cleanup and resumes nothing`, async () => {
    const log: string[] = [];
    await run(() => body(log));
    assert.ok(!log.includes("LEAK"), log.join(", "));
    assert.deepEqual(log.slice(0, 2), ["cleanup start", "cleanup end"]);
  });
}
