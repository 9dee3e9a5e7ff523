import assert from "node:assert/strict";
import fc from "fast-check";
import { Mutex } from "./mod.ts";
import { flush } from "./_test_utils.ts";

Deno.test("Mutex.lock() resolves at once when free and locks", async () => {
  const mutex = new Mutex();
  assert.equal(mutex.locked, false);
  const guard = await mutex.lock();
  assert.equal(mutex.locked, true);
  guard.release();
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex guard releases at the end of a using block", async () => {
  const mutex = new Mutex();
  {
    using _ = await mutex.lock();
    assert.equal(mutex.locked, true);
  }
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex.lock() resolves waiters in FIFO order", async () => {
  const mutex = new Mutex();
  const first = await mutex.lock();
  const order: number[] = [];
  const tasks = [0, 1, 2, 3, 4].map(async (n) => {
    using _ = await mutex.lock();
    order.push(n);
    await flush();
  });
  assert.equal(mutex.waiting, 5);
  first.release();
  await Promise.all(tasks);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex.tryLock() does not barge ahead of waiters", async () => {
  const mutex = new Mutex();
  const first = mutex.tryLock()!;
  assert.ok(first);
  assert.equal(mutex.tryLock(), undefined);
  const next = mutex.lock();
  first.release();
  // The lock went straight to the waiter: it is still held.
  assert.equal(mutex.locked, true);
  assert.equal(mutex.tryLock(), undefined);
  (await next).release();
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex.lock() aborted never acquires; the lock passes to the next waiter", async () => {
  const mutex = new Mutex();
  const holder = await mutex.lock();
  const controller = new AbortController();
  let abortedAcquired = false;
  const aborted = mutex.lock({ signal: controller.signal }).then((g) => {
    abortedAcquired = true;
    g.release();
  });
  const next = mutex.lock();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(aborted, (e) => e === reason);
  assert.equal(mutex.waiting, 1);
  holder.release();
  const guard = await next;
  assert.equal(abortedAcquired, false);
  guard.release();
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex.lock() handed the lock before an abort resolves and holds it", async () => {
  const mutex = new Mutex();
  const holder = await mutex.lock();
  const controller = new AbortController();
  const waiting = mutex.lock({ signal: controller.signal });
  holder.release(); // hands over synchronously
  controller.abort(); // too late: the waiter owns the lock
  const guard = await waiting;
  assert.equal(mutex.locked, true);
  guard.release();
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex.lock() times out with a TimeoutError and gives up its place", async () => {
  const mutex = new Mutex();
  const holder = await mutex.lock();
  await assert.rejects(mutex.lock({ timeout: 1 }), (e: unknown) => {
    assert.ok(e instanceof DOMException);
    assert.equal(e.name, "TimeoutError");
    assert.equal(e.message, "Mutex.lock() timed out after 1 ms");
    return true;
  });
  assert.equal(mutex.waiting, 0);
  holder.release();
  assert.equal(mutex.locked, false);
});

Deno.test("Mutex.lock() with a timeout clears its timer once it acquires", async () => {
  const mutex = new Mutex();
  const holder = await mutex.lock();
  const waiting = mutex.lock({ timeout: 60_000, signal: new AbortController().signal });
  holder.release();
  (await waiting).release(); // the sanitizer fails the test if the timer leaked
});

Deno.test("Mutex.lock() with an already-aborted signal rejects without side effects", async () => {
  const mutex = new Mutex();
  const reason = new Error("already");
  await assert.rejects(mutex.lock({ signal: AbortSignal.abort(reason) }), (e) => e === reason);
  assert.equal(mutex.locked, false);
  const holder = await mutex.lock();
  await assert.rejects(mutex.lock({ signal: AbortSignal.abort(reason) }), (e) => e === reason);
  assert.equal(mutex.waiting, 0);
  holder.release();
});

Deno.test("Mutex guard released twice throws and does not unlock a later owner", async () => {
  const mutex = new Mutex();
  const first = await mutex.lock();
  first.release();
  assert.throws(() => first.release(), /Cannot release Mutex guard: it was already released/);
  const second = await mutex.lock();
  assert.throws(() => first[Symbol.dispose](), Error);
  assert.equal(mutex.locked, true);
  second.release();
});

