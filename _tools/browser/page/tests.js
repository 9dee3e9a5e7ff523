// The browser tests: each imports the bundle it tests from /dist/ (so a missing or broken bundle
// fails only its own tests) and asserts what its name says. harness.js runs them one at a time,
// each with its own timeout.

/** @type {{ name: string, fn: () => Promise<void>, timeout: number }[]} */
export const tests = [];

function test(name, fn, { timeout = 10_000 } = {}) {
  tests.push({ name, fn, timeout });
}

function assert(condition, message) {
  if (!condition) throw new Error(`assertion failed: ${message}`);
}

function assertEqual(actual, expected, message = "values differ") {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message}: expected ${e}, got ${a}`);
}

/** Resolves with the rejection reason of `promise`; fails if it fulfils. */
async function rejection(promise, what) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error(`${what} should have rejected`);
}

/** Lets every pending microtask and one macrotask run. Used only to check nothing happened. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

/** Whether `promise` is still pending after everything runnable has run. */
async function pending(promise) {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  await settle();
  return !done;
}

/** Starts a module worker and resolves with it once it has posted "ready". */
function startWorker(url) {
  const worker = new Worker(url, { type: "module" });
  return new Promise((resolve, reject) => {
    worker.addEventListener("message", function onReady(e) {
      if (e.data === "ready") {
        worker.removeEventListener("message", onReady);
        resolve(worker);
      }
    });
    worker.addEventListener("error", (e) => {
      worker.terminate();
      reject(new Error(`worker ${url} failed: ${e.message}`));
    });
  });
}

/** The next message of `worker`, or its error. */
function nextMessage(worker) {
  return new Promise((resolve, reject) => {
    worker.addEventListener("message", (e) => resolve(e.data), { once: true });
    worker.addEventListener("error", (e) => reject(new Error(e.message)), { once: true });
  });
}

// --- sync: Mutex, Semaphore --------------------------------------------------------------------

test("Mutex.lock() serves waiters in FIFO order", async () => {
  const { Mutex } = await import("/dist/sync.js");
  const mutex = new Mutex();
  const first = await mutex.lock();
  const order = [];
  const waiters = [1, 2, 3, 4].map((i) =>
    mutex.lock().then((guard) => {
      order.push(i);
      guard.release();
    })
  );
  assert(mutex.locked, "the mutex is locked while held");
  first.release();
  await Promise.all(waiters);
  assertEqual(order, [1, 2, 3, 4], "acquisition order");
  assert(!mutex.locked, "the mutex is free again");
});

test("Mutex.lock() aborted rejects with the reason and never acquires", async () => {
  const { Mutex } = await import("/dist/sync.js");
  const mutex = new Mutex();
  const held = await mutex.lock();
  const controller = new AbortController();
  let abortedGotLock = false;
  const aborted = mutex.lock({ signal: controller.signal }).then((g) => {
    abortedGotLock = true;
    g.release();
  });
  const next = mutex.lock();
  const reason = new Error("stop waiting");
  controller.abort(reason);
  assert((await rejection(aborted, "aborted lock()")) === reason, "rejects with signal.reason");
  held.release();
  const guard = await next;
  assert(!abortedGotLock, "the aborted waiter never got the lock");
  assert(mutex.locked, "the next waiter holds the lock");
  guard.release();
  const already = await rejection(
    mutex.lock({ signal: AbortSignal.abort(reason) }),
    "lock() with an aborted signal",
  );
  assert(already === reason, "an already-aborted signal rejects with its reason");
  assert(!mutex.locked, "an already-aborted signal does not take the lock");
});

test("Mutex.lock() with a timeout rejects with a TimeoutError", async () => {
  const { Mutex } = await import("/dist/sync.js");
  const mutex = new Mutex();
  using _held = await mutex.lock();
  const e = await rejection(mutex.lock({ timeout: 5 }), "lock({ timeout: 5 })");
  assert(e instanceof DOMException && e.name === "TimeoutError", `TimeoutError, got ${e}`);
});

test("Semaphore.acquire() serves waiters in FIFO order and skips aborted ones", async () => {
  const { Semaphore } = await import("/dist/sync.js");
  const sem = new Semaphore(2);
  const a = await sem.acquire();
  const b = await sem.acquire();
  assertEqual(sem.available, 0, "available after two acquires");
  assert(sem.tryAcquire() === undefined, "tryAcquire() fails when no permit is left");
  const order = [];
  const controller = new AbortController();
  const w1 = sem.acquire().then((g) => (order.push(1), g));
  const w2 = sem.acquire({ signal: controller.signal }).then((g) => (order.push(2), g));
  const w3 = sem.acquire().then((g) => (order.push(3), g));
  controller.abort(new Error("gone"));
  await rejection(w2, "aborted acquire()");
  a.release();
  const g1 = await w1;
  assert(await pending(w3), "the third waiter waits until another permit is released");
  b.release();
  const g3 = await w3;
  assertEqual(order, [1, 3], "acquisition order, the aborted waiter skipped");
  g1.release();
  g3.release();
  assertEqual(sem.available, 2, "every permit is back");
});

// --- queue: Queue, pipeline --------------------------------------------------------------------

test("Queue.put() waits while the queue is full (back-pressure)", async () => {
  const { Queue } = await import("/dist/queue.js");
  const q = new Queue({ maxsize: 2 });
  await q.put(1);
  await q.put(2);
  assert(q.full, "full at maxsize");
  const third = q.put(3);
  assert(await pending(third), "put() waits while the queue is full");
  assertEqual(q.size, 2, "size never exceeds maxsize");
  assertEqual(await q.get(), 1, "first item");
  await third;
  assertEqual(q.size, 2, "the waiting put went in once there was room");
  assertEqual([await q.get(), await q.get()], [2, 3], "FIFO order");
  assert(q.empty, "empty at the end");
});

test("Queue.close() refuses puts, drains gets and ends iteration", async () => {
  const { Queue, QueueClosed } = await import("/dist/queue.js");
  const q = new Queue();
  await q.put("a");
  await q.put("b");
  q.close();
  const refused = await rejection(q.put("c"), "put() after close()");
  assert(refused instanceof QueueClosed, `QueueClosed, got ${refused}`);
  assertEqual(refused.item, "c", "QueueClosed carries the refused item");
  assertEqual(await q.get(), "a", "get() drains what is left");
  const rest = [];
  for await (const item of q) rest.push(item);
  assertEqual(rest, ["b"], "iteration yields the rest and ends");
  const empty = await rejection(q.get(), "get() on a closed, drained queue");
  assert(empty instanceof QueueClosed, `QueueClosed, got ${empty}`);
});

test("Queue.get() waiting on an empty queue rejects with QueueClosed on close()", async () => {
  const { Queue, QueueClosed } = await import("/dist/queue.js");
  const q = new Queue({ maxsize: 1 });
  const waiting = q.get();
  assert(await pending(waiting), "get() waits while empty");
  q.close();
  const e = await rejection(waiting, "a waiting get() after close()");
  assert(e instanceof QueueClosed, `QueueClosed, got ${e}`);
});

test("pipeline() yields results in input order", async () => {
  const { pipeline } = await import("/dist/queue.js");
  const input = Array.from({ length: 30 }, (_, i) => i);
  // Later items finish first within each batch, so completion order differs from input order.
  const slow = (x) => new Promise((resolve) => setTimeout(() => resolve(x * 10), (30 - x) % 7));
  const out = [];
  for await (
    const r of pipeline(
      input,
      { fn: slow, concurrency: 4, maxsize: 2 },
      { fn: (x) => x + 1 },
    )
  ) {
    out.push(r);
  }
  assertEqual(out, input.map((x) => x * 10 + 1), "results in input order");
});

// --- coroutine: coroutine(), run() -------------------------------------------------------------

test("coroutine() send() drives the seed's my_coroutine and minimize", async () => {
  const { coroutine } = await import("/dist/coroutine.js");
  const received = [];
  const myCoroutine = coroutine(function* () {
    while (true) {
      const value = yield;
      received.push(`Received: ${value}`);
    }
  });
  const it = myCoroutine();
  it.send("First");
  it.send("Second");
  assertEqual(received, ["Received: First", "Received: Second"], "my_coroutine");
  it.close();

  const minimize = coroutine(function* () {
    let current = yield;
    while (true) {
      const value = yield current;
      current = Math.min(value, current);
    }
  });
  const m = minimize();
  assertEqual([m.send(10), m.send(4), m.send(22), m.send(-1)], [10, 4, 4, -1], "minimize");
  m.close();
  assert(m.done, "closed coroutine is done");
});

test("run() runs spawned tasks concurrently and cancels children on abort", async () => {
  const { run, spawn, sleep } = await import("/dist/coroutine.js");
  const log = [];
  const result = await run(function* () {
    const a = yield* spawn(function* () {
      yield* sleep(20);
      log.push("a");
      return 1;
    });
    const b = yield* spawn(function* () {
      yield* sleep(1);
      log.push("b");
      return 2;
    });
    return (yield* a) + (yield* b);
  });
  assertEqual(result, 3, "the parent's result");
  assertEqual(log, ["b", "a"], "children ran concurrently");

  const cleanup = [];
  const controller = new AbortController();
  const running = run(function* () {
    yield* spawn(function* () {
      try {
        yield* sleep(60_000);
      } finally {
        cleanup.push("child");
      }
    });
    try {
      yield* sleep(60_000);
    } finally {
      cleanup.push("parent");
    }
  }, { signal: controller.signal });
  await settle();
  controller.abort(new Error("cancel"));
  await rejection(running, "an aborted run()");
  assertEqual(cleanup, ["child", "parent"], "finally blocks ran, child before parent");
});

// --- pool: WorkerPool --------------------------------------------------------------------------

const GCD_PAIRS = [[1963309, 2265973], [2030677, 3814172], [1551645, 2229620], [
  2039045,
  2020802,
]];

test("WorkerPool computes the seed's gcd in module workers", async () => {
  const { WorkerPool } = await import("/dist/pool.js");
  const pool = new WorkerPool(new URL("/gcd_task.js", location.href), { size: 2 });
  try {
    const results = await Promise.all(GCD_PAIRS.map((pair) => pool.run("gcd", [pair])));
    assertEqual(results, [1, 1, 5, 1], "gcd of the seed's pairs");
    const mapped = [];
    for await (const r of pool.map("gcd", GCD_PAIRS)) mapped.push(r);
    assertEqual(mapped, [1, 1, 5, 1], "map() in input order");
    const e = await rejection(pool.run("nope", []), "run() of an unknown export");
    assert(/gcd/.test(String(e.message)), `the error lists the exports: ${e.message}`);
  } finally {
    await pool.close();
  }
}, { timeout: 20_000 });

test("WorkerPool stops a running CPU-bound task on timeout and keeps working", async () => {
  const { WorkerPool } = await import("/dist/pool.js");
  const pool = new WorkerPool(new URL("/gcd_task.js", location.href), { size: 1 });
  try {
    const e = await rejection(pool.run("spin", [], { timeout: 100 }), "run('spin', timeout 100)");
    assert(e instanceof DOMException && e.name === "TimeoutError", `TimeoutError, got ${e}`);
    assertEqual(await pool.run("gcd", [GCD_PAIRS[2]]), 5, "the replaced worker runs the next task");
  } finally {
    await pool.close();
  }
}, { timeout: 20_000 });

// --- sync: SharedMutex across workers ----------------------------------------------------------

test("the page is cross-origin isolated (SharedArrayBuffer available)", () => {
  assert(globalThis.crossOriginIsolated === true, "crossOriginIsolated is true");
  assert(typeof SharedArrayBuffer === "function", "SharedArrayBuffer exists");
});

test("SharedMutex keeps a counter exact across two workers", async () => {
  assert(globalThis.crossOriginIsolated === true, "crossOriginIsolated is true");
  const { SharedMutex } = await import("/dist/sync.js");
  const mutex = new SharedMutex();
  const counter = new Int32Array(new SharedArrayBuffer(12));
  const n = 50_000;
  const url = new URL("/shared_counter_worker.js", location.href);
  const workers = [];
  try {
    workers.push(await startWorker(url), await startWorker(url));
    const done = workers.map(nextMessage);
    for (const w of workers) w.postMessage({ mutex: mutex.buffer, counter: counter.buffer, n });
    const replies = await Promise.all(done);
    assertEqual(replies, ["done", "done"], "both workers finished");
    assertEqual(counter[0], 2 * n, "the counter is exact");
    assertEqual(counter[2], 0, "never two workers inside the lock at once");
  } finally {
    for (const w of workers) w.terminate();
  }
}, { timeout: 20_000 });

test("SharedMutex.lock() waits without blocking the page; lockSync() refuses there", async () => {
  const { SharedMutex } = await import("/dist/sync.js");
  const mutex = new SharedMutex();
  const other = SharedMutex.from(mutex.buffer);
  const held = other.tryLock();
  assert(held !== undefined, "tryLock() on a free mutex succeeds");
  assert(mutex.tryLock() === undefined, "the same lock seen through another view is taken");
  let blockedError;
  try {
    mutex.lockSync({ timeout: 1 })?.release();
  } catch (e) {
    blockedError = e;
  }
  assert(blockedError instanceof Error, "lockSync() on the page's main thread throws");
  assert(/lock\(\)/.test(blockedError.message), `it points to lock(): ${blockedError.message}`);
  const waiting = mutex.lock();
  assert(await pending(waiting), "lock() waits while the lock is held");
  held.release();
  const guard = await waiting;
  guard.release();
  assert(mutex.tryLock() !== undefined, "the lock is free after release");
});

// --- web: all four topics in one bundle --------------------------------------------------------

test("dist/web.js exports every web topic's names", async () => {
  const web = await import("/dist/web.js");
  for (const name of ["Mutex", "Semaphore", "SharedMutex", "Queue", "pipeline", "coroutine"]) {
    assert(name in web, `web.js exports ${name}`);
  }
  for (const name of ["run", "spawn", "sleep", "WorkerPool", "AsyncPool"]) {
    assert(name in web, `web.js exports ${name}`);
  }
  const { Mutex } = await import("/dist/sync.js");
  assert(Mutex !== web.Mutex, "web.js is a standalone bundle (its own copy of each class)");
});
