import assert from "node:assert/strict";
import {
  Barrier,
  Condition,
  Event,
  Mutex,
  RWLock,
  Semaphore,
  SharedBarrier,
  SharedMutex,
  SharedSemaphore,
} from "./mod.ts";

Deno.test("Deno.inspect() and console.log show a lock's state", async () => {
  const mutex = new Mutex();
  const guard = await mutex.lock();
  const waiting = mutex.lock();
  assert.equal(Deno.inspect(mutex), "Mutex { locked: true, waiting: 1 }");
  guard.release();
  (await waiting).release();
  assert.equal(Deno.inspect(mutex), "Mutex { locked: false, waiting: 0 }");
  assert.equal(Deno.inspect({ mutex }), "{ mutex: Mutex { locked: false, waiting: 0 } }");

  const semaphore = new Semaphore(2);
  using _ = semaphore.tryAcquire()!;
  assert.equal(Deno.inspect(semaphore), "Semaphore { permits: 2, available: 1, waiting: 0 }");
  assert.equal(
    Deno.inspect(new RWLock()),
    "RWLock { readers: 0, writeLocked: false, waiting: 0 }",
  );
  assert.equal(Deno.inspect(new Event()), "Event { isSet: false, waiting: 0 }");
  assert.equal(Deno.inspect(new Condition()), "Condition { locked: false, waiting: 0 }");
  assert.equal(
    Deno.inspect(new Barrier(3)),
    "Barrier { parties: 3, nWaiting: 0, waiting: 0, broken: false }",
  );
  assert.equal(Deno.inspect(new SharedMutex()), "SharedMutex { locked: false }");
  assert.equal(
    Deno.inspect(new SharedSemaphore(4)),
    "SharedSemaphore { permits: 4, available: 4 }",
  );
  assert.equal(
    Deno.inspect(new SharedBarrier(2)),
    "SharedBarrier { parties: 2, waiting: 0, broken: false }",
  );
});

Deno.test("Node's util.inspect hook gives the same text, without importing node:util", () => {
  const barrier = new Barrier(2);
  const hook = (barrier as unknown as Record<symbol, () => string>)[
    Symbol.for("nodejs.util.inspect.custom")
  ];
  assert.equal(typeof hook, "function");
  assert.equal(
    hook!.call(barrier),
    "Barrier { parties: 2, nWaiting: 0, waiting: 0, broken: false }",
  );
  // Not enumerable: it does not show up as a key.
  assert.deepEqual(Object.keys(barrier), []);
});
