import { WorkerPool } from "@effective/concurrency/pool";
import { Queue, Worker } from "bullmq";
import { checkInteger, checkTimeout, invalid, MAX_TIMEOUT, readOptions } from "./_options.ts";
import { encodeError, notJson, type Outcome, type TaskData } from "./_codec.ts";
import { connected, parseRedisUrl } from "./_connection.ts";
import { DEFAULT_QUEUE } from "./redis_pool.ts";

/** Options for {@linkcode serve}. */
export interface ServeOptions {
  /** Redis's URL: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. */
  redis: string | URL;
  /**
   * The task module: a URL, or a path resolved against the current directory. It is loaded by
   * each worker thread of the local `WorkerPool`, never on the main thread.
   */
  module: string | URL;
  /**
   * How many tasks this process runs at once, each on its own worker thread.
   *
   * @default {navigator.hardwareConcurrency}
   */
  concurrency?: number;
  /**
   * The BullMQ queue to take tasks from: the same name as the callers' `RedisPool`.
   *
   * @default {"effective-concurrency"}
   */
  queue?: string;
  /**
   * How long the first connection to Redis may take, in ms, before `serve()` rejects with
   * `RedisUnavailable`.
   *
   * @default {10000}
   */
  connectTimeout?: number;
  /**
   * BullMQ's `lockDuration`, in ms: a task whose worker process stops renewing its lock (it died)
   * for this long is taken to have stalled. The lock is renewed every half of it by this
   * process's main thread, which runs no task code, so busy cores do not delay it.
   *
   * @default {5000}
   */
  lockDuration?: number;
  /**
   * BullMQ's `stalledInterval`, in ms: how often this process looks for stalled tasks (of any
   * worker) and puts them back in the queue. A dead worker's task runs again within about
   * `lockDuration + 2 × stalledInterval` (BullMQ's defaults: 30 s each).
   *
   * @default {2500}
   */
  stalledInterval?: number;
  /**
   * How many times a task may stall and be run again before it fails with `TaskLost`.
   *
   * @default {1}
   */
  maxStalledCount?: number;
}

