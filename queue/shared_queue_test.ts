import assert from "node:assert/strict";
import { pipeline, QueueClosed, QueueEmpty, QueueFull, SharedQueue } from "./mod.ts";
import { flush, TestWorker, track } from "./_test_utils.ts";

Deno.test("SharedQueue clones items as structured clone does", async () => {
  const queue = new SharedQueue<unknown>();
  const shared = { n: 1 };
  const cyclic: Record<string, unknown> = { name: "loop" };
  cyclic.self = cyclic;
  const buffer = new Uint8Array([1, 2, 3, 4]).buffer;
  class Point {
    constructor(readonly x: number) {}
  }
  const items: unknown[] = [
    undefined,
    null,
    true,
    -0,
    NaN,
    2n ** 70n,
    "héllo 😀",
    new Date(5),
    /a+b/gi,
    [1, , 3],
    { a: [shared, shared] },
    new Map<unknown, unknown>([["k", new Set([1, "1"])]]),
    [new Uint16Array(buffer, 2, 1), new Uint8Array(buffer)],
    new RangeError("bad"),
    new Point(3),
  ];
  for (const item of items) await queue.put(item);
  await queue.put(cyclic);
  for (const item of items) {
    const got = await queue.get();
    if (item instanceof Point) {
      assert.deepEqual(got, { x: 3 });
      assert.equal(Object.getPrototypeOf(got), Object.prototype);
    } else if (item instanceof Error) {
      assert(got instanceof RangeError);
      assert.equal(got.message, "bad");
    } else assert.deepEqual(got, structuredClone(item));
  }
  const loop = (await queue.get()) as Record<string, unknown>;
  assert.equal(loop.self, loop);
  assert.equal(queue.size, 0);
});

Deno.test("SharedQueue keeps shared references and views of one buffer together", async () => {
  const queue = new SharedQueue<{ a: object; b: object; views: Uint8Array[] }>();
  const shared = {};
  const buffer = new ArrayBuffer(4);
  await queue.put({
    a: shared,
    b: shared,
    views: [new Uint8Array(buffer), new Uint8Array(buffer, 2)],
  });
  const got = await queue.get();
  assert.equal(got.a, got.b);
  assert.equal(got.views[0]?.buffer, got.views[1]?.buffer);
});

Deno.test("SharedQueue.put() refuses what cannot be cloned, queueing nothing", async () => {
  const queue = new SharedQueue<unknown>();
  for (const item of [() => 1, Symbol("s"), Promise.resolve(1), { f() {} }, new WeakMap()]) {
    let result: Promise<void> | undefined;
    assert.doesNotThrow(() => {
      result = queue.put(item);
    });
    await assert.rejects(result as Promise<void>, { name: "DataCloneError" });
    assert.throws(() => queue.putNowait(item), { name: "DataCloneError" });
  }
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 0);
});

Deno.test("SharedQueue.put() moves transferred buffers", async () => {
  const queue = new SharedQueue<ArrayBuffer>();
  const buffer = new Uint8Array([7, 8]).buffer;
  await queue.put(buffer, { transfer: [buffer] });
  assert.equal(buffer.byteLength, 0); // detached: it moved
  assert.deepEqual([...new Uint8Array(await queue.get())], [7, 8]);
  await assert.rejects(queue.put(buffer, { transfer: [1 as unknown as ArrayBuffer] }), TypeError);
});

Deno.test("SharedQueue.put() refuses a detached buffer in transfer, queueing nothing", async () => {
  const queue = new SharedQueue<unknown>();
  const gone = new ArrayBuffer(8);
  structuredClone(gone, { transfer: [gone] });
  await assert.rejects(queue.put({ n: 1 }, { transfer: [gone] }), {
    name: "TypeError",
    message: /'transfer'/,
  });
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 0);
  const buffer = new ArrayBuffer(4);
  await queue.put({ buffer }, { transfer: [buffer, buffer] }); // listed twice: moved once
  assert.equal(buffer.detached, true);
  assert.equal(queue.size, 1);
});

Deno.test("SharedQueue bounds by bytes too, and refuses an item larger than its bytes", async () => {
  const queue = new SharedQueue<string>({ bytes: 64 });
  const item = "x".repeat(20); // 4 + 1 + 4 + 20 = 29 bytes
  queue.putNowait(item);
  queue.putNowait(item);
  assert.throws(() => queue.putNowait(item), QueueFull);
  const blocked = track(queue.put(item));
  await flush();
  assert.equal(blocked.state, "pending");
  assert.equal(await queue.get(), item);
  await blocked.promise;
  assert.equal(queue.size, 2);
  await assert.rejects(queue.put("y".repeat(100)), (e: Error) => {
    assert(e instanceof RangeError);
    assert.match(e.message, /^SharedQueue\.put\(\): 'item' must be at most 64 bytes/);
    return true;
  });
});

