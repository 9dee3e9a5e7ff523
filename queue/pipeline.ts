/**
 * {@linkcode pipeline}: chains async stages with bounded queues between them, each stage with
 * its own concurrency, preserving input order, and stopping everything on the first error.
 *
 * @module
 */

import { QueueClosed } from "./errors.ts";
import { Queue } from "./queue.ts";
import { checkBoolean, checkFunction, checkInteger, invalid } from "./_options.ts";

/** What a stage function receives besides the item. */
export interface StageContext {
  /**
   * Aborted when the pipeline stops: on the first error in any stage (the reason is that error),
   * when the consumer leaves the loop early, or when the source fails. Pass it on to `fetch()`
   * and the like so that in-flight work stops promptly.
   */
  signal: AbortSignal;
  /** The item's position in this stage's input, from 0. */
  index: number;
}

/**
 * One step of a {@linkcode pipeline}: a function applied to every item, run by `concurrency`
 * workers, fed from a buffer of `maxsize` items.
 *
 * @typeParam I The type of the stage's input items.
 * @typeParam O The type of its results (what `fn` returns or resolves to).
 */
export interface Stage<I, O> {
  /**
   * Transforms one item; may be async. Throwing (or rejecting) stops the whole pipeline, and the
   * error is thrown to the consumer.
   *
   * @param item The input item.
   * @param context `signal`, aborted when the pipeline stops, and the item's `index`.
   * @returns The result, or a promise of it.
   */
  fn(item: I, context: StageContext): O | PromiseLike<O>;
  /**
   * How many items this stage processes at once. An integer from 1 to 65,536
   * ({@linkcode MAX_CONCURRENCY}).
   *
   * @default {1}
   */
  concurrency?: number;
  /**
   * How many items may wait in the buffer in front of this stage. When it is full, the previous
   * stage (or the source) waits: this is what keeps memory flat when this stage is slow. A
   * non-negative integer; `0` or `Infinity` means unbounded.
   *
   * @default {16}
   */
  maxsize?: number;
  /**
   * Whether this stage passes its results on in the order of its input (`true`) or as they
   * complete (`false`). Ordered stages never hold more than `concurrency` items: a worker that
   * finishes early waits for its predecessors.
   *
   * @default {true}
   */
  ordered?: boolean;
}

/** Any iterable or async iterable, the source of a pipeline. */
export type Source<T> = Iterable<T> | AsyncIterable<T>;

interface Entry {
  index: number;
  value: unknown;
}

const DEFAULT_MAXSIZE = 16;

/**
 * The most workers a stage may run: each is a task of its own, started at once, so a larger
 * figure is a mistake rather than a plan.
 */
export const MAX_CONCURRENCY = 65_536;