/** A running {@linkcode serve}: stop it with `close()` (graceful) or `terminate()`. */
export interface TaskServer {
  /** Redis's URL, without the password. */
  readonly url: string;
  /** The BullMQ queue it serves. */
  readonly queue: string;
  /** How many tasks this process runs at once. */
  readonly concurrency: number;
  /** How many tasks it is running now. */
  readonly running: number;
  /**
   * Takes no new task, lets the running ones finish and report, then ends the worker threads
   * and closes the connections. Calling it again returns the same promise.
   */
  close(): Promise<void>;
  /**
   * Stops now: the connections close and the worker threads end, abandoning the running tasks,
   * which BullMQ then runs again elsewhere (as for a crashed process).
   */
  terminate(): Promise<void>;
  /** `await using server = await serve(…)` closes it at scope end. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Serves the tasks of a {@linkcode RedisPool}: takes them from Redis through a BullMQ worker and
 * runs them on a local `WorkerPool` of `concurrency` threads, so this process uses all its cores.
 * The command `deno run -A jsr:@effective/concurrency-redis/main` runs this until SIGINT or
 * SIGTERM.
 *
 * A task that throws completes with its error (it is not retried). A task whose process dies is
 * run again by another (at-least-once); see {@linkcode ServeOptions.lockDuration}.
 *
 * @param options The options; see {@linkcode ServeOptions}.
 * @returns The server, once connected to Redis. It rejects with `RedisUnavailable` if Redis
 * cannot be reached within `connectTimeout`, or a `TypeError`/`RangeError` for a bad option.
 *
 * @example Serving in-process (a real deployment runs the command on each machine)
 * ```ts ignore
 * import { serve } from "@effective/concurrency-redis";
 *
 * await using server = await serve({ redis: "redis://127.0.0.1:6379", module: "./tasks.ts" });
 * ```
 */
export async function serve(options: ServeOptions): Promise<TaskServer> {
  const call = "serve()";
  const {
    redis,
    module,
    concurrency,
    queue,
    connectTimeout,
    lockDuration,
    stalledInterval,
    maxStalledCount,
  } = readOptions(call, options);
  const connection = parseRedisUrl(call, "redis", redis);
  const moduleUrl = resolveModule(call, module);
  const size = concurrency === undefined
    ? navigator.hardwareConcurrency
    : checkInteger(call, "concurrency", concurrency, 1, 1024);
  const name = queue ?? DEFAULT_QUEUE;
  if (typeof name !== "string" || !/^[\w.-]{1,100}$/.test(name)) {
    throw invalid(call, "queue", "a name of letters, digits, '_', '.' or '-'", name);
  }
  // Infinity (no limit) becomes the longest timer there is.
  const limit = connectTimeout === undefined
    ? 10_000
    : checkTimeout(call, "connectTimeout", connectTimeout) ?? MAX_TIMEOUT;
  const lock = checkInteger(call, "lockDuration", lockDuration ?? 5000, 100, 3_600_000);
  const stalled = checkInteger(call, "stalledInterval", stalledInterval ?? 2500, 100, 3_600_000);
  const maxStalled = checkInteger(call, "maxStalledCount", maxStalledCount ?? 1, 0, 1000);

  // Reach Redis first (bounded), with a Queue: see connected().
  const probe = new Queue(name, { connection: connection.options });
  probe.on("error", () => {});
  await connected(probe, connection.shown, limit);
  await probe.close();
  const pool = new WorkerPool(moduleUrl, { size });
  let running = 0;
  let terminated = false;
  const processor = async (job: { name: string; data: TaskData }): Promise<Outcome> => {
    running++;
    try {
      const value = await pool.run(job.name, job.data.args);
      const bad = value === undefined ? undefined : notJson(value, "result");
      if (bad !== undefined) {
        throw new TypeError(`Task '${job.name}' returned a value that is not JSON: ${bad}`);
      }
      return value === undefined ? {} : { value };
    } catch (error) {
      // After terminate() the local pool fails its tasks with PoolClosed; reporting that would
      // fail the caller's task instead of letting another worker run it. Never answer instead.
      if (terminated) return new Promise<never>(() => {});
      return { error: encodeError(error) };
    } finally {
      running--;
    }
  };
  const worker = new Worker<TaskData, Outcome>(name, processor, {
    connection: connection.options,
    concurrency: size,
    lockDuration: lock,
    stalledInterval: stalled,
    maxStalledCount: maxStalled,
  });
  worker.on("error", () => {}); // Redis restarting: ioredis reconnects by itself.
  try {
    await worker.waitUntilReady();
  } catch (error) {
    // Nobody gets a server to close: leave no connection or worker thread behind.
    await worker.close(true).catch(() => {});
    await pool.terminate();
    throw error;
  }
  let closing: Promise<void> | undefined;
  const server: TaskServer = {
    url: connection.shown,
    queue: name,
    concurrency: size,
    get running() {
      return running;
    },
    close() {
      closing ??= worker.close().then(() => pool.close());
      return closing;
    },
    terminate() {
      terminated = true;
      const force = worker.close(true).catch(() => {}).then(() => pool.terminate());
      closing = closing === undefined ? force : Promise.all([closing, force]).then(() => {});
      return closing;
    },
    [Symbol.asyncDispose]() {
      return server.close();
    },
  };
  return server;
}

function resolveModule(call: string, value: unknown): URL {
  if (value instanceof URL) return value;
  if (typeof value !== "string" || value === "") {
    throw invalid(call, "module", "a URL or a path", value);
  }
  // A scheme of two letters or more (file:, https:, data:…); one letter is a Windows drive.
  if (/^[a-z][a-z\d+.-]+:/i.test(value)) return new URL(value);
  const cwd = Deno.cwd().replaceAll("\\", "/");
  return new URL(value, `file://${cwd.startsWith("/") ? "" : "/"}${cwd}/`);
}
