import assert from "node:assert/strict";
import { pipeline, Queue, type Stage } from "./mod.ts";
import fc from "fast-check";
import { flush } from "./_test_utils.ts";

/** A promise the test settles by hand. */
function deferred<T = void>(): PromiseWithResolvers<T> {
  return Promise.withResolvers<T>();
}

async function collect<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of iterable) out.push(x);
  return out;
}

Deno.test("pipeline() runs every item through every stage in input order", async () => {
  const out = await collect(pipeline(
    Array.from({ length: 100 }, (_, i) => i),
    { fn: (n: number) => n + 1 },
    { fn: (n: number) => Promise.resolve(`#${n}`), concurrency: 4 },
    { fn: (s: string) => s.length, concurrency: 3, maxsize: 2 },
  ));
  assert.deepEqual(out, Array.from({ length: 100 }, (_, i) => `#${i + 1}`.length));
});

Deno.test("pipeline() keeps input order when later items finish first", async () => {
  const gates = Array.from({ length: 6 }, () => deferred());
  const finished: number[] = [];
  const iterator = pipeline([0, 1, 2, 3, 4, 5], {
    fn: async (n: number) => {
      await gates[n]!.promise;
      finished.push(n);
      return n;
    },
    concurrency: 6,
  });
  const result = collect(iterator);
  await flush();
  for (const n of [5, 3, 1, 4, 2, 0]) {
    gates[n]!.resolve();
    await flush();
  }
  assert.deepEqual(finished, [5, 3, 1, 4, 2, 0]);
  assert.deepEqual(await result, [0, 1, 2, 3, 4, 5]);
});

Deno.test("pipeline() with ordered: false yields results as they complete", async () => {
  const gates = Array.from({ length: 4 }, () => deferred());
  const result = collect(pipeline([0, 1, 2, 3], {
    fn: async (n: number) => {
      await gates[n]!.promise;
      return n;
    },
    concurrency: 4,
    ordered: false,
  }));
  await flush();
  for (const n of [2, 0, 3, 1]) {
    gates[n]!.resolve();
    await flush();
  }
  assert.deepEqual(await result, [2, 0, 3, 1]);
});

Deno.test("pipeline() runs at most `concurrency` calls of a stage at once", async () => {
  let running = 0;
  let peak = 0;
  const out = await collect(pipeline(Array.from({ length: 50 }, (_, i) => i), {
    fn: async (n: number) => {
      running++;
      peak = Math.max(peak, running);
      await flush(3);
      running--;
      return n;
    },
    concurrency: 3,
  }));
  assert.equal(out.length, 50);
  assert.equal(peak, 3);
});

Deno.test("pipeline() bounds the buffers in front of a slow stage", async () => {
  let pulled = 0;
  function* source() {
    for (let i = 0; i < 1000; i++) {
      pulled++;
      yield i;
    }
  }
  const gate = deferred();
  const iterator = pipeline(
    source(),
    { fn: (n: number) => n, maxsize: 4 },
    { fn: async (n: number) => (await gate.promise, n), maxsize: 4 },
  );
  const first = iterator.next();
  await flush(200);
  // source → [4] → stage 1 (holds 1) → [4] → stage 2 (holds 1, blocked); +1 in the source's put.
  assert(pulled <= 4 + 1 + 4 + 1 + 1, `pulled ${pulled}`);
  gate.resolve();
  assert.deepEqual(await first, { value: 0, done: false });
  await iterator.return();
});

Deno.test("pipeline() accepts async iterables as the source", async () => {
  async function* numbers() {
    for (let i = 0; i < 5; i++) {
      await flush(1);
      yield i;
    }
  }
  assert.deepEqual(await collect(pipeline(numbers(), { fn: (n: number) => n * 2 })), [
    0,
    2,
    4,
    6,
    8,
  ]);
  assert.deepEqual(await collect(pipeline(new Set(["a", "b"]))), ["a", "b"]);
  assert.deepEqual(await collect(pipeline([], { fn: (n: never) => n })), []);
});

Deno.test("pipeline() passes each stage its signal and the item's index", async () => {
  const seen: [number, boolean][] = [];
  await collect(pipeline(["a", "b", "c"], {
    fn: (s: string, { signal, index }) => {
      seen.push([index, signal instanceof AbortSignal && !signal.aborted]);
      return s;
    },
  }));
  assert.deepEqual(seen, [[0, true], [1, true], [2, true]]);
});

