/**
 * The errors of the `subprocess` topic. All of them extend {@linkcode SubprocessError}, so one
 * `instanceof` check catches every failure of a child that ran.
 *
 * @module
 */
import { formatArgv, tail } from "./_format.ts";

/**
 * A SubprocessError is the base class of the errors that describe how a child process failed:
 * {@linkcode CalledProcessError} (it exited unsuccessfully) and {@linkcode TimeoutExpired} (it
 * did not finish in time). Python's `subprocess.SubprocessError` is the model.
 *
 * @example Catch every subprocess failure at once
 * ```ts
 * import { run, SubprocessError } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(run(["false"], { check: true }), SubprocessError);
 * ```
 */
export class SubprocessError extends Error {
  /**
   * Makes a SubprocessError.
   *
   * @param message What went wrong.
   * @param options `cause`: the underlying error, if any.
   *
   * @example Make one
   * ```ts
   * import { SubprocessError } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * const error = new SubprocessError("it broke");
   * assert.equal(error.name, "SubprocessError");
   * ```
   */
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "SubprocessError";
  }
}

/** What a {@linkcode CalledProcessError} is made from: the result of the failed child. */
export interface CalledProcessErrorInit {
  /** The command that was run, program first. */
  argv: readonly string[];
  /** The exit code (128 + the signal number when a signal ended the child). */
  code: number;
  /** The signal that ended the child, or `null` if it exited by itself. */
  signal: Deno.Signal | null;
  /** The child's captured stdout (empty when stdout was not piped). */
  stdout: string | Uint8Array;
  /** The child's captured stderr (empty when stderr was not piped). */
  stderr: string | Uint8Array;
}

/**
 * A CalledProcessError says that a child exited unsuccessfully while the caller asked for a
 * check (`run(argv, { check: true })`, `checkOutput`, `CompletedProcess.checkReturncode()`).
 * It carries the exit `code`, the `signal` that ended the child (if any), the `argv` and what the
 * child wrote. Its message names the command, the exit status and the tail of stderr:
 *
 * ```text
 * Command `sh -c 'echo oops >&2; exit 3'` returned non-zero exit status 3: oops
 * ```
 *
 * @example Read the exit code and stderr
 * ```ts
 * import { CalledProcessError, run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const error = await run(["sh", "-c", "echo oops >&2; exit 3"], { check: true })
 *   .catch((e) => e);
 * assert.ok(error instanceof CalledProcessError);
 * assert.equal(error.code, 3);
 * assert.equal(error.stderr, "oops\n");
 * assert.match(error.message, /exit status 3: oops/);
 * ```
 */
export class CalledProcessError extends SubprocessError {
  /** The command that was run, program first. */
  readonly argv: readonly string[];
  /** The exit code (128 + the signal number when a signal ended the child). */
  readonly code: number;
  /** The signal that ended the child, or `null` if it exited by itself. */
  readonly signal: Deno.Signal | null;
  /** The child's captured stdout (empty when stdout was not piped). */
  readonly stdout: string | Uint8Array;
  /** The child's captured stderr (empty when stderr was not piped). */
  readonly stderr: string | Uint8Array;

  /**
   * Makes a CalledProcessError from the result of a failed child.
   *
   * @param init The command, its exit status and its output.
   *
   * @example Make one by hand
   * ```ts
   * import { CalledProcessError } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * const error = new CalledProcessError({
   *   argv: ["make"],
   *   code: 2,
   *   signal: null,
   *   stdout: "",
   *   stderr: "make: *** No targets.  Stop.\n",
   * });
   * assert.equal(
   *   error.message,
   *   "Command `make` returned non-zero exit status 2: make: *** No targets.  Stop.",
   * );
   * ```
   */
  constructor(init: CalledProcessErrorInit) {
    const status = init.signal === null
      ? `returned non-zero exit status ${init.code}`
      : `died with ${init.signal} (exit status ${init.code})`;
    const last = tail(init.stderr);
    super(`Command \`${formatArgv(init.argv)}\` ${status}${last ? `: ${last}` : ""}`);
    this.name = "CalledProcessError";
    this.argv = init.argv;
    this.code = init.code;
    this.signal = init.signal;
    this.stdout = init.stdout;
    this.stderr = init.stderr;
  }
}

/** What a {@linkcode TimeoutExpired} is made from. */
export interface TimeoutExpiredInit {
  /** The command that was run, program first. */
  argv: readonly string[];
  /** The timeout that expired, in milliseconds. */
  timeout: number;
  /** What the child wrote to stdout before the timeout (empty when not piped or not read). */
  stdout: string | Uint8Array;
  /** What the child wrote to stderr before the timeout (empty when not piped or not read). */
  stderr: string | Uint8Array;
  /** The exit code of the stopped child; `null` (the default) while it still runs. */
  code?: number | null;
  /** The signal that ended the stopped child, or `null` (the default). */
  signal?: Deno.Signal | null;
}

/** How a stopped child ended, for a message: "; it was ended by SIGTERM". */
function ending(code: number | null, signal: Deno.Signal | null): string {
  if (signal !== null) return `; it was ended by ${signal}`;
  if (code !== null) return `; it exited with status ${code}`;
  return "";
}