/**
 * Runs `source` through `stages`, like the chapter's download → resize → upload pipeline, and
 * returns an async iterable of the results.
 *
 * Each stage runs `concurrency` workers that take items from a bounded buffer (`maxsize`) and
 * put their results into the next one, so a slow stage holds the faster ones back instead of
 * letting its input grow without bound. Results come out **in input order** unless a stage sets
 * `ordered: false` (then from that stage on, in completion order).
 *
 * Nothing starts until the first result is requested. **Errors**: the first error thrown by a
 * stage (or by the source) aborts every stage's `signal`, stops all workers and the source, and
 * is thrown to the consumer. **Early exit**: a consumer that leaves the loop (`break`, `return`,
 * `throw`) stops everything the same way. In both cases the loop ends only after the work in
 * flight has settled, so nothing keeps running afterwards (a stage function that ignores its
 * `signal` is waited for). The source's `return()` is called on every early exit, as `for await`
 * does; a source waiting for its next item is not waited for when its `return()` ends that wait,
 * as a {@linkcode Queue}'s iterator does (an async generator's `return()` has to wait for its
 * pending `next()`, so make slow generators end promptly).
 *
 * @param source The items: any iterable or async iterable. Its values are passed as they are
 * (a sync iterable of promises yields promises).
 * @param stages The steps, in order.
 * @returns An async generator of the last stage's results.
 * @throws {TypeError} If `source` is not iterable, a stage is not an object or its `fn` is not a
 * function, or an option has the wrong type.
 * @throws {RangeError} If `concurrency` is not an integer from 1 to
 * {@linkcode MAX_CONCURRENCY} or `maxsize` not a non-negative integer.
 *
 * @example The chapter's three stages, two of them concurrent
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const download = async (n: number) => `image-${n}`;
 * const resize = async (image: string) => `${image}@small`;
 * const upload = async (image: string) => image.length;
 * const results = [];
 * for await (
 *   const size of pipeline(
 *     [1, 2, 3],
 *     { fn: download, concurrency: 4 },
 *     { fn: resize, concurrency: 2, maxsize: 8 },
 *     { fn: upload },
 *   )
 * ) results.push(size);
 * assert.deepEqual(results, [13, 13, 13]);
 * ```
 *
 * @example The first error stops everything
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const stages = pipeline([1, 2, 3], {
 *   fn: (n: number) => {
 *     if (n === 2) throw new Error("bad item");
 *     return n;
 *   },
 * });
 * await assert.rejects(async () => {
 *   for await (const _ of stages);
 * }, /bad item/);
 * ```
 */
export function pipeline<I, A>(
  source: Source<I>,
  s1: Stage<I, A>,
): AsyncGenerator<A, void, undefined>;
/**
 * Runs `source` through 2 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [4, 8]);
 * ```
 */
export function pipeline<I, A, B>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
): AsyncGenerator<B, void, undefined>;
/**
 * Runs `source` through 3 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [8, 16]);
 * ```
 */
export function pipeline<I, A, B, C>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
  s3: Stage<B, C>,
): AsyncGenerator<C, void, undefined>;
/**
 * Runs `source` through 4 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [16, 32]);
 * ```
 */
export function pipeline<I, A, B, C, D>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
  s3: Stage<B, C>,
  s4: Stage<C, D>,
): AsyncGenerator<D, void, undefined>;
/**
 * Runs `source` through 5 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [32, 64]);
 * ```
 */
export function pipeline<I, A, B, C, D, E>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
  s3: Stage<B, C>,
  s4: Stage<C, D>,
  s5: Stage<D, E>,
): AsyncGenerator<E, void, undefined>;
/**
 * Runs `source` through 6 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [64, 128]);
 * ```
 */
export function pipeline<I, A, B, C, D, E, F>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
  s3: Stage<B, C>,
  s4: Stage<C, D>,
  s5: Stage<D, E>,
  s6: Stage<E, F>,
): AsyncGenerator<F, void, undefined>;
/**
 * Runs `source` through 7 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [128, 256]);
 * ```
 */
export function pipeline<I, A, B, C, D, E, F, G>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
  s3: Stage<B, C>,
  s4: Stage<C, D>,
  s5: Stage<D, E>,
  s6: Stage<E, F>,
  s7: Stage<F, G>,
): AsyncGenerator<G, void, undefined>;
/**
 * Runs `source` through 8 stages; see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the last stage's results.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const n of pipeline([1, 2], { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 }, { fn: (n: number) => n * 2 })) out.push(n);
 * assert.deepEqual(out, [256, 512]);
 * ```
 */
export function pipeline<I, A, B, C, D, E, F, G, H>(
  source: Source<I>,
  s1: Stage<I, A>,
  s2: Stage<A, B>,
  s3: Stage<B, C>,
  s4: Stage<C, D>,
  s5: Stage<D, E>,
  s6: Stage<E, F>,
  s7: Stage<F, G>,
  s8: Stage<G, H>,
): AsyncGenerator<H, void, undefined>;
/**
 * Runs `source` through no stage: a bounded, lazily started async copy of it.
 *
 * @param source The items: any iterable or async iterable.
 * @returns An async generator of the source's items.
 *
 * @example Usage
 * ```ts
 * import { pipeline } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const out = [];
 * for await (const x of pipeline(new Set(["a", "b"]))) out.push(x);
 * assert.deepEqual(out, ["a", "b"]);
 * ```
 */
