import assert from "node:assert/strict";
import { Queue, QueueClosed, QueueEmpty, QueueFull } from "./mod.ts";
import { flush, track } from "./_test_utils.ts";

Deno.test("Queue() validates maxsize", () => {
  for (const maxsize of [-1, 1.5, NaN, -Infinity, 2 ** 53]) {
    assert.throws(() => new Queue({ maxsize }), (e: Error) => {
      assert(e instanceof RangeError);
      assert.equal(
        e.message,
        `new Queue(): 'maxsize' must be an integer from 0 up, or Infinity, got ${maxsize}`,
      );
      return true;
    });
  }
  assert.equal(new Queue({ maxsize: Infinity }).maxsize, Infinity);
  assert.throws(() => new Queue({ maxsize: "3" as unknown as number }), TypeError);
  assert.throws(() => new Queue(5 as unknown as object), /'options' must be an object, got 5/);
  assert.throws(() => new Queue(null as unknown as object), TypeError);
  assert.equal(new Queue({ maxsize: 0 }).maxsize, 0);
  assert.equal(new Queue({}).maxsize, 0);
  assert.equal(new Queue({ maxsize: 3 }).maxsize, 3);
});

Deno.test("Queue.put() and get() are first in, first out", async () => {
  const queue = new Queue<number>();
  for (let i = 0; i < 100; i++) await queue.put(i);
  assert.equal(queue.size, 100);
  for (let i = 0; i < 100; i++) assert.equal(await queue.get(), i);
  assert.equal(queue.empty, true);
});

Deno.test("Queue.put() returns a shared resolved promise when it does not wait", () => {
  const queue = new Queue<number>();
  assert.equal(queue.put(1), queue.put(2));
});

Deno.test("Queue size, empty and full report the contents", () => {
  const queue = new Queue<number>({ maxsize: 2 });
  assert.deepEqual([queue.size, queue.empty, queue.full], [0, true, false]);
  queue.putNowait(1);
  assert.deepEqual([queue.size, queue.empty, queue.full], [1, false, false]);
  queue.putNowait(2);
  assert.deepEqual([queue.size, queue.empty, queue.full], [2, false, true]);
  const unbounded = new Queue<number>();
  for (let i = 0; i < 10_000; i++) unbounded.putNowait(i);
  assert.equal(unbounded.full, false);
});

Deno.test("Queue.putNowait() throws QueueFull carrying the item", () => {
  const queue = new Queue<string>({ maxsize: 1 });
  queue.putNowait("a");
  assert.throws(() => queue.putNowait("b"), (e: unknown) => {
    assert(e instanceof QueueFull);
    assert.equal(e.item, "b");
    assert.match(e.message, /full \(maxsize 1\)/);
    return true;
  });
  assert.equal(queue.size, 1);
  assert.equal(queue.unfinishedTasks, 1);
});

Deno.test("Queue.getNowait() throws QueueEmpty on an empty queue", () => {
  const queue = new Queue<number>();
  assert.throws(() => queue.getNowait(), QueueEmpty);
  queue.putNowait(1);
  assert.equal(queue.getNowait(), 1);
  assert.throws(() => queue.getNowait(), QueueEmpty);
});

Deno.test("Queue.put() waits while the queue is full", async () => {
  const queue = new Queue<number>({ maxsize: 1 });
  await queue.put(1);
  const second = track(queue.put(2));
  await flush();
  assert.equal(second.state, "pending");
  assert.equal(queue.size, 1);
  assert.equal(await queue.get(), 1);
  await flush();
  assert.equal(second.state, "fulfilled");
  assert.equal(queue.size, 1);
  assert.equal(await queue.get(), 2);
});

Deno.test("Queue.put() admits waiting putters in FIFO order", async () => {
  const queue = new Queue<string>({ maxsize: 1 });
  await queue.put("first");
  const waits = ["a", "b", "c"].map((s) => track(queue.put(s)));
  const got: string[] = [];
  for (let i = 0; i < 4; i++) got.push(await queue.get());
  assert.deepEqual(got, ["first", "a", "b", "c"]);
  await flush();
  assert(waits.every((w) => w.state === "fulfilled"));
});

