import assert from "node:assert/strict";
import { TaskQueue } from "./_task_queue.ts";

const never = Promise.resolve();

Deno.test("TaskQueue starts tasks in FIFO order, skipping removed ones, across compactions", () => {
  const queue = new TaskQueue();
  const started: number[] = [];
  const tickets: number[] = [];
  const start = (value: unknown) => void started.push(value as number);
  for (let i = 0; i < 5000; i++) tickets.push(queue.push(start, i, never));
  // Remove every third task, some before and some after the head has moved past 1024 entries.
  for (let i = 0; i < 5000; i += 3) assert.ok(queue.remove(tickets[i] ?? -1));
  const removed = Math.ceil(5000 / 3);
  assert.equal(queue.length, 5000 - removed);
  for (let i = 0; i < 2000; i++) assert.ok(queue.startNext());
  for (let i = 5000; i < 8000; i++) tickets.push(queue.push(start, i, never));
  assert.equal(queue.remove(tickets[1] ?? -1), undefined, "an already started task");
  assert.equal(queue.remove(tickets[0] ?? -1), undefined, "an already removed task");
  assert.ok(queue.remove(tickets[7999] ?? -1));
  while (queue.startNext());
  assert.equal(queue.length, 0);
  const expected = Array.from({ length: 7999 }, (_, i) => i).filter((i) =>
    i >= 5000 || i % 3 !== 0
  );
  assert.deepEqual(started, expected);
  // Empty, it still hands out fresh tickets and forgets old ones.
  const late = queue.push(start, -1, never);
  assert.equal(late, 8000);
  assert.equal(queue.drain().length, 1);
  assert.equal(queue.startNext(), false);
});
