import { Collector } from "./_collect.ts";
import { type Communication, drainPipes, feedStdin } from "./_communication.ts";
import { groupAlive } from "./_group.ts";
import { readLines } from "./_lines.ts";
import { readOptions, readWait } from "./_options.ts";
import type { SignalLike } from "./_signals.ts";
import { checkSignalName } from "./_signals.ts";
import { command, explainSpawnError } from "./_spawn.ts";
import { sleep, within } from "./_timer.ts";
import { checkArgv, checkInput, readSpawnOptions, refuseUnknown, SPAWN_ONLY } from "./_validate.ts";
import { CompletedProcess } from "./completed_process.ts";
import { MaxBufferExceeded, TimeoutExpired } from "./errors.ts";
import type { CommunicateOptions, Signal, SpawnOptions, WaitOptions } from "./types.ts";

const decoder = new TextDecoder();
/** How often to look whether a stopped process group is empty yet. */
const GROUP_POLL_MS = 10;

/**
 * A Subprocess is a running child process you talk to: Python's `Popen`. Make one with
 * {@linkcode spawn} (or `new Subprocess(argv, options)`). It gives you the child's `pid`, its
 * piped `stdin`/`stdout`/`stderr` streams, a non-blocking {@linkcode Subprocess.poll}, a
 * {@linkcode Subprocess.wait} and a {@linkcode Subprocess.communicate} with timeouts, and
 * {@linkcode Subprocess.lines} to read stdout line by line.
 *
 * Declare it with `await using`: leaving the block kills a child that is still running
 * (`killSignal`, then `SIGKILL` after `forceKillAfterDelay`), reaps it and closes its pipes, so
 * no zombie or open pipe is left behind, even when the block throws.
 *
 * @typeParam T The type of captured output: `string`, or `Uint8Array` with `encoding: "bytes"`.
 *
 * @example Talk to a child through its pipes
 * ```ts
 * import { spawn } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * await using child = spawn(["tr", "a-z", "A-Z"], { stdin: "piped", stdout: "piped" });
 * const { stdout, code } = await child.communicate({ input: "hello" });
 * assert.equal(stdout, "HELLO");
 * assert.equal(code, 0);
 * ```
 */
export class Subprocess<T extends string | Uint8Array = string> implements AsyncDisposable {
  /** The command, program first, as given. */
  readonly argv: readonly string[];
  /** The operating system's process id of the child. */
  readonly pid: number;
  /** The child's stdin, or `null` unless it was spawned with `stdin: "piped"`. */
  readonly stdin: WritableStream<Uint8Array> | null;
  /** The child's stdout, or `null` unless it was spawned with `stdout: "piped"`. */
  readonly stdout: ReadableStream<Uint8Array> | null;
  /** The child's stderr, or `null` unless it was spawned with `stderr: "piped"`. */
  readonly stderr: ReadableStream<Uint8Array> | null;

  #child: Deno.ChildProcess;
  #status: Deno.CommandStatus | null = null;
  #exited: Promise<Deno.CommandStatus>;
  #bytes: boolean;
  #killSignal: SignalLike;
  #grace: number | false;
  #processGroup: boolean;
  /** Set once the group was seen empty (or only dead): it is never signalled again. */
  #groupGone = false;
  #maxBuffer: number | undefined;
  #overflow: "stdout" | "stderr" | undefined;
  #stopping: Promise<void> | undefined;
  #communication: Communication | undefined;
  #lineReaders = new Set<ReadableStreamDefaultReader<Uint8Array>>();