Deno.test("Queue.get() waits while empty and serves waiting getters in FIFO order", async () => {
  const queue = new Queue<number>();
  const getters = [track(queue.get()), track(queue.get()), track(queue.get())];
  await flush();
  assert(getters.every((g) => g.state === "pending"));
  await queue.put(10);
  await queue.put(20);
  await queue.put(30);
  await flush();
  assert.deepEqual(getters.map((g) => g.value), [10, 20, 30]);
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 3);
});

Deno.test("Queue.get() aborted never consumes an item", async () => {
  const queue = new Queue<string>();
  const controller = new AbortController();
  const aborted = track(queue.get({ signal: controller.signal }));
  const next = track(queue.get());
  controller.abort(new Error("stop"));
  await queue.put("x");
  await flush();
  assert.equal(aborted.state, "rejected");
  assert.equal((aborted.reason as Error).message, "stop");
  assert.equal(next.value, "x");

  // With no other waiter, the item stays queued.
  const c2 = new AbortController();
  const lone = track(queue.get({ signal: c2.signal }));
  c2.abort();
  await queue.put("y");
  await flush();
  assert.equal(lone.state, "rejected");
  assert.equal((lone.reason as DOMException).name, "AbortError");
  assert.equal(queue.size, 1);
  assert.equal(queue.getNowait(), "y");
});

Deno.test("Queue.get() timed out never consumes an item", async () => {
  const queue = new Queue<number>();
  const error = await queue.get({ timeout: 5 }).catch((e) => e);
  assert(error instanceof DOMException);
  assert.equal(error.name, "TimeoutError");
  assert.equal(error.message, "Queue.get() timed out after 5 ms");
  await queue.put(1);
  assert.equal(queue.size, 1);
  assert.equal(await queue.get({ timeout: 0 }), 1); // no wait, no timeout
});

Deno.test("Queue.get() handed an item before an abort keeps the item", async () => {
  const queue = new Queue<string>();
  const controller = new AbortController();
  const getter = track(queue.get({ signal: controller.signal }));
  queue.putNowait("x"); // handed over synchronously
  controller.abort(); // too late: the getter already has the item
  await flush();
  assert.equal(getter.state, "fulfilled");
  assert.equal(getter.value, "x");
  assert.equal(queue.size, 0);
});

Deno.test("Queue.put() aborted never enqueues its item", async () => {
  const queue = new Queue<string>({ maxsize: 1 });
  await queue.put("kept");
  const controller = new AbortController();
  const aborted = track(queue.put("dropped", { signal: controller.signal }));
  const behind = track(queue.put("behind"));
  controller.abort();
  await flush();
  assert.equal(aborted.state, "rejected");
  assert.equal(await queue.get(), "kept");
  assert.equal(await queue.get(), "behind"); // the slot went to the next putter
  await flush();
  assert.equal(behind.state, "fulfilled");
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 2);
});

Deno.test("Queue.put() timed out never enqueues its item", async () => {
  const queue = new Queue<number>({ maxsize: 1 });
  await queue.put(1);
  await assert.rejects(queue.put(2, { timeout: 1 }), (e: DOMException) => {
    assert.equal(e.name, "TimeoutError");
    assert.equal(e.message, "Queue.put() timed out after 1 ms");
    return true;
  });
  assert.equal(queue.size, 1);
  assert.equal(queue.unfinishedTasks, 1);
  assert.equal(queue.getNowait(), 1);
  assert.throws(() => queue.getNowait(), QueueEmpty);
});

Deno.test("Queue waits reject at once on an already-aborted signal, without side effects", async () => {
  const reason = new Error("already");
  const signal = AbortSignal.abort(reason);
  const queue = new Queue<number>({ maxsize: 1 });
  await assert.rejects(queue.put(1, { signal }), (e) => e === reason);
  assert.equal(queue.size, 0);
  queue.putNowait(1);
  await assert.rejects(queue.get({ signal }), (e) => e === reason);
  assert.equal(queue.size, 1);
  await assert.rejects(queue.join({ signal }), (e) => e === reason);
});

