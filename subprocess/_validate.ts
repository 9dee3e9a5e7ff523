// Reading and checking the arguments of run(), spawn() and checkOutput(). Each option is read
// exactly once, into a plain config object, and every check throws before anything is spawned,
// with the package's one message shape: `<call>: '<name>' must be <expected>, got <value>`.
import {
  checkBoolean,
  checkInteger,
  checkSignal,
  checkTimeout,
  invalid,
  readOptions,
} from "./_options.ts";
import { checkSignalName, type SignalLike } from "./_signals.ts";

/** How one standard stream is connected (`"stdout"` only for stderr: merged into stdout). */
export type StdioName = "piped" | "inherit" | "null";

/** The options of every call, read once and checked; `undefined` means "not given". */
export interface ProcessConfig {
  cwd: string | URL | undefined;
  env: Record<string, string> | undefined;
  clearEnv: boolean;
  uid: number | undefined;
  gid: number | undefined;
  detached: boolean;
  processGroup: boolean;
  stdin: StdioName | undefined;
  stdout: StdioName | undefined;
  stderr: StdioName | "stdout" | undefined;
  encoding: "utf-8" | "bytes";
  killSignal: SignalLike;
  forceKillAfterDelay: number | false;
  maxBuffer: number | undefined;
}

/** What run() and checkOutput() take besides the process options. */
export interface RunConfig extends ProcessConfig {
  input: string | Uint8Array | ReadableStream<Uint8Array> | undefined;
  /** `undefined` when not given (checkOutput() refuses only an explicit `false`). */
  check: boolean | undefined;
  timeout: number | undefined;
  signal: AbortSignal | undefined;
}

const PROCESS_KEYS = [
  "cwd",
  "env",
  "clearEnv",
  "uid",
  "gid",
  "detached",
  "processGroup",
  "stdin",
  "stdout",
  "stderr",
  "encoding",
  "killSignal",
  "forceKillAfterDelay",
  "maxBuffer",
] as const;
const RUN_KEYS = [...PROCESS_KEYS, "input", "check", "timeout", "signal"] as const;

// What users of Python's subprocess, execa and dax write, and what to write here instead.
const INSTEAD: Record<string, string> = {
  extendEnv: "for an empty environment, use 'clearEnv: true'",
  cancelSignal: "use 'signal'",
  all: "use 'stderr: \"stdout\"' to merge stderr into stdout",
  reject: "use 'check'",
  shell: "run ['sh', '-c', command] explicitly",
  stdio: "use 'stdin', 'stdout' and 'stderr'",
  text: "use 'encoding'",
  killTree: "use 'processGroup: true'",
  start_new_session: "use 'processGroup: true'",
  capture_output: 'output is captured by default (stdout and stderr are "piped")',
  stripFinalNewline: "trim the result yourself",
};
const NOT_ON_SPAWN: Record<string, string> = {
  timeout: "pass it to wait() or communicate(), or use run()",
  signal: "pass it to wait() or communicate(), or use run()",
  input: "pass it to communicate({ input })",
  check: "use run(), or checkReturncode() on communicate()'s result",
};

/** For wait() and communicate(): the options that belong to spawn() say so. */
export const SPAWN_ONLY: Record<string, string> = Object.fromEntries(
  PROCESS_KEYS.map((key) => [key, "it is an option of spawn()"]),
);

/** Refuses the keys of `options` that are not options of `call`, naming what to use instead. */
export function refuseUnknown(
  call: string,
  options: object,
  known: readonly string[],
  hints: Record<string, string>,
): void {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const value = (options as Record<string, unknown>)[key];
    if (value === undefined) continue;
    const hint = Object.hasOwn(hints, key)
      ? hints[key]
      : Object.hasOwn(INSTEAD, key)
      ? INSTEAD[key]
      : undefined;
    throw invalid(
      call,
      key,
      `a known option (${call} has no '${key}'${hint === undefined ? "" : `; ${hint}`})`,
      value,
    );
  }
}

/** Checks `argv`: a non-empty array of strings without NUL characters, the program non-empty. */
export function checkArgv(call: string, argv: unknown): readonly string[] {
  if (!Array.isArray(argv)) throw invalid(call, "argv", "an array of strings", argv);
  if (argv.length === 0) throw invalid(call, "argv", "a non-empty array of strings", argv);
  const copy: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg: unknown = argv[i];
    if (typeof arg !== "string") throw invalid(call, `argv[${i}]`, "a string", arg);
    if (arg.includes("\0")) {
      throw invalid(call, `argv[${i}]`, "a string without NUL characters", arg);
    }
    copy.push(arg);
  }
  if (copy[0] === "") throw invalid(call, "argv[0]", "a non-empty string (the program)", "");
  return Object.freeze(copy);
}

function checkStdio(call: string, name: string, value: unknown): StdioName | undefined {
  if (value === undefined || value === "piped" || value === "inherit" || value === "null") {
    return value;
  }
  throw invalid(call, name, `"piped", "inherit" or "null"`, value);
}

function checkCwd(call: string, cwd: unknown): string | URL | undefined {
  if (cwd === undefined || cwd instanceof URL) return cwd;
  if (typeof cwd !== "string") throw invalid(call, "cwd", "a string or a URL", cwd);
  if (cwd.includes("\0")) throw invalid(call, "cwd", "a path without NUL characters", cwd);
  return cwd;
}

