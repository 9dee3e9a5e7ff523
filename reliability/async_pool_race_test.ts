// Race property of AsyncPool: random interleavings of run/abort/throw/join/close (with and without
// cancelPending)/terminate. Invariants, checked between every two steps: never more than
// `concurrency` tasks run; no task is queued while a slot is free; no join waits while the pool is
// idle; tasks start in FIFO order; a task aborted or cancelled while queued never starts; every
// run() settles exactly once with its own outcome; after close() new tasks are refused and close()
// resolves once the accepted ones are done.
import fc from "fast-check";
import assert from "node:assert/strict";
import { AsyncPool, PoolClosed } from "../pool/mod.ts";
import {
  cancel,
  type CancelMode,
  property,
  runs,
  settle,
  steps,
  Tally,
  track,
  VirtualClock,
} from "./_harness.ts";

const taskMode = fc.constantFrom<CancelMode>("none", "none", "abort", "preAborted");
const joinMode = fc.constantFrom<CancelMode>("none", "abort", "timeout", "preAborted");

const poolOp = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant("run" as const),
      cancel: taskMode,
      work: fc.integer({ min: 0, max: 3 }),
      throws: fc.boolean(),
      sync: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("join" as const),
      cancel: joinMode,
      ms: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant("close" as const), cancelPending: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("terminate" as const) }) },
);

Deno.test("AsyncPool: at most `concurrency` running, no task queued beside a free slot, FIFO starts, aborted queued tasks never start, join and close resolve exactly at idle", async () => {
  const tally = new Tally("pool", "AsyncPool", "tasks");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.tuple(poolOp, fc.integer({ min: 0, max: 3 })), { minLength: 1, maxLength: 12 }),
      async (s, concurrency, ops) => {
        using clock = new VirtualClock(s);
        const pool = new AsyncPool({ concurrency });
        let running = 0; // task functions that have started and not settled
        const submitted: number[] = []; // run() calls that were accepted, in order
        const started: number[] = [];
        const droppedQueued = new Set<number>(); // aborted before they started
        const joins = new Set<number>();
        const closes: Promise<void>[] = [];
        const check = (): void => {
          assert.ok(running <= concurrency, `${running} tasks run, concurrency ${concurrency}`);
          assert.equal(pool.running, running, "the pool counts running tasks wrongly");
          if (pool.queued > 0) {
            assert.equal(pool.running, concurrency, "a task is queued while a slot is free");
          }
          if (joins.size > 0) {
            assert.ok(pool.running + pool.queued > 0, "join() waits on an idle pool");
          }
        };
        const tasks = ops.map(([op, delay], i) =>
          track((async () => {
            await steps(s, 1 + delay, `start ${i}`);
            if (op.kind === "close") {
              closes.push(pool.close({ cancelPending: op.cancelPending }));
              assert.ok(pool.closed);
              if (op.cancelPending) {
                assert.equal(pool.queued, 0, "cancelPending left a task queued");
              }
              return;
            }
            if (op.kind === "terminate") {
              pool.terminate();
              assert.ok(pool.closed);
              assert.equal(pool.queued, 0, "terminate() left a task queued");
              return;
            }
            if (op.kind === "join") {
              const c = cancel(s, op.cancel, "AsyncPool.join()", op.ms, `${i}`);
              const waits = pool.running + pool.queued > 0 && op.cancel !== "preAborted";
              const pending = c.watch(pool.join(c.options));
              if (waits) joins.add(i);
              try {
                await pending;
                assert.equal(pool.running + pool.queued, 0, "join() resolved early");
              } catch (reason) {
                c.expect(reason);
                tally.faults++;
              } finally {
                joins.delete(i);
              }
              return;
            }
            const c = cancel(s, op.cancel, "AsyncPool.run()", 0, `${i}`);
            const thrown = new Error(`thrown by ${i}`);
            let ran = false;
            const fn = () => {
              ran = true;
              started.push(i);
              running++;
              const finish = () => {
                running--;
                if (op.throws) throw thrown;
                return i;
              };
              if (op.sync) return finish();
              return steps(s, 1 + op.work, `work ${i}`).then(finish);
            };
            const closed = pool.closed;
            const pending = pool.run(fn, c.options);
            if (!closed && op.cancel !== "preAborted") submitted.push(i);
            try {
              const value = await pending;
              assert.ok(!closed, "a closed pool ran a task");
              assert.equal(value, i, "a task got another task's result");
              assert.ok(!op.throws);
              tally.items++;
            } catch (reason) {
              if (closed) {
                assert.ok(reason instanceof PoolClosed || op.cancel === "preAborted", `${reason}`);
                assert.ok(!ran, "a refused task ran");
              } else if (reason === thrown) {
                assert.ok(ran && op.throws);
                tally.items++;
              } else if (reason instanceof PoolClosed) {
                // Cancelled by close({ cancelPending: true }) or terminate() before it started.
                assert.ok(!ran, "a cancelled task ran");
                droppedQueued.add(i);
                tally.faults++;
              } else {
                c.expect(reason);
                if (!ran) droppedQueued.add(i);
                tally.faults++;
              }
            }
          })())
        );
        await settle(s, check);
        check();
        for (const t of tasks) {
          if (t.state === "rejected") throw t.reason;
          assert.equal(t.state, "fulfilled", "a task or join never settled");
        }
        // Tasks aborted while queued never started; the rest started in submission order.
        for (const i of droppedQueued) assert.ok(!started.includes(i), `dropped task ${i} ran`);
        assert.deepEqual(
          started,
          submitted.filter((i) => !droppedQueued.has(i)),
          "tasks started out of order",
        );
        await Promise.all(closes);
        assert.equal(pool.running, 0);
        assert.equal(pool.queued, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
        tally.runs++;
        tally.steps += s.report().length;
      },
    ),
    runs(100),
  );
});
