// The ordered map behind both pools' map(), through AsyncPool.map() (WorkerPool.map() hands the
// same function a submit that sends the item to a worker).
import fc from "fast-check";
import assert from "node:assert/strict";
import { AsyncPool, PoolClosed } from "./mod.ts";

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

Deno.test("AsyncPool.map() under random interleavings: in order, first error in order, input closed exactly when owed", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.record({
        count: fc.integer({ min: 0, max: 7 }),
        concurrency: fc.integer({ min: 1, max: 3 }),
        inFlight: fc.integer({ min: 1, max: 4 }),
        async: fc.boolean(),
        failing: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
        inputThrowsAt: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
        consume: fc.option(fc.integer({ min: 0, max: 7 }), { nil: undefined }),
      }),
      async (s, { count, concurrency, inFlight, async, failing, inputThrowsAt, consume }) => {
        await using pool = new AsyncPool({ concurrency });
        let pulled = 0;
        let returned = 0;
        let ended = false; // the input finished or threw by itself
        const inputError = new Error("input");
        const taskError = new Error("task");
        const next = (): IteratorResult<number> => {
          if (inputThrowsAt === pulled) {
            ended = true;
            throw inputError;
          }
          if (pulled === count) {
            ended = true;
            return { value: undefined, done: true };
          }
          return { value: pulled++, done: false };
        };
        const close = () => {
          assert.ok(!ended, "return() called on an input that had ended");
          returned++;
          return { value: undefined, done: true as const };
        };
        const input: Iterable<number> | AsyncIterable<number> = async
          ? {
            [Symbol.asyncIterator]: () => ({
              next: () => s.schedule(Promise.resolve(), "read").then(next),
              return: () => Promise.resolve(close()),
            }),
          }
          : { [Symbol.iterator]: () => ({ next, return: close }) };
        const results = pool.map(
          async (n: number) => {
            await s.schedule(Promise.resolve(), `task ${n}`);
            if (n === failing) throw taskError;
            return n * 10;
          },
          input,
          { inFlight },
        );
        const out: number[] = [];
        let caught: unknown;
        const consumer = (async () => {
          try {
            for await (const value of results) {
              assert.ok(pulled - out.length <= inFlight + 1, `pulled ${pulled}, ${out.length} out`);
              if (out.length === consume) break;
              out.push(value);
            }
          } catch (error) {
            caught = error;
          }
        })();
        await s.waitFor(consumer);
        await s.waitFor(pool.join());
        // What Executor.map gives: results in order up to the first task failure or input error.
        const limit = Math.min(count, inputThrowsAt ?? Infinity);
        const fail = failing !== undefined && failing < limit ? failing : undefined;
        const all = Array.from({ length: fail ?? limit }, (_, i) => i * 10);
        if (consume !== undefined && consume < all.length) {
          assert.deepEqual(out, all.slice(0, consume));
          assert.equal(caught, undefined);
        } else {
          assert.deepEqual(out, all);
          const expected = fail !== undefined
            ? taskError
            : inputThrowsAt !== undefined && inputThrowsAt <= count
            ? inputError
            : undefined;
          assert.equal(caught, expected);
        }
        // return() is owed exactly when the map stopped before the input ended by itself (a read
        // still pending then may end it later), and never called twice.
        assert.ok(returned <= 1, `return() called ${returned} times`);
        if (!ended) assert.equal(returned, 1, "the input was left open");
        assert.equal(pool.running + pool.queued, 0);
      },
    ),
    { numRuns: 300 },
  );
});

Deno.test("AsyncPool.map() after close(): submitted tasks finish, the next item fails with PoolClosed", async () => {
  // Python's map submits every item at once, so a shutdown() after map() still computes them
  // all; ours reads its input lazily, so items not yet submitted are refused.
  const pool = new AsyncPool({ concurrency: 1 });
  const results = pool.map((n: number) => n * 10, [1, 2, 3], { inFlight: 1 });
  assert.deepEqual(await results.next(), { value: 10, done: false });
  const closing = pool.close();
  await assert.rejects(results.next(), PoolClosed);
  await closing;
});