Deno.test("SharedQueue is FIFO across ring wrap-around with items of every size", async () => {
  const queue = new SharedQueue<string>({ bytes: 256 });
  let next = 0;
  let expected = 0;
  for (let round = 0; round < 2_000; round++) {
    while (true) {
      try {
        queue.putNowait("z".repeat(next % 37) + next);
      } catch (error) {
        if (error instanceof QueueFull) break;
        throw error;
      }
      next++;
    }
    const take = 1 + (round % 5);
    for (let i = 0; i < take && !queue.empty; i++) {
      assert.equal(queue.getNowait(), "z".repeat(expected % 37) + expected);
      expected++;
    }
  }
  while (!queue.empty) {
    assert.equal(await queue.get(), "z".repeat(expected % 37) + expected);
    expected++;
  }
  assert.equal(expected, next);
});

Deno.test("SharedQueue.put() returns a shared resolved promise when it does not wait", async () => {
  const queue = new SharedQueue<number>();
  const first = queue.put(1);
  assert.equal(queue.put(2), first);
  await first;
  assert.equal(queue.size, 2);
});

Deno.test("SharedQueue.put() waits while full and get() while empty, without polling", async () => {
  // A poller would arm timers while it waits; these waits (no timeout) arm none, and stay
  // pending across macrotasks until the get or put that lets them through.
  const realSetTimeout = globalThis.setTimeout;
  const macrotask = () => new Promise((resolve) => realSetTimeout(resolve, 0));
  let timers = 0;
  globalThis.setTimeout = ((...args: Parameters<typeof setTimeout>) => {
    timers++;
    return realSetTimeout(...args);
  }) as typeof setTimeout;
  try {
    const queue = new SharedQueue<number>({ maxsize: 1 });
    const other = SharedQueue.from<number>(queue.buffer);
    await queue.put(1);
    const put = track(queue.put(2));
    for (let i = 0; i < 3; i++) await macrotask();
    assert.equal(put.state, "pending");
    assert.equal(other.waitingPutters, 1);
    assert.equal(await other.get(), 1);
    await put.promise;
    assert.equal(other.getNowait(), 2);
    const get = track(other.get());
    for (let i = 0; i < 3; i++) await macrotask();
    assert.equal(get.state, "pending");
    assert.equal(queue.waitingGetters, 1);
    queue.putNowait(3);
    assert.equal(await get.promise, 3);
    assert.equal(queue.waitingGetters, 0);
    assert.equal(timers, 0, "a wait armed a timer");
  } finally {
    globalThis.setTimeout = realSetTimeout;
  }
});

