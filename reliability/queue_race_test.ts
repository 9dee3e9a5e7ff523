// Race properties of queue/: random interleavings of put/putNowait/get/getNowait/taskDone/join/
// close/abort/timeout on all three queue kinds, and of pipelines with stage errors, source
// errors and early exits. Goes past queue/'s own properties with invariants checked between
// every two steps: no getter waits while an item is queued, no putter waits while there is room,
// `unfinishedTasks` is exact, no join waits while nothing is unfinished, waiters are served in
// FIFO order, timers are cleared; and for pipelines: concurrency and buffer bounds, and nothing
// runs after the loop ends. Last, SharedQueue between real workers: 4 producers and 4 consumers
// with random aborts and timeouts (replay a run with SEED=<n>).
import fc from "fast-check";
import assert from "node:assert/strict";
import {
  LifoQueue,
  pipeline,
  PriorityQueue,
  Queue,
  QueueClosed,
  QueueEmpty,
  QueueFull,
  SharedQueue,
} from "../queue/mod.ts";
import { TestWorker } from "../queue/_test_utils.ts";
import {
  cancel,
  cancelMode,
  property,
  runs,
  settle,
  steps,
  Tally,
  track,
  VirtualClock,
} from "./_harness.ts";

const SUITE = "queue";

type Kind = "Queue" | "LifoQueue" | "PriorityQueue";

interface Item {
  id: number;
  priority: number;
}

function makeQueue(kind: Kind, maxsize: number): Queue<Item> {
  if (kind === "LifoQueue") return new LifoQueue<Item>({ maxsize });
  if (kind === "PriorityQueue") {
    return new PriorityQueue<Item>({ maxsize, compare: (a, b) => a.priority - b.priority });
  }
  return new Queue<Item>({ maxsize });
}

const queueOp = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom("put" as const, "get" as const),
      cancel: cancelMode,
      ms: fc.integer({ min: 0, max: 30 }),
      hold: fc.integer({ min: 0, max: 2 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("putNowait" as const, "getNowait" as const),
      hold: fc.integer({ min: 0, max: 2 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("join" as const),
      cancel: cancelMode,
      ms: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("close" as const), immediate: fc.boolean() }),
  },
);

