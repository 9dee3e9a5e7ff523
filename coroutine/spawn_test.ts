import assert from "node:assert/strict";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import type { Operation } from "./operation.ts";

function* forever(log: string[], name: string): Operation<void> {
  try {
    yield* sleep(Infinity);
  } finally {
    log.push(name);
  }
}

Deno.test("spawn() evaluates to the handle at once; the child starts when the parent pauses", async () => {
  const log: string[] = [];
  await run(function* () {
    const task = yield* spawn(function* () {
      log.push("child runs");
    });
    log.push("parent continues");
    yield* task;
    log.push("parent joined");
  });
  assert.deepEqual(log, ["parent continues", "child runs", "parent joined"]);
});

Deno.test("spawn(): children run in the order they were spawned (FIFO run queue)", async () => {
  const log: number[] = [];
  await run(function* () {
    const tasks = [];
    for (let i = 0; i < 5; i++) {
      tasks.push(
        yield* spawn(function* () {
          log.push(i);
          yield* sleep(0);
          log.push(10 + i);
        }),
      );
    }
    for (const t of tasks) yield* t;
  });
  assert.deepEqual(log, [0, 1, 2, 3, 4, 10, 11, 12, 13, 14]);
});

Deno.test("spawn(): a child's error fails the parent and cancels its siblings first", async () => {
  const log: string[] = [];
  let caught: unknown;
  await assert.rejects(
    run(function* () {
      yield* spawn(() => forever(log, "sibling 1"));
      const failing = yield* spawn(function* () {
        yield* sleep(1);
        throw new Error("child failed");
      });
      yield* spawn(() => forever(log, "sibling 2"));
      try {
        yield* failing; // the parent is cancelled, not resumed with the error
      } catch (error) {
        caught = error;
        throw error;
      } finally {
        log.push("parent");
      }
    }),
    { message: "child failed" },
  );
  // What reaches the parent's body is its cancellation, not the child's error.
  assert.ok(caught instanceof DOMException && caught.name === "AbortError");
  assert.deepEqual(log, ["sibling 2", "sibling 1", "parent"]);
});

Deno.test("spawn(): a child's error propagates through every ancestor", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(function* () {
      yield* spawn(() => forever(log, "uncle"));
      yield* spawn(function* () {
        yield* spawn(function* () {
          yield* sleep(0);
          throw new Error("deep");
        });
        yield* forever(log, "parent");
      });
      yield* forever(log, "root");
    }),
    { message: "deep" },
  );
  assert.deepEqual(log, ["parent", "uncle", "root"]);
});

Deno.test("spawn(): a task never outlives its parent", async () => {
  const log: string[] = [];
  await run(function* () {
    const parent = yield* spawn(function* () {
      yield* spawn(() => forever(log, "grandchild"));
      yield* sleep(1);
      log.push("parent returns");
    });
    yield* parent;
    log.push("root sees parent done");
  });
  assert.deepEqual(log, ["parent returns", "grandchild", "root sees parent done"]);
});

Deno.test("spawn(): 100,000 tasks spawned under one parent all complete", async () => {
  const N = 100_000;
  const { total, ran } = await run(function* () {
    let ran = 0;
    const tasks = [];
    for (let i = 0; i < N; i++) {
      tasks.push(
        yield* spawn(function* () {
          ran++;
          yield* sleep(0);
          return i;
        }),
      );
    }
    let total = 0;
    for (const task of tasks) total += yield* task;
    return { total, ran };
  });
  assert.equal(ran, N);
  assert.equal(total, (N * (N - 1)) / 2);
});

Deno.test("spawn(): a function that throws or returns no operation throws into the parent", async () => {
  const message = await run(function* () {
    try {
      // deno-lint-ignore no-explicit-any
      yield* spawn((() => 42) as any);
      return "unreachable";
    } catch (error) {
      assert.ok(error instanceof TypeError);
      return error.message;
    }
  });
  assert.match(message, /must be an operation.*got 42/);
  await assert.rejects(
    run(function* () {
      yield* spawn(() => {
        throw new Error("factory failed");
      });
    }),
    { message: "factory failed" },
  );
});

Deno.test("spawn() refuses a non-function, naming 'fn'", () => {
  for (const fn of [undefined, null, 1, "f", {}, (function* () {})()]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => spawn(fn as any),
      (e: unknown) => e instanceof TypeError && /'fn' must be a function/.test(e.message),
    );
  }
});