export function pipeline<I>(source: Source<I>): AsyncGenerator<I, void, undefined>;
/**
 * Runs `source` through any number of `stages` (the untyped form, for more than eight stages);
 * see the one-stage overload for the behaviour.
 *
 * @param source The items: any iterable or async iterable.
 * @param stages The steps, in order.
 * @returns An async generator of the last stage's results.
 *
 * @example Many stages
 * ```ts
 * import { pipeline, type Stage } from "@effective/concurrency/queue";
 * import assert from "node:assert/strict";
 *
 * const inc: Stage<number, number> = { fn: (n) => n + 1 };
 * const out = [];
 * for await (const n of pipeline([0], ...Array.from({ length: 10 }, () => inc))) out.push(n);
 * assert.deepEqual(out, [10]);
 * ```
 */
export function pipeline(
  source: Source<unknown>,
  ...stages: Stage<unknown, unknown>[]
): AsyncGenerator<unknown, void, undefined>;
export function pipeline(
  source: Source<unknown>,
  ...stages: Stage<unknown, unknown>[]
): AsyncGenerator<unknown, void, undefined> {
  const isAsync = checkSource(source);
  const configs = stages.map(checkStage);
  return run(source, isAsync, configs);
}

interface StageConfig {
  fn: (item: unknown, context: StageContext) => unknown;
  concurrency: number;
  maxsize: number;
  ordered: boolean;
}

const CALL = "pipeline()";

function checkSource(source: unknown): boolean {
  if (source !== null && source !== undefined) {
    const s = source as Record<symbol, unknown>;
    if (typeof s[Symbol.asyncIterator] === "function") return true;
    if (typeof s[Symbol.iterator] === "function") return false;
  }
  throw invalid(CALL, "source", "an iterable or async iterable", source);
}

function checkStage(stage: unknown, i: number): StageConfig {
  const at = `stages[${i}]`;
  if (stage === null || typeof stage !== "object") throw invalid(CALL, at, "an object", stage);
  // Each option is read once, here.
  const { fn, concurrency, maxsize, ordered } = stage as Stage<unknown, unknown>;
  const checkedFn = checkFunction<StageConfig["fn"]>(CALL, `${at}.fn`, fn);
  if (checkedFn === undefined) throw invalid(CALL, `${at}.fn`, "a function", fn);
  return {
    fn: checkedFn,
    concurrency: concurrency === undefined
      ? 1
      : checkInteger(CALL, `${at}.concurrency`, concurrency, 1, MAX_CONCURRENCY),
    maxsize: maxsize === undefined
      ? DEFAULT_MAXSIZE
      : checkInteger(CALL, `${at}.maxsize`, maxsize, 0, Infinity),
    ordered: checkBoolean(CALL, `${at}.ordered`, ordered, true),
  };
}

