import { Subprocess } from "./subprocess.ts";
import type { Encoding, OutputOf, SpawnOptions } from "./types.ts";

/**
 * Starts a child process and returns it as a {@linkcode Subprocess} to talk to (Python's
 * `Popen`): it does not wait. `argv[0]` is looked up on `PATH` and run with the arguments
 * `argv.slice(1)`; no shell is involved. By default the child shares the parent's stdin, stdout
 * and stderr (`"inherit"`); ask for `"piped"` to read or write them.
 *
 * Use `spawn` to run children in parallel, to poll them while doing other work, or to stream
 * their output; use `run()` when you only want the result.
 *
 * @typeParam E The `encoding`, which sets the output type of `communicate()`.
 * @param argv The program and its arguments: a non-empty array of strings.
 * @param options How to connect the pipes, the environment, and how to stop the child.
 * @returns The running child.
 * @throws {TypeError} If `argv` is not a non-empty array of strings, an option has the wrong
 * type, or an option does not exist (the message names it and what to use instead).
 * @throws {RangeError} If `forceKillAfterDelay`, `maxBuffer`, `uid` or `gid` is out of range.
 * @throws {Deno.errors.NotFound} If the program does not exist, or the `cwd` does not exist or
 * is not a directory; the message names which.
 * @throws {Deno.errors.PermissionDenied} If the program cannot be executed; the message names it.
 *
 * @example Run ten children in parallel
 * ```ts
 * import { spawn } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * // All ten sleep at once: this takes about 0.1 s, not 1 s.
 * const children = Array.from({ length: 10 }, () => spawn(["sleep", "0.1"]));
 * const statuses = await Promise.all(children.map((child) => child.wait()));
 * assert.ok(statuses.every((status) => status.success));
 * ```
 */
export function spawn<E extends Encoding = "utf-8">(
  argv: readonly string[],
  options?: SpawnOptions<E>,
): Subprocess<OutputOf<E>> {
  return new Subprocess<OutputOf<E>>(argv, options);
}
