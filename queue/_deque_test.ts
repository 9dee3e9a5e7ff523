import assert from "node:assert/strict";
import fc from "fast-check";
import { Deque } from "./_deque.ts";
import { Heap } from "./_heap.ts";

Deno.test("Deque behaves like an array under random push/shift/pop/unshift", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.record({ op: fc.constant("push" as const), n: fc.integer() }),
          fc.record({ op: fc.constant("unshift" as const), n: fc.integer() }),
          fc.record({ op: fc.constant("shift" as const) }),
          fc.record({ op: fc.constant("pop" as const) }),
        ),
        { maxLength: 400 },
      ),
      (ops) => {
        const deque = new Deque<number>();
        const model: number[] = [];
        for (const o of ops) {
          if (o.op === "push") (deque.push(o.n), model.push(o.n));
          else if (o.op === "unshift") (deque.unshift(o.n), model.unshift(o.n));
          else if (o.op === "shift") assert.equal(deque.shift(), model.shift());
          else assert.equal(deque.pop(), model.pop());
          assert.equal(deque.length, model.length);
          assert.equal(deque.peekFront(), model[0]);
          assert.equal(deque.peekBack(), model.at(-1));
        }
        assert.deepEqual(deque.toArray(), model);
        assert.deepEqual(deque.drain(), model);
        assert.equal(deque.length, 0);
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("Deque grows as a ring buffer and shrinks when drained", () => {
  const deque = new Deque<number>();
  assert.equal(deque.capacity, 16);
  for (let i = 0; i < 1000; i++) deque.push(i);
  assert.equal(deque.capacity, 1024);
  for (let i = 0; i < 1000; i++) assert.equal(deque.shift(), i);
  assert.equal(deque.capacity, 16);
  // Steady state at a fixed size wraps around without growing.
  for (let i = 0; i < 10; i++) deque.push(i);
  for (let i = 10; i < 100_000; i++) {
    deque.push(i);
    assert.equal(deque.shift(), i - 10);
  }
  assert.equal(deque.capacity, 16);
});

Deno.test("Heap pops in comparator order, ties in insertion order", () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 300 }), (keys) => {
      const heap = new Heap<[number, number]>((a: [number, number], b: [number, number]) =>
        a[0] - b[0]
      );
      keys.forEach((k, i) => heap.push([k, i]));
      const expected = keys.map((k, i) => [k, i] as const).sort((a, b) =>
        a[0] - b[0] || a[1] - b[1]
      );
      const popped = [];
      while (heap.length > 0) popped.push(heap.pop());
      assert.deepEqual(popped, expected);
    }),
    { numRuns: 100 },
  );
});