  /**
   * Starts `argv[0]` with the arguments `argv.slice(1)`: the same as {@linkcode spawn}, which
   * also infers the output type from `encoding`. The program is looked up on `PATH`; no shell is
   * involved, so arguments need no quoting.
   *
   * @param argv The program and its arguments: a non-empty array of strings without NUL.
   * @param options How to connect the pipes, the environment, and how to stop the child.
   * @throws {TypeError} If `argv` is not a non-empty array of strings, an option has the wrong
   * type, or an option does not exist (the message names it and what to use instead).
   * @throws {RangeError} If `forceKillAfterDelay`, `maxBuffer`, `uid` or `gid` is out of range.
   * @throws {Deno.errors.NotFound} If the program does not exist, or the `cwd` does not exist or
   * is not a directory; the message names which.
   * @throws {Deno.errors.PermissionDenied} If the program cannot be executed; the message names it.
   *
   * @example Start a child with the constructor
   * ```ts
   * import { Subprocess } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = new Subprocess(["true"]);
   * assert.equal((await child.wait()).code, 0);
   * ```
   */
  constructor(argv: readonly string[], options?: SpawnOptions) {
    const call = "spawn()";
    this.argv = checkArgv(call, argv);
    const config = readSpawnOptions(call, options);
    this.#bytes = config.encoding === "bytes";
    this.#killSignal = config.killSignal;
    this.#grace = config.forceKillAfterDelay;
    this.#processGroup = config.processGroup;
    this.#maxBuffer = config.maxBuffer;
    const stdin = config.stdin ?? "inherit";
    const stdout = config.stdout ?? "inherit";
    let child: Deno.ChildProcess;
    try {
      child = command(this.argv, config, { stdin, stdout }).spawn();
    } catch (error) {
      throw explainSpawnError(this.argv[0] as string, config.cwd, error);
    }
    this.#child = child;
    this.pid = child.pid;
    this.stdin = stdin === "piped" ? child.stdin : null;
    this.stdout = stdout === "piped" ? child.stdout : null;
    this.stderr = config.stderr === "piped" ? child.stderr : null;
    this.#exited = child.status.then((status) => (this.#status = status));
  }

  /**
   * Checks whether the child has exited, without waiting: returns its exit code, or `null` while
   * it is still running (Python's `Popen.poll()`). A child ended by a signal reports 128 + the
   * signal number; {@linkcode Subprocess.wait} also tells you the signal's name.
   *
   * The exit is noticed asynchronously, so `poll()` turns non-null only after the event loop has
   * had a turn since the child exited: poll between `await`s, as the example does.
   *
   * @returns The exit code, or `null` if the child is still running.
   *
   * @example Do other work while the child runs
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["sleep", "0.1"]);
   * let turns = 0;
   * while (child.poll() === null) {
   *   turns++; // some time-consuming work here
   *   await new Promise((resolve) => setTimeout(resolve, 20));
   * }
   * assert.equal(child.poll(), 0);
   * assert.ok(turns > 0);
   * ```
   */
  poll(): number | null {
    return this.#status === null ? null : this.#status.code;
  }

  /**
   * Waits for the child to exit and returns its status: `code`, `signal` (the name of the signal
   * that ended it, or `null`) and `success`.
   *
   * This only waits for the exit; it does not read the pipes. A child that writes more than a
   * pipe holds (64 KiB on Linux) to a piped stdout nobody reads blocks forever, and so does this
   * wait: use {@linkcode Subprocess.communicate} when output is piped.
   *
   * Any number of callers may wait at once; all see the same status.
   *
   * **Cancellation**: On `timeout` the call rejects with a {@linkcode TimeoutExpired} (its `code`
   * and `signal` are `null`: the child still runs) and on abort with `signal.reason`; an
   * already-aborted signal rejects at once. In every case only the waiting stops: the child keeps
   * running (as with Python's `wait(timeout)`), so you can wait again, kill it, or let
   * `await using` stop and reap it.
   *
   * @param options `timeout` in milliseconds and an abort `signal`.
   * @returns The exit status.
   * @throws {TimeoutExpired} If `timeout` ms pass before the child exits.
   * @throws {TypeError} If an option has the wrong type.
   * @throws {RangeError} If `timeout` is negative, NaN or above 2147483647 (`Infinity` means no timeout).
   *
   * @example Wait with a timeout, then stop the child
   * ```ts
   * import { spawn, TimeoutExpired } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["sleep", "10"]);
   * await assert.rejects(child.wait({ timeout: 50 }), TimeoutExpired);
   * child.kill();
   * assert.equal((await child.wait()).signal, "SIGKILL");
   * ```
   */
  async wait(options?: WaitOptions): Promise<Deno.CommandStatus> {
    const call = "Subprocess.wait()";
    refuseUnknown(call, readOptions(call, options), ["timeout", "signal"], SPAWN_ONLY);
    const wait = readWait(call, options);
    return await within(call, this.#exited, wait, () =>
      new TimeoutExpired({
        argv: this.argv,
        timeout: wait.timeout as number,
        stdout: this.#empty(),
        stderr: this.#empty(),
      }));
  }

