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
    /new PriorityQueue\(\): 'compare' must be a function, got 1/,
  );
  assert.throws(
    () => new PriorityQueue({ maxsize: 1.5 }),
    /new PriorityQueue\(\): 'maxsize'/,
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

Deno.test("PriorityQueue orders (priority, item) arrays element by element, like Python tuples", async () => {
  const queue = new PriorityQueue<[number, string]>();
  for (const pair of [[10, "ten"], [9, "nine"], [100, "hundred"], [9, "eight"]] as const) {
    await queue.put([...pair]);
  }
  const order = [];
  while (!queue.empty) order.push((await queue.get())[1]);
  assert.deepEqual(order, ["eight", "nine", "ten", "hundred"]);
  // Numbers as numbers, strings as strings, a prefix first, bigints beside numbers.
  const mixed = new PriorityQueue<unknown>();
  for (const item of [10, 9, 100, 2n, -1.5, true]) mixed.putNowait(item);
  assert.deepEqual(mixed.close({ immediate: true }), [-1.5, true, 2n, 9, 10, 100]);
  const words = new PriorityQueue<unknown>();
  for (const item of ["b", "a", "ab", "B"]) words.putNowait(item);
  assert.deepEqual(words.close({ immediate: true }), ["B", "a", "ab", "b"]);
  const arrays = new PriorityQueue<number[]>();
  for (const item of [[1, 2], [1], [0, 9], []]) arrays.putNowait(item);
  assert.deepEqual(arrays.close({ immediate: true }), [[], [0, 9], [1], [1, 2]]);
});

Deno.test("PriorityQueue refuses values it cannot order with a TypeError, unchanged", async () => {
  const queue = new PriorityQueue<unknown>();
  await queue.put(1);
  await assert.rejects(queue.put("1"), (e: Error) => {
    assert(e instanceof TypeError);
    assert.match(e.message, /^PriorityQueue: 'item' must be orderable against 1 .* got "1"$/);
    return true;
  });
  assert.throws(() => queue.putNowait({}), TypeError);
  assert.throws(() => queue.putNowait(null), TypeError);
  await assert.rejects(queue.put([1]), TypeError);
  assert.equal(queue.size, 1);
  assert.equal(queue.unfinishedTasks, 1);
  // Equal priorities fall back on the item, as with tuples; distinct ones never look at it.
  const tasks = new PriorityQueue<[number, object]>();
  const a = {};
  tasks.putNowait([2, a]);
  tasks.putNowait([1, {}]);
  tasks.putNowait([2, a]); // the same object: equal
  await assert.rejects(tasks.put([2, {}]), /orderable against an object/);
  assert.equal(tasks.size, 3);
});

Deno.test("PriorityQueue orders by the key option, once per item, and refuses key with compare", () => {
  let calls = 0;
  const queue = new PriorityQueue<{ name: string; priority: number }>({
    key: (job) => {
      calls++;
      return [job.priority, job.name];
    },
  });
  for (const [name, priority] of [["c", 2], ["b", 1], ["a", 2]] as const) {
    queue.putNowait({ name, priority });
  }
  assert.equal(calls, 3);
  assert.deepEqual(queue.close({ immediate: true }).map((job) => job.name), ["b", "a", "c"]);
  assert.throws(
    () => new PriorityQueue({ key: (x: number) => x, compare: (a: number, b: number) => a - b }),
    /^TypeError: new PriorityQueue\(\): 'key' must be undefined when 'compare' is given/,
  );
  assert.throws(() => new PriorityQueue({ key: 1 as unknown as () => number }), TypeError);
});

/** A comparator on numbers that throws while `armed.on` is set. */
function faulty(armed: { on: boolean }) {
  return (a: number, b: number) => {
    if (armed.on) throw new Error("compare failed");
    return a - b;
  };
}

Deno.test("PriorityQueue.put() with a throwing compare rejects and leaves the heap unchanged", async () => {
  for (const size of [1, 2, 5, 31, 32]) {
    const armed = { on: false };
    const queue = new PriorityQueue<number>({ compare: faulty(armed) });
    for (let n = size; n > 0; n--) queue.putNowait(n * 10);
    armed.on = true;
    await assert.rejects(queue.put(5), /compare failed/);
    assert.throws(() => queue.putNowait(5), /compare failed/);
    assert.equal(queue.size, size);
    assert.equal(queue.unfinishedTasks, size);
    armed.on = false;
    const out = [];
    while (!queue.empty) out.push(queue.getNowait());
    assert.deepEqual(out, Array.from({ length: size }, (_, i) => (i + 1) * 10));
  }
});

Deno.test("PriorityQueue.get() with a throwing compare rejects (never throws) and loses nothing", async () => {
  for (const size of [3, 4, 9, 20]) { // with 2 items, taking the first compares nothing
    const armed = { on: false };
    const queue = new PriorityQueue<number>({ compare: faulty(armed) });
    for (let n = 0; n < size; n++) queue.putNowait((n * 7) % size);
    armed.on = true;
    let result: Promise<number> | undefined;
    assert.doesNotThrow(() => {
      result = queue.get();
    });
    await assert.rejects(result as Promise<number>, /compare failed/);
    assert.throws(() => queue.getNowait(), /compare failed/);
    await assert.rejects(queue[Symbol.asyncIterator]().next(), /compare failed/);
    assert.equal(queue.size, size);
    armed.on = false;
    const out = [];
    while (!queue.empty) out.push(await queue.get());
    assert.deepEqual(out, Array.from({ length: size }, (_, i) => i));
  }
});

Deno.test("PriorityQueue admitting a waiting put() whose compare throws rejects that put", async () => {
  const armed = { on: false };
  const queue = new PriorityQueue<number>({ maxsize: 2, compare: faulty(armed) });
  queue.putNowait(1);
  queue.putNowait(2);
  const first = track(queue.put(3));
  const second = track(queue.put(4));
  await flush();
  assert.equal(first.state, "pending");
  // Taking 1 compares nothing (2 is last); admitting 3 compares and throws.
  armed.on = true;
  assert.equal(queue.getNowait(), 1);
  await flush();
  assert.equal(first.state, "rejected");
  assert.match(String(first.reason), /compare failed/);
  // The freed slot went on to the next putter, whose compare throws too: never left pending.
  assert.equal(second.state, "rejected");
  assert.equal(queue.size, 1);
  assert.equal(queue.waitingPutters, 0);
  armed.on = false;
  assert.deepEqual(queue.close({ immediate: true }), [2]);
  assert.equal(queue.unfinishedTasks, 1); // the 1 taken, not yet marked done
});

Deno.test("PriorityQueue.close({ immediate: true }) returns every item even when compare throws", () => {
  const armed = { on: false };
  const queue = new PriorityQueue<number>({ compare: faulty(armed) });
  for (const n of [3, 1, 2]) queue.putNowait(n);
  armed.on = true;
  assert.deepEqual(queue.close({ immediate: true }), [3, 1, 2]); // insertion order
  assert.equal(queue.unfinishedTasks, 0);
});

Deno.test("PriorityQueue reads each option once", () => {
  const reads = { maxsize: 0, compare: 0, key: 0 };
  const options = {
    get maxsize() {
      reads.maxsize++;
      return reads.maxsize === 1 ? 2 : -1;
    },
    get key() {
      reads.key++;
      return reads.key === 1 ? (n: number) => -n : 7;
    },
    get compare() {
      reads.compare++;
      return undefined;
    },
  };
  const queue = new PriorityQueue<number>(options as never);
  assert.deepEqual(reads, { maxsize: 1, compare: 1, key: 1 });
  assert.equal(queue.maxsize, 2);
  queue.putNowait(1);
  queue.putNowait(5);
  assert.equal(queue.getNowait(), 5); // the key read once: highest first
});
