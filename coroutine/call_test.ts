import assert from "node:assert/strict";
import { withResolvers } from "./_options.ts";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import { call } from "./call.ts";

Deno.test("call() evaluates to the promise's value", async () => {
  assert.equal(
    await run(function* () {
      return yield* call(Promise.resolve(7));
    }),
    7,
  );
});

Deno.test("call() throws the rejection into the task, where it can be caught", async () => {
  const error = new Error("rejected");
  const caught = await run(function* () {
    try {
      yield* call(Promise.reject(error));
    } catch (e) {
      return e;
    }
    return undefined;
  });
  assert.equal(caught, error);
});

Deno.test("call() with a function passes an AbortSignal and awaits its result", async () => {
  let seen: AbortSignal | undefined;
  const value = await run(function* () {
    return yield* call(async (signal) => {
      seen = signal;
      await null;
      return "async";
    });
  });
  assert.equal(value, "async");
  assert.ok(seen instanceof AbortSignal);
  assert.equal(seen.aborted, false);
});

Deno.test("call() with a function returning a plain value answers at once", async () => {
  const log: string[] = [];
  await run(function* () {
    const other = yield* spawn(function* () {
      log.push("other");
    });
    log.push(`got ${yield* call(() => "sync")}`);
    yield* other;
  });
  assert.deepEqual(log, ["got sync", "other"]);
});

Deno.test("call() throws what the function throws", async () => {
  await assert.rejects(
    run(function* () {
      yield* call(() => {
        throw new Error("thrown");
      });
    }),
    { message: "thrown" },
  );
});

Deno.test("call() cancelled aborts the signal and ignores a later rejection", async () => {
  const { promise, reject } = withResolvers<never>();
  let signal: AbortSignal | undefined;
  let resumed = false;
  await run(function* () {
    const task = yield* spawn(function* () {
      yield* call((s) => {
        signal = s;
        return promise;
      });
      resumed = true;
    });
    yield* sleep(0);
    yield* task.cancel();
  });
  assert.equal(signal?.aborted, true);
  assert.equal((signal?.reason as DOMException).name, "AbortError");
  reject(new Error("late")); // handled: no unhandled rejection
  await promise.catch(() => {});
  assert.equal(resumed, false);
});

Deno.test("call() operations are reusable: a function is called on each yield*", async () => {
  let calls = 0;
  await run(function* () {
    const op = call(() => Promise.resolve(++calls));
    assert.equal(yield* op, 1);
    assert.equal(yield* op, 2);
  });
  assert.equal(calls, 2);
});

Deno.test("call() refuses a non-promise, non-function 'source'", () => {
  for (const source of [undefined, null, 1, "p", {}, { then: 1 }]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => call(source as any),
      (e: unknown) =>
        e instanceof TypeError && /'source' must be a promise or a function/.test(e.message),
    );
  }
  // deno-lint-ignore no-explicit-any
  call({ then: (resolve: any) => resolve(1) } as PromiseLike<number>);
});

Deno.test("call() with a function whose result's `then` getter throws fails only that task", async () => {
  const error = new Error("then getter");
  const thenable = {
    get then(): never {
      throw error;
    },
  };
  const result = await run(function* () {
    const task = yield* spawn(function* () {
      try {
        yield* call(() => thenable);
      } catch (e) {
        return e;
      }
      return undefined;
    });
    const caught = yield* task;
    // The run queue keeps going: a later step still runs.
    yield* sleep(0);
    return caught;
  });
  assert.equal(result, error);
});