Deno.test("Queue waits validate their options", async () => {
  const queue = new Queue<number>();
  for (const timeout of [-1, NaN, -Infinity]) {
    await assert.rejects(queue.get({ timeout }), (e: Error) => {
      assert(e instanceof RangeError);
      assert.match(e.message, /^Queue\.get\(\): 'timeout' must be a number of milliseconds from 0/);
      return true;
    });
    await assert.rejects(queue.put(1, { timeout }), RangeError);
    await assert.rejects(queue.join({ timeout }), RangeError);
  }
  await assert.rejects(queue.get({ timeout: "5" as unknown as number }), TypeError);
  await assert.rejects(queue.get({ signal: {} as AbortSignal }), /'signal' must be an AbortSignal/);
  await assert.rejects(queue.get(3 as unknown as object), /'options' must be an object, got 3/);
  assert.equal(queue.size, 0);
  // Infinity waits forever (no timer); 1.5 ms is a valid timeout.
  const forever = track(queue.get({ timeout: Infinity }));
  await queue.put(1);
  await flush();
  assert.equal(forever.value, 1);
  await assert.rejects(queue.get({ timeout: 1.5 }), { name: "TimeoutError" });
});

Deno.test("Queue.taskDone() called too many times throws RangeError", async () => {
  const queue = new Queue<number>();
  assert.throws(() => queue.taskDone(), /called more times than items were put/);
  await queue.put(1);
  await queue.get();
  queue.taskDone();
  assert.throws(() => queue.taskDone(), RangeError);
});

Deno.test("Queue.join() resolves exactly at the last taskDone()", async () => {
  const queue = new Queue<number>();
  await queue.join(); // nothing unfinished
  for (let i = 0; i < 3; i++) await queue.put(i);
  const joins = [track(queue.join()), track(queue.join())];
  for (let i = 0; i < 3; i++) {
    await queue.get();
    await flush();
    assert(joins.every((j) => j.state === "pending"));
    queue.taskDone();
    await flush();
    assert.equal(joins[0]?.state, i === 2 ? "fulfilled" : "pending");
  }
  assert.equal(joins[1]?.state, "fulfilled");
});

Deno.test("Queue.join() gives up on abort and timeout, leaving the queue unaffected", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  const controller = new AbortController();
  const aborted = track(queue.join({ signal: controller.signal }));
  controller.abort();
  await assert.rejects(queue.join({ timeout: 1 }), {
    name: "TimeoutError",
    message: "Queue.join() timed out after 1 ms",
  });
  await flush();
  assert.equal(aborted.state, "rejected");
  assert.equal(queue.unfinishedTasks, 1);
  await queue.get();
  queue.taskDone();
  await queue.join();
});

Deno.test("Queue.close() refuses later puts with QueueClosed carrying the item", async () => {
  const queue = new Queue<{ id: number }>();
  queue.close();
  const item = { id: 1 };
  const error = await queue.put(item).catch((e) => e);
  assert(error instanceof QueueClosed);
  assert.equal(error.item, item);
  assert.equal(error.hasItem, true);
  assert.equal(error.message, "Cannot put into Queue: the queue is closed");
  assert.throws(() => queue.putNowait(item), (e) => e instanceof QueueClosed && e.item === item);
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 0);
});

Deno.test("Queue.close() lets gets drain the queue, then rejects them", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  await queue.put(2);
  queue.close();
  assert.equal(queue.closed, true);
  assert.equal(await queue.get(), 1);
  assert.equal(queue.getNowait(), 2);
  const error = await queue.get().catch((e) => e);
  assert(error instanceof QueueClosed);
  assert.equal(error.hasItem, false);
  assert.equal(error.item, undefined);
  assert.throws(() => queue.getNowait(), QueueClosed);
});

Deno.test("Queue.close() rejects getters waiting on an empty queue", async () => {
  const queue = new Queue<number>();
  const getters = [track(queue.get()), track(queue.get({ timeout: 10_000 }))];
  queue.close();
  await flush();
  assert(getters.every((g) => g.state === "rejected" && g.reason instanceof QueueClosed));
});

Deno.test("Queue.close() refuses waiting putters with their items", async () => {
  const queue = new Queue<string>({ maxsize: 1 });
  await queue.put("queued");
  const putters = ["a", "b"].map((s) => track(queue.put(s, { timeout: 10_000 })));
  queue.close();
  await flush();
  assert.deepEqual(
    putters.map((p) => (p.reason as QueueClosed<string>).item),
    ["a", "b"],
  );
  assert.equal(queue.size, 1);
  assert.equal(await queue.get(), "queued"); // still drained
  queue.taskDone();
  await queue.join();
});

Deno.test("Queue.close() without immediate keeps join() waiting for queued items", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  queue.close();
  const join = track(queue.join());
  await flush();
  assert.equal(join.state, "pending");
  await queue.get();
  queue.taskDone();
  await flush();
  assert.equal(join.state, "fulfilled");
});