async function* run(
  source: Source<unknown>,
  isAsync: boolean,
  stages: StageConfig[],
): AsyncGenerator<unknown, void, undefined> {
  const controller = new AbortController();
  const { signal } = controller;
  let failed = false;
  let failure: unknown;
  // queues[k] feeds stage k; the last one feeds the consumer.
  const queues: Queue<Entry>[] = stages.map((s) => new Queue<Entry>({ maxsize: s.maxsize }));
  queues.push(new Queue<Entry>({ maxsize: stages.at(-1)?.concurrency ?? DEFAULT_MAXSIZE }));
  const onStop: (() => void)[] = [];
  let wakePump: ((step: IteratorResult<unknown>) => void) | undefined;

  const stop = (reason?: unknown): void => {
    if (signal.aborted) return;
    controller.abort(reason);
    // Closing at once refuses every waiting put and get, so every worker and the source return.
    for (const queue of queues) queue.close({ immediate: true });
    for (const wake of onStop) wake();
    wakePump?.({ done: true, value: undefined });
  };
  const fail = (error: unknown): void => {
    if (signal.aborted) return; // already stopping: this is a consequence, not the cause
    failed = true;
    failure = error;
    stop(error);
  };

  const pump = async (): Promise<void> => {
    const queue = queues[0] as Queue<Entry>;
    let index = 0;
    let iterator: Iterator<unknown> | AsyncIterator<unknown> | undefined;
    let exhausted = false;
    try {
      iterator = isAsync
        ? (source as AsyncIterable<unknown>)[Symbol.asyncIterator]()
        : (source as Iterable<unknown>)[Symbol.iterator]();
      for (;;) {
        let step = iterator.next();
        if (isAsync) {
          // Don't wait for an async source that is waiting itself (an open Queue) once stopped:
          // stop() wakes this wait, and return() below ends the source's.
          const pending = step;
          step = await new Promise<IteratorResult<unknown>>((resolve, reject) => {
            wakePump = resolve;
            Promise.resolve(pending).then(resolve, reject);
          });
          wakePump = undefined;
          if (signal.aborted) break;
        }
        const { done, value } = step as IteratorResult<unknown>;
        if (done) {
          exhausted = true;
          break;
        }
        await queue.put({ index: index++, value });
      }
      queue.close();
    } catch (error) {
      // A source whose next() throws is finished (as for `for await`); a refused put is not.
      if (!(error instanceof QueueClosed)) exhausted = true;
      fail(error);
    }
    if (!exhausted && iterator?.return !== undefined) {
      try {
        await iterator.return();
      } catch (error) {
        fail(error);
      }
    }
  };

  const startStage = (
    { fn, concurrency, ordered }: StageConfig,
    input: Queue<Entry>,
    output: Queue<Entry>,
  ): Promise<void>[] => {
    let live = concurrency;
    let nextOut = 0; // ordered: the index whose turn it is to be passed on
    const turns = new Map<number, () => void>();
    if (ordered && concurrency > 1) {
      onStop.push(() => {
        for (const wake of turns.values()) wake();
        turns.clear();
      });
    }
    const worker = async (): Promise<void> => {
      try {
        for (;;) {
          let entry: Entry;
          try {
            entry = await input.get();
          } catch (error) {
            if (error instanceof QueueClosed) return;
            throw error;
          }
          let value = fn(entry.value, { signal, index: entry.index });
          // Await only what can be awaited: a synchronous stage costs no extra turn.
          if (isThenable(value)) value = await value;
          if (signal.aborted) return;
          if (!ordered) {
            await output.put({ index: nextOut++, value });
            continue;
          }
          if (entry.index !== nextOut) {
            await new Promise<void>((resolve) => turns.set(entry.index, resolve));
            if (signal.aborted) return;
          }
          // Queue the result (in order) before letting the next one go, then wait for room.
          const put = output.put({ index: entry.index, value });
          const wake = turns.get(++nextOut);
          if (wake !== undefined) {
            turns.delete(nextOut);
            wake();
          }
          await put;
        }
      } catch (error) {
        fail(error);
      } finally {
        if (--live === 0) output.close();
      }
    };
    return Array.from({ length: concurrency }, worker);
  };

  const tasks: Promise<void>[] = [pump()];
  stages.forEach((stage, k) => {
    tasks.push(...startStage(stage, queues[k] as Queue<Entry>, queues[k + 1] as Queue<Entry>));
  });
  const results = queues[stages.length] as Queue<Entry>;
  try {
    for (;;) {
      let entry: Entry;
      try {
        entry = await results.get();
      } catch (error) {
        if (failed) throw failure;
        if (error instanceof QueueClosed) return;
        throw error;
      }
      yield entry.value;
    }
  } finally {
    stop();
    await Promise.all(tasks);
  }
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === "object" || typeof value === "function") &&
    typeof (value as PromiseLike<unknown>).then === "function";
}