  /**
   * Sends `input` to the child's stdin and closes it, reads stdout and stderr to their end, waits
   * for the child to exit, and returns everything as a {@linkcode CompletedProcess} (Python's
   * `Popen.communicate()`).
   *
   * The three pipes are served **concurrently**. Doing them one after the other deadlocks as soon
   * as the output outgrows a pipe's buffer: the child blocks writing stderr while the parent
   * blocks writing stdin or reading stdout. A child that exits without reading all of its input
   * is fine: the broken pipe is expected and ignored. Only piped streams are read; the others
   * come back empty. Once `communicate` has started, leave the streams to it.
   *
   * Calls share one exchange: a second (or concurrent) call does not read anything again, it
   * waits for the same end and gets the same output, which is how a call that timed out is
   * resumed.
   *
   * A `ReadableStream` input (another child's `stdout`, say) is fed until it ends or until the
   * child exits, whichever comes first: then the stream is cancelled, so an endless stream never
   * holds the call up. A stdin you already closed yourself is fine when there is no `input`
   * (Python's gh-70560); `input` for it is refused.
   *
   * With `maxBuffer`, a stream that passes it stops the child (`killSignal`, then `SIGKILL`) and
   * every call rejects with a {@linkcode MaxBufferExceeded} carrying what was kept.
   *
   * **Cancellation**: On `timeout` the call rejects with a {@linkcode TimeoutExpired} carrying
   * the output read so far (its `code` and `signal` are `null`: the child still runs); on abort
   * it rejects with `signal.reason`, at once if the signal is already aborted. The child is
   * **not** killed and the reading goes on, as in Python: call `communicate()` again (without
   * `input`) to resume, or kill the child; leaving `await using` stops and reaps it and closes
   * the pipes.
   *
   * @param options `input` for stdin, `timeout` in milliseconds and an abort `signal`.
   * @returns The exit status and the captured output.
   * @throws {TimeoutExpired} If `timeout` ms pass first; it carries the output so far.
   * @throws {MaxBufferExceeded} If a stream passed `maxBuffer`; the child was stopped.
   * @throws {TypeError} If an option has the wrong type, if `input` is given but stdin is not
   * piped (or already closed), or if `input` is given to a second call.
   * @throws {RangeError} If `timeout` is negative or NaN.
   *
   * @example Feed stdin and collect stdout and stderr together
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["sh", "-c", "wc -c; echo done >&2"], {
   *   stdin: "piped",
   *   stdout: "piped",
   *   stderr: "piped",
   * });
   * const result = await child.communicate({ input: "x".repeat(1_000_000), timeout: 10_000 });
   * assert.equal(result.stdout.trim(), "1000000");
   * assert.equal(result.stderr, "done\n");
   * ```
   */
  async communicate(options?: CommunicateOptions): Promise<CompletedProcess<T>> {
    const call = "Subprocess.communicate()";
    const opts = readOptions(call, options);
    refuseUnknown(call, opts, ["input", "timeout", "signal"], SPAWN_ONLY);
    const input = checkInput(call, opts.input);
    const wait = readWait(call, opts);
    if (input !== undefined) {
      if (this.stdin === null) {
        throw new TypeError(`${call}: 'input' needs a piped stdin; spawn with { stdin: "piped" }`);
      }
      if (this.#communication !== undefined) {
        throw new TypeError(`${call}: 'input' can only be given to the first communicate() call`);
      }
      if (this.stdin.locked) {
        throw new TypeError(`${call}: 'input' cannot be sent, stdin is locked by another writer`);
      }
    }
    for (const [name, stream] of [["stdout", this.stdout], ["stderr", this.stderr]] as const) {
      if (this.#communication === undefined && stream?.locked) {
        throw new TypeError(`${call}: '${name}' is already being read by another reader`);
      }
    }
    if (wait.signal?.aborted) throw wait.signal.reason;
    const communication = this.#communication ??= this.#communicate(input);
    const status = await within(call, communication.done, wait, () =>
      new TimeoutExpired({
        argv: this.argv,
        timeout: wait.timeout as number,
        stdout: this.#output(communication.out),
        stderr: this.#output(communication.err),
      }));
    return new CompletedProcess<T>(
      this.argv,
      status,
      this.#output(communication.out),
      this.#output(communication.err),
    );
  }

