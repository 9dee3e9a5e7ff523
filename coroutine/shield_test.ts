import assert from "node:assert/strict";
import { call } from "./call.ts";
import { run } from "./run.ts";
import { shield } from "./shield.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import { withResolvers } from "./_options.ts";

Deno.test("shield(): a cancel during a normally entered finally does not skip cleanup2 (Effection's principle 2)", async () => {
  const log: string[] = [];
  const cleanup1Started = withResolvers<void>();
  const releaseCleanup1 = withResolvers<void>();
  const controller = new AbortController();
  const done = run(function* () {
    try {
      yield* sleep(0);
    } finally {
      yield* shield(function* () {
        log.push("cleanup1:start");
        cleanup1Started.resolve();
        yield* call(releaseCleanup1.promise);
        log.push("cleanup1:end");
        yield* sleep(0);
        log.push("cleanup2:end");
      });
    }
  }, { signal: controller.signal });
  await cleanup1Started.promise;
  controller.abort(new Error("stop")); // the body is in its finally, entered normally
  releaseCleanup1.resolve();
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["cleanup1:start", "cleanup1:end", "cleanup2:end"]);
});

Deno.test("shield(): the cancellation is thrown once the shielded operation finished", async () => {
  const log: string[] = [];
  await run(function* () {
    const task = yield* spawn(function* () {
      const value = yield* shield(function* () {
        yield* sleep(1);
        log.push("shielded done");
        return 1;
      });
      log.push(`after shield ${value}`); // must not run: the task was cancelled
    });
    yield* sleep(0);
    yield* task.cancel();
    log.push("cancel returned");
  });
  assert.deepEqual(log, ["shielded done", "cancel returned"]);
});

Deno.test("shield(): a timeout of the run waits for it", async () => {
  const log: string[] = [];
  await assert.rejects(
    run(function* () {
      yield* shield(function* () {
        yield* sleep(5);
        log.push("finished");
      });
      log.push("after"); // must not run
    }, { timeout: 0 }),
    { name: "TimeoutError" },
  );
  assert.deepEqual(log, ["finished"]);
});

Deno.test("shield(): its failure is thrown into the caller", async () => {
  const message = await run(function* () {
    try {
      yield* shield(function* () {
        yield* sleep(0);
        throw new Error("inside");
      });
      return "no error";
    } catch (error) {
      return (error as Error).message;
    }
  });
  assert.equal(message, "inside");
});

Deno.test("shield() refuses a non-function, naming 'fn'", () => {
  // deno-lint-ignore no-explicit-any
  assert.throws(() => shield(3 as any), {
    name: "TypeError",
    message: "shield(): 'fn' must be a function returning an operation, got 3",
  });
});
