import assert from "node:assert/strict";
import { run } from "./run.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import { scoped } from "./scoped.ts";

Deno.test("scoped() throws a child's failure into the caller, which survives it", async () => {
  const log: string[] = [];
  const result = await run(function* () {
    try {
      yield* scoped(function* () {
        yield* spawn(function* () {
          try {
            yield* sleep(Infinity);
          } finally {
            log.push("sibling");
          }
        });
        yield* spawn(function* () {
          yield* sleep(1);
          throw new Error("child failed");
        });
        yield* sleep(Infinity);
      });
    } catch (error) {
      log.push(`caught ${(error as Error).message}`);
    }
    yield* sleep(0);
    return "survived";
  });
  assert.equal(result, "survived");
  assert.deepEqual(log, ["sibling", "caught child failed"]);
});

Deno.test("scoped() evaluates to the body's value after its tasks were cancelled", async () => {
  const log: string[] = [];
  const value = await run(function* () {
    const v = yield* scoped(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          log.push("background task");
        }
      });
      yield* sleep(0);
      return 3;
    });
    log.push(`scope returned ${v}`);
    return v;
  });
  assert.equal(value, 3);
  assert.deepEqual(log, ["background task", "scope returned 3"]);
});

Deno.test("scoped(): an error thrown while the scope is being cancelled is not lost", async () => {
  const controller = new AbortController();
  const done = run(function* () {
    yield* scoped(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        // deno-lint-ignore no-unsafe-finally
        throw new Error("cleanup failed");
      }
    });
  }, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "cleanup failed" });
});

Deno.test("scoped() refuses a non-function, naming 'fn'", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => scoped(1 as any), { name: "TypeError", message: /'fn' must be a function/ });
});
