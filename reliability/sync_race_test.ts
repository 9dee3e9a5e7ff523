// Race properties of the async locks in sync/: random interleavings (fast-check's scheduler) of
// lock/acquire/read/write/wait/notify/set/abort/timeout, timeouts on a virtual clock. Goes past
// sync/'s own properties: timeouts, try* calls, withLock, Condition, Event and Barrier, and the
// liveness invariant "nobody waits while what they wait for is free", checked after every step.
import fc from "fast-check";
import assert from "node:assert/strict";
import {
  Barrier,
  BrokenBarrierError,
  Condition,
  Event,
  type Guard,
  Mutex,
  RWLock,
  Semaphore,
} from "../sync/mod.ts";
import {
  cancel,
  cancelMode,
  property,
  runs,
  settle,
  steps,
  Tally,
  track,
  type Tracked,
  VirtualClock,
} from "./_harness.ts";

const SUITE = "sync";

/** Runs the tasks to idle with `check` after every step; rethrows what a task threw. */
async function drive(
  s: fc.Scheduler,
  tally: Tally,
  tasks: Tracked<void>[],
  check: () => void,
): Promise<void> {
  await settle(s, check);
  check();
  for (const t of tasks) if (t.state === "rejected") throw t.reason;
  tally.runs++;
  tally.steps += s.report().length;
}

/**
 * The requests made to a lock, as the tasks see them: call order, which are queued in the lock
 * (the call raised its waiting count and the task has not resumed yet), which acquired (in
 * order) and which gave up. Between scheduler steps, `queued` is exactly the lock's queue.
 */
class Requests<K = string> {
  calls: number[] = [];
  acquired: number[] = [];
  gaveUp: Set<number> = new Set();
  queued: Map<number, K> = new Map();

  /** Records a call; `queued` says whether it raised the lock's waiting count. */
  call(id: number, kind: K, queued: boolean): void {
    this.calls.push(id);
    if (queued) this.queued.set(id, kind);
  }

  acquire(id: number): void {
    this.queued.delete(id);
    this.acquired.push(id);
  }

  giveUp(id: number): void {
    this.queued.delete(id);
    this.gaveUp.add(id);
  }

  /** The oldest queued request: the one the lock must serve next. */
  get head(): [number, K] | undefined {
    return this.queued.entries().next().value;
  }

  /**
   * FIFO: a request that acquired did so after every request called before it, except those
   * that gave up.
   */
  assertFifo(): void {
    const at = new Map(this.acquired.map((id, k) => [id, k]));
    this.calls.forEach((later, j) => {
      const laterAt = at.get(later);
      if (laterAt === undefined) return;
      for (const earlier of this.calls.slice(0, j)) {
        if (this.gaveUp.has(earlier)) continue;
        const earlierAt = at.get(earlier);
        assert.ok(earlierAt !== undefined, `request ${earlier} neither acquired nor gave up`);
        assert.ok(earlierAt < laterAt, `request ${later} overtook request ${earlier}`);
      }
    });
  }
}

const lockOp = fc.record({
  kind: fc.constantFrom("lock", "lock", "withLock", "try"),
  cancel: cancelMode,
  ms: fc.integer({ min: 0, max: 30 }),
  delay: fc.integer({ min: 0, max: 3 }),
  hold: fc.integer({ min: 0, max: 2 }),
  throws: fc.boolean(),
});