Deno.test("SharedQueue.get() aborted or timed out takes nothing", async () => {
  const queue = new SharedQueue<number>();
  const controller = new AbortController();
  const aborted = queue.get({ signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(aborted, /stop/);
  await assert.rejects(queue.get({ timeout: 1 }), (e: DOMException) => {
    assert.equal(e.name, "TimeoutError");
    assert.equal(e.message, "SharedQueue.get() timed out after 1 ms");
    return true;
  });
  await assert.rejects(queue.get({ signal: AbortSignal.abort(new Error("already")) }), /already/);
  queue.putNowait(1);
  // An already-aborted signal rejects even though an item is there.
  await assert.rejects(queue.get({ signal: AbortSignal.abort(new Error("already")) }), /already/);
  assert.equal(queue.waitingGetters, 0);
  assert.equal(await queue.get(), 1);
});

Deno.test("SharedQueue.put() aborted or timed out queues nothing", async () => {
  const queue = new SharedQueue<number>({ maxsize: 1 });
  queue.putNowait(1);
  const controller = new AbortController();
  const aborted = queue.put(2, { signal: controller.signal });
  controller.abort(new Error("stop"));
  await assert.rejects(aborted, /stop/);
  await assert.rejects(queue.put(3, { timeout: 1 }), { name: "TimeoutError" });
  assert.equal(queue.getNowait(), 1);
  assert.throws(() => queue.getNowait(), QueueEmpty);
  assert.equal(queue.unfinishedTasks, 1);
  assert.equal(queue.waitingPutters, 0);
});

Deno.test("SharedQueue.close() refuses puts, drains gets, and wakes waiters", async () => {
  const queue = new SharedQueue<number>({ maxsize: 1 });
  queue.putNowait(1);
  const put = queue.put(2);
  queue.close();
  await assert.rejects(put, (e: QueueClosed<number>) => e instanceof QueueClosed && e.item === 2);
  await assert.rejects(queue.put(3), (e: QueueClosed<number>) => e.item === 3);
  assert.throws(() => queue.putNowait(4), QueueClosed);
  assert.equal(await queue.get(), 1);
  await assert.rejects(queue.get(), QueueClosed);
  assert.throws(() => queue.getNowait(), QueueClosed);
  const empty = new SharedQueue<number>();
  const waiting = empty.get();
  SharedQueue.from(empty.buffer).close();
  await assert.rejects(waiting, (e: QueueClosed) => e instanceof QueueClosed && !e.hasItem);
});

Deno.test("SharedQueue.close({ immediate: true }) returns the items and resolves join()", async () => {
  const queue = new SharedQueue<string>();
  for (const item of ["a", "b", "c"]) queue.putNowait(item);
  assert.equal(queue.getNowait(), "a");
  const join = track(queue.join());
  assert.deepEqual(queue.close({ immediate: true }), ["b", "c"]);
  await flush();
  assert.equal(join.state, "pending"); // "a" is taken, not done
  queue.taskDone();
  await join.promise;
  assert.throws(() => queue.taskDone(), RangeError);
});

Deno.test("SharedQueue validates its options, reading each once", async () => {
  assert.throws(
    () => new SharedQueue({ maxsize: null as unknown as number }),
    /^TypeError: new SharedQueue\(\): 'maxsize' must be an integer from 0 to 2147483647, got null$/,
  );
  assert.throws(() => new SharedQueue({ bytes: 8 }), RangeError);
  assert.throws(() => new SharedQueue(1 as unknown as object), TypeError);
  assert.throws(
    () => SharedQueue.from(new ArrayBuffer(8) as unknown as SharedArrayBuffer),
    TypeError,
  );
  assert.throws(() => SharedQueue.from(new SharedArrayBuffer(1024)), /the buffer of a SharedQueue/);
  const queue = new SharedQueue<number>();
  assert.throws(
    () => queue.close({ immediate: null as unknown as boolean }),
    /^TypeError: SharedQueue\.close\(\): 'immediate' must be a boolean, got null$/,
  );
  const throwing = {
    get timeout(): number {
      throw new Error("getter failed");
    },
  };
  for (
    const call of [
      () => queue.get(throwing),
      () => queue.put(1, throwing),
      () => queue.join(throwing),
    ]
  ) {
    let result: Promise<unknown> | undefined;
    assert.doesNotThrow(() => {
      result = call();
    });
    await assert.rejects(result as Promise<unknown>, /getter failed/);
  }
  await assert.rejects(queue.get({ timeout: -1 }), RangeError);
  assert.equal(queue.size, 0);
});

Deno.test("SharedQueue hands items between a worker and this thread, with join()", async () => {
  const queue = new SharedQueue<number>({ maxsize: 4 });
  const consumer = new TestWorker();
  try {
    consumer.send({
      role: "consumer",
      buffer: queue.buffer,
      id: 0,
      count: 0,
      seed: 1,
      iterate: true,
    });
    for (let n = 0; n < 1_000; n++) await queue.put(n);
    await queue.join({ timeout: 30_000 });
    queue.close();
    const { received } = await consumer.next<{ received: number[] }>();
    assert.deepEqual(received, Array.from({ length: 1_000 }, (_, n) => n)); // FIFO
  } finally {
    consumer.terminate();
  }
});

Deno.test("SharedQueue.close({ immediate: true }) while workers take and mark items: each item once, join() resolves", async () => {
  // close() lowers the unfinished count while the workers' taskDone() calls lower it too,
  // without the lock: whatever the interleaving, no decrement is undone.
  const total = 20_000;
  const queue = new SharedQueue<number>({ maxsize: 1_000 });
  const consumers = [new TestWorker(), new TestWorker()];
  try {
    consumers.forEach((worker, id) =>
      worker.send({ role: "consumer", buffer: queue.buffer, id, count: 0, seed: id + 7 })
    );
    // Back-pressure is the synchronisation: once every put is in, the workers are taking items
    // and up to `maxsize` are still queued for close() to return.
    for (let n = 0; n < total; n++) await queue.put(n);
    const returned = queue.close({ immediate: true });
    await queue.join({ timeout: 60_000 });
    const received = await Promise.all(
      consumers.map((worker) => worker.next<{ received: number[] }>()),
    );
    const all = [...returned, ...received.flatMap((r) => r.received)].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: total }, (_, n) => n));
    assert.equal(queue.unfinishedTasks, 0);
  } finally {
    for (const worker of consumers) worker.terminate();
  }
});

