/**
 * Child processes on `Deno.Command`, managed the way Python's `subprocess` module manages them
 * (item 36 of *Effective Python*): start children, talk to them through pipes, run many in
 * parallel, poll them while doing other work, and never hang on one.
 *
 * ## Which one to use
 *
 * - {@linkcode run} runs a command to the end and gives you a {@linkcode CompletedProcess}:
 *   exit status plus stdout and stderr, captured as UTF-8 text by default (`encoding: "bytes"`
 *   for raw bytes). Add `input`, `check`, `timeout` or `signal` as needed. Use it whenever you
 *   only want the result.
 * - {@linkcode checkOutput} is `run` with `check: true` that returns stdout: for "give me the
 *   output of this command, or fail loudly".
 * - {@linkcode spawn} starts a child and returns a {@linkcode Subprocess} (Python's `Popen`)
 *   without waiting. Use it to run many children in parallel, to `poll()` one while doing other
 *   work, to stream its output with `lines()`, or to drive its pipes yourself. Declare it with
 *   `await using` so the child is always reaped.
 *
 * ## Timeouts and aborts
 *
 * `run`'s `timeout` and `signal` stop the child: it gets `killSignal` (`SIGTERM` by default),
 * then `SIGKILL` after `forceKillAfterDelay` (1000 ms by default) if it is still there, and it is
 * reaped before the promise rejects, with a {@linkcode TimeoutExpired} that carries the output so
 * far, or with `signal.reason`. A signal that is already aborted rejects at once and spawns
 * nothing.
 *
 * `Subprocess.wait()` and `Subprocess.communicate()` follow Python: their `timeout` and `signal`
 * only stop the *waiting*. The child keeps running so you can wait again or kill it; leaving an
 * `await using` block kills (same two steps) and reaps it in any case.
 *
 * ## Why `communicate` exists
 *
 * A pipe holds only so much (64 KiB on Linux). A parent that first writes all of stdin, then reads
 * all of stdout, then all of stderr deadlocks as soon as the child's output fills a pipe the
 * parent is not reading yet: the child waits for the parent to read, the parent waits for the
 * child to read. `communicate()` (and `run`, which uses it) writes stdin and drains stdout and
 * stderr at the same time, so any amount of data flows; a child that exits without reading its
 * input is not an error (the broken pipe is ignored). Waiting with `wait()` while output is
 * piped and unread can hang for the same reason.
 *
 * ## Errors
 *
 * {@linkcode CalledProcessError} (a checked child failed) and {@linkcode TimeoutExpired} extend
 * {@linkcode SubprocessError}. A program that does not exist or cannot be executed fails with
 * `Deno.errors.NotFound` or `Deno.errors.PermissionDenied`, whose message names the program.
 * Bad arguments fail with a `TypeError` or `RangeError` before anything is spawned.
 *
 * @example The chapter's three samples
 * ```ts
 * import { run, spawn } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * // Read a child's output through communicate().
 * {
 *   await using proc = spawn(["echo", "Hello from the child!"], { stdout: "piped" });
 *   const { stdout } = await proc.communicate();
 *   assert.equal(stdout, "Hello from the child!\n");
 * }
 *
 * // Poll a child while working.
 * {
 *   await using proc = spawn(["sleep", "0.1"]);
 *   while (proc.poll() === null) await new Promise((resolve) => setTimeout(resolve, 20));
 *   assert.equal(proc.poll(), 0);
 * }
 *
 * // Run ten children in parallel: about 0.1 s, not 1 s.
 * const start = performance.now();
 * await Promise.all(Array.from({ length: 10 }, () => run(["sleep", "0.1"])));
 * assert.ok(performance.now() - start < 900);
 * ```
 *
 * @module
 */
export * from "./completed_process.ts";
export * from "./errors.ts";
export * from "./run.ts";
export * from "./subprocess.ts";
