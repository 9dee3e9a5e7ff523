/**
 * `@effective/concurrency`: the concurrency and parallelism toolkit for Deno and the web, after the
 * chapter "Concurrency and Parallelism" of *Effective Python*.
 *
 * Each topic is its own entry point and its own self-contained folder; import the one you need:
 *
 * - `@effective/concurrency/subprocess`: child processes with timeouts (item 36).
 * - `@effective/concurrency/pool`: `AsyncPool` for I/O, `WorkerPool` for CPU (items 37 and 41).
 * - `@effective/concurrency/sync`: locks for async tasks and for workers (item 38).
 * - `@effective/concurrency/queue`: bounded, closable queues and pipelines (item 39).
 * - `@effective/concurrency/coroutine`: generator coroutines and a scheduler (item 40).
 *
 * This module re-exports each topic as a namespace (two topics both have a `run` and a `spawn`).
 *
 * @example Usage
 * ```ts
 * import { subprocess } from "@effective/concurrency";
 *
 * const { stdout } = await subprocess.run(["echo", "Hello from the child!"]);
 * console.log(stdout); // "Hello from the child!\n"
 * ```
 *
 * @module
 */
export * as subprocess from "./subprocess/mod.ts";
export * as sync from "./sync/mod.ts";
export * as coroutine from "./coroutine/mod.ts";
export * as queue from "./queue/mod.ts";
export * as pool from "./pool/mod.ts";
