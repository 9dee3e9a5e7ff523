/**
 * `@effective/concurrency`: the concurrency and parallelism toolkit for Deno and the web, after the
 * chapter "Concurrency and Parallelism" of *Effective Python*.
 *
 * Each topic is its own entry point and its own self-contained folder:
 *
 * - `@effective/concurrency/subprocess`: child processes (item 36).
 * - `@effective/concurrency/pool`: `AsyncPool` for I/O, `WorkerPool` for CPU (items 37 and 41).
 * - `@effective/concurrency/sync`: locks for async tasks and for workers (item 38).
 * - `@effective/concurrency/queue`: bounded, closable queues and pipelines (item 39).
 * - `@effective/concurrency/coroutine`: generator coroutines and a scheduler (item 40).
 *
 * This module re-exports all of them.
 *
 * @module
 */
export {};
