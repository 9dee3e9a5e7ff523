// One mistake, one message, one channel: every waiting method of every topic, called with the same
// bad `{ signal, timeout }` options, rejects (never throws) with the same error class and message,
// and reads each option once. STYLE.md states the rule; `<topic>/_options.ts` implements it.
import assert from "node:assert/strict";
import * as sync from "../sync/mod.ts";
import * as queue from "../queue/mod.ts";
import * as coroutine from "../coroutine/mod.ts";
import * as pool from "../pool/mod.ts";
import * as subprocess from "../subprocess/mod.ts";

/** A waiting method: `call` names it as messages do; `invoke` calls it with the options. */
interface Wait {
  call: string;
  invoke: (options: unknown) => Promise<unknown>;
  /** Ends what the case started (a pool, a child), after the call settled. */
  cleanup?: () => Promise<void> | void;
}

const TASKS = new URL("../pool/testdata/tasks.ts", import.meta.url);

/** Each case gets fresh objects, so a wrongly accepted option cannot leak into the next case. */
function waits(): Wait[] {
  const condition = new sync.Condition();
  const workerPool = new pool.WorkerPool(TASKS, { size: 1 });
  const asyncPool = new pool.AsyncPool({ concurrency: 1 });
  const child = subprocess.spawn(["true"]);
  const list: Wait[] = [
    { call: "Mutex.lock()", invoke: (o) => new sync.Mutex().lock(o as sync.WaitOptions) },
    { call: "Semaphore.acquire()", invoke: (o) => new sync.Semaphore(1).acquire(o as never) },
    { call: "RWLock.read()", invoke: (o) => new sync.RWLock().read(o as never) },
    { call: "RWLock.write()", invoke: (o) => new sync.RWLock().write(o as never) },
    { call: "Condition.lock()", invoke: (o) => condition.lock(o as never) },
    { call: "Condition.wait()", invoke: (o) => condition.wait(o as never) },
    { call: "Event.wait()", invoke: (o) => new sync.Event().wait(o as never) },
    { call: "Barrier.wait()", invoke: (o) => new sync.Barrier(2).wait(o as never) },
    { call: "SharedMutex.lock()", invoke: (o) => new sync.SharedMutex().lock(o as never) },
    {
      call: "SharedSemaphore.acquire()",
      invoke: (o) => new sync.SharedSemaphore(1).acquire(o as never),
    },
    { call: "SharedBarrier.wait()", invoke: (o) => new sync.SharedBarrier(2).wait(o as never) },
    { call: "Queue.get()", invoke: (o) => new queue.Queue().get(o as never) },
    { call: "Queue.put()", invoke: (o) => new queue.Queue().put(1, o as never) },
    { call: "Queue.join()", invoke: (o) => new queue.Queue().join(o as never) },
    { call: "LifoQueue.get()", invoke: (o) => new queue.LifoQueue().get(o as never) },
    { call: "PriorityQueue.get()", invoke: (o) => new queue.PriorityQueue().get(o as never) },
    {
      call: "run()",
      invoke: (o) => coroutine.run(() => coroutine.sleep(0), o as never),
    },
    { call: "AsyncPool.run()", invoke: (o) => asyncPool.run(() => 1, o as never) },
    { call: "AsyncPool.join()", invoke: (o) => asyncPool.join(o as never) },
    { call: "WorkerPool.run()", invoke: (o) => workerPool.run("add", [1, 2], o as never) },
    { call: "WorkerPool.ready()", invoke: (o) => workerPool.ready(o as never) },
    { call: "WorkerPool.join()", invoke: (o) => workerPool.join(o as never) },
    { call: "run()", invoke: (o) => subprocess.run(["true"], o as never) },
    { call: "Subprocess.wait()", invoke: (o) => child.wait(o as never) },
    { call: "Subprocess.communicate()", invoke: (o) => child.communicate(o as never) },
  ];
  const cleanup = async () => {
    await asyncPool.close();
    await workerPool.terminate();
    await child[Symbol.asyncDispose]();
  };
  return list.map((w, i) => i === list.length - 1 ? { ...w, cleanup } : w);
}

