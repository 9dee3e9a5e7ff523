import assert from "node:assert/strict";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import { call } from "./call.ts";
import { race } from "./race.ts";
import type { Operation } from "./operation.ts";

function* after<T>(ms: number, value: T, log?: string[]): Operation<T> {
  try {
    yield* sleep(ms);
    return value;
  } finally {
    log?.push(`finally ${value}`);
  }
}

Deno.test("race() evaluates to the first result; the losers' finally blocks ran first", async () => {
  const log: string[] = [];
  const winner = await run(function* () {
    const value = yield* race([after(60_000, "slow", log), after(1, "fast", log)]);
    log.push(`won by ${value}`);
    return value;
  });
  assert.equal(winner, "fast");
  assert.deepEqual(log, ["finally fast", "finally slow", "won by fast"]);
});

Deno.test("race() throws when the first to finish fails, cancelling the others", async () => {
  const log: string[] = [];
  const message = await run(function* () {
    try {
      yield* race([
        after(60_000, "slow", log),
        (function* () {
          yield* sleep(1);
          throw new Error("lost");
        })(),
      ]);
    } catch (error) {
      return (error as Error).message;
    }
    return "unreachable";
  });
  assert.equal(message, "lost");
  assert.deepEqual(log, ["finally slow"]);
});

Deno.test("race() ties go to the operation that finished first in run order", async () => {
  for (let i = 0; i < 5; i++) {
    const winner = await run(() =>
      race([call(Promise.resolve("first")), call(Promise.resolve("second"))])
    );
    assert.equal(winner, "first");
  }
});

Deno.test("race() over tasks, as a timeout", async () => {
  const result = await run(function* () {
    const work = yield* spawn(() => after(60_000, "work"));
    const r = yield* race([work, after(1, "timeout")]);
    yield* work.cancel();
    return r;
  });
  assert.equal(result, "timeout");
});

Deno.test("race() validates 'operations': TypeError, and RangeError when empty", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => race(3 as any), { name: "TypeError", message: /'operations'/ });
  assert.throws(() => race([]), {
    name: "RangeError",
    message: "race(): 'operations' must be a non-empty array of operations, got an array",
  });
});

Deno.test("race(): members queued in the same turn as the winner are halted, not run", async () => {
  const log: string[] = [];
  const result = await run(function* () {
    const shared = yield* spawn(function* () {
      yield* sleep(0);
    });
    return yield* race([
      (function* () {
        yield* shared; // both members wake in the same turn; this one runs first
        log.push("first");
        return "first";
      })(),
      (function* () {
        try {
          yield* shared;
          log.push("second ran"); // must not run: the race is already decided
          throw new Error("second");
        } finally {
          log.push("second halted");
        }
      })(),
    ]);
  });
  assert.equal(result, "first");
  assert.deepEqual(log, ["first", "second halted"]);
});
