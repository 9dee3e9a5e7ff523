import assert from "node:assert/strict";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import { call } from "./call.ts";
import { all } from "./all.ts";
import type { Operation } from "./operation.ts";

function* after<T>(ms: number, value: T, log?: string[]): Operation<T> {
  try {
    yield* sleep(ms);
    return value;
  } finally {
    log?.push(`finally ${value}`);
  }
}

Deno.test("all() evaluates to every result in the order given", async () => {
  const results = await run(function* () {
    const [a, b, c] = yield* all([after(3, "a"), after(1, 2), call(Promise.resolve(true))]);
    const typed: [string, number, boolean] = [a, b, c];
    return typed;
  });
  assert.deepEqual(results, ["a", 2, true]);
});

Deno.test("all() of no operations evaluates to an empty array", async () => {
  assert.deepEqual(await run(() => all([])), []);
});

Deno.test("all() joins tasks", async () => {
  const results = await run(function* () {
    const t1 = yield* spawn(() => after(2, 1));
    const t2 = yield* spawn(() => after(1, 2));
    return yield* all([t1, t2]);
  });
  assert.deepEqual(results, [1, 2]);
});

Deno.test("all(): the first failure cancels the others and is thrown to the caller", async () => {
  const log: string[] = [];
  const message = await run(function* () {
    try {
      yield* all([
        after(60_000, "slow", log),
        (function* () {
          yield* sleep(1);
          throw new Error("failed");
        })(),
        after(60_000, "slower", log),
      ]);
      return "unreachable";
    } catch (error) {
      log.push("caught");
      return (error as Error).message;
    }
  });
  assert.equal(message, "failed");
  assert.deepEqual(log, ["finally slower", "finally slow", "caught"]);
});

Deno.test("all(): cancelling the caller cancels the operations first", async () => {
  const log: string[] = [];
  const controller = new AbortController();
  const done = run(function* () {
    try {
      yield* all([after(60_000, "x", log), after(60_000, "y", log)]);
    } finally {
      log.push("caller");
    }
  }, { signal: controller.signal });
  await run(() => sleep(0));
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["finally y", "finally x", "caller"]);
});

Deno.test("all() validates 'operations'", () => {
  for (const bad of [undefined, null, 1, "ab"]) {
    assert.throws(
      // deno-lint-ignore no-explicit-any
      () => all(bad as any),
      (e: unknown) => e instanceof TypeError && /'operations' must be an array/.test(e.message),
    );
  }
  assert.throws(
    // deno-lint-ignore no-explicit-any
    () => all([sleep(1), 5 as any]),
    { name: "TypeError", message: /'operations\[1\]' must be an operation, got 5/ },
  );
});