Deno.test("Queue.close({ immediate: true }) returns the queued items and resolves join()", async () => {
  const queue = new Queue<number>({ maxsize: 3 });
  for (const n of [1, 2, 3]) await queue.put(n);
  const blocked = track(queue.put(4));
  const join = track(queue.join());
  assert.deepEqual(queue.close({ immediate: true }), [1, 2, 3]);
  await flush();
  assert.equal(join.state, "fulfilled");
  assert.equal((blocked.reason as QueueClosed<number>).item, 4);
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 0);
  await assert.rejects(queue.get(), QueueClosed);
  assert.deepEqual(queue.close({ immediate: true }), []); // idempotent
});

Deno.test("Queue.close({ immediate: true }) rejects waiting getters", async () => {
  const queue = new Queue<number>();
  const getter = track(queue.get());
  assert.deepEqual(queue.close({ immediate: true }), []);
  await flush();
  assert(getter.reason instanceof QueueClosed);
});

Deno.test("Queue.close({ immediate: true }) waits for items a consumer still holds", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  await queue.put(2);
  await queue.get(); // held, not yet done
  assert.deepEqual(queue.close({ immediate: true }), [2]);
  const join = track(queue.join());
  await flush();
  assert.equal(join.state, "pending");
  queue.taskDone();
  await flush();
  assert.equal(join.state, "fulfilled");
});

Deno.test("Queue.close({ immediate: true }) after close() still drains", () => {
  const queue = new Queue<number>();
  queue.putNowait(1);
  assert.deepEqual(queue.close(), []);
  assert.deepEqual(queue.close({ immediate: true }), [1]);
});

Deno.test("Queue.close() validates its options", () => {
  const queue = new Queue<number>();
  assert.throws(
    () => queue.close({ immediate: 1 as unknown as boolean }),
    /'immediate' must be a boolean, got 1/,
  );
  assert.throws(() => queue.close("now" as unknown as object), TypeError);
  assert.equal(queue.closed, false);
});

Deno.test("Queue[Symbol.asyncIterator]() yields until closed and drained", async () => {
  const queue = new Queue<number>();
  for (const n of [1, 2, 3]) await queue.put(n);
  queue.close();
  const seen: number[] = [];
  for await (const n of queue) seen.push(n);
  assert.deepEqual(seen, [1, 2, 3]);
  assert.equal(queue.unfinishedTasks, 0);
});

Deno.test("Queue[Symbol.asyncIterator]() calls taskDone() after the loop body", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  await queue.put(2);
  const during: number[] = [];
  for await (const _ of queue) {
    during.push(queue.unfinishedTasks);
    if (during.length === 2) break;
  }
  // Item 1 was still unfinished while the body ran; break marked item 2 done.
  assert.deepEqual(during, [2, 1]);
  assert.equal(queue.unfinishedTasks, 0);
  await queue.join();
});

Deno.test("Queue[Symbol.asyncIterator]() marks the item done when the body throws", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  await assert.rejects(async () => {
    for await (const _ of queue) throw new Error("boom");
  }, /boom/);
  assert.equal(queue.unfinishedTasks, 0);
});

Deno.test("Queue[Symbol.asyncIterator]() shares items among several consumers", async () => {
  const queue = new Queue<number>({ maxsize: 4 });
  const seen: number[][] = [[], [], []];
  const consumers = seen.map(async (mine) => {
    for await (const n of queue) {
      mine.push(n);
      await flush(1);
    }
  });
  for (let n = 0; n < 300; n++) await queue.put(n);
  queue.close();
  await queue.join();
  await Promise.all(consumers);
  const all = seen.flat().sort((a, b) => a - b);
  assert.deepEqual(all, Array.from({ length: 300 }, (_, i) => i));
  assert(seen.every((mine) => mine.length > 0));
});

Deno.test("Queue.get() wakes a waiting consumer once per item (no polling)", async () => {
  // The chapter's hand-made queue polled ~3,000 times for 1,000 items; here every wake-up of the
  // consumer is an item. The producer idles between items so the consumer really waits.
  const queue = new Queue<number>();
  let wakeups = 0;
  let waits = 0;
  const consumer = (async () => {
    for (;;) {
      if (queue.empty) waits++;
      try {
        await queue.get();
      } catch {
        return;
      }
      wakeups++;
    }
  })();
  const items = 50;
  for (let i = 0; i < items; i++) {
    await new Promise((resolve) => setTimeout(resolve, 0)); // idle: the consumer is parked
    await queue.put(i);
  }
  await flush();
  queue.close();
  await consumer;
  assert.equal(waits, items + 1); // it waited before every item and for the close
  assert.equal(wakeups, items); // and was woken once per item
});

