// Item 38: use a lock to prevent data races.
//
// The seed's sample counts sensor readings from five threads; `counter.count += offset` is a
// read, an add and a write, and a thread switch in between loses updates:
// "Counter should be 500000, found 249414". A Lock makes the update whole.
//
// JavaScript has the same race in two places, and this sample shows both:
// 1. async tasks on one thread, when an `await` separates the read from the write;
// 2. workers sharing a SharedArrayBuffer, which really run in parallel.
//
// (For a lone counter like this one, `Atomics.add` alone would do: it is one indivisible step.
// A lock is for compound updates; the counter just makes the race easy to see.)
import { Barrier, Mutex, SharedBarrier, SharedMutex } from "../sync/mod.ts";

const HOW_MANY = 10 ** 5;
const SENSORS = 5;

// --- 1. Async tasks --------------------------------------------------------------------------

/** Waits for a sensor reading (I/O): any `await` lets the other tasks run. */
function readSensor(): Promise<void> {
  return Promise.resolve();
}

class Counter {
  count = 0;
  async increment(offset: number): Promise<void> {
    const value = this.count; // read
    await readSensor(); // another task runs here...
    this.count = value + offset; // ...and this write overwrites its update
  }
}

class LockingCounter {
  #mutex = new Mutex();
  count = 0;
  async increment(offset: number): Promise<void> {
    using _ = await this.#mutex.lock();
    const value = this.count;
    await readSensor();
    this.count = value + offset;
  }
}

async function worker(
  _sensorIndex: number,
  howMany: number,
  counter: Counter | LockingCounter,
  barrier: Barrier,
): Promise<void> {
  await barrier.wait(); // start together, like the seed's BARRIER
  for (let i = 0; i < howMany; i++) {
    await readSensor();
    await counter.increment(1);
  }
}

async function runTasks(counter: Counter | LockingCounter): Promise<number> {
  const barrier = new Barrier(SENSORS);
  const tasks = [];
  for (let i = 0; i < SENSORS; i++) tasks.push(worker(i, HOW_MANY, counter, barrier));
  await Promise.all(tasks);
  return counter.count;
}

// --- 2. Workers sharing memory ---------------------------------------------------------------

type Mode = "racy" | "locked" | "atomic";

async function runWorkers(mode: Mode): Promise<number> {
  const barrier = new SharedBarrier(SENSORS); // the seed's Barrier(5)
  const mutex = new SharedMutex();
  const cells = new Int32Array(new SharedArrayBuffer(4));
  const workers = Array.from(
    { length: SENSORS },
    () => new Worker(new URL("./_38_worker.ts", import.meta.url), { type: "module" }),
  );
  try {
    await Promise.all(workers.map((w, sensorIndex) =>
      new Promise<void>((resolve, reject) => {
        w.onmessage = () => resolve();
        w.onerror = (event) => {
          event.preventDefault();
          reject(new Error(event.message));
        };
        w.postMessage({
          sensorIndex,
          howMany: HOW_MANY,
          mode,
          barrier: barrier.buffer,
          mutex: mutex.buffer,
          cells: cells.buffer,
        });
      })
    ));
  } finally {
    for (const w of workers) w.terminate();
  }
  return Atomics.load(cells, 0);
}

function report(label: string, found: number): void {
  console.log(`${label.padEnd(32)} Counter should be ${SENSORS * HOW_MANY}, found ${found}`);
}

report("async tasks, Counter:", await runTasks(new Counter()));
report("async tasks, LockingCounter:", await runTasks(new LockingCounter()));
report("workers, Counter:", await runWorkers("racy"));
report("workers, LockingCounter:", await runWorkers("locked"));
report("workers, Atomics.add:", await runWorkers("atomic"));
