// Interop with promise-based code: await a task, a signal tied to a task, each() over an async
// iterable.
import assert from "node:assert/strict";
import { call } from "./call.ts";
import { each } from "./each.ts";
import { run } from "./run.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";
import type { Task } from "./task.ts";
import { useAbortSignal } from "./use_abort_signal.ts";
import { withResolvers } from "./_options.ts";

Deno.test("Task.then(): async code awaits a task's value, error or cancellation", async () => {
  const outcomes = await run(function* () {
    const ok: Task<number> = yield* spawn(function* () {
      yield* sleep(0);
      return 1;
    });
    const cancelled = yield* spawn(() => sleep(Infinity));
    const results = yield* call(async () => {
      const value = await ok;
      cancelled.cancel();
      const reason = await cancelled.then(() => "fulfilled", (e: DOMException) => e.name);
      return [value, reason];
    });
    return results;
  });
  assert.deepEqual(outcomes, [1, "AbortError"]);
  // A failed task rejects its awaiters (and still fails its parent).
  let awaited: Promise<unknown> | undefined;
  await assert.rejects(
    run(function* () {
      const failing = yield* spawn(function* () {
        yield* sleep(0);
        throw new Error("failed");
      });
      awaited = Promise.resolve(failing);
      yield* sleep(Infinity);
    }),
    { message: "failed" },
  );
  await assert.rejects(awaited as Promise<unknown>, { message: "failed" });
});

Deno.test("useAbortSignal() aborts with the task's cancellation reason", async () => {
  const controller = new AbortController();
  let signal: AbortSignal | undefined;
  const started = withResolvers<void>();
  const done = run(function* () {
    signal = yield* useAbortSignal();
    assert.equal(signal, yield* useAbortSignal()); // the same one every time
    started.resolve();
    yield* sleep(Infinity);
  }, { signal: controller.signal });
  await started.promise;
  assert.equal(signal?.aborted, false);
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(done, (e) => e === reason);
  assert.equal(signal?.reason, reason);
});

Deno.test("useAbortSignal() aborts when the task's body returns", async () => {
  const signal = await run(function* () {
    return yield* useAbortSignal();
  });
  assert.equal(signal.aborted, true);
  assert.equal((signal.reason as DOMException).name, "AbortError");
});

Deno.test("useAbortSignal() cancels a fetch-like promise API with the task", async () => {
  let aborted = false;
  await run(function* () {
    const task = yield* spawn(function* () {
      const signal = yield* useAbortSignal();
      yield* call(
        new Promise<void>((resolve) => {
          signal.addEventListener("abort", () => {
            aborted = true;
            resolve();
          });
        }),
      );
    });
    yield* sleep(0);
    yield* task.cancel();
  });
  assert.equal(aborted, true);
});

Deno.test("each() takes every item in order, waiting for the body's operation", async () => {
  const log: string[] = [];
  async function* source() {
    for (const item of ["a", "b", "c"]) yield item;
  }
  await run(() =>
    each(source(), function* (item) {
      yield* sleep(0);
      log.push(item);
    })
  );
  assert.deepEqual(log, ["a", "b", "c"]);
});

Deno.test("each(): cancelling while in the body closes the source (its finally runs)", async () => {
  const log: string[] = [];
  async function* source() {
    try {
      for (let i = 0;; i++) yield i;
    } finally {
      log.push("source closed");
    }
  }
  const controller = new AbortController();
  const done = run(() =>
    each(source(), function* (n) {
      log.push(`item ${n}`);
      if (n === 1) controller.abort(new Error("stop"));
      yield* sleep(0);
    }), { signal: controller.signal });
  await assert.rejects(done, { message: "stop" });
  assert.deepEqual(log, ["item 0", "item 1", "source closed"]);
});

Deno.test("each(): cancelling while waiting for an item stops at once", async () => {
  const waiting = withResolvers<void>();
  const never = {
    [Symbol.asyncIterator]() {
      return {
        next() {
          waiting.resolve();
          return new Promise<IteratorResult<number>>(() => {});
        },
        return() {
          return Promise.resolve({ done: true as const, value: undefined });
        },
      };
    },
  };
  const controller = new AbortController();
  const done = run(() => each(never, () => {}), { signal: controller.signal });
  await waiting.promise;
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
});

Deno.test("each(): an error from the body closes the source and fails the operation", async () => {
  let closed = false;
  function* source() {
    try {
      yield 1;
      yield 2;
    } finally {
      closed = true;
    }
  }
  await assert.rejects(
    run(() =>
      each(source(), () => {
        throw new Error("body failed");
      })
    ),
    { message: "body failed" },
  );
  assert.equal(closed, true);
});

Deno.test("each(): a body error and a throwing return() are both kept", async () => {
  const bodyError = new Error("body failed");
  const closeError = new Error("close failed");
  const source = {
    [Symbol.iterator]: () => ({
      next: () => ({ done: false, value: 1 }),
      return(): IteratorResult<number> {
        throw closeError;
      },
    }),
  };
  const error = await run(() =>
    each(source, () => {
      throw bodyError;
    })
  ).then(() => null, (error) => error);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [bodyError, closeError]);
  assert.equal(error.cause, bodyError);
});

Deno.test("each(): a failing next() and a return() throwing synchronously are both kept", async () => {
  const nextError = new Error("next failed");
  const closeError = new Error("close failed");
  const source = {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.reject(nextError),
      return(): Promise<IteratorResult<number>> {
        throw closeError;
      },
    }),
  };
  const error = await run(() => each(source, () => {})).then(() => null, (error) => error);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [nextError, closeError]);
});

Deno.test("each(): after a failing next(), closing is awaited and its rejection kept too", async () => {
  const nextError = new Error("next failed");
  const closeError = new Error("close failed");
  const source = {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.reject(nextError),
      return: (): Promise<IteratorResult<number>> => Promise.reject(closeError),
    }),
  };
  const error = await run(() => each(source, () => {})).then(() => null, (error) => error);
  assert.ok(error instanceof AggregateError);
  assert.deepEqual(error.errors, [nextError, closeError]);
});

Deno.test("each(): a return() failing while cancelled fails the task with that error", async () => {
  const closeError = new Error("close failed");
  const entered = withResolvers<void>();
  const source = {
    [Symbol.asyncIterator]: () => ({
      next: () => Promise.resolve({ done: false as const, value: 1 }),
      return: (): Promise<IteratorResult<number>> => Promise.reject(closeError),
    }),
  };
  const controller = new AbortController();
  const done = run(() =>
    each(source, function* () {
      entered.resolve();
      yield* sleep(Infinity);
    }), { signal: controller.signal });
  await entered.promise;
  controller.abort(new Error("stop"));
  await assert.rejects(done, (error) => error === closeError);
});

Deno.test("each(): a body returning a promise fails with an error naming 'body()', closing the source", async () => {
  let closed = false;
  function* source() {
    try {
      yield 1;
      yield 2;
    } finally {
      closed = true;
    }
  }
  await assert.rejects(
    run(() => each(source(), (async () => {}) as () => void)),
    { name: "TypeError", message: /^each\(\): 'body\(\)' must be an operation or nothing/ },
  );
  assert.equal(closed, true);
});

Deno.test("each() validates its arguments, naming them", () => {
  // deno-lint-ignore no-explicit-any
  const e = each as any;
  assert.throws(() => e(5, () => {}), {
    name: "TypeError",
    message: "each(): 'source' must be an async iterable or an iterable, got 5",
  });
  assert.throws(() => e([], 5), {
    name: "TypeError",
    message: "each(): 'body' must be a function, got 5",
  });
});
