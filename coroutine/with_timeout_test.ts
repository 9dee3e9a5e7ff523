// trio's fail_after and asyncio's test_timeouts.py, as far as they apply.
import assert from "node:assert/strict";
import { call } from "./call.ts";
import { run } from "./run.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import { withTimeout } from "./with_timeout.ts";

Deno.test("withTimeout() evaluates to the result when the operation finishes in time", async () => {
  assert.equal(
    await run(() =>
      withTimeout(
        (function* () {
          yield* call(Promise.resolve());
          return "done";
        })(),
        60_000,
      )
    ),
    "done",
  );
});

Deno.test("withTimeout() throws a TimeoutError DOMException after cancelling the operation", async () => {
  const log: string[] = [];
  const error = await run(function* (): Generator<unknown, unknown, unknown> {
    try {
      yield* withTimeout(
        (function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            log.push("cancelled");
          }
        })(),
        0,
      );
    } catch (error) {
      log.push("caught");
      return error;
    }
    return undefined;
  });
  assert.ok(error instanceof DOMException);
  assert.equal(error.name, "TimeoutError");
  assert.equal(error.message, "withTimeout() timed out after 0 ms");
  assert.deepEqual(log, ["cancelled", "caught"]);
});

Deno.test("withTimeout(): the operation's own error wins over the timeout", async () => {
  await assert.rejects(
    run(() =>
      withTimeout(
        (function* () {
          yield* call(Promise.resolve());
          throw new Error("own");
        })(),
        60_000,
      )
    ),
    { message: "own" },
  );
});

Deno.test("withTimeout(Infinity) never times out; a task can be limited too", async () => {
  const result = await run(function* () {
    const task = yield* spawn(function* () {
      yield* sleep(0);
      return 7;
    });
    return (yield* withTimeout(task, Infinity)) + (yield* withTimeout(task, 60_000));
  });
  assert.equal(result, 14);
});

Deno.test("withTimeout() leaves no timer behind when the operation finishes first", async () => {
  // The ops sanitizer fails this test if the 60 s timer outlives it.
  await run(() => withTimeout(sleep(0), 60_000));
});

Deno.test("withTimeout() validates its arguments, naming them", () => {
  // deno-lint-ignore no-explicit-any
  const w = withTimeout as any;
  assert.throws(() => w(5, 1), {
    name: "TypeError",
    message: "withTimeout(): 'operation' must be an operation, got 5",
  });
  assert.throws(() => w(sleep(0), "1"), { name: "TypeError", message: /'ms' must be a number/ });
  for (const ms of [-1, NaN, 2 ** 31]) {
    assert.throws(() => w(sleep(0), ms), { name: "RangeError", message: /withTimeout\(\): 'ms'/ });
  }
});

Deno.test("withTimeout(): an inner limit expiring is caught inside an outer one that has not", async () => {
  const result = await run(() =>
    withTimeout(
      (function* () {
        try {
          yield* withTimeout(sleep(Infinity), 0);
          return "inner finished";
        } catch (error) {
          return `inner ${(error as DOMException).name}`;
        }
      })(),
      60_000,
    )
  );
  assert.equal(result, "inner TimeoutError");
});

Deno.test("withTimeout(): an operation that finishes without pausing beats a 0 ms limit", async () => {
  assert.equal(
    await run(() =>
      withTimeout(
        // deno-lint-ignore require-yield
        (function* () {
          return "instant";
        })(),
        0,
      )
    ),
    "instant",
  );
});

// asyncio's test_timeouts.py, one case each.

Deno.test("withTimeout(): nested limits with the same deadline: the inner operation sees a cancellation, the outer throws (test_nested_timeouts)", async () => {
  const seen: string[] = [];
  const error = await run(() =>
    withTimeout(
      (function* () {
        try {
          yield* withTimeout(sleep(Infinity), 0);
        } catch (error) {
          seen.push((error as DOMException).name);
          throw error;
        }
      })(),
      0,
    )
  ).then(() => undefined, (e) => e);
  assert.equal(error.name, "TimeoutError");
  assert.deepEqual(seen, ["AbortError"]);
});