for (const kind of ["Queue", "LifoQueue", "PriorityQueue"] as const) {
  Deno.test(`${kind}: every accepted item delivered exactly once; no getter waits beside an item, no putter beside room, no join beside zero unfinished; FIFO waiters; exact task count`, async () => {
    const tally = new Tally(SUITE, kind, "items");
    await property(
      tally,
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(0, 1, 2, 3),
        fc.array(fc.tuple(queueOp, fc.integer({ min: 0, max: 3 })), {
          minLength: 1,
          maxLength: 14,
        }),
        async (s, maxsize, ops) => {
          using clock = new VirtualClock(s);
          const queue = makeQueue(kind, maxsize);
          const accepted = new Set<Item>();
          const delivered: Item[] = [];
          let done = 0; // taskDone() calls
          let drained = 0; // items returned by close({ immediate: true })
          const getters = new Map<number, true>(); // queued get() calls, in call order
          const putters = new Map<number, true>();
          const joins = new Map<number, true>();
          const served: { getters: number[]; putters: number[] } = { getters: [], putters: [] };
          const called: { getters: number[]; putters: number[] } = { getters: [], putters: [] };
          const gaveUp = new Set<number>();
          const check = (): void => {
            if (maxsize > 0) assert.ok(queue.size <= maxsize, `size ${queue.size} > ${maxsize}`);
            if (getters.size > 0) {
              assert.equal(queue.size, 0, "a getter waits while an item is queued");
              assert.ok(!queue.closed, "a getter waits on a closed queue");
            }
            if (putters.size > 0) {
              assert.ok(queue.full, "a putter waits while there is room");
              assert.ok(!queue.closed, "a putter waits on a closed queue");
            }
            assert.equal(
              queue.unfinishedTasks,
              accepted.size - done - drained,
              "unfinishedTasks is off",
            );
            if (joins.size > 0) assert.ok(queue.unfinishedTasks > 0, "join() waits for nothing");
          };
          const consume = async (i: number, item: Item, hold: number): Promise<void> => {
            delivered.push(item);
            await steps(s, hold, `work ${i}`);
            queue.taskDone();
            done++;
          };
          const tasks = ops.map(([op, delay], i) =>
            track((async () => {
              await steps(s, 1 + delay, `start ${i}`);
              const item: Item = { id: i, priority: (i * 7) % 3 };
              switch (op.kind) {
                case "putNowait":
                  try {
                    queue.putNowait(item);
                    accepted.add(item);
                    tally.items++;
                  } catch (error) {
                    if (error instanceof QueueFull) {
                      assert.ok(queue.full && !queue.closed, "QueueFull with room");
                    } else assert.ok(error instanceof QueueClosed && queue.closed);
                    assert.equal((error as QueueFull<Item>).item, item, "the refused item is lost");
                    tally.faults++;
                  }
                  return;
                case "getNowait": {
                  let got: Item;
                  try {
                    got = queue.getNowait();
                  } catch (error) {
                    assert.ok(error instanceof QueueEmpty || error instanceof QueueClosed);
                    assert.equal(queue.size, 0, `${error} with items queued`);
                    return;
                  }
                  await consume(i, got, op.hold);
                  return;
                }
                case "close": {
                  const items = queue.close({ immediate: op.immediate });
                  drained += items.length;
                  delivered.push(...items);
                  return;
                }
                case "join": {
                  const c = cancel(s, op.cancel, `${kind}.join()`, op.ms, `${i}`);
                  const waits = queue.unfinishedTasks > 0 && op.cancel !== "preAborted";
                  const pending = c.watch(queue.join(c.options));
                  if (waits) joins.set(i, true);
                  try {
                    await pending;
                    assert.equal(queue.unfinishedTasks, 0, "join() resolved early");
                  } catch (reason) {
                    c.expect(reason);
                    tally.faults++;
                  } finally {
                    joins.delete(i);
                  }
                  return;
                }
                case "put": {
                  const c = cancel(s, op.cancel, `${kind}.put()`, op.ms, `${i}`);
                  const waits = queue.full && !queue.closed && op.cancel !== "preAborted";
                  const pending = c.watch(queue.put(item, c.options));
                  called.putters.push(i);
                  if (waits) putters.set(i, true);
                  try {
                    await pending;
                    putters.delete(i);
                    served.putters.push(i);
                    accepted.add(item);
                    tally.items++;
                  } catch (error) {
                    putters.delete(i);
                    gaveUp.add(i);
                    tally.faults++;
                    if (error instanceof QueueClosed) {
                      assert.equal(error.item, item, "QueueClosed lost the refused item");
                    } else c.expect(error);
                  }
                  return;
                }
                case "get": {
                  const c = cancel(s, op.cancel, `${kind}.get()`, op.ms, `${i}`);
                  const waits = queue.size === 0 && !queue.closed && op.cancel !== "preAborted";
                  const pending = c.watch(queue.get(c.options));
                  called.getters.push(i);
                  if (waits) getters.set(i, true);
                  let got: Item;
                  try {
                    got = await pending;
                  } catch (error) {
                    getters.delete(i);
                    gaveUp.add(i);
                    if (!(error instanceof QueueClosed)) c.expect(error);
                    else assert.ok(queue.closed);
                    tally.faults++;
                    return;
                  }
                  getters.delete(i);
                  served.getters.push(i);
                  await consume(i, got, op.hold);
                  return;
                }
              }
            })())
          );
          await settle(s, check);
          check();
          for (const t of tasks) if (t.state === "rejected") throw t.reason;
          // Whoever still waits is released by an immediate close, which returns the rest.
          const rest = queue.close({ immediate: true });
          drained += rest.length;
          delivered.push(...rest);
          await settle(s, check);
          for (const t of tasks) {
            if (t.state === "rejected") throw t.reason;
            assert.equal(t.state, "fulfilled", "a task still waits after close()");
          }
          // Exactly once: what was delivered is what was accepted, nothing twice.
          const losses = accepted.size - new Set(delivered.filter((x) => accepted.has(x))).size;
          tally.losses += losses;
          assert.equal(new Set(delivered).size, delivered.length, "an item was delivered twice");
          assert.deepEqual(
            new Set(delivered),
            accepted,
            "delivered items are not the accepted ones",
          );
          assert.equal(queue.unfinishedTasks, 0);
          // FIFO among the calls that were served.
          for (const who of ["getters", "putters"] as const) {
            const order = called[who].filter((i) => !gaveUp.has(i));
            assert.deepEqual(served[who], order, `${who} served out of order`);
          }
          assert.equal(clock.pending, 0, "a timer was left running");
          tally.runs++;
          tally.steps += s.report().length;
        },
      ),
      runs(kind === "Queue" ? 100 : 50),
    );
  });
}