Deno.test("pipeline() throws the first error, aborting every stage's signal", async () => {
  const error = new Error("resize failed");
  const aborted: unknown[] = [];
  const slow = deferred();
  const iterator = pipeline(
    Array.from({ length: 100 }, (_, i) => i),
    {
      // Keeps one call in flight until the pipeline aborts it.
      fn: async (n: number, { signal }) => {
        if (n === 3) {
          signal.addEventListener("abort", () => {
            aborted.push(signal.reason);
            slow.resolve();
          });
          await slow.promise;
        }
        return n;
      },
      concurrency: 2,
    },
    {
      fn: (n: number) => {
        if (n === 1) throw error;
        return n;
      },
    },
  );
  await assert.rejects(collect(iterator), (e) => e === error);
  assert.deepEqual(aborted, [error]);
});

Deno.test("pipeline() rethrows an error from the source and stops the stages", async () => {
  function* source() {
    yield 1;
    yield 2;
    throw new Error("source broke");
  }
  const calls: number[] = [];
  await assert.rejects(
    collect(pipeline(source(), { fn: (n: number) => (calls.push(n), n) })),
    /source broke/,
  );
  assert(calls.length <= 2);
});

Deno.test("pipeline() stops everything when the consumer breaks", async () => {
  let inFlight = 0;
  let started = 0;
  let sourceClosed = false;
  function* source() {
    try {
      for (let i = 0;; i++) yield i;
    } finally {
      sourceClosed = true;
    }
  }
  const signals: AbortSignal[] = [];
  for await (
    const n of pipeline(source(), {
      fn: async (n: number, { signal }) => {
        started++;
        inFlight++;
        signals.push(signal);
        await flush(2);
        inFlight--;
        return n;
      },
      concurrency: 4,
    })
  ) {
    if (n === 10) break;
  }
  // By the time the loop has exited, every call has settled and the source is closed.
  assert.equal(inFlight, 0);
  assert.equal(sourceClosed, true);
  assert(signals[0]?.aborted);
  const count = started;
  await flush(50);
  assert.equal(started, count); // nothing started afterwards
});

Deno.test("pipeline() waits for a stage call that ignores its signal before returning", async () => {
  const release = deferred();
  let settled = false;
  const iterator = pipeline([1, 2], {
    fn: async (n: number) => {
      if (n === 2) {
        await release.promise;
        settled = true;
      }
      return n;
    },
    concurrency: 2,
    ordered: false,
  });
  assert.deepEqual(await iterator.next(), { value: 1, done: false });
  const returned = iterator.return();
  await flush();
  assert.equal(settled, false);
  release.resolve();
  await returned;
  assert.equal(settled, true);
});

Deno.test("pipeline() does nothing until iterated", async () => {
  let calls = 0;
  let pulled = 0;
  function* source() {
    pulled++;
    yield 1;
  }
  const iterator = pipeline(source(), { fn: (n: number) => (calls++, n) });
  await flush();
  assert.deepEqual([pulled, calls], [0, 0]);
  await iterator.return();
});

Deno.test("pipeline() validates its arguments before starting", () => {
  const fn = (n: number) => n;
  assert.throws(
    () => pipeline(42 as unknown as number[]),
    /'source' must be an iterable or async iterable, got 42/,
  );
  assert.throws(() => pipeline(null as unknown as number[]), TypeError);
  assert.throws(
    () => pipeline([1], null as unknown as Stage<number, number>),
    /'stages\[0\]' must be an object/,
  );
  assert.throws(
    () => pipeline([1], { fn }, {} as Stage<number, number>),
    (e: Error) =>
      e instanceof TypeError &&
      /'stages\[1\]\.fn' must be a function, got undefined/.test(e.message),
  );
  for (const concurrency of [0, -1, 1.5, NaN, Infinity, 65_537, 2 ** 53]) {
    assert.throws(
      () => pipeline([1], { fn, concurrency }),
      (e: Error) =>
        e instanceof RangeError &&
        e.message ===
          `pipeline(): 'stages[0].concurrency' must be an integer from 1 to 65536, got ${concurrency}`,
    );
  }
  assert.throws(() => pipeline([1], { fn, concurrency: "2" as unknown as number }), TypeError);
  for (const maxsize of [-1, 1.5, NaN, -Infinity]) {
    assert.throws(() => pipeline([1], { fn, maxsize }), RangeError);
  }
  assert.throws(() => pipeline([1], { fn, ordered: "yes" as unknown as boolean }), TypeError);
});