/** The bad options, and the error each must give: class and the message after `<call>: `. */
const MISTAKES: [string, unknown, ErrorConstructor, string][] = [
  ["options null", null, TypeError, "'options' must be an object, got null"],
  ["options a number", 5, TypeError, "'options' must be an object, got 5"],
  ["options a string", "fast", TypeError, `'options' must be an object, got "fast"`],
  [
    "signal a plain object",
    { signal: {} },
    TypeError,
    "'signal' must be an AbortSignal, got an object",
  ],
  ["signal null", { signal: null }, TypeError, "'signal' must be an AbortSignal, got null"],
  [
    "signal a controller",
    { signal: new AbortController() },
    TypeError,
    "'signal' must be an AbortSignal, got an instance of AbortController",
  ],
  [
    "timeout a string",
    { timeout: "10" },
    TypeError,
    `'timeout' must be a number of milliseconds, got "10"`,
  ],
  [
    "timeout null",
    { timeout: null },
    TypeError,
    "'timeout' must be a number of milliseconds, got null",
  ],
  [
    "timeout -1",
    { timeout: -1 },
    RangeError,
    "'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got -1",
  ],
  [
    "timeout NaN",
    { timeout: NaN },
    RangeError,
    "'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got NaN",
  ],
  [
    "timeout 2^31",
    { timeout: 2 ** 31 },
    RangeError,
    "'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got 2147483648",
  ],
  [
    "timeout -Infinity",
    { timeout: -Infinity },
    RangeError,
    "'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got -Infinity",
  ],
];

/** Calls `invoke`, recording a problem if it throws synchronously; returns its outcome. */
async function outcome(
  wait: Wait,
  options: unknown,
): Promise<{ threw?: unknown; rejected?: unknown; resolved?: boolean }> {
  let promise: Promise<unknown>;
  try {
    promise = wait.invoke(options);
  } catch (e) {
    return { threw: e };
  }
  try {
    await promise;
    return { resolved: true };
  } catch (e) {
    return { rejected: e };
  }
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
}

Deno.test("every waiting method rejects the same bad options with the same error", async () => {
  const problems: string[] = [];
  for (const [label, options, ErrorClass, message] of MISTAKES) {
    for (const wait of waits()) {
      const got = await outcome(wait, options);
      await wait.cleanup?.();
      const where = `${wait.call} with ${label}`;
      if ("threw" in got) problems.push(`${where}: threw synchronously: ${describe(got.threw)}`);
      else if (got.resolved) problems.push(`${where}: resolved`);
      else if (
        !(got.rejected instanceof ErrorClass) ||
        (got.rejected as Error).message !== `${wait.call}: ${message}`
      ) {
        problems.push(`${where}: ${describe(got.rejected)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("every waiting method rejects, never throws, when an option's getter throws", async () => {
  const problems: string[] = [];
  for (const key of ["signal", "timeout"]) {
    for (const wait of waits()) {
      const boom = new Error(`getter ${key}`);
      const options = Object.defineProperty({}, key, {
        enumerable: true,
        get() {
          throw boom;
        },
      });
      const got = await outcome(wait, options);
      await wait.cleanup?.();
      if (!("rejected" in got) || got.rejected !== boom) {
        problems.push(`${wait.call} with a throwing '${key}' getter: ${JSON.stringify(got)}`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("every waiting method reads each option exactly once", async () => {
  const problems: string[] = [];
  for (const wait of waits()) {
    const reads = { signal: 0, timeout: 0 };
    const reason = new Error("aborted before the call");
    const signal = AbortSignal.abort(reason);
    const options = {
      get signal() {
        reads.signal++;
        return signal;
      },
      get timeout() {
        reads.timeout++;
        return 1000;
      },
    };
    const got = await outcome(wait, options);
    await wait.cleanup?.();
    if (got.rejected !== reason) {
      problems.push(`${wait.call} with an aborted signal: ${describe(got.rejected ?? got)}`);
    }
    if (reads.signal !== 1 || reads.timeout !== 1) {
      problems.push(`${wait.call} read signal ${reads.signal}×, timeout ${reads.timeout}×`);
    }
  }
  assert.deepEqual(problems, []);
});