Deno.test("SharedQueue: an item taken by a worker terminated before taskDone() stays unfinished", async () => {
  const queue = new SharedQueue<number>();
  for (let n = 0; n < 5; n++) queue.putNowait(n);
  const holder = new TestWorker();
  try {
    holder.send({ role: "hold", buffer: queue.buffer, id: 0, count: 0, seed: 1 });
    const { took } = await holder.next<{ took: number }>();
    assert.equal(took, 0);
  } finally {
    holder.terminate();
  }
  // The item is gone (delivered at most once) and never marked done: join() waits for it.
  assert.equal(queue.size, 4);
  assert.equal(queue.unfinishedTasks, 5);
  await assert.rejects(queue.join({ timeout: 10 }), { name: "TimeoutError" });
  // The queue works on: the other items are delivered once each.
  const rest = [];
  while (!queue.empty) {
    rest.push(await queue.get());
    queue.taskDone();
  }
  assert.deepEqual(rest, [1, 2, 3, 4]);
  assert.equal(queue.unfinishedTasks, 1);
  queue.putNowait(9);
  assert.equal(queue.getNowait(), 9);
});

Deno.test("SharedQueue waits aborted on an idle queue leave at most one engine wait behind", async () => {
  const queue = new SharedQueue<number>();
  for (let i = 0; i < 100; i++) {
    const controller = new AbortController();
    const get = queue.get({ signal: controller.signal });
    controller.abort(new Error("give up"));
    await assert.rejects(get, /give up/);
  }
  assert.equal(queue.waitingGetters, 0);
  // Atomics.notify returns how many engine waits it woke; cell 7 is where getters wait (PUT_SEQ).
  const woken = Atomics.notify(new Int32Array(queue.buffer, 0, 16), 7);
  assert.ok(woken <= 1, `${woken} engine waits were left behind`);
  queue.putNowait(1);
  assert.equal(await queue.get(), 1);
});

Deno.test("SharedQueue[Symbol.asyncIterator]() return() ends a waiting next() without taking an item", async () => {
  const queue = new SharedQueue<number>();
  const iterator = queue[Symbol.asyncIterator]();
  const next = track(iterator.next());
  await flush();
  assert.equal(queue.waitingGetters, 1);
  const returned = track(iterator.return!());
  await flush();
  assert.equal(returned.state, "fulfilled"); // did not wait for an item or close()
  assert.deepEqual(await next.promise, { value: undefined, done: true });
  assert.equal(queue.waitingGetters, 0);
  queue.putNowait(1);
  await flush();
  assert.equal(queue.size, 1); // the item put later stays queued
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.equal(queue.getNowait(), 1);
});

Deno.test("SharedQueue[Symbol.asyncIterator]() marks the item done on break and on throw", async () => {
  const queue = new SharedQueue<number>();
  for (const n of [1, 2]) queue.putNowait(n);
  for await (const _ of queue) break;
  assert.equal(queue.unfinishedTasks, 1);
  await assert.rejects(async () => {
    for await (const _ of queue) throw new Error("body");
  }, /body/);
  assert.equal(queue.unfinishedTasks, 0);
  await queue.join();
});

Deno.test("pipeline() over an open SharedQueue ends at once when the consumer breaks", async () => {
  const queue = new SharedQueue<number>();
  await queue.put(1);
  const out = [];
  for await (const n of pipeline(queue, { fn: (n: number) => n * 2 })) {
    out.push(n);
    break; // the queue is open and empty: the source is waiting for its next item
  }
  assert.deepEqual(out, [2]);
  assert.equal(queue.waitingGetters, 0);
  assert.equal(queue.unfinishedTasks, 0);
  await queue.put(2);
  assert.equal(queue.getNowait(), 2); // not taken by the abandoned loop
});

Deno.test("SharedQueue[Symbol.asyncIterator]() return() right after a next() that took an item marks it done", async () => {
  const queue = new SharedQueue<number>();
  queue.putNowait(1);
  const iterator = queue[Symbol.asyncIterator]();
  const next = iterator.next(); // takes the item now; its result settles a turn later
  assert.deepEqual(await iterator.return!(), { value: undefined, done: true });
  assert.deepEqual(await next, { value: 1, done: false }); // its caller still gets the item
  assert.equal(queue.size, 0);
  assert.equal(queue.unfinishedTasks, 0);
  await queue.join();
});
