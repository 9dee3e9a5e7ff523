// Every waiting method of sync/ reads its options the same way: each once, a throwing getter or a
// malformed option rejects (never a synchronous throw), blocking methods throw.
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
  type WaitOptions,
} from "./mod.ts";

/** Waits that are free to succeed at once, named as their errors name them. */
const waits: [string, (options: WaitOptions) => Promise<unknown>][] = [
  ["Mutex.lock()", (options) => new Mutex().lock(options)],
  ["Semaphore.acquire()", (options) => new Semaphore(1).acquire(options)],
  ["RWLock.read()", (options) => new RWLock().read(options)],
  ["RWLock.write()", (options) => new RWLock().write(options)],
  ["Event.wait()", (options) => {
    const event = new Event();
    event.set();
    return event.wait(options);
  }],
  ["Barrier.wait()", (options) => new Barrier(1).wait(options)],
  ["SharedMutex.lock()", (options) => new SharedMutex().lock(options)],
  ["SharedSemaphore.acquire()", (options) => new SharedSemaphore(1).acquire(options)],
  ["SharedBarrier.wait()", (options) => new SharedBarrier(1).wait(options)],
  ["Condition.wait()", async (options) => {
    const condition = new Condition();
    using _ = await condition.lock();
    return await condition.wait(options);
  }],
  ["Condition.waitFor()", async (options) => {
    const condition = new Condition();
    using _ = await condition.lock();
    return await condition.waitFor(() => true, options);
  }],
];

for (const [call, wait] of waits) {
  Deno.test(`${call} rejects, never throws, when an option's getter throws`, async () => {
    const options = {
      get timeout(): number {
        throw new Error("getter failed");
      },
    };
    let promise: Promise<unknown> | undefined;
    assert.doesNotThrow(() => {
      promise = wait(options);
    });
    await assert.rejects(promise!, /getter failed/);
  });

  Deno.test(`${call} reads each option once`, async () => {
    const reads = { signal: 0, timeout: 0 };
    const options = {
      get signal(): AbortSignal | undefined {
        reads.signal++;
        return undefined;
      },
      get timeout(): number {
        // A getter that passes the check once, then would be out of range.
        return reads.timeout++ === 0 ? 1 : -1;
      },
    };
    // Condition.wait() has nobody to notify it: it times out, after 1 ms.
    const result = await wait(options).catch((error) => {
      if (error?.name !== "TimeoutError") throw error;
    });
    if (result !== null && typeof result === "object" && "release" in result) {
      (result as { release(): void }).release();
    }
    assert.deepEqual(reads, { signal: 1, timeout: 1 });
  });

  Deno.test(`${call} refuses null options and a null timeout with TypeError`, async () => {
    // deno-lint-ignore no-explicit-any
    await assert.rejects(wait(null as any), {
      name: "TypeError",
      message: `${call}: 'options' must be an object, got null`,
    });
    // deno-lint-ignore no-explicit-any
    await assert.rejects(wait({ timeout: null as any }), {
      name: "TypeError",
      message: `${call}: 'timeout' must be a number of milliseconds, got null`,
    });
  });
}

const blocking: [string, (options: { timeout?: number }) => unknown][] = [
  ["SharedMutex.lockSync()", (options) => new SharedMutex().lockSync(options)],
  ["SharedSemaphore.acquireSync()", (options) => new SharedSemaphore(1).acquireSync(options)],
  ["SharedBarrier.waitSync()", (options) => new SharedBarrier(1).waitSync(options)],
];

for (const [call, wait] of blocking) {
  Deno.test(`${call} reads its timeout once and throws on a bad one`, () => {
    let reads = 0;
    const result = wait({
      get timeout(): number {
        return reads++ === 0 ? 1000 : -1;
      },
    });
    if (result !== null && typeof result === "object" && "release" in result) {
      (result as { release(): void }).release();
    }
    assert.equal(reads, 1);
    assert.throws(() => wait({ timeout: -1 }), {
      name: "RangeError",
      message:
        `${call}: 'timeout' must be a number of milliseconds from 0 to 2147483647, or Infinity, got -1`,
    });
  });
}
