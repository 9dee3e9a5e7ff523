import { invalid } from "./_options.ts";
import { command, explainSpawnError } from "./_spawn.ts";
import { checkArgv, type ProcessConfig, readRunOptions, type RunConfig } from "./_validate.ts";
import { CompletedProcess } from "./completed_process.ts";
import { TimeoutExpired } from "./errors.ts";
import { Subprocess } from "./subprocess.ts";
import type { Encoding, OutputOf, ProcessOptions, SpawnOptions, Stdio } from "./types.ts";

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
  /**
   * How the child's stderr is connected; `"piped"` captures it into `stderr`, `"stdout"` into
   * `stdout`, in the order the child wrote (Python's `stderr=STDOUT`, execa's `all`).
   *
   * @default {"piped"}
   */
  stderr?: Stdio | "stdout";
  /**
   * Data for the child's stdin: a string (sent as UTF-8), bytes, or a stream of bytes. It is
   * written while the output is read, so large inputs and outputs never deadlock, and a child
   * that exits without reading it all is not an error. A stream is fed until it ends or the
   * child exits; pass another child's `stdout` to pipe one into the other (see the module docs).
   */
  input?: string | Uint8Array | ReadableStream<Uint8Array>;
  /** Reject with a {@linkcode CalledProcessError} when the child exits unsuccessfully. @default {false} */
  check?: boolean;
  /**
   * The most milliseconds the child may take. When they pass, the child gets `killSignal`, then
   * `SIGKILL` after `forceKillAfterDelay`, is reaped, and the call rejects with a
   * {@linkcode TimeoutExpired} that carries all the output captured and how the child ended
   * (`code`, `signal`). `Infinity` means no limit.
   */
  timeout?: number;
  /**
   * Aborting it stops the child like a timeout does, then rejects with `signal.reason`. If it is
   * already aborted, nothing is spawned.
   */
  signal?: AbortSignal;
}

const decoder = new TextDecoder();

/** The spawn options that carry `config` (already checked) on to the Subprocess. */
function spawnOptions(config: ProcessConfig, stdio: SpawnOptions): SpawnOptions {
  return {
    cwd: config.cwd,
    env: config.env,
    clearEnv: config.clearEnv,
    uid: config.uid,
    gid: config.gid,
    detached: config.detached,
    processGroup: config.processGroup,
    encoding: config.encoding,
    killSignal: config.killSignal,
    forceKillAfterDelay: config.forceKillAfterDelay,
    maxBuffer: config.maxBuffer,
    ...stdio,
  };
}

/**
 * Runs a command, waits for it to finish and returns a {@linkcode CompletedProcess} with its exit
 * status and output (Python's `subprocess.run`). By default stdout and stderr are captured and
 * decoded as UTF-8 text; `encoding: "bytes"` returns them as `Uint8Array`s, and `"inherit"` or
 * `"null"` lets them through or drops them. stdin is `/dev/null` unless you give `input`.
 * `argv[0]` is looked up on `PATH`; no shell is involved, so arguments need no quoting.
 *
 * A non-zero exit is not an error unless `check: true`, which rejects with a
 * {@linkcode CalledProcessError}.
 *
 * **Cancellation**: With `timeout` or `signal` the child is stopped when they fire: it gets
 * `killSignal` (default `SIGTERM`), then `SIGKILL` after `forceKillAfterDelay` (default 1000 ms),
 * and is reaped before the call rejects, with a {@linkcode TimeoutExpired} (carrying the output
 * and how the child ended) or with `signal.reason`. A signal that is already aborted rejects
 * without spawning anything. Only the child is stopped, unless `processGroup: true`.
 *
 * Without `input`, `timeout`, `signal`, `maxBuffer` and `processGroup`, `run` is a thin layer
 * over `new Deno.Command(...).output()`, with no extra streams or timers.
 *
 * @typeParam E The `encoding`, which sets the type of `stdout` and `stderr`.
 * @param argv The program and its arguments: a non-empty array of strings.
 * @param options Input, output capture, checking, timeout and cancellation.
 * @returns The exit status and the captured output.
 * @throws {CalledProcessError} With `check: true`, if the child exits unsuccessfully.
 * @throws {TimeoutExpired} If `timeout` ms pass before the child finishes.
 * @throws {MaxBufferExceeded} If the child wrote more than `maxBuffer` bytes to a captured stream.
 * @throws {TypeError} If `argv` is not a non-empty array of strings, an option has the wrong
 * type, or an option does not exist (the message names it and what to use instead).
 * @throws {RangeError} If `timeout`, `forceKillAfterDelay`, `maxBuffer`, `uid` or `gid` is out
 * of range.
 * @throws {Deno.errors.NotFound} If the program does not exist, or the `cwd` does not exist or
 * is not a directory; the message names which.
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
 * @example Merge stderr into stdout, in the order written
 * ```ts
 * import { run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const { stdout } = await run(["sh", "-c", "echo one; echo two >&2; echo three"], {
 *   stderr: "stdout",
 * });
 * assert.equal(stdout, "one\ntwo\nthree\n");
 * ```
 *
 * @example Stop the child and everything it started
 * ```ts
 * import { run, TimeoutExpired } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * // Without processGroup, the background sleep would survive and keep stdout open.
 * const error = await run(["sh", "-c", "sleep 60 & sleep 60"], {
 *   timeout: 100,
 *   processGroup: true,
 *   forceKillAfterDelay: 100,
 * }).catch((e) => e);
 * assert.ok(error instanceof TimeoutExpired);
 * assert.equal(error.signal, "SIGTERM"); // the polite signal worked
 * ```
 *
 * @example Run as a user and group (here: our own)
 * ```ts
 * import { run } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * const { stdout } = await run(["id", "-u"], { uid: Deno.uid()!, gid: Deno.gid()! });
 * assert.equal(stdout.trim(), String(Deno.uid()));
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
  const call = "run()";
  const args = checkArgv(call, argv);
  return await runChecked<OutputOf<E>>(args, readRunOptions(call, options));
}

async function runChecked<T extends string | Uint8Array>(
  argv: readonly string[],
  config: RunConfig,
): Promise<CompletedProcess<T>> {
  const { input, timeout, signal, check } = config;
  if (signal?.aborted) throw signal.reason;
  const stdout = config.stdout ?? "piped";
  const stderr = config.stderr ?? "piped";
  const result = input === undefined && timeout === undefined && signal === undefined &&
      config.stdin !== "piped" && config.maxBuffer === undefined && !config.processGroup &&
      !config.detached
    ? await runNative<T>(argv, config, stdout)
    : await runSpawned<T>(argv, config, stdout, stderr);
  return check === true ? result.checkReturncode() : result;
}

/** The fast path: Deno collects the output natively. */
async function runNative<T extends string | Uint8Array>(
  argv: readonly string[],
  config: RunConfig,
  stdout: Stdio,
): Promise<CompletedProcess<T>> {
  const stderr = config.stderr ?? "piped";
  let output: Deno.CommandOutput;
  try {
    output = await command(argv, { ...config, stderr }, { stdin: config.stdin ?? "null", stdout })
      .output();
  } catch (error) {
    throw explainSpawnError(argv[0] as string, config.cwd, error);
  }
  const bytes = config.encoding === "bytes";
  const decode = (piped: boolean, data: () => Uint8Array) =>
    (piped ? (bytes ? data() : decoder.decode(data())) : (bytes ? new Uint8Array(0) : "")) as T;
  return new CompletedProcess(
    argv,
    output,
    decode(stdout === "piped", () => output.stdout),
    decode(stderr === "piped", () => output.stderr),
  );
}

