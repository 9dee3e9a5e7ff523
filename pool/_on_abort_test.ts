import assert from "node:assert/strict";
import { AsyncPool, WorkerPool } from "./mod.ts";
import { onAbort } from "./_on_abort.ts";

/** A signal that counts the listeners added to it and still on it. */
function countingSignal(): {
  controller: AbortController;
  added: () => number;
  live: () => number;
} {
  const controller = new AbortController();
  const { signal } = controller;
  let added = 0;
  let live = 0;
  const add = signal.addEventListener.bind(signal);
  const remove = signal.removeEventListener.bind(signal);
  signal.addEventListener = (...args: Parameters<AbortSignal["addEventListener"]>) => {
    added++;
    live++;
    add(...args);
  };
  signal.removeEventListener = (...args: Parameters<AbortSignal["removeEventListener"]>) => {
    live--;
    remove(...args);
  };
  return { controller, added: () => added, live: () => live };
}

Deno.test("onAbort() calls each callback once, in order, and not a removed one", () => {
  const controller = new AbortController();
  const calls: number[] = [];
  onAbort(controller.signal, () => calls.push(1));
  const off = onAbort(controller.signal, () => calls.push(2));
  onAbort(controller.signal, () => calls.push(3));
  off();
  controller.abort();
  controller.abort();
  assert.deepEqual(calls, [1, 3]);
});

Deno.test("onAbort() adds one listener per signal and takes it off with the last callback", () => {
  const { controller, added, live } = countingSignal();
  const offs = Array.from({ length: 100 }, () => onAbort(controller.signal, () => {}));
  assert.equal(added(), 1);
  for (const off of offs) off();
  assert.equal(live(), 0, "an idle signal holds nothing of ours");
  let called = false;
  onAbort(controller.signal, () => called = true);
  controller.abort();
  assert.equal(called, true);
});

Deno.test("AsyncPool.run() queued tasks sharing a signal add one listener to it (O(1) a task)", async () => {
  const { controller, added, live } = countingSignal();
  await using pool = new AsyncPool({ concurrency: 1 });
  const tasks = Array.from(
    { length: 100 },
    (_, i) => pool.run(() => i, { signal: controller.signal }),
  );
  assert.equal(added(), 1);
  assert.deepEqual(await Promise.all(tasks), Array.from({ length: 100 }, (_, i) => i));
  assert.equal(live(), 0);
});

Deno.test("WorkerPool.run() queued tasks sharing a signal add one listener to it (O(1) a task)", async () => {
  const url = URL.createObjectURL(
    new Blob(["export const echo = (n) => n;"], { type: "text/javascript" }),
  );
  try {
    const { controller, added, live } = countingSignal();
    await using pool = new WorkerPool(url, { size: 1 });
    const tasks = Array.from(
      { length: 100 },
      (_, i) => pool.run("echo", [i], { signal: controller.signal }),
    );
    assert.equal(added(), 1);
    assert.deepEqual(await Promise.all(tasks), Array.from({ length: 100 }, (_, i) => i));
    assert.equal(live(), 0);
  } finally {
    URL.revokeObjectURL(url);
  }
});