Deno.test("pipeline() chains stage types", async () => {
  const out: boolean[] = await collect(pipeline(
    [1, 2, 3],
    { fn: (n: number) => String(n) },
    { fn: (s: string) => Promise.resolve(s.length) },
    { fn: (n: number) => n > 0 },
  ));
  assert.deepEqual(out, [true, true, true]);
});

Deno.test("pipeline() delivers every item once, in order when ordered, under random schedules", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.scheduler(),
      fc.array(
        fc.record({
          concurrency: fc.integer({ min: 1, max: 4 }),
          maxsize: fc.integer({ min: 0, max: 3 }),
          ordered: fc.boolean(),
        }),
        { minLength: 1, maxLength: 3 },
      ),
      fc.integer({ min: 0, max: 30 }),
      async (s, configs, count) => {
        const stages = configs.map((config, k) => ({
          ...config,
          fn: (n: number) => s.schedule(Promise.resolve(n), `stage ${k}: ${n}`),
        }));
        const input = Array.from({ length: count }, (_, i) => i);
        const result = collect(pipeline(input, ...stages) as AsyncIterable<number>);
        let out: number[] | undefined;
        result.then((r) => (out = r));
        for (let rounds = 0; out === undefined; rounds++) {
          assert(rounds < 1000, "the pipeline stalled");
          await s.waitAll();
          await flush();
        }
        if (configs.every((c) => c.ordered)) assert.deepEqual(out, input);
        else assert.deepEqual([...out].sort((a, b) => a - b), input);
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("pipeline() refuses a huge concurrency before pulling any item", () => {
  let pulled = 0;
  function* source() {
    for (;;) {
      pulled++;
      yield 1;
    }
  }
  assert.throws(
    () => pipeline(source(), { fn: (n: number) => n, concurrency: 2 ** 53 }),
    /^RangeError: pipeline\(\): 'stages\[0\]\.concurrency' must be an integer from 1 to 65536, got 9007199254740992$/,
  );
  assert.equal(pulled, 0);
});

Deno.test("pipeline() calls the source's return() on every early exit", async () => {
  const make = () => {
    const log = { pulled: 0, returned: 0 };
    const iterator: AsyncIterableIterator<number> = {
      next: () => Promise.resolve({ value: log.pulled++, done: false }),
      return: () => {
        log.returned++;
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return { log, iterator };
  };
  // The consumer breaks.
  {
    const { log, iterator } = make();
    for await (const n of pipeline(iterator, { fn: (n: number) => n })) if (n === 3) break;
    assert.equal(log.returned, 1);
  }
  // A stage fails.
  {
    const { log, iterator } = make();
    await assert.rejects(async () => {
      for await (
        const _ of pipeline(iterator, {
          fn: (n: number) => {
            if (n === 5) throw new Error("stage failed");
            return n;
          },
        })
      );
    }, /stage failed/);
    assert.equal(log.returned, 1);
  }
  // A sync source, while its put waits for room.
  {
    let returned = 0;
    const sync: IterableIterator<number> = {
      next: () => ({ value: 1, done: false }),
      return: () => {
        returned++;
        return { value: undefined, done: true };
      },
      [Symbol.iterator]: () => sync,
    };
    for await (const _ of pipeline(sync, { fn: (n: number) => n, maxsize: 1 })) break;
    assert.equal(returned, 1);
  }
});

Deno.test("pipeline() over an open Queue ends at once when the consumer breaks", async () => {
  const queue = new Queue<number>();
  await queue.put(1);
  const out = [];
  for await (const n of pipeline(queue, { fn: (n: number) => n * 2 })) {
    out.push(n);
    break; // the queue is still open and empty: the source is waiting for its next item
  }
  assert.deepEqual(out, [2]);
  assert.equal(queue.waitingGetters, 0);
  assert.equal(queue.closed, false);
  assert.equal(queue.unfinishedTasks, 0); // the item taken was marked done
  await queue.put(2);
  assert.equal(queue.getNowait(), 2);
});
