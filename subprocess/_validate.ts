// Argument checks shared by run(), spawn() and the Subprocess methods. Every check throws before
// anything is spawned, with a message that names the call, the argument and the value.

const STDIO: readonly string[] = ["piped", "inherit", "null"];
const ENCODINGS: readonly string[] = ["utf-8", "bytes"];

// The members of Deno.Signal.
const SIGNALS: ReadonlySet<string> = new Set([
  "SIGABRT",
  "SIGALRM",
  "SIGBREAK",
  "SIGBUS",
  "SIGCHLD",
  "SIGCONT",
  "SIGEMT",
  "SIGFPE",
  "SIGHUP",
  "SIGILL",
  "SIGINFO",
  "SIGINT",
  "SIGIO",
  "SIGKILL",
  "SIGPOLL",
  "SIGPIPE",
  "SIGPROF",
  "SIGPWR",
  "SIGQUIT",
  "SIGSEGV",
  "SIGSTKFLT",
  "SIGSTOP",
  "SIGSYS",
  "SIGTERM",
  "SIGTRAP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGUSR1",
  "SIGUSR2",
  "SIGVTALRM",
  "SIGWINCH",
  "SIGXCPU",
  "SIGXFSZ",
]);

/** Renders a value for an error message: strings quoted, numbers as written, else the type. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (value === undefined) return "undefined";
  return typeof value === "object"
    ? `an object (${value.constructor?.name ?? "Object"})`
    : typeof value;
}

/** Checks `argv` is a non-empty array of strings whose first item (the program) is non-empty. */
export function checkArgv(what: string, argv: unknown): readonly string[] {
  if (!Array.isArray(argv)) {
    throw new TypeError(`${what}: 'argv' must be an array of strings, got ${show(argv)}`);
  }
  if (argv.length === 0) {
    throw new TypeError(`${what}: 'argv' must be a non-empty array of strings, got []`);
  }
  for (let i = 0; i < argv.length; i++) {
    if (typeof argv[i] !== "string") {
      throw new TypeError(`${what}: 'argv[${i}]' must be a string, got ${show(argv[i])}`);
    }
  }
  if (argv[0] === "") {
    throw new TypeError(`${what}: 'argv[0]' (the program) must be a non-empty string, got ""`);
  }
  return argv;
}

/** Checks an options argument is an object (or undefined). */
export function checkOptions(what: string, options: unknown): void {
  if (options !== undefined && (typeof options !== "object" || options === null)) {
    throw new TypeError(`${what}: 'options' must be an object, got ${show(options)}`);
  }
}

/** Checks a duration in milliseconds: a finite number >= 0 (or undefined). */
export function checkMs(what: string, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== "number") {
    throw new TypeError(`${what}: '${name}' must be a number of milliseconds, got ${show(value)}`);
  }
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what}: '${name}' must be a finite number >= 0, got ${show(value)}`);
  }
  // setTimeout cannot hold more than 2^31 - 1 ms; a longer delay would fire after 1 ms.
  if (value > 2147483647) {
    throw new RangeError(
      `${what}: '${name}' must be at most 2147483647 ms (about 24.8 days), got ${show(value)}`,
    );
  }
}

/** Checks an `AbortSignal` option. */
export function checkSignal(what: string, signal: unknown): void {
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new TypeError(`${what}: 'signal' must be an AbortSignal, got ${show(signal)}`);
  }
}

/** Checks a stdio option is one of "piped", "inherit" or "null". */
export function checkStdio(what: string, name: string, value: unknown): void {
  if (value !== undefined && !STDIO.includes(value as string)) {
    throw new TypeError(
      `${what}: '${name}' must be "piped", "inherit" or "null", got ${show(value)}`,
    );
  }
}

/** Checks the encoding option is "utf-8" or "bytes". */
export function checkEncoding(what: string, value: unknown): void {
  if (value !== undefined && !ENCODINGS.includes(value as string)) {
    throw new TypeError(`${what}: 'encoding' must be "utf-8" or "bytes", got ${show(value)}`);
  }
}

/** Checks a signal name such as "SIGTERM". */
export function checkSignalName(what: string, name: string, value: unknown): void {
  if (value !== undefined && (typeof value !== "string" || !SIGNALS.has(value))) {
    throw new TypeError(
      `${what}: '${name}' must be a signal name such as "SIGTERM", got ${show(value)}`,
    );
  }
}

/** Checks a boolean option. */
export function checkBoolean(what: string, name: string, value: unknown): void {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(`${what}: '${name}' must be a boolean, got ${show(value)}`);
  }
}

/** Checks `forceKillAfterDelay`: a finite number of ms >= 0, or `false`. */
export function checkGrace(what: string, value: unknown): void {
  if (value === false) return;
  checkMs(what, "forceKillAfterDelay", value);
}

/** Checks the process options that `Deno.Command` takes: `cwd`, `env`, `clearEnv`. */
export function checkEnvironment(
  what: string,
  options: { cwd?: unknown; env?: unknown; clearEnv?: unknown },
): void {
  const { cwd, env, clearEnv } = options;
  if (cwd !== undefined && typeof cwd !== "string" && !(cwd instanceof URL)) {
    throw new TypeError(`${what}: 'cwd' must be a string or a URL, got ${show(cwd)}`);
  }
  if (env !== undefined) {
    if (typeof env !== "object" || env === null || Array.isArray(env)) {
      throw new TypeError(`${what}: 'env' must be an object of strings, got ${show(env)}`);
    }
    for (const [key, value] of Object.entries(env)) {
      if (typeof value !== "string") {
        throw new TypeError(`${what}: 'env.${key}' must be a string, got ${show(value)}`);
      }
    }
  }
  checkBoolean(what, "clearEnv", clearEnv);
}

/** Checks `input`: a string, a Uint8Array or a ReadableStream of bytes. */
export function checkInput(what: string, input: unknown): void {
  if (
    input !== undefined && typeof input !== "string" && !(input instanceof Uint8Array) &&
    !(input instanceof ReadableStream)
  ) {
    throw new TypeError(
      `${what}: 'input' must be a string, a Uint8Array or a ReadableStream, got ${show(input)}`,
    );
  }
}

/** Checks the options that `spawn()` and `run()` share. */
export function checkProcessOptions(
  what: string,
  options: {
    cwd?: unknown;
    env?: unknown;
    clearEnv?: unknown;
    stdin?: unknown;
    stdout?: unknown;
    stderr?: unknown;
    encoding?: unknown;
    killSignal?: unknown;
    forceKillAfterDelay?: unknown;
  },
): void {
  checkEnvironment(what, options);
  checkStdio(what, "stdin", options.stdin);
  checkStdio(what, "stdout", options.stdout);
  checkStdio(what, "stderr", options.stderr);
  checkEncoding(what, options.encoding);
  checkSignalName(what, "killSignal", options.killSignal);
  checkGrace(what, options.forceKillAfterDelay);
}