Deno.test("Queue size never exceeds maxsize under contention", async () => {
  const queue = new Queue<number>({ maxsize: 3 });
  let max = 0;
  const producers = [0, 1, 2, 3].map(async (p) => {
    for (let i = 0; i < 50; i++) {
      await queue.put(p * 100 + i);
      max = Math.max(max, queue.size);
    }
  });
  const got: number[] = [];
  for (let i = 0; i < 200; i++) {
    got.push(await queue.get());
    max = Math.max(max, queue.size);
    if (i % 7 === 0) await flush(3);
  }
  await Promise.all(producers);
  assert(max <= 3);
  assert.equal(new Set(got).size, 200);
});

Deno.test("Queue hands out a queued promise resolved (thenables are adopted)", async () => {
  const queue = new Queue<Promise<number> | number>();
  await queue.put(Promise.resolve(5));
  assert.equal(await queue.get(), 5);
});

Deno.test("Queue[Symbol.asyncIterator]() marks a rejected-promise item done, so join() resolves", async () => {
  const queue = new Queue<Promise<number> | number>();
  const rejected = Promise.reject(new Error("item failed"));
  rejected.catch(() => {});
  await queue.put(1);
  await queue.put(rejected);
  await queue.put(3);
  const seen: number[] = [];
  await assert.rejects(
    (async () => {
      for await (const n of queue) seen.push(n);
    })(),
    /item failed/,
  );
  assert.deepEqual(seen, [1]);
  assert.equal(queue.unfinishedTasks, 1); // only 3, still queued
  // A waiting loop handed a rejected promise marks it done too.
  const loop = (async () => {
    for await (const n of queue) seen.push(n);
  })();
  await flush();
  const late = Promise.reject(new Error("late item failed"));
  late.catch(() => {});
  await queue.put(late);
  await assert.rejects(loop, /late item failed/);
  assert.deepEqual(seen, [1, 3]);
  await queue.join({ timeout: 1_000 });
  assert.equal(queue.unfinishedTasks, 0);
});

Deno.test("Queue[Symbol.asyncIterator]() marks every item taken done exactly once", async () => {
  const queue = new Queue<number>();
  for (let n = 0; n < 5; n++) queue.putNowait(n);
  const iterator = queue[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: 0, done: false });
  assert.equal(queue.unfinishedTasks, 5);
  assert.deepEqual(await iterator.next(), { value: 1, done: false });
  assert.equal(queue.unfinishedTasks, 4); // 0 done when 1 was requested
  await iterator.return?.();
  assert.equal(queue.unfinishedTasks, 3);
  await iterator.return?.();
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal(queue.unfinishedTasks, 3);
  assert.equal(queue.size, 3);
});

Deno.test("Queue[Symbol.asyncIterator]() return() ends a waiting next() without taking an item", async () => {
  const queue = new Queue<number>();
  const iterator = queue[Symbol.asyncIterator]();
  const next = iterator.next();
  assert.equal(queue.waitingGetters, 1);
  await iterator.return?.();
  assert.deepEqual(await next, { value: undefined, done: true });
  assert.equal(queue.waitingGetters, 0);
  await queue.put(7);
  assert.equal(queue.getNowait(), 7);
});

Deno.test("Queue options are read once; a throwing getter makes get/put/join reject", async () => {
  const queue = new Queue<number>();
  let reads = 0;
  const options = {
    get timeout() {
      reads++;
      return reads === 1 ? 1_000 : -1;
    },
  };
  const pending = queue.get(options);
  assert.equal(reads, 1);
  await queue.put(1);
  assert.equal(await pending, 1);
  const throwing = {
    get signal(): AbortSignal {
      throw new Error("getter failed");
    },
  };
  for (
    const call of [
      () => queue.get(throwing),
      () => queue.put(2, throwing),
      () => queue.join(throwing),
    ]
  ) {
    let result: Promise<unknown> | undefined;
    assert.doesNotThrow(() => {
      result = call();
    });
    await assert.rejects(result as Promise<unknown>, /getter failed/);
  }
  assert.equal(queue.size, 0);
  let sizeReads = 0;
  const bounded = new Queue<number>({
    get maxsize() {
      return ++sizeReads === 1 ? 2 : -1;
    },
  });
  assert.equal(sizeReads, 1);
  assert.equal(bounded.maxsize, 2);
});

