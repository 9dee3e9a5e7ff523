import assert from "node:assert/strict";
import fc from "fast-check";
import { RWLock } from "./mod.ts";
import { flush } from "./_test_utils.ts";

Deno.test("RWLock.read() is shared and RWLock.write() is exclusive", async () => {
  const lock = new RWLock();
  const r1 = await lock.read();
  const r2 = await lock.read();
  assert.equal(lock.readers, 2);
  let wrote = false;
  const writer = lock.write().then((g) => {
    wrote = true;
    return g;
  });
  await flush();
  assert.equal(wrote, false);
  r1.release();
  await flush();
  assert.equal(wrote, false);
  r2.release();
  const w = await writer;
  assert.equal(lock.writeLocked, true);
  assert.equal(lock.tryRead(), undefined);
  assert.equal(lock.tryWrite(), undefined);
  w.release();
  assert.equal(lock.writeLocked, false);
});

Deno.test("RWLock.write() waiting holds back new readers (writers do not starve)", async () => {
  const lock = new RWLock();
  const reader = await lock.read();
  const order: string[] = [];
  const writer = lock.write().then((g) => {
    order.push("writer");
    g.release();
  });
  const late = lock.read().then((g) => {
    order.push("late reader");
    g.release();
  });
  assert.equal(lock.tryRead(), undefined);
  await flush();
  assert.deepEqual(order, []);
  reader.release();
  await Promise.all([writer, late]);
  assert.deepEqual(order, ["writer", "late reader"]);
});

Deno.test("RWLock lets the readers at the head of the queue in together", async () => {
  const lock = new RWLock();
  const w = await lock.write();
  const readers = [lock.read(), lock.read(), lock.read()];
  const writer2 = lock.write();
  w.release();
  const guards = await Promise.all(readers);
  assert.equal(lock.readers, 3);
  assert.equal(lock.waiting, 1);
  for (const g of guards) g.release();
  (await writer2).release();
  assert.equal(lock.readers, 0);
});

Deno.test("RWLock.write() aborted lets the readers queued behind it in", async () => {
  const lock = new RWLock();
  const reader = await lock.read();
  const controller = new AbortController();
  const writer = lock.write({ signal: controller.signal });
  const late = lock.read();
  controller.abort(new Error("no write"));
  await assert.rejects(writer, /no write/);
  const g = await late;
  assert.equal(lock.readers, 2);
  g.release();
  reader.release();
});

Deno.test("RWLock.read() and write() time out with a TimeoutError", async () => {
  const lock = new RWLock();
  const w = await lock.write();
  await assert.rejects(lock.read({ timeout: 1 }), {
    name: "TimeoutError",
    message: "RWLock.read() timed out after 1 ms",
  });
  await assert.rejects(lock.write({ timeout: 1 }), { name: "TimeoutError" });
  assert.equal(lock.waiting, 0);
  w.release();
});

Deno.test("RWLock with an already-aborted signal takes nothing; bad options reject", async () => {
  const lock = new RWLock();
  await assert.rejects(lock.read({ signal: AbortSignal.abort() }), { name: "AbortError" });
  await assert.rejects(lock.write({ signal: AbortSignal.abort() }), { name: "AbortError" });
  assert.equal(lock.readers, 0);
  assert.equal(lock.writeLocked, false);
  await assert.rejects(lock.read({ timeout: -1 }), RangeError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(lock.write({ timeout: "5" as any }), TypeError);
});

Deno.test("RWLock guard released twice throws", async () => {
  const lock = new RWLock();
  const r = await lock.read();
  r.release();
  assert.throws(() => r.release(), /Cannot release RWLock guard: it was already released/);
  assert.equal(lock.readers, 0);
  const w = lock.tryWrite()!;
  w.release();
  assert.throws(() => w[Symbol.dispose](), /already released/);
  assert.equal(lock.writeLocked, false);
});

Deno.test("RWLock never mixes a writer with anyone under any interleaving (fc.scheduler)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(fc.record({ write: fc.boolean(), abort: fc.boolean() }), {
        minLength: 1,
        maxLength: 8,
      }),
      async (s, calls) => {
        const lock = new RWLock();
        let readers = 0;
        let writers = 0;
        const tasks = calls.map(async ({ write, abort }, i) => {
          await s.schedule(Promise.resolve(), `start ${i}`);
          const controller = new AbortController();
          if (abort) s.scheduleFunction(() => Promise.resolve(controller.abort()))();
          let guard;
          try {
            guard = await (write ? lock.write : lock.read).call(lock, {
              signal: controller.signal,
            });
          } catch {
            return;
          }
          if (write) writers++;
          else readers++;
          assert.ok(writers === 0 || (writers === 1 && readers === 0), "writer not alone");
          await s.schedule(Promise.resolve(), `hold ${i}`);
          if (write) writers--;
          else readers--;
          guard.release();
        });
        await s.waitFor(Promise.all(tasks));
        assert.equal(lock.readers, 0);
        assert.equal(lock.writeLocked, false);
        assert.equal(lock.waiting, 0);
      },
    ),
    { numRuns: 150 },
  );
});
