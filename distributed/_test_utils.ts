// Test helpers: a real redis-server on a free loopback port, real worker processes, FIFOs.
// Every wait here is on an event (a line printed, a process exiting, a FIFO opened), never a sleep.
import { withResolvers } from "./_options.ts";

const decoder = new TextDecoder();

/** A child process whose stdout is read line by line, so tests can wait for a given line. */
export class Child {
  readonly process: Deno.ChildProcess;
  readonly lines: string[] = [];
  #waiters = new Set<{ pattern: RegExp; resolve: (line: string) => void }>();
  #reading: Promise<void>;
  #stderr: Promise<string>;

  constructor(command: string, args: string[]) {
    this.process = new Deno.Command(command, {
      args,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#reading = this.#read();
    this.#stderr = new Response(this.process.stderr).text();
  }

  async #read(): Promise<void> {
    let buffer = "";
    for await (const chunk of this.process.stdout) {
      buffer += decoder.decode(chunk, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        this.lines.push(line);
        for (const waiter of this.#waiters) {
          if (waiter.pattern.test(line)) {
            this.#waiters.delete(waiter);
            waiter.resolve(line);
          }
        }
      }
    }
  }

  /** Resolves with the first line (already printed or to come) matching `pattern`. */
  waitFor(pattern: RegExp): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen !== undefined) return Promise.resolve(seen);
    const { promise, resolve, reject } = withResolvers<string>();
    this.#waiters.add({ pattern, resolve });
    // If the process ends first, fail with what it said instead of hanging.
    this.#reading.then(async () => {
      reject(
        new Error(`exited before printing ${pattern}:\n${this.lines.join("\n")}\n${await this
          .#stderr}`),
      );
    });
    return promise;
  }

  /**
   * Sends `signal` (if still running) and waits for the exit; returns the status. SIGKILL by
   * default, so a failed test's cleanup never waits on a task stuck at a FIFO.
   */
  async stop(signal: Deno.Signal = "SIGKILL"): Promise<Deno.CommandStatus> {
    try {
      this.process.kill(signal);
    } catch {
      // Already exited.
    }
    return await this.done();
  }

  /** Waits for the exit and the end of its output. */
  async done(): Promise<Deno.CommandStatus> {
    const status = await this.process.status;
    await this.#reading;
    await this.#stderr;
    return status;
  }

  /** What the process wrote to stderr (after it exited). */
  stderr(): Promise<string> {
    return this.#stderr;
  }
}

/** A free TCP port on 127.0.0.1 (the OS picks it). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** A redis-server of its own: loopback only, a temp directory, optionally append-only. */
export class Redis {
  readonly port = freePort();
  readonly url = `redis://127.0.0.1:${this.port}`;
  readonly dir = Deno.makeTempDirSync({ prefix: "redis_test_" });
  #server: Child | undefined;

  constructor(readonly appendOnly = false, readonly extra: string[] = []) {}

  /** Starts the server and waits until it accepts connections. */
  async start(): Promise<this> {
    this.#server = new Child("redis-server", [
      "--bind",
      "127.0.0.1",
      "--port",
      String(this.port),
      "--dir",
      this.dir,
      "--save",
      "",
      "--appendonly",
      this.appendOnly ? "yes" : "no",
      "--appendfsync",
      "always",
      "--protected-mode",
      "yes",
      ...this.extra,
    ]);
    await this.#server.waitFor(/Ready to accept connections/);
    return this;
  }

  /** Kills the server (SIGKILL: no chance to save anything more) and waits for its exit. */
  async kill(): Promise<void> {
    await this.#server?.stop("SIGKILL");
    this.#server = undefined;
  }

  /**
   * Kills the server at once and removes its directory, synchronously: for an `unload` handler,
   * which cannot wait (the benchmarks end this way).
   */
  killSync(): void {
    try {
      this.#server?.process.kill("SIGKILL");
    } catch {
      // already gone
    }
    this.#server = undefined;
    Deno.removeSync(this.dir, { recursive: true });
  }

  /** Stops the server and removes its directory. */
  async stop(): Promise<void> {
    await this.#server?.stop("SIGTERM");
    this.#server = undefined;
    await Deno.remove(this.dir, { recursive: true });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

const MAIN = new URL("./main.ts", import.meta.url).pathname;
/** The test task module's path. */
export const TASKS = new URL("./testdata/tasks.ts", import.meta.url).pathname;

/** Starts the worker command as a real `deno` process and waits until it serves. */
export async function startWorker(
  redis: string,
  queue: string,
  extra: string[] = [],
  module = TASKS,
): Promise<Child> {
  const child = new Child(Deno.execPath(), [
    "run",
    "-A",
    MAIN,
    "--redis",
    redis,
    "--module",
    module,
    "--queue",
    queue,
    ...extra,
  ]);
  await child.waitFor(/^serving /);
  return child;
}

/** Makes a FIFO (named pipe) in `dir` and returns its path. */
export async function fifo(dir: string, name: string): Promise<string> {
  const path = `${dir}/${name}`;
  const { code } = await new Deno.Command("mkfifo", { args: [path] }).output();
  if (code !== 0) throw new Error(`mkfifo ${path} failed`);
  return path;
}
