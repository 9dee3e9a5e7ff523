/**
 * How a standard stream of the child is connected: `"piped"` (a pipe the parent reads or
 * writes), `"inherit"` (the parent's own stream) or `"null"` (`/dev/null`).
 */
export type Stdio = "piped" | "inherit" | "null";

/**
 * How captured output is returned: `"utf-8"` decodes it to a string (invalid bytes become U+FFFD),
 * `"bytes"` returns the raw `Uint8Array`.
 */
export type Encoding = "utf-8" | "bytes";

/** The type of captured output for an {@linkcode Encoding}: `string` or `Uint8Array`. */
export type OutputOf<E extends Encoding> = E extends "bytes" ? Uint8Array : string;

/**
 * A signal to send: a name this operating system has (`"SIGTERM"`), or, except on Windows, its
 * number from 0 to 31. Names that exist only on other systems (`SIGINFO`, `SIGEMT` and
 * `SIGBREAK` on Linux) are refused with a `TypeError`.
 */
export type Signal = Deno.Signal | number;

/** The options that {@linkcode spawn} and `run()` share: the child's environment and how it is stopped. */
export interface ProcessOptions<E extends Encoding = Encoding> {
  /** The working directory of the child. @default {Deno.cwd()} */
  cwd?: string | URL;
  /**
   * Environment variables to set for the child (added to the parent's unless `clearEnv`). Names
   * must be non-empty and hold no `=` or NUL, values no NUL: anything else is refused.
   */
  env?: Record<string, string>;
  /**
   * Start the child with only the variables in `env` (execa's `extendEnv: false`).
   *
   * @default {false}
   */
  clearEnv?: boolean;
  /** Run the child as this user id (needs the privilege to; not on Windows). */
  uid?: number;
  /** Run the child with this group id (needs the privilege to; not on Windows). */
  gid?: number;
  /**
   * Start the child in a new session, detached from the terminal, as `Deno.Command`'s `detached`
   * does. Deno still waits for it before exiting; only `processGroup` also signals its
   * descendants.
   *
   * @default {false}
   */
  detached?: boolean;
  /**
   * Start the child as the leader of its own process group (a new session, like Python's
   * `start_new_session=True`), and send every signal to the whole group: `kill()`,
   * `terminate()`, the stop on a timeout or abort, and disposal, which also stops whatever is
   * left of the group after the child itself exited. Descendants that start their own session
   * or group (daemons, `setsid`) escape it. The group no longer gets the terminal's Ctrl-C. Not on
   * Windows.
   *
   * @default {false}
   */
  processGroup?: boolean;
  /** How captured output is returned: a `string` or a `Uint8Array`. @default {"utf-8"} */
  encoding?: E;
  /**
   * The signal sent first when the child must be stopped: on `run()`'s timeout or abort, past
   * `maxBuffer`, and when a still-running {@linkcode Subprocess} is disposed.
   *
   * @default {"SIGTERM"}
   */
  killSignal?: Signal;
  /**
   * The grace period, in milliseconds, between `killSignal` and `SIGKILL`: a child that ignores
   * `killSignal` (or takes longer to shut down) is killed for good after this delay. `false` (or
   * `Infinity`) waits for the child however long it takes. The name is execa's; Python's `run()`
   * does the same with a fixed `kill()` after the timeout.
   *
   * @default {1000}
   */
  forceKillAfterDelay?: number | false;
  /**
   * The most bytes `communicate()` (and `run()`) keep of each captured stream (execa's
   * `maxBuffer`, counted in bytes before decoding). Past it, the child is stopped like on a
   * timeout and the call rejects with a {@linkcode MaxBufferExceeded} that carries the first
   * `maxBuffer` bytes. Without it there is no limit. `lines()` is not limited: it keeps one line
   * at a time.
   */
  maxBuffer?: number;
}

/** Options for {@linkcode spawn} (Python's `Popen`). */
export interface SpawnOptions<E extends Encoding = Encoding> extends ProcessOptions<E> {
  /** How the child's stdin is connected. `"piped"` gives you {@linkcode Subprocess.stdin}. @default {"inherit"} */
  stdin?: Stdio;
  /** How the child's stdout is connected. `"piped"` gives you {@linkcode Subprocess.stdout}. @default {"inherit"} */
  stdout?: Stdio;
  /**
   * How the child's stderr is connected. `"piped"` gives you {@linkcode Subprocess.stderr};
   * `"stdout"` sends it wherever stdout goes (Python's `stderr=STDOUT`), in the exact order the
   * child wrote, as described in the module docs.
   *
   * @default {"inherit"}
   */
  stderr?: Stdio | "stdout";
}

/** Options for {@linkcode Subprocess.wait}. */
export interface WaitOptions {
  /** Give up after this many milliseconds with a {@linkcode TimeoutExpired}; the child keeps running. */
  timeout?: number;
  /** Give up when this signal aborts, with `signal.reason`; the child keeps running. */
  signal?: AbortSignal;
}

/** Options for {@linkcode Subprocess.communicate}. */
export interface CommunicateOptions extends WaitOptions {
  /**
   * Data to write to the child's stdin (which must be `"piped"`) before closing it: a string
   * (sent as UTF-8), bytes, or a stream of bytes (such as another child's `stdout`). Without it,
   * a piped stdin is closed at once.
   */
  input?: string | Uint8Array | ReadableStream<Uint8Array>;
}
