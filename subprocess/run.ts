import { command, explainSpawnError } from "./_spawn.ts";
import {
  checkArgv,
  checkBoolean,
  checkInput,
  checkMs,
  checkOptions,
  checkProcessOptions,
  checkSignal,
} from "./_validate.ts";
import { CompletedProcess } from "./completed_process.ts";
import {
  type Encoding,
  type OutputOf,
  type ProcessOptions,
  type Stdio,
  Subprocess,
} from "./subprocess.ts";

/** Options for {@linkcode run} and {@linkcode checkOutput}. */
export interface RunOptions<E extends Encoding = Encoding> extends ProcessOptions<E> {
  /**
   * How the child's stdin is connected when there is no `input`. With `input`, stdin is a pipe
   * that receives it.
   *
   * @default {"null"}
   */
  stdin?: Stdio;
  /** How the child's stdout is connected; `"piped"` captures it into `stdout`. @default {"piped"} */
  stdout?: Stdio;
  /** How the child's stderr is connected; `"piped"` captures it into `stderr`. @default {"piped"} */
  stderr?: Stdio;
  /**
   * Data for the child's stdin: a string (sent as UTF-8), bytes, or a stream of bytes. It is
   * written while the output is read, so large inputs and outputs never deadlock, and a child
   * that exits without reading it all is not an error.
   */
  input?: string | Uint8Array | ReadableStream<Uint8Array>;
  /** Reject with a {@linkcode CalledProcessError} when the child exits unsuccessfully. @default {false} */
  check?: boolean;
  /**
   * The most milliseconds the child may take. When they pass, the child gets `killSignal`, then
   * `SIGKILL` after `forceKillAfterDelay`, is reaped, and the call rejects with a
   * {@linkcode TimeoutExpired} that carries the output captured so far.
   */
  timeout?: number;
  /**
   * Aborting it stops the child like a timeout does, then rejects with `signal.reason`. If it is
   * already aborted, nothing is spawned.
   */
  signal?: AbortSignal;
}

const decoder = new TextDecoder();

/**
 * Runs a command, waits for it to finish and returns a {@linkcode CompletedProcess} with its exit
 * status and output (Python's `subprocess.run`). By default stdout and stderr are captured and
 * decoded as UTF-8 text; `encoding: "bytes"` returns them as `Uint8Array`s, and `"inherit"` or
 * `"null"` lets them through or drops them. stdin is `/dev/null` unless you give `input`.
 * `argv[0]` is looked up on `PATH`; no shell is involved, so arguments need no quoting.
 *
 * A non-zero exit is not an error unless `check: true`, which rejects with a
 * {@linkcode CalledProcessError}. With `timeout` or `signal` the child is stopped when they fire:
 * it gets `killSignal` (default `SIGTERM`), then `SIGKILL` after `forceKillAfterDelay` (default
 * 1000 ms), and is reaped before the call rejects, with a {@linkcode TimeoutExpired} (carrying
 * the output so far) or with `signal.reason`. A signal that is already aborted rejects without
 * spawning anything.
 *
 * Without `input`, `timeout` and `signal`, `run` is a thin layer over
 * `new Deno.Command(...).output()`, with no extra streams or timers.
 *
 * @typeParam E The `encoding`, which sets the type of `stdout` and `stderr`.
 * @param argv The program and its arguments: a non-empty array of strings.
 * @param options Input, output capture, checking, timeout and cancellation.
 * @returns The exit status and the captured output.
 * @throws {CalledProcessError} With `check: true`, if the child exits unsuccessfully.
 * @throws {TimeoutExpired} If `timeout` ms pass before the child finishes.
 * @throws {TypeError} If `argv` is not a non-empty array of strings or an option has the wrong type.
 * @throws {RangeError} If `timeout` or `forceKillAfterDelay` is negative, NaN or infinite.
 * @throws {Deno.errors.NotFound} If the program (or the `cwd`) does not exist; the message names it.
 * @throws {Deno.errors.PermissionDenied} If the program cannot be executed; the message names it.
 *
 * @example Capture the output of a command
 * ```ts
 * import { run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const result = await run(["echo", "Hello from the child!"]);
 * assert.equal(result.stdout, "Hello from the child!\n");
 * assert.equal(result.code, 0);
 * ```
 *
 * @example Feed input, check the exit, bound the time
 * ```ts
 * import { run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const { stdout } = await run(["sort"], { input: "b\na\n", check: true, timeout: 5000 });
 * assert.equal(stdout, "a\nb\n");
 * ```
 *
 * @example Raw bytes
 * ```ts
 * import { run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const { stdout } = await run(["printf", "\\377"], { encoding: "bytes" });
 * assert.deepEqual(stdout, new Uint8Array([255]));
 * ```
 */
