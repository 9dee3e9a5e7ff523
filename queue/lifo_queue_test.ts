import assert from "node:assert/strict";
import { LifoQueue, Queue, QueueClosed } from "./mod.ts";
import { flush, track } from "./_test_utils.ts";

Deno.test("LifoQueue.get() returns the newest item first", async () => {
  const queue = new LifoQueue<number>();
  for (const n of [1, 2, 3]) await queue.put(n);
  assert.deepEqual([await queue.get(), queue.getNowait(), await queue.get()], [3, 2, 1]);
});

Deno.test("LifoQueue is a Queue with the same waiting and closing", async () => {
  const queue = new LifoQueue<string>({ maxsize: 1 });
  assert(queue instanceof Queue);
  await queue.put("a");
  const blocked = track(queue.put("b"));
  await flush();
  assert.equal(blocked.state, "pending");
  assert.equal(await queue.get(), "a");
  await flush();
  assert.equal(blocked.state, "fulfilled");
  queue.close();
  assert.equal(await queue.get(), "b");
  await assert.rejects(queue.get(), QueueClosed);
});

Deno.test("LifoQueue.close({ immediate: true }) returns items newest first", () => {
  const queue = new LifoQueue<number>();
  for (const n of [1, 2, 3]) queue.putNowait(n);
  assert.deepEqual(queue.close({ immediate: true }), [3, 2, 1]);
});

Deno.test("LifoQueue() validates maxsize with its own name", () => {
  assert.throws(() => new LifoQueue({ maxsize: -1 }), /^RangeError: new LifoQueue\(\): 'maxsize'/);
  assert.throws(() => new LifoQueue(7 as unknown as object), /new LifoQueue\(\): 'options'/);
});

Deno.test("LifoQueue timeouts name the class", async () => {
  const queue = new LifoQueue<number>();
  await assert.rejects(queue.get({ timeout: 1 }), {
    message: "LifoQueue.get() timed out after 1 ms",
  });
});