Deno.test("Mutex: one holder, FIFO, no waiter while free, timers cleared, under any interleaving of lock/tryLock/withLock/abort/timeout", async () => {
  const tally = new Tally(SUITE, "Mutex", "acquisitions");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(lockOp, { minLength: 1, maxLength: 10 }),
      async (s, ops) => {
        using clock = new VirtualClock(s);
        const mutex = new Mutex();
        let inside = 0;
        const req = new Requests();
        const check = (): void => {
          assert.ok(inside <= 1, "two holders");
          assert.equal(mutex.waiting, req.queued.size, "the mutex lost count of its waiters");
          if (mutex.waiting > 0) assert.ok(mutex.locked, "a waiter waits while the mutex is free");
        };
        const tasks = ops.map((op, i) =>
          track((async () => {
            await steps(s, 1 + op.delay, `start ${i}`);
            if (op.kind === "try") {
              const guard = mutex.tryLock();
              if (guard === undefined) {
                assert.ok(mutex.locked, "tryLock() failed on a free mutex");
                return;
              }
              inside++;
              assert.equal(inside, 1, "tryLock() barged in");
              await steps(s, op.hold, `hold ${i}`);
              inside--;
              guard.release();
              tally.items++;
              return;
            }
            const c = cancel(s, op.cancel, "Mutex.lock()", op.ms, `${i}`);
            const waitingBefore = mutex.waiting;
            const thrown = new Error(`thrown by ${i}`);
            let ran = false;
            const body = async (): Promise<void> => {
              ran = true;
              assert.equal(inside, 0, `task ${i} entered while another holds the mutex`);
              assert.ok(mutex.locked);
              inside++;
              req.acquire(i);
              await steps(s, op.hold, `hold ${i}`);
              inside--;
              if (op.throws) throw thrown;
            };
            const pending = op.kind === "withLock"
              ? c.watch(mutex.withLock(body, c.options))
              : c.watch(mutex.lock(c.options)).then(async (guard: Guard) => {
                try {
                  await body();
                } finally {
                  guard.release();
                }
              });
            req.call(i, op.kind, mutex.waiting > waitingBefore);
            if (op.cancel === "preAborted") {
              assert.equal(mutex.waiting, waitingBefore, "an aborted call queued");
            }
            try {
              await pending;
              assert.ok(!op.throws);
              tally.items++;
            } catch (reason) {
              if (ran) {
                assert.ok(op.throws);
                assert.equal(reason, thrown, "withLock() changed the error of fn");
                tally.items++;
                return;
              }
              c.expect(reason);
              req.giveUp(i);
              tally.faults++;
            }
          })())
        );
        await drive(s, tally, tasks, check);
        req.assertFifo();
        assert.equal(mutex.locked, false);
        assert.equal(mutex.waiting, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
      },
    ),
    runs(100),
  );
});

const semOp = fc.record({
  kind: fc.constantFrom("acquire", "acquire", "try"),
  cancel: cancelMode,
  ms: fc.integer({ min: 0, max: 30 }),
  delay: fc.integer({ min: 0, max: 3 }),
  hold: fc.integer({ min: 0, max: 2 }),
});

Deno.test("Semaphore: permits never below 0 or above the limit, FIFO, no waiter while a permit is free, under any interleaving with aborts and timeouts", async () => {
  const tally = new Tally(SUITE, "Semaphore", "acquisitions");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.integer({ min: 1, max: 3 }),
      fc.array(semOp, { minLength: 1, maxLength: 10 }),
      async (s, permits, ops) => {
        using clock = new VirtualClock(s);
        const semaphore = new Semaphore(permits);
        let inside = 0;
        const req = new Requests();
        // At any moment:
        const safety = (): void => {
          const available = semaphore.available;
          assert.ok(available >= 0 && available <= permits, `available is ${available}`);
          assert.ok(inside + available <= permits, "more permits in use than exist");
        };
        // Between steps, when every task is at a scheduled point or queued in the semaphore:
        const check = (): void => {
          safety();
          const available = semaphore.available;
          assert.equal(semaphore.waiting, req.queued.size, "the semaphore lost count of waiters");
          if (semaphore.waiting > 0) {
            assert.equal(available, 0, "a waiter waits while a permit is free");
          }
        };
        const tasks = ops.map((op, i) =>
          track((async () => {
            await steps(s, 1 + op.delay, `start ${i}`);
            let guard: Guard | undefined;
            if (op.kind === "try") {
              guard = semaphore.tryAcquire();
              if (guard === undefined) {
                assert.equal(semaphore.available, 0, "tryAcquire() failed with a free permit");
                return;
              }
            } else {
              const c = cancel(s, op.cancel, "Semaphore.acquire()", op.ms, `${i}`);
              const before = semaphore.waiting;
              const pending = c.watch(semaphore.acquire(c.options));
              req.call(i, op.kind, semaphore.waiting > before);
              try {
                guard = await pending;
              } catch (reason) {
                c.expect(reason);
                req.giveUp(i);
                tally.faults++;
                return;
              }
              req.acquire(i);
            }
            inside++;
            safety();
            await steps(s, op.hold, `hold ${i}`);
            inside--;
            guard.release();
            assert.throws(() => guard.release(), /already released/);
            tally.items++;
          })())
        );
        await drive(s, tally, tasks, check);
        req.assertFifo();
        assert.equal(semaphore.available, permits, "a permit was lost or made up");
        assert.equal(semaphore.waiting, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
      },
    ),
    runs(100),
  );
});