  /**
   * Sends a signal to the child (Python's `Popen.send_signal()`/`kill()`). Without an argument it
   * sends `SIGKILL`, which cannot be ignored, as Python's `kill()` does; use
   * {@linkcode Subprocess.terminate} for a polite `SIGTERM`. Does nothing if the child has already
   * exited. Sending a signal does not reap the child: `await child.wait()` (or `await using`)
   * does. With `processGroup`, the signal goes to the child's whole process group, also after
   * the child itself has exited (to whatever of the group is left).
   *
   * @param signal The signal to send: a name this OS has, or a number from 0 to 31.
   * @default {"SIGKILL"}
   * @throws {TypeError} If `signal` is not a signal this OS has (`SIGINFO` on Linux is refused).
   *
   * @example Kill a child and see how it ended
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["sleep", "10"]);
   * child.kill();
   * const status = await child.wait();
   * assert.equal(status.signal, "SIGKILL");
   * assert.equal(child.poll(), 137);
   * ```
   *
   * @example Send a signal by number
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["sleep", "10"]);
   * child.kill(15);
   * assert.equal((await child.wait()).signal, "SIGTERM");
   * ```
   */
  kill(signal: Signal = "SIGKILL"): void {
    this.#signal(checkSignalName("Subprocess.kill()", "signal", signal));
  }

  /**
   * Asks the child to stop by sending `SIGTERM` (Python's `Popen.terminate()`). The child may
   * catch or ignore it; follow up with {@linkcode Subprocess.kill} if it does not exit. Does
   * nothing if the child has already exited. With `processGroup` it signals the whole group.
   *
   * @example Terminate a child
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["sleep", "10"]);
   * child.terminate();
   * assert.equal((await child.wait()).signal, "SIGTERM");
   * ```
   */
  terminate(): void {
    this.#signal("SIGTERM");
  }

  /**
   * Reads the child's stdout line by line, as an async iterator of strings decoded as UTF-8,
   * without the line endings (`\n` or `\r\n`). A last line without a newline is yielded too.
   * Breaking out of the loop (or an exception in it) closes stdout, so the child gets `SIGPIPE`
   * or `EPIPE` if it writes more. stderr is not read: pipe it only if you read it too (or send it
   * to `"inherit"`, `"null"` or `"stdout"`). The time taken is linear in the bytes read, however
   * long a line is; one line is held in memory at a time, whatever `maxBuffer` says.
   *
   * @returns An async iterator over the lines of stdout.
   * @throws {TypeError} If stdout is not piped or is already being read.
   *
   * @example Process output as it arrives
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * await using child = spawn(["printf", "one\ntwo\nthree\n"], { stdout: "piped" });
   * const lines: string[] = [];
   * for await (const line of child.lines()) lines.push(line);
   * assert.deepEqual(lines, ["one", "two", "three"]);
   * ```
   */
  lines(): AsyncIterableIterator<string> {
    const call = "Subprocess.lines()";
    if (this.stdout === null) {
      throw new TypeError(`${call}: stdout is not piped; spawn with { stdout: "piped" }`);
    }
    if (this.stdout.locked) {
      throw new TypeError(`${call}: stdout is already being read by another reader`);
    }
    const reader = this.stdout.getReader();
    this.#lineReaders.add(reader);
    return readLines(reader, () => this.#lineReaders.delete(reader));
  }

  /**
   * Stops the child if it is still running and cleans up: sends `killSignal`, then `SIGKILL`
   * after `forceKillAfterDelay`, waits for the child to exit (reaps it), and closes the pipes
   * that are still open. Called by `await using` at the end of the block. A child that has
   * already exited is only reaped. Safe to call more than once.
   *
   * Only the child is stopped, not the processes it started, unless it was spawned with
   * `processGroup: true`: then the whole group gets `killSignal`, then `SIGKILL` once the grace
   * period passes with any of it left, also when the child itself had already exited.
   * Descendants that left the group (`setsid`, daemons) are never reached.
   *
   * Output a killed child had written is kept for a pending `communicate()`, which then resolves
   * with the status of the killed child.
   *
   * @example `await using` leaves no child behind
   * ```ts
   * import { spawn } from "@effective/concurrency/subprocess";
   * import assert from "node:assert/strict";
   *
   * let child;
   * {
   *   await using sleeper = spawn(["sleep", "10"], { stdout: "piped" });
   *   child = sleeper;
   * }
   * assert.equal(child.poll(), 143); // ended by SIGTERM and reaped
   * ```
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.#stop();
    await this.#exited;
    await this.#release();
  }

  /**
   * Stops the child (and with `processGroup` what is left of its group): `killSignal`, then
   * `SIGKILL` if anything is still there after the grace period. Runs once; later calls share it.
   */
  #stop(): Promise<void> {
    return this.#stopping ??= this.#stopOnce();
  }