Deno.test("withTimeout(0) times out an operation that pauses longer (test_timeout_zero)", async () => {
  await assert.rejects(run(() => withTimeout(sleep(60_000), 0)), {
    name: "TimeoutError",
    message: "withTimeout() timed out after 0 ms",
  });
});

Deno.test("withTimeout(0) over sleep(0) is a tie, which the operation wins (asyncio: timeout(0) expires)", async () => {
  const value = await run(() =>
    withTimeout(
      (function* () {
        yield* sleep(0); // armed before the limit's timer, so it fires first
        return "operation";
      })(),
      0,
    )
  );
  assert.equal(value, "operation");
});

Deno.test("withTimeout(): a finally throwing while the limit cancels the operation keeps both errors (test_foreign_exception_on_timeout)", async () => {
  const error = await run(() =>
    withTimeout(
      (function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          // deno-lint-ignore no-unsafe-finally
          throw new RangeError("cleanup failed");
        }
      })(),
      0,
    )
  ).then(() => undefined, (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors.map((e: Error) => e.name), ["TimeoutError", "RangeError"]);
  assert.equal(error.cause, error.errors[0]);
});

Deno.test("withTimeout(): cancelling the task before the limit throws the cancellation, not a TimeoutError (test_foreign_cancel_doesnt_timeout_if_not_expired)", async () => {
  const seen: string[] = [];
  await run(function* () {
    const task = yield* spawn(function* () {
      try {
        yield* withTimeout(sleep(Infinity), 60_000);
      } catch (error) {
        seen.push((error as DOMException).name);
        throw error;
      }
    });
    yield* sleep(0);
    yield* task.cancel();
  });
  assert.deepEqual(seen, ["AbortError"]);
});

Deno.test("withTimeout(): a task that catches the TimeoutError is not cancelled and returns its value (test_outer_task_is_not_cancelled)", async () => {
  const value = await run(function* () {
    const task = yield* spawn(function* () {
      try {
        yield* withTimeout(sleep(Infinity), 1);
      } catch (error) {
        assert.equal((error as DOMException).name, "TimeoutError");
      }
      yield* sleep(0); // still running: not cancelled
      return "finished";
    });
    return yield* task;
  });
  assert.equal(value, "finished");
});

Deno.test("withTimeout(): the outer limit still fires after an inner one expired and was caught (test_nested_timeouts_loop_busy)", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(() =>
      withTimeout(
        (function* () {
          try {
            yield* withTimeout(sleep(Infinity), 0);
          } catch (error) {
            log.push(`inner ${(error as DOMException).message}`);
          }
          yield* sleep(Infinity); // interrupted by the outer limit
        })(),
        50,
      )
    ),
    { name: "TimeoutError", message: "withTimeout() timed out after 50 ms" },
  );
  assert.deepEqual(log, ["inner withTimeout() timed out after 0 ms"]);
});

Deno.test("withTimeout() inside a finally run by a timeout still times out on its own (test_nested_timeout_in_finally)", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(() =>
      withTimeout(
        (function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            try {
              yield* withTimeout(sleep(Infinity), 1);
            } catch (error) {
              log.push((error as DOMException).message);
            }
          }
        })(),
        0,
      )
    ),
    { name: "TimeoutError", message: "withTimeout() timed out after 0 ms" },
  );
  assert.deepEqual(log, ["withTimeout() timed out after 1 ms"]);
});

Deno.test("withTimeout() inside a finally entered by a cancellation times out (test_timeout_after_cancellation)", async () => {
  const log: string[] = [];
  await run(function* () {
    const task = yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        try {
          yield* withTimeout(sleep(Infinity), 0); // cleanup bounded by its own limit
          log.push("cleanup finished");
        } catch (error) {
          log.push((error as DOMException).name);
        }
      }
    });
    yield* sleep(0);
    yield* task.cancel();
  });
  assert.deepEqual(log, ["TimeoutError"]);
});