/** Copies `env` (each value read once): names non-empty without `=` or NUL, values strings. */
function checkEnv(call: string, env: unknown): Record<string, string> | undefined {
  if (env === undefined) return undefined;
  if (typeof env !== "object" || env === null || Array.isArray(env)) {
    throw invalid(call, "env", "an object of strings", env);
  }
  const copy: Record<string, string> = {};
  for (const key of Object.keys(env)) {
    // An "=" would end the name early and set a different variable; NUL ends the whole entry.
    if (key === "" || key.includes("=") || key.includes("\0")) {
      throw invalid(call, "env", `an object whose keys are names without "=" or NUL`, key);
    }
    const value: unknown = (env as Record<string, unknown>)[key];
    if (typeof value !== "string") throw invalid(call, `env.${key}`, "a string", value);
    if (value.includes("\0")) {
      throw invalid(call, `env.${key}`, "a string without NUL characters", value);
    }
    copy[key] = value;
  }
  return copy;
}

function checkId(call: string, name: string, value: unknown): number | undefined {
  return value === undefined ? undefined : checkInteger(call, name, value, 0, 4294967295);
}

function readProcess(call: string, options: Record<string, unknown>): ProcessConfig {
  const {
    cwd,
    env,
    clearEnv,
    uid,
    gid,
    detached,
    processGroup,
    stdin,
    stdout,
    stderr,
    encoding,
    killSignal,
    forceKillAfterDelay,
    maxBuffer,
  } = options;
  const config: ProcessConfig = {
    cwd: checkCwd(call, cwd),
    env: checkEnv(call, env),
    clearEnv: checkBoolean(call, "clearEnv", clearEnv, false),
    uid: checkId(call, "uid", uid),
    gid: checkId(call, "gid", gid),
    detached: checkBoolean(call, "detached", detached, false),
    processGroup: checkBoolean(call, "processGroup", processGroup, false),
    stdin: checkStdio(call, "stdin", stdin),
    stdout: checkStdio(call, "stdout", stdout),
    stderr: stderr === "stdout" ? "stdout" : checkStdioOrMerge(call, stderr),
    encoding: checkEncoding(call, encoding),
    killSignal: killSignal === undefined
      ? "SIGTERM"
      : checkSignalName(call, "killSignal", killSignal),
    forceKillAfterDelay: checkGrace(call, forceKillAfterDelay),
    maxBuffer: maxBuffer === undefined || maxBuffer === Infinity
      ? undefined
      : checkInteger(call, "maxBuffer", maxBuffer, 0, Number.MAX_SAFE_INTEGER),
  };
  if (Deno.build.os === "windows") {
    // Both need POSIX: a shell to join the descriptors, negative pids to signal a group.
    if (config.stderr === "stdout") {
      throw invalid(call, "stderr", `"piped", "inherit" or "null" on Windows`, "stdout");
    }
    if (config.processGroup) throw invalid(call, "processGroup", "false on Windows", true);
  }
  return config;
}

function checkStdioOrMerge(call: string, value: unknown): StdioName | undefined {
  if (value === undefined || value === "piped" || value === "inherit" || value === "null") {
    return value;
  }
  throw invalid(call, "stderr", `"piped", "inherit", "null" or "stdout"`, value);
}

function checkEncoding(call: string, value: unknown): "utf-8" | "bytes" {
  if (value === undefined) return "utf-8";
  if (value === "utf-8" || value === "bytes") return value;
  throw invalid(call, "encoding", `"utf-8" or "bytes"`, value);
}

/** `forceKillAfterDelay`: ms from 0 to MAX_TIMEOUT; `false` or `Infinity` never escalate. */
function checkGrace(call: string, value: unknown): number | false {
  if (value === undefined) return 1000;
  if (value === false || value === Infinity) return false;
  if (typeof value !== "number") {
    throw invalid(call, "forceKillAfterDelay", "a number of milliseconds or false", value);
  }
  return checkTimeout(call, "forceKillAfterDelay", value) ?? false;
}

/** Reads `spawn()`'s options. */
export function readSpawnOptions(call: string, options: unknown): ProcessConfig {
  const opts = readOptions(call, options as object | undefined) as Record<string, unknown>;
  refuseUnknown(call, opts, PROCESS_KEYS, NOT_ON_SPAWN);
  return readProcess(call, opts);
}

/** Reads `run()`'s (and `checkOutput()`'s) options. */
export function readRunOptions(call: string, options: unknown): RunConfig {
  const opts = readOptions(call, options as object | undefined) as Record<string, unknown>;
  refuseUnknown(call, opts, RUN_KEYS, {});
  const { input, check, timeout, signal } = opts;
  const config: RunConfig = {
    ...readProcess(call, opts),
    input: checkInput(call, input),
    check: check === undefined ? undefined : checkBoolean(call, "check", check, false),
    timeout: checkTimeout(call, "timeout", timeout),
    signal: checkSignal(call, "signal", signal),
  };
  if (config.input !== undefined && config.stdin !== undefined && config.stdin !== "piped") {
    throw invalid(call, "stdin", `"piped" or left out when 'input' is given`, config.stdin);
  }
  return config;
}

/** Checks `input`: a string, a Uint8Array or a ReadableStream of bytes. */
export function checkInput(
  call: string,
  input: unknown,
): string | Uint8Array | ReadableStream<Uint8Array> | undefined {
  if (
    input === undefined || typeof input === "string" || input instanceof Uint8Array ||
    input instanceof ReadableStream
  ) {
    return input;
  }
  throw invalid(call, "input", "a string, a Uint8Array or a ReadableStream", input);
}