  async #stopOnce(): Promise<void> {
    if (this.#status !== null && !(this.#processGroup && this.#groupAlive())) return;
    this.#signal(this.#killSignal);
    if (this.#killSignal === "SIGKILL" || this.#killSignal === 9) return;
    if (this.#grace === false) return;
    const timer = sleep(this.#grace);
    const stopWatching = new AbortController();
    const gone = this.#gone(stopWatching.signal);
    const ended = await Promise.race([gone, timer.promise]);
    timer.cancel();
    stopWatching.abort();
    await gone;
    if (!ended) this.#signal("SIGKILL");
  }

  /**
   * Resolves `true` when the child has exited and, with `processGroup`, its group is empty
   * (looked at every few ms: no event tells); `false` if `stop` aborts first.
   */
  async #gone(stop: AbortSignal): Promise<boolean> {
    const aborted = new Promise<false>((resolve) =>
      stop.addEventListener("abort", () => resolve(false), { once: true })
    );
    if (!await Promise.race([this.#exited.then(() => true), aborted])) return false;
    while (this.#processGroup && this.#groupAlive()) {
      if (stop.aborted) return false;
      const tick = sleep(GROUP_POLL_MS);
      await Promise.race([tick.promise, aborted]);
      tick.cancel();
    }
    return !stop.aborted;
  }

  /** Whether any process of the child's group is still there. */
  #groupAlive(): boolean {
    if (this.#groupGone) return false;
    if (groupAlive(this.pid)) return true;
    this.#groupGone = true;
    return false;
  }

  /** Closes every pipe that is still open once the child has exited. */
  async #release(): Promise<void> {
    const communication = this.#communication;
    if (communication !== undefined) {
      communication.stopFeed.abort();
      await drainPipes(communication);
      await communication.done.catch(() => {});
    }
    for (const reader of this.#lineReaders) await reader.cancel().catch(() => {});
    if (this.stdin !== null && !this.stdin.locked) await this.stdin.abort().catch(() => {});
    for (const stream of [this.stdout, this.stderr]) {
      if (stream !== null && !stream.locked) await stream.cancel().catch(() => {});
    }
  }

  #communicate(input: CommunicateOptions["input"]): Communication {
    const limit = this.#maxBuffer ?? Infinity;
    const overflow = (stream: "stdout" | "stderr") => () => {
      this.#overflow ??= stream;
      this.#stop().catch(() => {}); // a failure to signal is reported by communicate()
    };
    const out = this.stdout === null
      ? undefined
      : new Collector(this.stdout, limit, overflow("stdout"));
    const err = this.stderr === null
      ? undefined
      : new Collector(this.stderr, limit, overflow("stderr"));
    const stopFeed = new AbortController();
    // Nobody reads stdin once the child is gone: an endless input stream must not hold us up.
    this.#exited.then(() => stopFeed.abort());
    const feed = feedStdin(this.stdin, input, stopFeed.signal);
    const ended = Promise.all([feed, out?.done, err?.done]).then(() => this.#exited);
    const done = ended.then(async (status) => {
      if (this.#overflow === undefined) return status;
      await this.#stopping;
      const final = await this.#exited;
      await drainPipes(communication);
      throw new MaxBufferExceeded({
        argv: this.argv,
        maxBuffer: limit,
        stream: this.#overflow,
        stdout: this.#output(out),
        stderr: this.#output(err),
        code: final.code,
        signal: final.signal,
      });
    });
    done.catch(() => {}); // A failure is reported to every communicate() call, never unhandled.
    const communication: Communication = { out, err, stopFeed, done };
    return communication;
  }

  #signal(signal: SignalLike): void {
    if (this.#processGroup) {
      if (this.#groupGone) return;
      try {
        Deno.kill(-this.pid, signal as Deno.Signal);
      } catch (error) {
        // The whole group has exited.
        if (!(error instanceof Deno.errors.NotFound)) throw error;
        this.#groupGone = true;
      }
      return;
    }
    if (this.#status !== null) return;
    try {
      this.#child.kill(signal as Deno.Signal);
    } catch (error) {
      // The child exited between the check and the kill (the signal itself was checked before).
      if (error instanceof TypeError || error instanceof Deno.errors.NotFound) return;
      throw error;
    }
  }

  #empty(): T {
    return (this.#bytes ? new Uint8Array(0) : "") as T;
  }

  #output(collector: Collector | undefined): T {
    if (collector === undefined) return this.#empty();
    const bytes = collector.bytes();
    return (this.#bytes ? bytes : decoder.decode(bytes)) as T;
  }
}
