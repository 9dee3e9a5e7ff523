import assert from "node:assert/strict";
import { averageTaskMs, batchLimit } from "./_batching.ts";

Deno.test("batchLimit() is 1 until tasks are known to be tiny", () => {
  assert.equal(batchLimit(Infinity, 100, 2, 1000), 1);
  assert.equal(batchLimit(1, 100, 2, 1000), 1);
  assert.equal(batchLimit(Number.NaN, 100, 2, 1000), 1);
});

Deno.test("batchLimit() of tiny tasks is a fair share, within the time aimed at and the room left", () => {
  assert.equal(batchLimit(0.01, 100, 4, 1000), 25); // a fair share of the queue
  assert.equal(batchLimit(0.5, 100, 1, 1000), 8); // about 4 ms of work
  assert.equal(batchLimit(0, 1_000_000, 1, Infinity), 1024); // at most MAX_BATCH
  assert.equal(batchLimit(0.01, 100, 1, 3), 3); // maxTasksPerWorker
});

Deno.test("averageTaskMs() starts at the first sample, then moves a quarter of the way", () => {
  assert.equal(averageTaskMs(Infinity, 2), 2);
  assert.equal(averageTaskMs(2, 6), 3);
});