const rwOp = fc.record({
  kind: fc.constantFrom("read", "read", "write", "write", "tryRead", "tryWrite"),
  cancel: cancelMode,
  ms: fc.integer({ min: 0, max: 30 }),
  delay: fc.integer({ min: 0, max: 2 }),
  hold: fc.integer({ min: 0, max: 3 }),
});

Deno.test("RWLock: readers never with a writer, FIFO (a waiting writer holds back later readers), the head of the queue never waits when it could enter, under aborts and timeouts", async () => {
  const tally = new Tally(SUITE, "RWLock", "acquisitions");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(rwOp, { minLength: 1, maxLength: 10 }),
      async (s, ops) => {
        using clock = new VirtualClock(s);
        const lock = new RWLock();
        let readers = 0;
        let writers = 0;
        const req = new Requests();
        // At any moment:
        const safety = (): void => {
          assert.ok(writers <= 1, "two writers");
          assert.ok(writers === 0 || readers === 0, "a reader with a writer");
          assert.ok(!lock.writeLocked || lock.readers === 0, "lock state mixes readers and writer");
          assert.ok(lock.readers >= readers, "more readers inside than the lock counts");
        };
        // Between steps, when every task is at a scheduled point or queued in the lock:
        const check = (): void => {
          safety();
          assert.equal(lock.readers, readers, "the lock counts readers that are not inside");
          assert.equal(lock.writeLocked, writers === 1);
          assert.equal(lock.waiting, req.queued.size, "the lock lost count of its waiters");
          const head = req.head;
          if (head === undefined) return;
          // The oldest waiter waits only while it cannot enter.
          if (head[1] === "read") {
            assert.ok(lock.writeLocked, `reader ${head[0]} waits for nothing`);
          } else {assert.ok(
              lock.writeLocked || lock.readers > 0,
              `writer ${head[0]} waits for nothing`,
            );}
        };
        const tasks = ops.map((op, i) =>
          track((async () => {
            await steps(s, 1 + op.delay, `start ${i}`);
            const write = op.kind === "write" || op.kind === "tryWrite";
            let guard: Guard | undefined;
            if (op.kind === "tryRead" || op.kind === "tryWrite") {
              const waiting = lock.waiting;
              const busy = lock.writeLocked || (write && lock.readers > 0);
              guard = write ? lock.tryWrite() : lock.tryRead();
              if (guard === undefined) {
                assert.ok(busy || waiting > 0, `${op.kind}() failed on a free lock`);
                return;
              }
            } else {
              const what = write ? "RWLock.write()" : "RWLock.read()";
              const c = cancel(s, op.cancel, what, op.ms, `${i}`);
              const before = lock.waiting;
              const pending = c.watch(write ? lock.write(c.options) : lock.read(c.options));
              req.call(i, op.kind, lock.waiting > before);
              try {
                guard = await pending;
              } catch (reason) {
                c.expect(reason);
                req.giveUp(i);
                tally.faults++;
                return;
              }
              req.acquire(i);
            }
            if (write) writers++;
            else readers++;
            safety();
            await steps(s, op.hold, `hold ${i}`);
            if (write) writers--;
            else readers--;
            guard.release();
            tally.items++;
          })())
        );
        await drive(s, tally, tasks, check);
        req.assertFifo();
        assert.equal(lock.readers, 0);
        assert.equal(lock.writeLocked, false);
        assert.equal(lock.waiting, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
      },
    ),
    runs(100),
  );
});

const eventOp = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("wait" as const), cancel: cancelMode }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constantFrom("set" as const, "clear" as const) }) },
);

Deno.test("Event: every waiter is released by a set() after it began waiting, none waits while set, aborted and timed-out waiters leave", async () => {
  const tally = new Tally(SUITE, "Event", "wake-ups");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.tuple(eventOp, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 })), {
        minLength: 1,
        maxLength: 12,
      }),
      async (s, ops) => {
        using clock = new VirtualClock(s);
        const event = new Event();
        let sets = 0; // transitions from clear to set
        let pending = 0;
        const check = (): void => {
          if (event.isSet) assert.equal(event.waiting, 0, "a waiter waits while the event is set");
          assert.equal(event.waiting, pending, "the event lost count of its waiters");
        };
        const tasks = ops.map(([op, delay, ms], i) =>
          track((async () => {
            await steps(s, 1 + delay, `start ${i}`);
            if (op.kind !== "wait") {
              if (op.kind === "clear") event.clear();
              else {
                if (!event.isSet) sets++;
                event.set();
              }
              return;
            }
            const c = cancel(s, op.cancel, "Event.wait()", ms, `${i}`);
            const setAtCall = event.isSet;
            const setsAtCall = sets;
            const waiting = c.watch(event.wait(c.options));
            const queued = event.waiting > pending;
            if (queued) pending++;
            try {
              await waiting;
              assert.ok(setAtCall || sets > setsAtCall, `waiter ${i} woke without a set()`);
              assert.ok(op.cancel !== "preAborted");
              tally.items++;
            } catch (reason) {
              c.expect(reason);
              tally.faults++;
            } finally {
              if (queued) pending--;
            }
          })())
        );
        await settle(s, check);
        // Whoever still waits, waits because the event is clear; set() releases them all.
        if (pending > 0) assert.equal(event.isSet, false);
        sets++;
        event.set();
        await drive(s, tally, tasks, check);
        assert.equal(event.waiting, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
      },
    ),
    runs(100),
  );
});

