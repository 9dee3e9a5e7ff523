import assert from "node:assert/strict";
import fc from "fast-check";
import { PriorityQueue, Queue } from "./mod.ts";
import { flush, track } from "./_test_utils.ts";

Deno.test("PriorityQueue.get() returns the lowest item first by default", async () => {
  const queue = new PriorityQueue<number>();
  for (const n of [5, 1, 4, 2, 3]) await queue.put(n);
  const out = [];
  while (!queue.empty) out.push(await queue.get());
  assert.deepEqual(out, [1, 2, 3, 4, 5]);
});

Deno.test("PriorityQueue is stable for equal priorities", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 200 }), (priorities) => {
      const queue = new PriorityQueue<{ p: number; seq: number }>({
        compare: (a, b) => a.p - b.p,
      });
      priorities.forEach((p, seq) => queue.putNowait({ p, seq }));
      const out = [];
      while (!queue.empty) out.push(queue.getNowait());
      const expected = priorities.map((p, seq) => ({ p, seq })).sort((a, b) =>
        a.p - b.p || a.seq - b.seq
      );
      assert.deepEqual(out, expected);
    }),
    { numRuns: 100 },
  );
});

Deno.test("PriorityQueue stays stable when gets and puts interleave", () => {
  fc.assert(
    fc.property(
      fc.array(fc.option(fc.integer({ min: 0, max: 3 }), { nil: undefined }), { maxLength: 200 }),
      (ops) => {
        const queue = new PriorityQueue<[number, number]>({ compare: (a, b) => a[0] - b[0] });
        const model: [number, number][] = [];
        ops.forEach((op, seq) => {
          if (op === undefined) {
            if (model.length === 0) return;
            model.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            assert.deepEqual(queue.getNowait(), model.shift());
          } else {
            queue.putNowait([op, seq]);
            model.push([op, seq]);
          }
        });
        assert.equal(queue.size, model.length);
      },
    ),
    { numRuns: 100 },
  );
});

Deno.test("PriorityQueue uses the compare option", () => {
  const queue = new PriorityQueue<string>({ compare: (a, b) => b.length - a.length });
  for (const s of ["a", "ccc", "bb"]) queue.putNowait(s);
  assert.deepEqual(queue.close({ immediate: true }), ["ccc", "bb", "a"]);
});

Deno.test("PriorityQueue() validates its options", () => {
  assert.throws(
    () => new PriorityQueue({ compare: 1 as unknown as () => number }),
    /Cannot create PriorityQueue: 'compare' must be a function, got 1/,
  );
  assert.throws(
    () => new PriorityQueue({ maxsize: 1.5 }),
    /Cannot create PriorityQueue: 'maxsize'/,
  );
  assert.throws(() => new PriorityQueue("x" as unknown as object), TypeError);
});

Deno.test("PriorityQueue waits like a Queue and admits a waiting putter by priority", async () => {
  const queue = new PriorityQueue<number>({ maxsize: 2 });
  assert(queue instanceof Queue);
  await queue.put(5);
  await queue.put(3);
  const blocked = track(queue.put(1));
  await flush();
  assert.equal(blocked.state, "pending");
  assert.equal(await queue.get(), 3);
  await flush();
  assert.equal(blocked.state, "fulfilled");
  assert.equal(await queue.get(), 1);
  assert.equal(await queue.get(), 5);
  const waiting = track(queue.get());
  await queue.put(9);
  await flush();
  assert.equal(waiting.value, 9);
});
