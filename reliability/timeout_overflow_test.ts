// Fault: a timeout longer than setTimeout can hold (2^31 - 1 ms, about 24.8 days). The runtime
// fires such a timer after 1 ms (with a TimeoutOverflowWarning), so a wait given
// `timeout: 30 days` must either refuse it with a RangeError (as pool/ does) or wait; it must
// never time out at once. The assertions are timing-independent: timers fire in deadline order,
// so a 1 ms timer always fires before the 30 ms one we race it against.
//
// KNOWN BUG (found by this suite, reported to the lead): sync/, queue/ and subprocess/ accept
// such timeouts and time out after 1 ms, so the tests for them fail until their validators
// refuse timeouts above 2^31 - 1 ms (see the reliability report for the patch).
import assert from "node:assert/strict";
import { Mutex } from "../sync/mod.ts";
import { Queue } from "../queue/mod.ts";
import { AsyncPool } from "../pool/mod.ts";
import { spawn } from "../subprocess/mod.ts";

const THIRTY_DAYS = 30 * 24 * 3600 * 1000;

/** Settles as `wait` does, or with "still waiting" if it has not settled within 30 ms. */
async function within30ms(wait: Promise<unknown>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const still = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve("still waiting"), 30);
  });
  try {
    return await Promise.race([
      wait.then(() => "settled", (e) => (e instanceof RangeError ? "refused" : `${e}`)),
      still,
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const ok = (outcome: string) =>
  assert.ok(
    outcome === "still waiting" || outcome === "refused",
    `a 30-day timeout gave up at once: ${outcome}`,
  );

Deno.test("Mutex.lock() with a 30-day timeout does not time out at once", async () => {
  const mutex = new Mutex();
  const guard = await mutex.lock();
  const waiting = mutex.lock({ timeout: THIRTY_DAYS });
  const outcome = await within30ms(waiting);
  guard.release();
  await waiting.then((g) => g.release(), () => {});
  ok(outcome);
});

Deno.test("Queue.get() with a 30-day timeout does not time out at once", async () => {
  const queue = new Queue<number>();
  const waiting = queue.get({ timeout: THIRTY_DAYS });
  const outcome = await within30ms(waiting);
  queue.close();
  await waiting.catch(() => {});
  ok(outcome);
});

Deno.test("AsyncPool.join() with a 30-day timeout does not time out at once", async () => {
  const pool = new AsyncPool({ concurrency: 1 });
  const { promise, resolve } = Promise.withResolvers<void>();
  const task = pool.run(() => promise);
  let waiting: Promise<void>;
  try {
    waiting = pool.join({ timeout: THIRTY_DAYS });
  } catch (error) {
    waiting = Promise.reject(error);
  }
  const outcome = await within30ms(waiting);
  resolve();
  await task;
  await waiting.catch(() => {});
  ok(outcome);
});

Deno.test("Subprocess.wait() with a 30-day timeout does not time out at once", async () => {
  await using child = spawn(["sleep", "10"]);
  let waiting: Promise<unknown>;
  try {
    waiting = child.wait({ timeout: THIRTY_DAYS });
  } catch (error) {
    waiting = Promise.reject(error);
  }
  const outcome = await within30ms(waiting);
  child.kill();
  await waiting.catch(() => {});
  ok(outcome);
});