const conditionOp = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constantFrom("waitFor" as const, "waitLoop" as const),
      cancel: cancelMode,
      ms: fc.integer({ min: 0, max: 30 }),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constantFrom("notifyOne" as const, "notifyAll" as const),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
);

Deno.test("Condition: one holder, every item taken exactly once, no consumer waits while an item is there, a cancelled wait still re-locks", async () => {
  const tally = new Tally(SUITE, "Condition", "items");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.tuple(conditionOp, fc.integer({ min: 0, max: 3 })), {
        minLength: 1,
        maxLength: 10,
      }),
      async (s, ops) => {
        using clock = new VirtualClock(s);
        const cond = new Condition();
        let inside = 0;
        let items = 0;
        let produced = 0;
        let consumed = 0;
        let consumersWaiting = 0;
        const check = (): void => {
          assert.ok(inside <= 1, "two holders of the condition's mutex");
          assert.ok(items >= 0);
          assert.equal(produced, consumed + items, "an item was lost or taken twice");
        };
        const enter = (): void => {
          assert.ok(cond.mutex.locked, "woke without the mutex");
          inside++;
          check();
        };
        const tasks = ops.map(([op, delay], i) =>
          track((async () => {
            await steps(s, 1 + delay, `start ${i}`);
            const guard = await cond.lock();
            enter();
            try {
              if ("count" in op) {
                // One item per notify(1), or any number then notifyAll(): never strands an item.
                const n = op.kind === "notifyOne" ? 1 : op.count;
                items += n;
                produced += n;
                await steps(s, 1, `produce ${i}`);
                if (op.kind === "notifyOne") cond.notify(1);
                else cond.notifyAll();
                return;
              }
              const what = op.kind === "waitFor" ? "Condition.waitFor()" : "Condition.wait()";
              const c = cancel(s, op.cancel, what, op.ms, `${i}`);
              consumersWaiting++;
              // `inside` follows the mutex: the condition lets go of it while waiting and holds it
              // again when the predicate runs and when the wait settles, even by a cancellation.
              try {
                if (op.kind === "waitFor") {
                  inside--;
                  try {
                    await c.watch(cond.waitFor(() => {
                      enter();
                      if (items > 0) return true;
                      inside--;
                      return false;
                    }, c.options));
                  } catch (reason) {
                    enter();
                    throw reason;
                  }
                } else {
                  while (items === 0) {
                    inside--;
                    await c.watch(cond.wait(c.options)).finally(enter);
                  }
                }
              } catch (reason) {
                c.expect(reason);
                tally.faults++;
                return;
              } finally {
                consumersWaiting--;
              }
              assert.ok(items > 0);
              items--;
              consumed++;
              tally.items++;
            } finally {
              inside--;
              guard.release();
            }
          })())
        );
        const liveness = (): void => {
          check();
          // Nobody waits on the condition while an item is available and the mutex is free.
          if (items > 0 && !cond.mutex.locked) {
            assert.equal(cond.waiting, 0, "a consumer sleeps next to an available item");
          }
        };
        await settle(s, liveness);
        liveness();
        assert.equal(cond.waiting, consumersWaiting, "the condition lost count of its waiters");
        // Release any consumer still waiting (there were fewer items than consumers).
        if (consumersWaiting > 0) {
          assert.equal(items, 0, "a consumer waits while an item is there");
          await s.waitFor((async () => {
            using _ = await cond.lock();
            items += consumersWaiting;
            produced += consumersWaiting;
            cond.notifyAll();
          })());
        }
        await drive(s, tally, tasks, check);
        assert.equal(cond.waiting, 0, "notifyAll() left a waiter asleep");
        assert.equal(cond.mutex.locked, false);
        assert.equal(cond.mutex.waiting, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
      },
    ),
    runs(100),
  );
});

