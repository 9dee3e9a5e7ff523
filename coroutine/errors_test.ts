// deno-lint-ignore-file no-unsafe-finally
// Errors after the first are kept (Python's ExceptionGroup is the model), and an error thrown
// while tearing down rejects the run instead of escaping as an uncaught exception.
import assert from "node:assert/strict";
import { all } from "./all.ts";
import { run } from "./run.ts";
import { scoped } from "./scoped.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import { call } from "./call.ts";
import type { Operation } from "./operation.ts";
import { useAbortSignal } from "./use_abort_signal.ts";

Deno.test("run(): two failures reject with an AggregateError holding both, first as cause", async () => {
  const first = new Error("first");
  const second = new Error("second");
  const error = await run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        throw second; // thrown while being torn down because of `first`
      }
    });
    yield* sleep(0);
    throw first;
  }).then(() => undefined, (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [first, second]);
  assert.equal(error.cause, first);
  assert.match(error.message, /^2 errors in one task; the first: first$/);
});

Deno.test("run(): a single failure is rejected as itself, not wrapped", async () => {
  const only = new Error("only");
  await assert.rejects(
    run(function* () {
      yield* sleep(0);
      throw only;
    }),
    (e) => e === only,
  );
});

Deno.test("run(): an error thrown by a finally while the signal cancels rejects with that error", async () => {
  const controller = new AbortController();
  const done = run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        throw new Error("teardown failed");
      }
    });
    yield* sleep(Infinity);
  }, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "teardown failed" });
});

Deno.test("run(): an error thrown while a timeout tears down the tree rejects the run", async () => {
  const done = run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        yield* sleep(0);
        throw new Error("teardown failed after a pause");
      }
    });
    yield* sleep(Infinity);
  }, { timeout: 0 });
  await assert.rejects(done, { message: "teardown failed after a pause" });
});

Deno.test("run(): a child failing in teardown after the body returned rejects the run", async () => {
  await assert.rejects(
    run(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          throw new Error("late");
        }
      });
      yield* sleep(0);
      return "value";
    }),
    { message: "late" },
  );
});

Deno.test("all(): every member's failure is kept, in the order they happened", async () => {
  const error = await run(function* () {
    yield* all([
      (function* () {
        yield* sleep(0);
        throw new Error("a");
      })(),
      (function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          throw new Error("b in teardown");
        }
      })(),
    ]);
  }).then(() => undefined, (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors.map((e: Error) => e.message), ["a", "b in teardown"]);
});

Deno.test("scoped(): the same error reaching a task twice is reported once", async () => {
  const boom = new Error("boom");
  const error = await run(function* () {
    yield* scoped(function* () {
      const child = yield* spawn(function* () {
        yield* sleep(0);
        throw boom;
      });
      yield* child; // the scope is halted by the failure, not resumed with it
    });
  }).then(() => undefined, (e) => e);
  assert.equal(error, boom);
});

Deno.test("call(): an abort listener throwing while the task is cancelled rejects the run, not the process", async () => {
  await assert.rejects(
    run(function* () {
      yield* spawn(function* () {
        yield* call((signal) => {
          signal.addEventListener("abort", () => {
            throw new Error("listener failed");
          });
          return new Promise(() => {});
        });
      });
      yield* sleep(0);
    }),
    { message: "listener failed" },
  );
});

Deno.test("useAbortSignal(): a listener throwing when the task ends fails the task", async () => {
  await assert.rejects(
    run(function* () {
      const signal = yield* useAbortSignal();
      signal.addEventListener("abort", () => {
        throw new Error("listener failed");
      });
      return 1;
    }),
    { message: "listener failed" },
  );
});

Deno.test("call(): throwing onabort and handleEvent listeners are all kept; a removed one is not called", async () => {
  const called: string[] = [];
  const error = await run(function* () {
    yield* spawn(function* () {
      yield* call((signal) => {
        signal.onabort = () => {
          called.push("onabort");
          throw new Error("onabort");
        };
        signal.addEventListener("abort", {
          handleEvent() {
            called.push("object");
            throw new Error("object");
          },
        });
        const removed = () => called.push("removed");
        signal.addEventListener("abort", removed);
        signal.removeEventListener("abort", removed);
        assert.equal(typeof signal.onabort, "function");
        return new Promise(() => {});
      });
    });
    yield* sleep(0);
  }).then(() => undefined, (e) => e);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors.map((e: Error) => e.message), ["onabort", "object"]);
  assert.deepEqual(called, ["onabort", "object"]);
});

/** A hand-written operation without throw(): it awaits `promise`, and its return() throws. */
function closingFails(
  promise: Promise<unknown>,
  closing: Error,
  calls: string[],
): Operation<unknown> {
  return {
    [Symbol.iterator]: () => {
      const wait = call(promise)[Symbol.iterator]();
      return {
        next: (value?: unknown) => wait.next(value),
        return(): IteratorResult<unknown> {
          calls.push("return");
          throw closing;
        },
      };
    },
  };
}

Deno.test("run(): an iterator without throw() whose return() throws keeps both errors, the first as cause", async () => {
  const first = new Error("thrown in");
  const closing = new Error("return() failed");
  const calls: string[] = [];
  const error = await run(() => closingFails(Promise.reject(first), closing, calls)).then(
    () => undefined,
    (e) => e,
  );
  assert.deepEqual(calls, ["return"]);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [first, closing]);
  assert.equal(error.cause, first);
});

Deno.test("run(): an iterator without throw() whose return() throws while cancelled fails with that error", async () => {
  const closing = new Error("return() failed");
  const calls: string[] = [];
  const controller = new AbortController();
  const never = new Promise(() => {});
  const running = run(() => closingFails(never, closing, calls), { signal: controller.signal });
  controller.abort();
  await assert.rejects(running, (e) => e === closing);
  assert.deepEqual(calls, ["return"]);
});
