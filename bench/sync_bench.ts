// Benchmarks for sync/ (item 38): Mutex and Semaphore against async-mutex, SharedMutex against bare
// Atomics. Each group's baseline is the platform's floor: the bare `await` (uncontended), the same
// tasks with no lock (contended), the bare compare-exchange (shared memory).
//
//   npx --yes deno@2.9.6 bench -A bench/sync_bench.ts
import { Mutex as PeerMutex, Semaphore as PeerSemaphore } from "async-mutex";
import { Mutex, Semaphore, SharedMutex } from "../sync/mod.ts";

const TASKS = 8;
const ROUNDS = 1_000;

// --- Mutex, uncontended: the target is 2x a bare `await Promise.resolve()` ----------------------

const mutexGroup = "item 38 · Mutex uncontended: lock + release vs async-mutex";
const mutex = new Mutex();
const peerMutex = new PeerMutex();

Deno.bench({
  name: "await Promise.resolve()",
  group: mutexGroup,
  baseline: true,
  async fn() {
    await Promise.resolve();
  },
});

Deno.bench({
  name: "Mutex: await lock() + release()",
  group: mutexGroup,
  async fn() {
    const guard = await mutex.lock();
    guard.release();
  },
});

Deno.bench({
  name: "Mutex: using _ = await lock()",
  group: mutexGroup,
  async fn() {
    using _ = await mutex.lock();
  },
});

Deno.bench({
  name: "async-mutex Mutex: await acquire() + release",
  group: mutexGroup,
  async fn() {
    const release = await peerMutex.acquire();
    release();
  },
});

// --- Mutex, contended: 8 tasks x 1,000 lock/await/release each -------------------------------
const contendedGroup = "item 38 · Mutex contended, 8 tasks × 1,000: Mutex vs async-mutex";

async function contend(lock: () => Promise<() => void>): Promise<void> {
  const tasks = [];
  for (let t = 0; t < TASKS; t++) {
    tasks.push((async () => {
      for (let i = 0; i < ROUNDS; i++) {
        const release = await lock();
        await null; // hold the lock across an await, so the others queue
        release();
      }
    })());
  }
  await Promise.all(tasks);
}

/** The same tasks and awaits with no lock at all: the floor. */
const noLock = () => Promise.resolve(() => {});

Deno.bench({
  name: "no lock: the same 8 × 1,000 awaits",
  group: contendedGroup,
  baseline: true,
  async fn() {
    await contend(noLock);
  },
});

Deno.bench({
  name: "async-mutex Mutex",
  group: contendedGroup,
  async fn() {
    await contend(() => peerMutex.acquire());
  },
});

Deno.bench({
  name: "Mutex",
  group: contendedGroup,
  async fn() {
    await contend(async () => {
      const guard = await mutex.lock();
      return () => guard.release();
    });
  },
});

// --- Semaphore ---------------------------------------------------------------------------------

const semaphoreGroup = "item 38 · Semaphore(4) uncontended: acquire + release vs async-mutex";
const semaphore = new Semaphore(4);
const peerSemaphore = new PeerSemaphore(4);

Deno.bench({
  name: "await Promise.resolve()",
  group: semaphoreGroup,
  baseline: true,
  async fn() {
    await Promise.resolve();
  },
});

Deno.bench({
  name: "async-mutex Semaphore(4): await acquire() + release",
  group: semaphoreGroup,
  async fn() {
    const [, release] = await peerSemaphore.acquire();
    release();
  },
});

Deno.bench({
  name: "Semaphore(4): await acquire() + release()",
  group: semaphoreGroup,
  async fn() {
    const guard = await semaphore.acquire();
    guard.release();
  },
});

const semaphore2 = new Semaphore(2);
const peerSemaphore2 = new PeerSemaphore(2);

const semaphore2Group = "item 38 · Semaphore(2) contended, 8 tasks × 1,000: vs async-mutex";

Deno.bench({
  name: "no lock: the same 8 × 1,000 awaits",
  group: semaphore2Group,
  baseline: true,
  async fn() {
    await contend(noLock);
  },
});

Deno.bench({
  name: "async-mutex Semaphore(2)",
  group: semaphore2Group,
  async fn() {
    await contend(async () => (await peerSemaphore2.acquire())[1]);
  },
});

Deno.bench({
  name: "Semaphore(2)",
  group: semaphore2Group,
  async fn() {
    await contend(async () => {
      const guard = await semaphore2.acquire();
      return () => guard.release();
    });
  },
});

// --- SharedMutex: the target is 2x a bare compareExchange + store pair -------------------------

const sharedGroup = "item 38 · SharedMutex uncontended (the workers' lock) vs bare Atomics";
const cells = new Int32Array(new SharedArrayBuffer(4));
const shared = new SharedMutex();

Deno.bench({
  name: "bare Atomics.compareExchange + Atomics.store",
  group: sharedGroup,
  baseline: true,
  fn() {
    if (Atomics.compareExchange(cells, 0, 0, 1) !== 0) throw new Error("unreachable");
    Atomics.store(cells, 0, 0);
  },
});

Deno.bench({
  name: "SharedMutex: lockSync() + release()",
  group: sharedGroup,
  fn() {
    shared.lockSync().release();
  },
});

Deno.bench({
  name: "SharedMutex: using _ = lockSync()",
  group: sharedGroup,
  fn() {
    using _ = shared.lockSync();
  },
});

Deno.bench({
  name: "SharedMutex: await lock() + release()",
  group: sharedGroup,
  async fn() {
    (await shared.lock()).release();
  },
});

// --- For reference: what `using` itself costs in this V8 (a plain object, no lock) ------------

const usingGroup = "item 38 · what `using` costs in V8 (a plain object, no lock)";
const plain = { [Symbol.dispose]() {} };

Deno.bench({
  name: "V8: try/finally + [Symbol.dispose]()",
  group: usingGroup,
  baseline: true,
  fn() {
    try {
      // nothing
    } finally {
      plain[Symbol.dispose]();
    }
  },
});

Deno.bench({
  name: "V8: using _ = plain disposable",
  group: usingGroup,
  fn() {
    using _ = plain;
  },
});

// --- item 38 · Mutex `using _ = await lock()` against V8's own `using` floor ------------------
// Issue #19's target (using-form within 2x of a bare await) cannot be met by the lock: V8 15's
// `using` alone, on a no-op disposable from an already-resolved promise, costs more than that.
// The middle row is that floor; the lock's own cost is the gap between it and the last row.

const noopDisposable = { [Symbol.dispose]() {} };
const resolvedDisposable = Promise.resolve(noopDisposable);
const usingMutex = new Mutex();

Deno.bench({
  name: "await Promise.resolve()",
  group: "item 38 · Mutex using _ = await lock(): against V8's using floor",
  baseline: true,
  async fn() {
    await Promise.resolve();
  },
});

Deno.bench({
  name: "V8 floor: using _ = await (resolved no-op disposable)",
  group: "item 38 · Mutex using _ = await lock(): against V8's using floor",
  async fn() {
    using _ = await resolvedDisposable;
  },
});

Deno.bench({
  name: "Mutex: using _ = await lock()",
  group: "item 38 · Mutex using _ = await lock(): against V8's using floor",
  async fn() {
    using _ = await usingMutex.lock();
  },
});

Deno.bench({
  name: "Mutex: await lock() + release()",
  group: "item 38 · Mutex using _ = await lock(): against V8's using floor",
  async fn() {
    const guard = await usingMutex.lock();
    guard.release();
  },
});