Deno.test("Queue refuses { maxsize: null } and close({ immediate: null })", () => {
  assert.throws(
    () => new Queue({ maxsize: null as unknown as number }),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "new Queue(): 'maxsize' must be an integer from 0 up, or Infinity, got null",
  );
  const queue = new Queue<number>();
  assert.throws(
    () => queue.close({ immediate: null as unknown as boolean }),
    (e: Error) =>
      e instanceof TypeError &&
      e.message === "Queue.close(): 'immediate' must be a boolean, got null",
  );
  assert.equal(queue.closed, false);
});

Deno.test("Queue counts waiting getters and putters", async () => {
  const queue = new Queue<number>({ maxsize: 1 });
  assert.equal(queue.waitingGetters, 0);
  const controller = new AbortController();
  const gets = [queue.get(), queue.get({ signal: controller.signal })];
  assert.equal(queue.waitingGetters, 2);
  controller.abort();
  await assert.rejects(gets[1] as Promise<number>);
  assert.equal(queue.waitingGetters, 1);
  await queue.put(1);
  assert.equal(await gets[0], 1);
  assert.equal(queue.waitingGetters, 0);
  queue.putNowait(2);
  const puts = [queue.put(3), queue.put(4)];
  assert.equal(queue.waitingPutters, 2);
  queue.close();
  assert.equal(queue.waitingPutters, 0);
  await Promise.allSettled(puts);
});

Deno.test("Queue shows its state in Deno.inspect and node's util.inspect", async () => {
  const { inspect } = await import("node:util");
  const queue = new Queue<string>({ maxsize: 3 });
  queue.putNowait("a");
  queue.putNowait("b");
  queue.getNowait();
  const expected =
    `Queue { maxsize: 3, size: 1, items: [ "b" ], unfinishedTasks: 2, waitingGetters: 0, waitingPutters: 0, closed: false }`;
  // Under Node and Bun (`deno task test:runtimes`), `Deno.inspect` is node's `util.inspect`.
  if ("version" in Deno) assert.equal(Deno.inspect(queue, { breakLength: Infinity }), expected);
  assert.equal(
    inspect(queue, { breakLength: Infinity }),
    expected.replace(`"b"`, `'b'`),
  );
  const { LifoQueue, PriorityQueue } = await import("./mod.ts");
  const lifo = new LifoQueue<number>();
  lifo.putNowait(1);
  lifo.putNowait(2);
  assert.match(Deno.inspect(lifo), /^LifoQueue \{[^]*items: \[ 2, 1 \]/);
  const heap = new PriorityQueue<number>();
  for (const n of [5, 1, 3]) heap.putNowait(n);
  assert.match(Deno.inspect(heap), /^PriorityQueue \{[^]*items: \[ 1, 3, 5 \]/);
});

Deno.test("Queue.put() admitted before its abort stays put (Python's test_put_cancel_drop)", async () => {
  const queue = new Queue<number>({ maxsize: 1 });
  queue.putNowait(1);
  const controller = new AbortController();
  const writer = track(queue.put(2, { signal: controller.signal }));
  assert.equal(queue.getNowait(), 1); // admits 2 synchronously
  controller.abort(); // too late
  await flush();
  assert.equal(writer.state, "fulfilled");
  assert.equal(queue.getNowait(), 2);
  assert.equal(queue.size, 0);
});

Deno.test("Queue[Symbol.asyncIterator]() rejects (never throws) when the body also called taskDone()", async () => {
  // As with taskDone(), a mark too many is seen once it would bring the count below zero.
  const queue = new Queue<number>();
  queue.putNowait(1);
  const iterator = queue[Symbol.asyncIterator]();
  assert.deepEqual(await iterator.next(), { value: 1, done: false });
  queue.taskDone(); // the body marks it itself...
  let next: Promise<IteratorResult<number>> | undefined;
  assert.doesNotThrow(() => {
    next = iterator.next(); // ...and the iterator would mark it again
  });
  await assert.rejects(next as Promise<IteratorResult<number>>, RangeError);
});
