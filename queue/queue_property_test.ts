// Property tests: fast-check's scheduler picks the interleaving of producers, consumers, aborts,
// timeouts (fake timers fired by the scheduler), closes and joins; the queue must keep its
// guarantees in every one of them.
import assert from "node:assert/strict";
import fc from "fast-check";
import { LifoQueue, PriorityQueue, Queue, QueueClosed } from "./mod.ts";

type Item = { p: number; seq: number };
type Kind = "fifo" | "lifo" | "priority";
type Mode = "plain" | "abort" | "timeout";

const modeArb = fc.constantFrom<Mode>("plain", "plain", "abort", "timeout");
const scenarioArb = fc.record({
  maxsize: fc.constantFrom(0, 1, 2, 3),
  producers: fc.array(fc.array(modeArb, { maxLength: 6 }), { minLength: 1, maxLength: 3 }),
  consumers: fc.array(fc.array(modeArb, { maxLength: 8 }), { minLength: 1, maxLength: 3 }),
  close: fc.option(fc.boolean(), { nil: undefined }), // undefined: no close; true: immediate
  joins: fc.integer({ min: 0, max: 2 }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function makeQueue(kind: Kind, maxsize: number): Queue<Item> {
  if (kind === "lifo") return new LifoQueue<Item>({ maxsize });
  if (kind === "priority") {
    return new PriorityQueue<Item>({ maxsize, compare: (a, b) => (a.seq % 3) - (b.seq % 3) });
  }
  return new Queue<Item>({ maxsize });
}

/** Replaces the timers with ones that fire when the scheduler decides. */
function fakeTimers(s: fc.Scheduler): () => void {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const cleared = new Set<number>();
  let next = 0;
  globalThis.setTimeout = ((callback: () => void) => {
    const id = ++next;
    s.schedule(Promise.resolve(), `timer ${id}`).then(() => {
      if (!cleared.has(id)) callback();
    });
    return id;
  }) as unknown as typeof setTimeout;
  globalThis.clearTimeout = ((id: number) => cleared.add(id)) as typeof clearTimeout;
  return () => {
    globalThis.setTimeout = realSet;
    globalThis.clearTimeout = realClear;
  };
}

async function runScenario(kind: Kind, s: fc.Scheduler, sc: Scenario, check: { size(): void }) {
  const queue = makeQueue(kind, sc.maxsize);
  const accepted = new Set<Item>();
  const notAccepted = new Set<Item>();
  const taken: Item[] = [];
  const drained: Item[] = [];
  let zeroEpoch = 0;
  const joins: { startEpoch: number; startUnfinished: number; resolvedEpoch?: number }[] = [];
  let maxSeen = 0;
  check.size = () => {
    maxSeen = Math.max(maxSeen, queue.size);
  };
  const noteZero = () => {
    if (queue.unfinishedTasks === 0) zeroEpoch++;
  };
  const options = (mode: Mode): { signal?: AbortSignal; timeout?: number } | undefined => {
    if (mode === "timeout") return { timeout: 0 };
    if (mode === "abort") {
      const controller = new AbortController();
      s.schedule(Promise.resolve(), "abort").then(() => controller.abort());
      return { signal: controller.signal };
    }
    return undefined;
  };

  const producer = async (p: number, modes: Mode[]) => {
    for (const [seq, mode] of modes.entries()) {
      await s.schedule(Promise.resolve(), `producer ${p}`);
      const item = { p, seq };
      try {
        await queue.put(item, options(mode));
        accepted.add(item);
      } catch (error) {
        if (error instanceof QueueClosed) assert.equal(error.item, item);
        notAccepted.add(item);
      }
      check.size();
    }
  };
  const consumer = async (c: number, modes: Mode[]) => {
    for (const mode of modes) {
      await s.schedule(Promise.resolve(), `consumer ${c}`);
      let item: Item;
      try {
        item = await queue.get(options(mode));
      } catch (error) {
        if (error instanceof QueueClosed) return;
        continue; // aborted or timed out: nothing consumed
      }
      taken.push(item);
      check.size();
      await s.schedule(Promise.resolve(), `taskDone ${c}`);
      queue.taskDone();
      noteZero();
    }
  };
  const closer = async (immediate: boolean) => {
    await s.schedule(Promise.resolve(), "close");
    drained.push(...queue.close({ immediate }));
    noteZero();
  };
  const joiner = async () => {
    await s.schedule(Promise.resolve(), "join");
    const record: (typeof joins)[number] = {
      startEpoch: zeroEpoch,
      startUnfinished: queue.unfinishedTasks,
    };
    joins.push(record);
    await queue.join();
    record.resolvedEpoch = zeroEpoch;
  };

  const tasks = [
    ...sc.producers.map((modes, p) => producer(p, modes)),
    ...sc.consumers.map((modes, c) => consumer(c, modes)),
    ...(sc.close === undefined ? [] : [closer(sc.close)]),
    ...Array.from({ length: sc.joins }, joiner),
  ];
  let finished = false;
  const all = Promise.all(tasks).finally(() => (finished = true));
  for (let rounds = 0; !finished; rounds++) {
    if (rounds === 3) {
      all.catch(() => {});
      assert.fail("the scenario did not finish");
    }
    await s.waitAll();
    await Promise.resolve();
    // Nothing scheduled is left: release whoever still waits (blocked puts, gets or joins).
    if (!finished && s.count() === 0) {
      drained.push(...queue.close({ immediate: true }));
      noteZero();
    }
  }
  await all;
  const leftover = queue.close({ immediate: true });
  noteZero();

  if (sc.maxsize > 0) assert(maxSeen <= sc.maxsize, `size ${maxSeen} > maxsize ${sc.maxsize}`);

  // Every accepted item was delivered exactly once (taken, drained or left over); refused or
  // cancelled ones never were.
  const delivered = [...taken, ...drained, ...leftover];
  assert.equal(new Set(delivered).size, delivered.length, "an item was delivered twice");
  assert.deepEqual(new Set(delivered), accepted, "delivered items differ from accepted ones");
  for (const item of notAccepted) assert(!accepted.has(item));
  assert.equal(queue.unfinishedTasks, 0);

  if (kind === "fifo") {
    // FIFO per producer: taken in order, and everything taken before anything drained.
    for (let p = 0; p < sc.producers.length; p++) {
      const seqs = taken.filter((i) => i.p === p).map((i) => i.seq);
      const rest = [...drained, ...leftover].filter((i) => i.p === p).map((i) => i.seq);
      assert.deepEqual([...seqs, ...rest], [...seqs, ...rest].sort((a, b) => a - b));
    }
  }

  // join() resolved exactly when unfinished tasks reached zero: never before, never missed.
  for (const j of joins) {
    assert.notEqual(j.resolvedEpoch, undefined, "a join never resolved");
    if (j.startUnfinished > 0) assert(j.resolvedEpoch! > j.startEpoch, "a join resolved early");
  }
}

let checkSize = (): void => {};
// Checks the size bound before and after every step the scheduler releases.
const schedulerArb = fc.scheduler({
  act: async (f) => {
    checkSize();
    await f();
    checkSize();
  },
});

for (const kind of ["fifo", "lifo", "priority"] as const) {
  Deno.test(
    `Queue (${kind}) under random interleavings delivers every accepted item exactly once`,
    async () => {
      await fc.assert(
        fc.asyncProperty(schedulerArb, scenarioArb, async (s, sc) => {
          const restore = fakeTimers(s);
          const check = { size: () => {} };
          checkSize = () => check.size();
          try {
            await runScenario(kind, s, sc, check);
          } finally {
            restore();
            checkSize = () => {};
          }
        }),
        { numRuns: kind === "fifo" ? 150 : 60 },
      );
    },
  );
}

Deno.test("Queue for await marks every item it takes done exactly once, under random interleavings", async () => {
  const consumerArb = fc.record({
    exitAfter: fc.nat(6),
    how: fc.constantFrom("drain", "break", "throw"),
  });
  await fc.assert(
    fc.asyncProperty(
      schedulerArb,
      fc.array(fc.constantFrom("value", "resolved", "rejected"), { maxLength: 20 }),
      fc.array(consumerArb, { minLength: 1, maxLength: 3 }),
      fc.constantFrom(0, 1, 3),
      async (s, kinds, consumers, maxsize) => {
        const queue = new Queue<unknown>({ maxsize });
        const unexpected: unknown[] = [];
        const producer = (async () => {
          for (const kind of kinds) {
            await s.schedule(Promise.resolve(), "producer");
            let item: unknown = 1;
            if (kind === "resolved") item = Promise.resolve(1);
            if (kind === "rejected") {
              item = Promise.reject(new Error("item rejected"));
              (item as Promise<unknown>).catch(() => {});
            }
            await queue.put(item);
          }
        })().catch((error) => {
          if (!(error instanceof QueueClosed)) unexpected.push(error);
        });
        const loops = consumers.map(async ({ exitAfter, how }, c) => {
          let n = 0;
          try {
            for await (const _ of queue) {
              await s.schedule(Promise.resolve(), `consumer ${c}`);
              if (++n > exitAfter && how === "break") break;
              if (n > exitAfter && how === "throw") throw new Error("body failed");
            }
          } catch (error) {
            const message = (error as Error).message;
            if (message !== "body failed" && message !== "item rejected") unexpected.push(error);
          }
        });
        await s.waitAll();
        // Whatever is left (no consumer may be left to take it) is returned and counted done.
        queue.close({ immediate: true });
        await s.waitFor(Promise.all([producer, ...loops]));
        assert.deepEqual(unexpected, []);
        assert.equal(queue.unfinishedTasks, 0);
        await queue.join({ timeout: 0 });
      },
    ),
    { numRuns: 200 },
  );
});
