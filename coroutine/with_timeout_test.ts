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
