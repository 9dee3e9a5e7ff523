import { CalledProcessError } from "./errors.ts";

/**
 * A CompletedProcess is the result of a child that ran to the end: what `run()` and
 * `Subprocess.communicate()` return. It holds the `argv`, the exit status (`code`, `signal`,
 * `success`) and the captured `stdout` and `stderr`: strings by default, `Uint8Array`s with
 * `encoding: "bytes"`, and empty when the stream was not piped.
 *
 * @typeParam T `string` (the default, UTF-8 decoded) or `Uint8Array` (`encoding: "bytes"`).
 *
 * @example Read a result
 * ```ts
 * import { run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const result = await run(["sh", "-c", "echo out; echo err >&2; exit 1"]);
 * assert.deepEqual(
 *   { code: result.code, success: result.success, stdout: result.stdout, stderr: result.stderr },
 *   { code: 1, success: false, stdout: "out\n", stderr: "err\n" },
 * );
 * ```
 */
export class CompletedProcess<T extends string | Uint8Array = string> {
  /** The command that was run, program first. */
  readonly argv: readonly string[];
  /** The exit code: 0 on success; 128 + the signal number when a signal ended the child. */
  readonly code: number;
  /** The signal that ended the child, or `null` if it exited by itself. */
  readonly signal: Deno.Signal | null;
  /** Whether the child exited with code 0. */
  readonly success: boolean;
  /** The captured stdout (empty when stdout was not piped). */
  readonly stdout: T;
  /** The captured stderr (empty when stderr was not piped). */
  readonly stderr: T;

  /**
   * Makes a CompletedProcess. You rarely need to: `run()` and `communicate()` make them.
   *
   * @param argv The command that was run.
   * @param status The exit status, as `Deno.ChildProcess.status` gives it.
   * @param stdout The captured stdout.
   * @param stderr The captured stderr.
   *
   * @example Make one by hand
   * ```ts
   * import { CompletedProcess } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * const done = new CompletedProcess(["true"], { code: 0, signal: null, success: true }, "", "");
   * assert.ok(done.success);
   * ```
   */
  constructor(argv: readonly string[], status: Deno.CommandStatus, stdout: T, stderr: T) {
    this.argv = argv;
    this.code = status.code;
    this.signal = status.signal;
    this.success = status.success;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  /**
   * Throws a {@linkcode CalledProcessError} if the child did not succeed (Python's
   * `check_returncode()`), and returns the result otherwise, so it chains.
   *
   * @returns This result, when `success` is true.
   * @throws {CalledProcessError} When the exit code is not 0.
   *
   * @example Check later instead of `check: true`
   * ```ts
   * import { CalledProcessError, run } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * const result = await run(["sh", "-c", "exit 2"]);
   * assert.throws(() => result.checkReturncode(), CalledProcessError);
   * assert.equal((await run(["true"])).checkReturncode().code, 0);
   * ```
   */
  checkReturncode(): this {
    if (!this.success) {
      throw new CalledProcessError({
        argv: this.argv,
        code: this.code,
        signal: this.signal,
        stdout: this.stdout,
        stderr: this.stderr,
      });
    }
    return this;
  }
}