export async function run<E extends Encoding = "utf-8">(
  argv: readonly string[],
  options?: RunOptions<E>,
): Promise<CompletedProcess<OutputOf<E>>> {
  const what = "Cannot run";
  checkArgv(what, argv);
  checkOptions(what, options);
  const opts: RunOptions<E> = options ?? {};
  checkProcessOptions(what, opts);
  const { input, timeout, signal, check } = opts;
  checkInput(what, input);
  checkMs(what, "timeout", timeout);
  checkSignal(what, signal);
  checkBoolean(what, "check", check);
  if (input !== undefined && opts.stdin !== undefined && opts.stdin !== "piped") {
    throw new TypeError(`${what}: 'input' and 'stdin: "${opts.stdin}"' cannot be used together`);
  }
  if (signal?.aborted) throw signal.reason;
  const stdout = opts.stdout ?? "piped";
  const stderr = opts.stderr ?? "piped";

  let result: CompletedProcess<OutputOf<E>>;
  if (
    input === undefined && timeout === undefined && signal === undefined && opts.stdin !== "piped"
  ) {
    // The fast path: Deno collects the output natively.
    let output: Deno.CommandOutput;
    try {
      output = await command(argv, {
        cwd: opts.cwd,
        env: opts.env,
        clearEnv: opts.clearEnv,
        stdin: opts.stdin ?? "null",
        stdout,
        stderr,
      }).output();
    } catch (error) {
      throw explainSpawnError(argv[0], opts.cwd, error);
    }
    const bytes = opts.encoding === "bytes";
    const decode = (piped: boolean, data: () => Uint8Array) =>
      (piped
        ? (bytes ? data() : decoder.decode(data()))
        : (bytes ? new Uint8Array(0) : "")) as OutputOf<E>;
    result = new CompletedProcess(
      Object.freeze([...argv]),
      output,
      decode(stdout === "piped", () => output.stdout),
      decode(stderr === "piped", () => output.stderr),
    );
  } else {
    await using child = new Subprocess<OutputOf<E>>(argv, {
      ...opts,
      stdin: input !== undefined ? "piped" : opts.stdin ?? "null",
      stdout,
      stderr,
    });
    result = await child.communicate({ input, timeout, signal });
  }
  return check ? result.checkReturncode() : result;
}

/**
 * Runs a command and returns its stdout, rejecting with a {@linkcode CalledProcessError} if it
 * exits unsuccessfully: `run(argv, { ...options, check: true })` then `.stdout` (Python's
 * `subprocess.check_output`). The error carries stderr and names the command, so a failure says
 * what went wrong.
 *
 * @typeParam E The `encoding`, which sets the return type.
 * @param argv The program and its arguments: a non-empty array of strings.
 * @param options As for {@linkcode run}; `check` is always on.
 * @returns The captured stdout.
 * @throws {CalledProcessError} If the child exits unsuccessfully.
 * @throws {TimeoutExpired} If `timeout` ms pass before the child finishes.
 * @throws {TypeError} If `argv` is not a non-empty array of strings or an option has the wrong type.
 * @throws {RangeError} If `timeout` or `forceKillAfterDelay` is negative, NaN or infinite.
 * @throws {Deno.errors.NotFound} If the program (or the `cwd`) does not exist; the message names it.
 *
 * @example Use a command's output
 * ```ts
 * import { CalledProcessError, checkOutput } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * assert.equal(await checkOutput(["echo", "42"]), "42\n");
 * await assert.rejects(checkOutput(["sh", "-c", "exit 1"]), CalledProcessError);
 * ```
 */
export async function checkOutput<E extends Encoding = "utf-8">(
  argv: readonly string[],
  options?: Omit<RunOptions<E>, "check">,
): Promise<OutputOf<E>> {
  checkOptions("Cannot run", options);
  return (await run<E>(argv, { ...options, check: true })).stdout;
}