Deno.test("Mutex guard is bound to its own mutex", async () => {
  const a = new Mutex();
  const b = new Mutex();
  const ga = await a.lock();
  const gb = await b.lock();
  ga.release();
  assert.equal(a.locked, false);
  assert.equal(b.locked, true);
  assert.throws(() => ga.release(), Error);
  assert.equal(b.locked, true);
  gb.release();
});

Deno.test("Mutex.lock() rejects bad options with TypeError or RangeError", async () => {
  const mutex = new Mutex();
  for (const timeout of [-1, NaN, -Infinity]) {
    await assert.rejects(
      mutex.lock({ timeout }),
      (e: unknown) =>
        e instanceof RangeError && e.message.includes("'timeout'") &&
        e.message.includes(String(timeout)),
    );
  }
  // deno-lint-ignore no-explicit-any
  const bad = mutex as any;
  await assert.rejects(bad.lock({ timeout: "1" }), TypeError);
  await assert.rejects(bad.lock({ signal: {} }), /'signal' must be an AbortSignal/);
  await assert.rejects(bad.lock(null), /'options' must be an object, got null/);
  await assert.rejects(bad.lock(5), TypeError);
  assert.equal(mutex.locked, false);
  // 0 and Infinity are valid timeouts.
  (await mutex.lock({ timeout: 0 })).release();
  (await mutex.lock({ timeout: Infinity })).release();
});

Deno.test("Mutex.withLock() runs under the lock and releases on return and on throw", async () => {
  const mutex = new Mutex();
  assert.equal(
    await mutex.withLock(() => {
      assert.equal(mutex.locked, true);
      return 42;
    }),
    42,
  );
  assert.equal(mutex.locked, false);
  await assert.rejects(
    mutex.withLock(async () => {
      await flush();
      throw new Error("boom");
    }),
    /boom/,
  );
  assert.equal(mutex.locked, false);
  // deno-lint-ignore no-explicit-any
  await assert.rejects((mutex as any).withLock("nope"), /'fn' must be a function, got "nope"/);
});

Deno.test("Mutex.withLock() serialises read-await-write updates", async () => {
  const mutex = new Mutex();
  let count = 0;
  await Promise.all(
    Array.from({ length: 20 }, () =>
      mutex.withLock(async () => {
        const value = count;
        await flush();
        count = value + 1;
      })),
  );
  assert.equal(count, 20);
});

Deno.test("Mutex keeps mutual exclusion and FIFO order under any interleaving (fc.scheduler)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
      async (s, abortable) => {
        const mutex = new Mutex();
        let inside = 0;
        const acquired: number[] = [];
        const calls: number[] = [];
        const rejected = new Set<number>();
        const tasks = abortable.map(async (canAbort, i) => {
          await s.schedule(Promise.resolve(), `start ${i}`);
          const controller = new AbortController();
          if (canAbort) s.scheduleFunction(() => Promise.resolve(controller.abort()))();
          calls.push(i);
          let guard;
          try {
            guard = await mutex.lock({ signal: controller.signal });
          } catch {
            rejected.add(i);
            return;
          }
          inside++;
          assert.equal(inside, 1, "two tasks inside the critical section");
          acquired.push(i);
          await s.schedule(Promise.resolve(), `hold ${i}`);
          inside--;
          guard.release();
        });
        await s.waitFor(Promise.all(tasks));
        // Every task either acquired or was aborted, never both; FIFO among those that acquired.
        assert.equal(acquired.length + rejected.size, abortable.length);
        for (const i of rejected) assert.ok(!acquired.includes(i));
        assert.deepEqual(acquired, calls.filter((i) => !rejected.has(i)));
        assert.equal(mutex.locked, false);
        assert.equal(mutex.waiting, 0);
      },
    ),
    { numRuns: 200 },
  );
});

// There is no RLock (see mod.ts): a second lock() by the same call chain queues like any other.
Deno.test("Mutex is not re-entrant: the holder's second lock() waits for the first release", async () => {
  const mutex = new Mutex();
  const outer = await mutex.lock();
  await assert.rejects(mutex.lock({ timeout: 1 }), { name: "TimeoutError" });
  const inner = mutex.lock();
  assert.equal(mutex.waiting, 1);
  outer.release();
  (await inner).release();
  assert.equal(mutex.locked, false);
});