async function runSpawned<T extends string | Uint8Array>(
  argv: readonly string[],
  config: RunConfig,
  stdout: Stdio,
  stderr: Stdio | "stdout",
): Promise<CompletedProcess<T>> {
  const { input, timeout, signal } = config;
  await using child = new Subprocess<T>(
    argv,
    spawnOptions(config, {
      stdin: input !== undefined ? "piped" : config.stdin ?? "null",
      stdout,
      stderr,
    }),
  );
  try {
    return await child.communicate({ input, timeout, signal });
  } catch (error) {
    if (!(error instanceof TimeoutExpired)) throw error;
    // Stop the child, then report all it wrote and how it ended (as Python's run() does).
    await child[Symbol.asyncDispose]();
    const final = await child.communicate().catch(() => undefined);
    if (final === undefined) throw error;
    throw new TimeoutExpired({
      argv,
      timeout: error.timeout,
      stdout: final.stdout,
      stderr: final.stderr,
      code: final.code,
      signal: final.signal,
    });
  }
}

/**
 * Runs a command and returns its stdout, rejecting with a {@linkcode CalledProcessError} if it
 * exits unsuccessfully: `run(argv, { ...options, check: true })` then `.stdout` (Python's
 * `subprocess.check_output`). The error carries stderr and names the command, so a failure says
 * what went wrong.
 *
 * **Cancellation**: As for {@linkcode run}: `timeout` and `signal` stop the child, reap it, and
 * reject with a {@linkcode TimeoutExpired} or `signal.reason`.
 *
 * @typeParam E The `encoding`, which sets the return type.
 * @param argv The program and its arguments: a non-empty array of strings.
 * @param options As for {@linkcode run}; `check` is always on, and `stdout` must be captured
 * (`"piped"`, the default): `stdout: "null"` or `check: false` are refused as contradictions.
 * @returns The captured stdout.
 * @throws {CalledProcessError} If the child exits unsuccessfully.
 * @throws {TimeoutExpired} If `timeout` ms pass before the child finishes.
 * @throws {TypeError} If `argv` is not a non-empty array of strings or an option has the wrong type.
 * @throws {RangeError} If `timeout`, `forceKillAfterDelay`, `maxBuffer`, `uid` or `gid` is out
 * of range.
 * @throws {Deno.errors.NotFound} If the program or the `cwd` is missing (or the `cwd` is a file).
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
  const call = "checkOutput()";
  const args = checkArgv(call, argv);
  const config = readRunOptions(call, options);
  // Options that contradict the call: it returns stdout, and it always checks.
  if (config.stdout !== undefined && config.stdout !== "piped") {
    throw invalid(
      call,
      "stdout",
      `"piped" or left out (checkOutput() returns stdout)`,
      config.stdout,
    );
  }
  if (config.check === false) {
    throw invalid(call, "check", "true or left out (checkOutput() always checks)", false);
  }
  return (await runChecked<OutputOf<E>>(args, { ...config, check: true })).stdout;
}
