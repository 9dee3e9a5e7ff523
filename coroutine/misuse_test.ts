// Reuse and misuse get a clear error: a generator runs once, call() takes promises.
import assert from "node:assert/strict";
import { all } from "./all.ts";
import { call } from "./call.ts";
import { race } from "./race.ts";
import { run } from "./run.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import { withTimeout } from "./with_timeout.ts";
import type { Operation } from "./operation.ts";

function* one(): Operation<number> {
  yield* sleep(0);
  return 1;
}

Deno.test("all() refuses the same generator twice, naming the argument", () => {
  const g = one();
  assert.throws(() => all([g, g]), {
    name: "TypeError",
    message: /^all\(\): 'operations\[1\]' must be a generator not given twice/,
  });
  assert.throws(() => race([g, g]), { name: "TypeError", message: /^race\(\): 'operations\[1\]'/ });
});

Deno.test("run() refuses a generator another task already ran", async () => {
  const g = one();
  assert.equal(await run(() => g), 1);
  await assert.rejects(run(() => g), {
    name: "TypeError",
    message: /^run\(\): 'fn\(\)' must be a generator no task has run yet/,
  });
});

Deno.test("all() and race() refuse a generator another task already ran", async () => {
  const g = one();
  assert.equal(await run(() => g), 1);
  assert.throws(() => all([g]), {
    name: "TypeError",
    message: /^all\(\): 'operations\[0\]' must be a generator no task has run yet/,
  });
  const h = one();
  await run(() => race([h]));
  await assert.rejects(run(() => h), { name: "TypeError" });
});

Deno.test("call() refuses a generator function, and a function returning a generator", async () => {
  assert.throws(() => call(function* () {}), {
    name: "TypeError",
    message: /^call\(\): 'source' must be a promise or a function returning one.*got a function/,
  });
  const message = await run(function* () {
    try {
      yield* call(() => one() as unknown as Promise<number>);
      return "ran";
    } catch (error) {
      return (error as Error).message;
    }
  });
  assert.match(message, /^call\(\): 'source' must be a function returning a promise or a value/);
});

Deno.test("all(), race() and withTimeout() holding a generator refuse a second yield*", async () => {
  // A retry loop around one operation would otherwise get the finished generator's `undefined`.
  for (
    const [name, make] of [
      ["all", (g: Operation<number>) => all([g])],
      ["race", (g: Operation<number>) => race([g])],
      ["race", (g: Operation<number>) => withTimeout(g, 60_000)],
    ] as const
  ) {
    const op = make(one()) as Operation<unknown>;
    const second = await run(function* () {
      yield* op;
      try {
        yield* op;
        return "ran twice";
      } catch (error) {
        return error;
      }
    });
    assert.ok(second instanceof TypeError, `${name}: ${String(second)}`);
    assert.match(
      second.message,
      new RegExp(`^${name}\\(\\): 'operations\\[0\\]' must be a generator no task has run yet`),
    );
  }
});

Deno.test("run(): an operation whose iterator returns a non-object fails its task, not the scheduler", async () => {
  const bad = { [Symbol.iterator]: () => ({ next: () => undefined }) } as unknown as Operation<
    number
  >;
  const message =
    /^A task's operation returned undefined from its iterator's next\(\) or throw\(\)/;
  await assert.rejects(run(() => bad), { name: "TypeError", message });
  // In a child: its failure cancels its sibling (whose cleanup runs) and fails the run.
  let siblingCleaned = false;
  await assert.rejects(
    run(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          siblingCleaned = true;
        }
      });
      yield* spawn(() => bad);
      yield* sleep(Infinity);
    }),
    { name: "TypeError", message },
  );
  assert.equal(siblingCleaned, true);
});
