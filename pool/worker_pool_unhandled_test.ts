import assert from "node:assert/strict";
import { WorkerPool, type WorkerPoolOptions } from "./mod.ts";

type Tasks = typeof import("./testdata/tasks.ts");
const TASKS = new URL("./testdata/tasks.ts", import.meta.url);

function tasksPool(options: WorkerPoolOptions = { size: 1 }): WorkerPool<Tasks> {
  return new WorkerPool<Tasks>(TASKS, options);
}

/** Collects the unhandled rejections (preventing their default) while `body` runs. */
async function collectUnhandled(
  body: (reported: unknown[], onReport: (f: () => void) => void) => Promise<void>,
): Promise<void> {
  const reported: unknown[] = [];
  let check = () => {};
  const onUnhandled = (event: PromiseRejectionEvent) => {
    event.preventDefault();
    reported.push(event.reason);
    check();
  };
  globalThis.addEventListener("unhandledrejection", onUnhandled);
  try {
    await body(reported, (f) => check = f);
  } finally {
    globalThis.removeEventListener("unhandledrejection", onUnhandled);
  }
}

Deno.test("WorkerPool.run() fire-and-forget: a rejection the caller asked for is not an unhandled rejection", async () => {
  // Every such path: already aborted, aborted while queued or running, timed out while running,
  // close({ cancelPending: true }) of a queued task, terminate() of a running one.
  await collectUnhandled(async (reported, onReport) => {
    const pool = tasksPool({ size: 1 });
    const already = new AbortController();
    already.abort(new Error("already"));
    pool.run("add", [1, 1], { signal: already.signal });
    const whileRunning = new AbortController();
    pool.run("delayedEcho", ["a", 60_000], { signal: whileRunning.signal });
    const whileQueued = new AbortController();
    pool.run("add", [1, 1], { signal: whileQueued.signal });
    assert.equal(pool.running + pool.queued, 2);
    whileQueued.abort();
    whileRunning.abort();
    pool.run("delayedEcho", ["b", 60_000], { timeout: 1 });
    await pool.join(); // the timeout has fired
    pool.run("delayedEcho", ["c", 60_000]);
    pool.run("add", [2, 2]);
    assert.equal(pool.running + pool.queued, 2);
    const closing = pool.close({ cancelPending: true }); // rejects the queued one
    assert.equal(pool.queued, 0);
    pool.terminate(); // rejects the running one
    await closing;
    // Rejected after all of them: once it is reported, any of them would have been too.
    const sentinel = new Error("sentinel");
    const seen = Promise.withResolvers<void>();
    onReport(() => {
      if (reported.includes(sentinel)) seen.resolve();
    });
    Promise.reject(sentinel);
    await seen.promise;
    assert.deepEqual(reported, [sentinel]);
  });
});

Deno.test("WorkerPool.run() fire-and-forget: a task's own error is an unhandled rejection, with or without a signal or timeout", async () => {
  await collectUnhandled(async (reported, onReport) => {
    await using pool = tasksPool({ size: 1 });
    const all = Promise.withResolvers<void>();
    onReport(() => {
      if (reported.length === 3) all.resolve();
    });
    pool.run("failLater", ["plain"]);
    pool.run("failLater", ["with a signal"], { signal: new AbortController().signal });
    pool.run("failLater", ["with a timeout"], { timeout: 60_000 });
    await all.promise;
    assert.deepEqual(
      reported.map((error) => (error as Error).message).sort(),
      ["plain", "with a signal", "with a timeout"],
    );
  });
});
