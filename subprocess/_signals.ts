// The signals this operating system has, by name and number. Deno.Signal lists the names of every
// system; sending one this OS lacks (SIGINFO on Linux) makes Deno throw a TypeError that looks just
// like "the child has already exited", so they are refused up front instead.
import { invalid } from "./_options.ts";

const LINUX = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGBUS",
  "SIGFPE",
  "SIGKILL",
  "SIGUSR1",
  "SIGSEGV",
  "SIGUSR2",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGSTKFLT",
  "SIGCHLD",
  "SIGCONT",
  "SIGSTOP",
  "SIGTSTP",
  "SIGTTIN",
  "SIGTTOU",
  "SIGURG",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGIO",
  "SIGPWR",
  "SIGSYS",
] as const; // numbered 1 to 31, in this order

const BSD = [
  "SIGHUP",
  "SIGINT",
  "SIGQUIT",
  "SIGILL",
  "SIGTRAP",
  "SIGABRT",
  "SIGEMT",
  "SIGFPE",
  "SIGKILL",
  "SIGBUS",
  "SIGSEGV",
  "SIGSYS",
  "SIGPIPE",
  "SIGALRM",
  "SIGTERM",
  "SIGURG",
  "SIGSTOP",
  "SIGTSTP",
  "SIGCONT",
  "SIGCHLD",
  "SIGTTIN",
  "SIGTTOU",
  "SIGIO",
  "SIGXCPU",
  "SIGXFSZ",
  "SIGVTALRM",
  "SIGPROF",
  "SIGWINCH",
  "SIGINFO",
  "SIGUSR1",
  "SIGUSR2",
] as const; // macOS and the BSDs, numbered 1 to 31

function table(): { names: ReadonlySet<string>; numbered: boolean } {
  switch (Deno.build.os) {
    case "linux":
    case "android":
      return { names: new Set([...LINUX, "SIGPOLL"]), numbered: true };
    case "windows":
      // Deno emulates these few; there are no signal numbers to send.
      return { names: new Set(["SIGINT", "SIGBREAK", "SIGKILL", "SIGTERM"]), numbered: false };
    default:
      return { names: new Set(BSD), numbered: true };
  }
}

const { names: NAMES, numbered: NUMBERED } = table();
// Names Deno.Signal knows that this OS lacks, for a message that says so.
const OTHER: ReadonlySet<string> = new Set(
  [...LINUX, ...BSD, "SIGPOLL", "SIGBREAK"].filter((name) => !NAMES.has(name)),
);

/** A signal to send: a name this OS has, or (not on Windows) its number from 0 to 31. */
export type SignalLike = Deno.Signal | number;

/** Checks a signal (already read): a name this OS has, or a number from 0 to 31. */
export function checkSignalName(call: string, name: string, value: unknown): SignalLike {
  if (typeof value === "string" && NAMES.has(value)) return value as Deno.Signal;
  if (NUMBERED && typeof value === "number" && Number.isInteger(value)) {
    if (value >= 0 && value <= 31) return value;
    throw invalid(call, name, "a signal number from 0 to 31", value, true);
  }
  const elsewhere = typeof value === "string" && OTHER.has(value);
  const expected = elsewhere
    ? `a signal that ${Deno.build.os} has (${value} exists only on other systems)`
    : `a signal name such as "SIGTERM"${NUMBERED ? " or a signal number" : ""}`;
  throw invalid(call, name, expected, value);
}