const barrierOp = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant("wait" as const), cancel: cancelMode }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constantFrom("abort" as const, "reset" as const) }),
  },
);

Deno.test("Barrier: each round releases exactly `parties` waiters with indices 0..parties-1, never more wait than a round holds, broken barriers fail everyone", async () => {
  const tally = new Tally(SUITE, "Barrier", "passes");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.integer({ min: 1, max: 4 }),
      fc.array(
        fc.tuple(barrierOp, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 30 })),
        { minLength: 1, maxLength: 14 },
      ),
      async (s, parties, ops) => {
        using clock = new VirtualClock(s);
        const barrier = new Barrier(parties);
        let round = 0;
        let pending = 0;
        const byRound = new Map<number, number[]>();
        const check = (): void => {
          assert.ok(barrier.waiting < parties, `${barrier.waiting} waiting for ${parties} parties`);
          assert.equal(barrier.waiting, pending, "the barrier lost count of its waiters");
          if (barrier.broken) assert.equal(barrier.waiting, 0);
        };
        const tasks = ops.map(([op, delay, ms], i) =>
          track((async () => {
            await steps(s, 1 + delay, `start ${i}`);
            if (op.kind !== "wait") {
              if (op.kind === "abort") barrier.abort();
              else barrier.reset();
              round++;
              tally.faults++;
              return;
            }
            const c = cancel(s, op.cancel, "Barrier.wait()", ms, `${i}`);
            const broken = barrier.broken;
            const before = barrier.waiting;
            const joined = round;
            const waiting = c.watch(barrier.wait(c.options));
            const queued = barrier.waiting > before;
            if (queued) pending++;
            else if (!broken && op.cancel !== "preAborted") {
              assert.equal(before + 1, parties, "wait() neither queued nor tripped the barrier");
              round++;
            }
            try {
              const index = await waiting;
              assert.ok(!broken);
              if (!byRound.has(joined)) byRound.set(joined, []);
              byRound.get(joined)!.push(index);
              tally.items++;
            } catch (reason) {
              if (reason instanceof BrokenBarrierError) {
                assert.ok(broken || round > joined, `waiter ${i} broken without abort()/reset()`);
              } else c.expect(reason);
              tally.faults++;
            } finally {
              if (queued) pending--;
            }
          })())
        );
        await settle(s, check);
        // The ones still waiting wait for a round that has too few parties; abort() fails them.
        barrier.abort();
        round++;
        await drive(s, tally, tasks, check);
        for (const [r, indices] of byRound) {
          assert.deepEqual(
            indices.toSorted((a, b) => a - b),
            Array.from({ length: parties }, (_, k) => k),
            `round ${r} released ${indices}`,
          );
        }
        assert.equal(barrier.waiting, 0);
        assert.equal(clock.pending, 0, "a timer was left running");
      },
    ),
    runs(100),
  );
});

// asyncio's draining phase under any interleaving: a task that waits again as soon as it resumes
// queues for the next round, so the last task out of a round may reset() without breaking it.
Deno.test("Barrier: reset() by the last task out of a round never breaks the tasks already back, under any interleaving", async () => {
  const tally = new Tally(SUITE, "Barrier draining", "passes");
  await property(
    tally,
    fc.asyncProperty(
      fc.scheduler(),
      fc.integer({ min: 2, max: 4 }),
      fc.integer({ min: 1, max: 3 }),
      fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 12, maxLength: 12 }),
      async (s, parties, rounds, delays) => {
        const barrier = new Barrier(parties);
        let out = 0;
        const tasks = Array.from({ length: parties }, (_, t) =>
          track((async () => {
            for (let round = 0; round < rounds; round++) {
              // 0 steps: back at once, while the round drains; else after the others moved on.
              const delay = delays[(t * rounds + round) % delays.length] ?? 0;
              if (delay > 0) await steps(s, delay, `${t}.${round}`);
              await barrier.wait();
              if (++out % parties === 0) barrier.reset(); // the last task out of the round
              tally.items++;
            }
          })()));
        await drive(s, tally, tasks, () => {});
        assert.equal(out, parties * rounds, "a task was left waiting");
        assert.equal(barrier.broken, false);
        assert.equal(barrier.waiting, 0);
      },
    ),
    runs(100),
  );
});
