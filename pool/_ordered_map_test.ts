// The ordered map behind both pools' map(), through AsyncPool.map() (WorkerPool.map() hands the
// same function a submit that sends the item to a worker).
import assert from "node:assert/strict";
import { AsyncPool } from "./mod.ts";

/** An async input that yields `values`, then stalls until `release()`; `closed` says if it ended. */
function stallingInput(values: number[]) {
  const stall = Promise.withResolvers<void>();
  const ended = Promise.withResolvers<void>();
  const state = { closed: false };
  async function* input() {
    try {
      yield* values;
      await stall.promise;
    } finally {
      state.closed = true;
      ended.resolve();
    }
  }
  return { input: input(), release: () => stall.resolve(), ended: ended.promise, state };
}

Deno.test("AsyncPool.map() yields a finished result while its input is stalled", async () => {
  await using pool = new AsyncPool({ concurrency: 4 });
  const { input, release, ended } = stallingInput([1, 2]);
  const results = pool.map((n: number) => n * 10, input);
  assert.deepEqual(await results.next(), { value: 10, done: false });
  assert.deepEqual(await results.next(), { value: 20, done: false });
  release();
  assert.deepEqual(await results.next(), { value: undefined, done: true });
  await ended;
});

Deno.test("AsyncPool.map() aborted while its input is stalled rejects at once and closes the input", async () => {
  await using pool = new AsyncPool({ concurrency: 4 });
  const { input, release, ended, state } = stallingInput([1]);
  const controller = new AbortController();
  const results = pool.map((n: number) => n, input, { signal: controller.signal });
  assert.deepEqual(await results.next(), { value: 1, done: false });
  const pending = results.next();
  const reason = new Error("stop");
  controller.abort(reason);
  await assert.rejects(pending, (e) => e === reason);
  assert.deepEqual(await results.next(), { value: undefined, done: true });
  // return() was called on the input; an async generator runs it once the stalled read ends.
  release();
  await ended;
  assert.equal(state.closed, true);
});

Deno.test("AsyncPool.map() with an already-aborted signal rejects at once and starts nothing", async () => {
  // @std/async pooledMap: "rejects immediately with already-aborted signal"
  await using pool = new AsyncPool({ concurrency: 2 });
  let started = 0;
  const results = pool.map(() => started++, [1, 2, 3], {
    signal: AbortSignal.abort(new Error("already")),
  });
  await assert.rejects(Array.fromAsync(results), { message: "already" });
  assert.equal(started, 0);
});

Deno.test("AsyncPool.map() aborted while tasks run stops submitting", async () => {
  // @std/async pooledMap: "stops processing when signal is aborted"
  await using pool = new AsyncPool({ concurrency: 1 });
  const controller = new AbortController();
  const started: number[] = [];
  const results = pool.map(
    (n: number) => {
      started.push(n);
      if (n === 2) controller.abort(new Error("stop at 2"));
      return n;
    },
    [1, 2, 3, 4, 5],
    { signal: controller.signal, inFlight: 1 },
  );
  const out: number[] = [];
  await assert.rejects(async () => {
    for await (const n of results) out.push(n);
  }, { message: "stop at 2" });
  assert.deepEqual(out, [1]);
  assert.deepEqual(started, [1, 2]);
});

Deno.test("AsyncPool.map() yields the results submitted before its input threw, then the error", async () => {
  await using pool = new AsyncPool({ concurrency: 1 });
  const error = new Error("input failed");
  const gate = Promise.withResolvers<void>();
  let read = 0;
  async function* input() {
    yield 1;
    yield 2;
    read = 2;
    throw error;
  }
  const results = pool.map(
    async (n: number) => {
      await gate.promise;
      return n * 10;
    },
    input(),
    { inFlight: 4 },
  );
  const first = results.next();
  // Let the input run to its throw before the tasks finish.
  while (read < 2) await Promise.resolve();
  gate.resolve();
  assert.deepEqual(await first, { value: 10, done: false });
  assert.deepEqual(await results.next(), { value: 20, done: false });
  await assert.rejects(results.next(), (e) => e === error);
  assert.deepEqual(await results.next(), { value: undefined, done: true });
});

Deno.test("AsyncPool.map() an error of the input's return() does not replace the task's error", async () => {
  await using pool = new AsyncPool({ concurrency: 2 });
  let returned = 0;
  const input: Iterable<number> = {
    [Symbol.iterator]: () => {
      let n = 0;
      return {
        next: () => ({ value: n++, done: false }),
        return: () => {
          returned++;
          throw new Error("return() failed");
        },
      };
    },
  };
  const taskError = new Error("task failed");
  await assert.rejects(async () => {
    for await (
      const _ of pool.map((n: number) => {
        if (n === 2) throw taskError;
        return n;
      }, input)
    );
  }, (e) => e === taskError);
  assert.equal(returned, 1);
  // With no other error on its way (a break), the error of return() is the one thrown.
  await assert.rejects(async () => {
    for await (const _ of pool.map((n: number) => n, input)) break;
  }, { message: "return() failed" });
  assert.equal(returned, 2);
});

Deno.test("AsyncPool.map() calls the input's return() on every early exit", async () => {
  await using pool = new AsyncPool({ concurrency: 2 });
  let returned = 0;
  const input = () => ({
    [Symbol.iterator]: () => {
      let n = 0;
      return {
        next: () => ({ value: n++, done: false }),
        return: () => {
          returned++;
          return { value: undefined, done: true as const };
        },
      };
    },
  });
  // break
  for await (const n of pool.map((n: number) => n, input())) if (n === 1) break;
  assert.equal(returned, 1);
  // a task's error
  await assert.rejects(Array.fromAsync(pool.map((n: number) => {
    if (n === 3) throw new Error("task");
    return n;
  }, input())));
  assert.equal(returned, 2);
  // return() of the map's iterator
  const results = pool.map((n: number) => n, input());
  await results.next();
  await results.return();
  assert.equal(returned, 3);
  // an abort
  const controller = new AbortController();
  const aborted = pool.map((n: number) => n, input(), { signal: controller.signal });
  await aborted.next();
  controller.abort();
  await assert.rejects(aborted.next(), { name: "AbortError" });
  assert.equal(returned, 4);
  // not after the input ended by itself, nor after it threw
  await Array.fromAsync(pool.map((n: number) => n, [1, 2]));
  await assert.rejects(
    Array.fromAsync(pool.map((n: number) => n, {
      [Symbol.iterator]: () => ({
        next: (): IteratorResult<number> => {
          throw new Error("next");
        },
        return: () => {
          returned++;
          return { value: undefined, done: true as const };
        },
      }),
    })),
    { message: "next" },
  );
  assert.equal(returned, 4);
  await pool.join();
});

Deno.test("AsyncPool.map() yields each result as soon as it is next in order", async () => {
  // Python's test_map: results in input order, whatever order tasks finish in.
  await using pool = new AsyncPool({ concurrency: 3 });
  const gates = [0, 1, 2].map(() => Promise.withResolvers<void>());
  const results = pool.map(async (i: number) => {
    await gates[i]?.promise;
    return i;
  }, [0, 1, 2]);
  const first = results.next();
  gates[2]?.resolve();
  gates[1]?.resolve();
  gates[0]?.resolve();
  assert.deepEqual(await first, { value: 0, done: false });
  assert.deepEqual(await Array.fromAsync(results), [1, 2]);
});