const stageArb = fc.record({
  concurrency: fc.integer({ min: 1, max: 3 }),
  maxsize: fc.integer({ min: 0, max: 3 }),
  ordered: fc.boolean(),
});

Deno.test("pipeline: stage concurrency and buffers stay bounded; every item once, in order when ordered; a stage error, a source error or an early exit stops everything, and nothing runs after the loop ends", async () => {
  const tally = new Tally(SUITE, "pipeline", "items");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(stageArb, { minLength: 1, maxLength: 3 }),
      fc.integer({ min: 0, max: 20 }),
      fc.oneof(
        fc.constant({ kind: "none" as const, at: 0, stage: 0 }),
        fc.record({
          kind: fc.constantFrom("stage" as const, "source" as const, "break" as const),
          at: fc.integer({ min: 0, max: 20 }),
          stage: fc.integer({ min: 0, max: 2 }),
        }),
      ),
      fc.boolean(),
      async (s, configs, count, fault, asyncSource) => {
        const inFlight = configs.map(() => 0);
        let running = 0;
        let ended = false;
        const boom = new Error("stage failed");
        const sourceBoom = new Error("source failed");
        const signals: AbortSignal[] = [];
        const check = (): void => {
          configs.forEach((c, k) => {
            assert.ok((inFlight[k] ?? 0) <= c.concurrency, `stage ${k} runs ${inFlight[k]} calls`);
          });
          if (ended) assert.equal(running, 0, "a stage call runs after the loop ended");
        };
        const failStage = fault.kind === "stage" ? fault.stage % configs.length : -1;
        const stages = configs.map((config, k) => ({
          ...config,
          fn: async (n: number, { signal, index }: { signal: AbortSignal; index: number }) => {
            assert.ok(!ended, "a stage call started after the loop ended");
            signals.push(signal);
            inFlight[k] = (inFlight[k] ?? 0) + 1;
            running++;
            check();
            try {
              await s.schedule(Promise.resolve(), `stage ${k} item ${n}`);
              if (k === failStage && n === fault.at) throw boom;
              if (!config.ordered) assert.ok(index >= 0);
              return n;
            } finally {
              inFlight[k] = (inFlight[k] ?? 0) - 1;
              running--;
            }
          },
        }));
        const input = Array.from({ length: count }, (_, i) => i);
        async function* slowly(): AsyncGenerator<number> {
          for (const n of input) {
            await s.schedule(Promise.resolve(), `source ${n}`);
            if (fault.kind === "source" && n === fault.at) throw sourceBoom;
            yield n;
          }
        }
        const source = asyncSource || fault.kind === "source" ? slowly() : input;
        const out: number[] = [];
        const consumer = track(
          (async () => {
            for await (const n of pipeline(source, ...stages) as AsyncIterable<number>) {
              out.push(n);
              tally.items++;
              if (fault.kind === "break" && out.length > fault.at % (count + 1)) break;
              await s.schedule(Promise.resolve(), `consume ${n}`);
            }
          })().finally(() => (ended = true)),
        );
        await settle(s, check);
        assert.notEqual(consumer.state, "pending", "the pipeline stalled");
        assert.equal(running, 0);
        const expectStageError = failStage >= 0 && fault.at < count;
        const expectSourceError = fault.kind === "source" && fault.at < count;
        if (consumer.state === "rejected") {
          const reason = consumer.reason;
          if (reason === boom) assert.ok(expectStageError, "a stage error out of nowhere");
          else if (reason === sourceBoom) assert.ok(expectSourceError);
          else throw reason;
          tally.faults++;
          // Every stage was told to stop.
          for (const signal of signals) assert.ok(signal.aborted, "a stage signal not aborted");
        } else {
          // No error got lost: a failing item that ran would have surfaced.
          if (fault.kind === "break") {
            tally.faults++;
            for (const signal of signals) assert.ok(signal.aborted, "a stage signal not aborted");
          } else {
            assert.ok(!expectStageError && !expectSourceError, "an error was swallowed");
            // Exactly once, in order when every stage is ordered.
            if (configs.every((c) => c.ordered)) assert.deepEqual(out, input);
            else assert.deepEqual(out.toSorted((a, b) => a - b), input);
            tally.losses += input.length - new Set(out).size;
          }
        }
        // Whatever came out came out once, and in order if ordered.
        assert.equal(new Set(out).size, out.length, "an item came out twice");
        if (configs.every((c) => c.ordered)) assert.deepEqual(out, input.slice(0, out.length));
        tally.runs++;
        tally.steps += s.report().length;
      },
    ),
    runs(80),
  );
});

