/**
 * Child processes on `Deno.Command`, managed the way Python's `subprocess` module manages them
 * (item 36 of *Effective Python*): start children, talk to them through pipes, run many in
 * parallel, poll them while doing other work, and never hang on one.
 *
 * ## Which one to use
 *
 * - {@linkcode run} runs a command to the end and gives you a {@linkcode CompletedProcess}:
 *   exit status plus stdout and stderr, captured as UTF-8 text by default (`encoding: "bytes"`
 *   for raw bytes). Add `input`, `check`, `timeout` or `signal` as needed. Use it whenever you
 *   only want the result.
 * - {@linkcode checkOutput} is `run` with `check: true` that returns stdout: for "give me the
 *   output of this command, or fail loudly".
 * - {@linkcode spawn} starts a child and returns a {@linkcode Subprocess} (Python's `Popen`)
 *   without waiting. Use it to run many children in parallel, to `poll()` one while doing other
 *   work, to stream its output with `lines()`, or to drive its pipes yourself. Declare it with
 *   `await using` so the child is always reaped.
 *
 * ## Timeouts and aborts
 *
 * `run`'s `timeout` and `signal` stop the child: it gets `killSignal` (`SIGTERM` by default),
 * then `SIGKILL` after `forceKillAfterDelay` (1000 ms by default) if it is still there, and it is
 * reaped before the promise rejects, with a {@linkcode TimeoutExpired} that carries all the
 * output and how the child ended (`signal` equal to `killSignal`: the polite signal worked;
 * `"SIGKILL"`: it had to be forced; a `code`: the child exited by itself), or with
 * `signal.reason`. A signal that is already aborted rejects at once and spawns nothing.
 * `timeout: 0` times out at once, as in Python (execa reads 0 as "no timeout"; leave it out).
 *
 * `Subprocess.wait()` and `Subprocess.communicate()` follow Python: their `timeout` and `signal`
 * only stop the *waiting*. The child keeps running so you can wait again or kill it; leaving an
 * `await using` block stops it (same two steps) and reaps it.
 *
 * ## What is stopped, and what is not
 *
 * - Stopping a child (timeout, abort, `maxBuffer`, disposal) signals **the child only**. What it
 *   started keeps running, and if it holds the child's stdout or stderr open, `run()` without a
 *   timeout waits for it (as Python's does); after a stop, the pipes get 100 ms, then are closed.
 * - With `processGroup: true` the child leads a new process group (and session), and every
 *   signal goes to the group: descendants are stopped with the child, also those left over
 *   after the child itself exited. Descendants that start their own session or group (daemons,
 *   `setsid`) escape. The group no longer gets the terminal's Ctrl-C. Where orphans are not
 *   reaped (an init that does not reap, in some containers), killed descendants linger as
 *   zombies: on Linux they are recognised in `/proc` and not waited for; elsewhere (or without
 *   read access to `/proc`) disposal waits the whole `forceKillAfterDelay` before its `SIGKILL`.
 * - Nothing here runs if the parent itself dies: `Deno.exit()`, an uncaught signal such as
 *   `SIGTERM` or `SIGKILL` skip every `await using` block, and the children (and
 *   their groups) keep running as orphans. Only Ctrl-C at a terminal reaches children without
 *   `processGroup`, because the terminal signals its whole foreground group. A parent that must
 *   clean up on `SIGTERM` should listen for it (`Deno.addSignalListener`) and dispose its
 *   children before exiting. execa's `cleanup` (kill the children when the parent exits) has no
 *   equivalent. Deno itself keeps running until every child it spawned has exited.
 *
 * ## Inherited file descriptors
 *
 * Python closes every descriptor above 2 in the child (`close_fds=True`); Deno offers no such
 * option. The files, sockets and pipes Deno opens are close-on-exec, so they do not leak. But the
 * descriptors Deno itself *inherited* without close-on-exec (from a shell's `exec 3>file`, a
 * supervisor, a CI runner's pipe) are passed on to every child and grandchild. The consequence:
 * a reader waiting for EOF on such a pipe (say, the process that started yours, reading its
 * output) keeps waiting as long as any of your children lives, and the children can read or
 * write those descriptors. Start Deno without them, or close them in the child
 * (`["sh", "-c", 'exec 3>&-; exec "$0" "$@"', ...argv]`).
 *
 * ## Merging stderr into stdout
 *
 * `stderr: "stdout"` (Python's `stderr=STDOUT`, execa's `all`) gives the child one descriptor for
 * both, so the output keeps the exact order in which the child wrote it, as a terminal shows it.
 * `Deno.Command` cannot hand one pipe to two descriptors, so the program is started through
 * `/bin/sh` as `exec 2>&1; exec "$@"`: the arguments are passed as `"$@"` and never parsed by
 * the shell, the program replaces the shell (same pid, signals reach it directly), and the
 * program is looked up on `PATH` first, so a missing one still fails with `NotFound`. Not on
 * Windows. (Reading two pipes and interleaving the chunks would only keep each stream's order,
 * not their order relative to each other.)
 *
 * ## Piping one child into another
 *
 * Pass the first child's `stdout` as the second one's `input` (Python:
 * `Popen(b, stdin=p1.stdout)`), then check both statuses: the pipeline's own `set -o pipefail`.
 * The data flows through the parent in chunks, with backpressure, so nothing deadlocks
 * and memory stays bounded. When the second child exits, the first one's stdout is closed, so
 * it gets `SIGPIPE` as in a shell pipeline. Send the first child's stderr to `"inherit"` or
 * `"null"` (or read it), or it can fill up and stall.
 *
 * ```ts
 * import { run, spawn } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * await using producer = spawn(["printf", "b\na\n"], { stdout: "piped" });
 * const sorted = await run(["sort"], { input: producer.stdout! });
 * assert.equal(sorted.stdout, "a\nb\n");
 * assert.equal(sorted.code, 0);
 * assert.equal((await producer.wait()).code, 0);
 * ```
 *
 * ## Capping captured output
 *
 * `maxBuffer` caps each captured stream, in bytes. Past it the child is stopped like on a
 * timeout and the call rejects with a {@linkcode MaxBufferExceeded} holding the first
 * `maxBuffer` bytes, so a chatty child cannot exhaust memory. There is no default cap (execa's
 * is 100 MB); `lines()` needs none, it holds one line at a time.
 *
 * ## Why `communicate` exists
 *
 * A pipe holds only so much (64 KiB on Linux). A parent that first writes all of stdin, then reads
 * all of stdout, then all of stderr deadlocks as soon as the child's output fills a pipe the
 * parent is not reading yet: the child waits for the parent to read, the parent waits for the
 * child to read. `communicate()` (and `run`, which uses it) writes stdin and drains stdout and
 * stderr at the same time, so any amount of data flows; a child that exits without reading its
 * input is not an error (the broken pipe is ignored). Waiting with `wait()` while output is
 * piped and unread can hang for the same reason.
 *
 * ## Errors
 *
 * {@linkcode CalledProcessError} (a checked child failed), {@linkcode TimeoutExpired} and
 * {@linkcode MaxBufferExceeded} extend {@linkcode SubprocessError}. A program that does not exist
 * or cannot be executed fails with `Deno.errors.NotFound` or `Deno.errors.PermissionDenied`,
 * whose message names the program, or the `cwd` when that is the cause ("does not exist", "is
 * not a directory"). Bad arguments fail with a `TypeError` or `RangeError` before anything is
 * spawned, with the message `<call>: '<name>' must be <expected>, got <value>`: a NUL in the
 * program, an argument, `cwd` or `env`; an `env` name with `=`; a signal this OS lacks
 * (`SIGINFO` on Linux); and options that do not exist, which name what to use instead
 * (`extendEnv: false` → `clearEnv: true`; `spawn(argv, { timeout })` → `wait({ timeout })`).
 *
 * ## Coming from Python, execa or dax
 *
 * | They write | Here |
 * | --- | --- |
 * | `subprocess.call(args)` | `(await run(argv, { stdout: "inherit", stderr: "inherit" })).code` |
 * | `check_call(args)` | `await run(argv, { check: true, stdout: "inherit", stderr: "inherit" })` |
 * | `check_output(args)` | `await checkOutput(argv)` |
 * | `check_output(args, stderr=STDOUT)` | `await checkOutput(argv, { stderr: "stdout" })` |
 * | `getoutput(cmd)` | `(await run(["sh", "-c", cmd], { stderr: "stdout" })).stdout.replace(/\n$/, "")` |
 * | `run(args, capture_output=True, text=True)` | `await run(argv)` (captures text by default) |
 * | `Popen(args, stdin=PIPE, stdout=PIPE)` | `spawn(argv, { stdin: "piped", stdout: "piped" })` |
 * | `shell=True` | `run(["sh", "-c", cmd])`: quoting is yours, so prefer an argv |
 * | `start_new_session=True` + `os.killpg` | `processGroup: true` |
 * | `Popen(b, stdin=p1.stdout)` | `run(b, { input: p1.stdout! })` |
 * | execa `await execa(cmd, args)` | `await run([cmd, ...args], { check: true })` (execa rejects by default) |
 * | execa `{ reject: false }` | the default |
 * | execa `{ all: true }` | `{ stderr: "stdout" }` |
 * | execa `{ extendEnv: false }` | `{ clearEnv: true }` |
 * | execa `{ cancelSignal }` | `{ signal }` |
 * | execa `{ maxBuffer }` | `{ maxBuffer }` (bytes, no default) |
 * | execa `a.pipe(b)` | `run(b, { input: spawn(a, { stdout: "piped" }).stdout! })` |
 * | execa `for await (const line of subprocess)` | `for await (const line of child.lines())` |
 * | dax `` await $`cmd arg` `` | `await run(["cmd", "arg"], { check: true, stdout: "inherit", stderr: "inherit" })` |
 * | dax `` await $`cmd`.text() `` | `(await checkOutput(["cmd"])).trimEnd()` |
 * | dax `.noThrow()` / `.timeout(ms)` / `.stdinText(s)` | the default / `{ timeout }` / `{ input }` |
 *
 * ## Where this differs from the peers
 *
 * Measured against CPython's `Lib/test/test_subprocess.py`, execa's `test/` and dax's tests,
 * these differences are deliberate:
 *
 * - No shell parsing anywhere: Python's `shell=True`, execa's `shell` and template strings and
 *   dax's template language become an explicit `["sh", "-c", cmd]`.
 * - No sync variants (`execaSync`): every call returns a promise.
 * - Output is not trimmed (execa's `stripFinalNewline`, dax's `.text()`).
 * - `maxBuffer` is one byte count for each stream, with no default; past it the stream is
 *   closed *and* the child is stopped with `killSignal` (execa only closes the stream and lets
 *   the child fail on its own).
 * - stdio is `"piped"`, `"inherit"` or `"null"` (and `"stdout"` for stderr): no files,
 *   descriptors or extra fds, which `Deno.Command` does not offer; nor `close_fds`, `pass_fds`,
 *   `preexec_fn`, `umask` or `universal_newlines` (text is UTF-8; `lines()` removes `\r\n`).
 * - A `TimeoutExpired` from `wait()` or `communicate()` leaves the child running (Python);
 *   `run()` stops it first (Python and execa).
 * - A timeout always rejects with a `TimeoutExpired` that carries the real status; dax instead
 *   reports exit code 124 (GNU `timeout`'s convention) under `.noThrow()`.
 *
 * @example The chapter's three samples
 * ```ts
 * import { run, spawn } from "@effective/concurrency/subprocess";
 * import assert from "node:assert/strict";
 *
 * // Read a child's output through communicate().
 * {
 *   await using proc = spawn(["echo", "Hello from the child!"], { stdout: "piped" });
 *   const { stdout } = await proc.communicate();
 *   assert.equal(stdout, "Hello from the child!\n");
 * }
 *
 * // Poll a child while working.
 * {
 *   await using proc = spawn(["sleep", "0.1"]);
 *   while (proc.poll() === null) await new Promise((resolve) => setTimeout(resolve, 20));
 *   assert.equal(proc.poll(), 0);
 * }
 *
 * // Run ten children in parallel: about 0.1 s, not 1 s.
 * const results = await Promise.all(Array.from({ length: 10 }, () => run(["sleep", "0.1"])));
 * assert.ok(results.every((result) => result.code === 0));
 * ```
 *
 * ## Arguments and errors
 *
 * As in every topic of the package (the repository's `STYLE.md`): a wrong type is a `TypeError`
 * and a value out of range a `RangeError`, with one message per mistake,
 * `<call>: '<name>' must be <expected>, got <value>`; each option is read once; a method that
 * returns a promise rejects, never throws; every wait takes `{ signal, timeout }` (`timeout` in ms
 * from 0 to 2147483647, or `Infinity`), an abort rejects with `signal.reason` and a timeout with a
 * `TimeoutError` `DOMException`.
 *
 * @module
 */
export * from "./completed_process.ts";
export * from "./errors.ts";
export * from "./run.ts";
export * from "./spawn.ts";
export * from "./subprocess.ts";
export * from "./types.ts";