/**
 * A TimeoutExpired says that a child did not finish within a timeout. It carries the `argv`, the
 * `timeout` in milliseconds and the output captured before the timeout, so a slow child still
 * tells you how far it got.
 *
 * Who kills the child depends on the call, as in Python: `run()` stops and reaps it before
 * rejecting, and then `code` and `signal` say how it ended: `signal` equal to `killSignal` (or a
 * `code` of the child's choosing) means the polite signal worked, `"SIGKILL"` means the child
 * ignored it for `forceKillAfterDelay` ms and was killed. `Subprocess.wait()` and
 * `Subprocess.communicate()` leave the child running (both are `null`), so you can wait again or
 * kill it; leaving `await using` stops and reaps it.
 *
 * @example See how far a slow child got
 * ```ts
 * import { run, TimeoutExpired } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const error = await run(["sh", "-c", "echo started; exec sleep 10"], { timeout: 500 })
 *   .catch((e) => e);
 * assert.ok(error instanceof TimeoutExpired);
 * assert.equal(error.timeout, 500);
 * assert.equal(error.stdout, "started\n");
 * assert.equal(error.signal, "SIGTERM"); // stopped politely: no SIGKILL was needed
 * ```
 */
export class TimeoutExpired extends SubprocessError {
  /** The command that was run, program first. */
  readonly argv: readonly string[];
  /** The timeout that expired, in milliseconds. */
  readonly timeout: number;
  /** What the child wrote to stdout before the timeout (empty when not piped or not read). */
  readonly stdout: string | Uint8Array;
  /** What the child wrote to stderr before the timeout (empty when not piped or not read). */
  readonly stderr: string | Uint8Array;
  /** The exit code of a child that was stopped (`run()`), or `null` if it still runs. */
  readonly code: number | null;
  /** The signal that ended a stopped child, or `null` (still running, or it exited itself). */
  readonly signal: Deno.Signal | null;

  /**
   * Makes a TimeoutExpired.
   *
   * @param init The command, the timeout and the output so far.
   *
   * @example Make one by hand
   * ```ts
   * import { TimeoutExpired } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * const error = new TimeoutExpired({ argv: ["sleep", "10"], timeout: 100, stdout: "", stderr: "" });
   * assert.equal(error.message, "Command `sleep 10` timed out after 100 ms");
   * ```
   */
  constructor(init: TimeoutExpiredInit) {
    const code = init.code ?? null;
    const signal = init.signal ?? null;
    super(
      `Command \`${formatArgv(init.argv)}\` timed out after ${init.timeout} ms${
        ending(code, signal)
      }`,
    );
    this.name = "TimeoutExpired";
    this.argv = init.argv;
    this.timeout = init.timeout;
    this.stdout = init.stdout;
    this.stderr = init.stderr;
    this.code = code;
    this.signal = signal;
  }
}

/** What a {@linkcode MaxBufferExceeded} is made from. */
export interface MaxBufferExceededInit {
  /** The command that was run, program first. */
  argv: readonly string[];
  /** The limit, in bytes per stream. */
  maxBuffer: number;
  /** The stream that passed the limit. */
  stream: "stdout" | "stderr";
  /** What was kept of stdout: at most `maxBuffer` bytes. */
  stdout: string | Uint8Array;
  /** What was kept of stderr: at most `maxBuffer` bytes. */
  stderr: string | Uint8Array;
  /** The exit code of the stopped child. */
  code: number;
  /** The signal that ended the stopped child, or `null` if it exited itself. */
  signal: Deno.Signal | null;
}

/**
 * A MaxBufferExceeded says that a child wrote more than `maxBuffer` bytes to a captured stream
 * (execa's `maxBuffer`). The child was stopped (`killSignal`, then `SIGKILL` after
 * `forceKillAfterDelay`) and reaped; the error carries the first `maxBuffer` bytes of each stream
 * and how the child ended, so a chatty child cannot exhaust the parent's memory.
 *
 * @example Cap what a child may write
 * ```ts
 * import { MaxBufferExceeded, run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const error = await run(["yes"], { maxBuffer: 1000 }).catch((e) => e);
 * assert.ok(error instanceof MaxBufferExceeded);
 * assert.equal(error.stream, "stdout");
 * assert.equal(error.stdout, "y\n".repeat(500));
 * ```
 */
export class MaxBufferExceeded extends SubprocessError {
  /** The command that was run, program first. */
  readonly argv: readonly string[];
  /** The limit, in bytes per stream. */
  readonly maxBuffer: number;
  /** The stream that passed the limit. */
  readonly stream: "stdout" | "stderr";
  /** What was kept of stdout: at most `maxBuffer` bytes. */
  readonly stdout: string | Uint8Array;
  /** What was kept of stderr: at most `maxBuffer` bytes. */
  readonly stderr: string | Uint8Array;
  /** The exit code of the stopped child. */
  readonly code: number;
  /** The signal that ended the stopped child, or `null` if it exited itself. */
  readonly signal: Deno.Signal | null;

  /**
   * Makes a MaxBufferExceeded.
   *
   * @param init The command, the limit, the stream, the output kept and how the child ended.
   *
   * @example Make one by hand
   * ```ts
   * import { MaxBufferExceeded } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * const error = new MaxBufferExceeded({
   *   argv: ["yes"],
   *   maxBuffer: 4,
   *   stream: "stdout",
   *   stdout: "y\ny\n",
   *   stderr: "",
   *   code: 143,
   *   signal: "SIGTERM",
   * });
   * assert.equal(
   *   error.message,
   *   "Command `yes` wrote more than maxBuffer (4 bytes) to stdout; it was ended by SIGTERM",
   * );
   * ```
   */
  constructor(init: MaxBufferExceededInit) {
    super(
      `Command \`${
        formatArgv(init.argv)
      }\` wrote more than maxBuffer (${init.maxBuffer} bytes) to ${init.stream}${
        ending(init.code, init.signal)
      }`,
    );
    this.name = "MaxBufferExceeded";
    this.argv = init.argv;
    this.maxBuffer = init.maxBuffer;
    this.stream = init.stream;
    this.stdout = init.stdout;
    this.stderr = init.stderr;
    this.code = init.code;
    this.signal = init.signal;
  }
}