Deno.test("SharedQueue: 4 producer and 4 consumer workers, 10,000 items each producer, random aborts and timeouts: every accepted item taken exactly once, FIFO per producer, join() exact", async () => {
  const seed = Number(Deno.env.get("SEED") ?? Date.now() % 1_000_000);
  const queue = new SharedQueue<number>({ maxsize: 64 });
  const producers = Array.from({ length: 4 }, () => new TestWorker());
  const consumers = Array.from({ length: 4 }, () => new TestWorker());
  try {
    consumers.forEach((worker, id) =>
      worker.send({
        role: "consumer",
        buffer: queue.buffer,
        id,
        count: 0,
        seed: seed + 100 + id,
        iterate: id === 0, // one consumer uses for await, the others get() with random aborts
      })
    );
    producers.forEach((worker, id) =>
      worker.send({ role: "producer", buffer: queue.buffer, id, count: 10_000, seed: seed + id })
    );
    const produced = await Promise.all(
      producers.map((w) => w.next<{ accepted: number[]; cancelled: number }>()),
    );
    await queue.join({ timeout: 60_000 });
    queue.close();
    const consumed = await Promise.all(
      consumers.map((w) => w.next<{ received: number[]; cancelled: number }>()),
    );
    const accepted = produced.flatMap((p) => p.accepted);
    const received = consumed.flatMap((c) => c.received);
    const message = `seed ${seed}`;
    assert.ok(produced.some((p) => p.cancelled > 0), `no put was cancelled; ${message}`);
    assert.ok(consumed.some((c) => c.cancelled > 0), `no get was cancelled; ${message}`);
    assert.equal(received.length, accepted.length, `lost or duplicated items; ${message}`);
    assert.deepEqual(new Set(received), new Set(accepted), message);
    // Each consumer sees each producer's items in the order they were put.
    for (const { received } of consumed) {
      const last = new Map<number, number>();
      for (const item of received) {
        const producer = Math.floor(item / 1_000_000);
        assert.ok(item > (last.get(producer) ?? -1), `out of order; ${message}`);
        last.set(producer, item);
      }
    }
    assert.equal(queue.unfinishedTasks, 0);
    assert.equal(queue.size, 0);
  } finally {
    for (const worker of [...producers, ...consumers]) worker.terminate();
  }
});
