// Helpers shared by the subprocess tests.

/** Whether no process with this pid exists any more (a child of ours: it was reaped). */
export function isGone(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
    return false;
  } catch {
    return true;
  }
}

/**
 * Whether no live process with this pid exists any more: it was reaped, it is a zombie (for a
 * grandchild: it died, and only waits for an init which may not reap orphans in a container), or
 * it is exiting (the kernel's PF_EXITING flag: it has begun to die and closes its descriptors).
 */
export function isDead(pid: number): boolean {
  try {
    Deno.kill(pid, "SIGCONT");
  } catch {
    return true;
  }
  if (Deno.build.os !== "linux") return false;
  try {
    // The state is the field after the parenthesised command name: "Z" for a zombie.
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] === "Z" || (Number(fields[6]) & 0x4) !== 0;
  } catch {
    return true;
  }
}

/** A ReadableStream that never ends and records whether it was cancelled. */
export function endless(): { stream: ReadableStream<Uint8Array>; cancelled: Promise<unknown> } {
  let onCancel!: (reason: unknown) => void;
  const cancelled = new Promise<unknown>((resolve) => (onCancel = resolve));
  const stream = new ReadableStream<Uint8Array>({
    pull: () => new Promise(() => {}), // never produces, never ends
    cancel: (reason) => onCancel(reason),
  });
  return { stream, cancelled };
}

/**
 * A named pipe a child writes one line to when it has reached a point: the parent's `read()`
 * returns once the child has written and closed it, with no polling and no sleep.
 */
export async function fifo(): Promise<{ path: string; read(): Promise<string> } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "subprocess-test-" });
  const path = `${dir}/ready`;
  const { success } = await new Deno.Command("mkfifo", { args: [path] }).output();
  if (!success) throw new Error("mkfifo failed");
  return {
    path,
    read: () => Deno.readTextFile(path),
    [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }),
  };
}

/**
 * Ends a process this test started indirectly (a grandchild, which no `wait()` reaps) with
 * SIGKILL and resolves once it is dead: no test leaves one running. Only for a pid known to be
 * alive, so the signal cannot reach an unrelated process that reused it. There is no event for
 * the death of a process that is not our child: this looks again on each turn of the event loop.
 */
export async function killAndWait(pid: number): Promise<void> {
  // 0 or a negative pid would signal a whole process group, maybe the test runner's own.
  if (!(Number.isInteger(pid) && pid > 0)) throw new RangeError(`not a pid: ${pid}`);
  try {
    Deno.kill(pid, "SIGKILL");
  } catch {
    // Already gone.
  }
  while (!isDead(pid)) await new Promise((resolve) => setTimeout(resolve, 1));
}

/**
 * Virtual time for one delay: every `setTimeout` of exactly `ms` (a value no other timer uses,
 * such as an hour) is held back until `fire()`, and one armed after `fire()` runs at once. A test
 * thereby decides when a `timeout` or a grace period passes (after the child reported that it is
 * ready), whatever the speed of the machine. Every other delay runs on the real clock.
 * `setTimeout` and `clearTimeout` are restored on dispose.
 */
export function holdTimers(ms: number): { fire(): void; readonly held: number } & Disposable {
  const realSet = globalThis.setTimeout;
  const realClear = globalThis.clearTimeout;
  const held = new Map<number, () => void>();
  let fired = false;
  let nextId = -1; // real timer ids are positive
  globalThis.setTimeout =
    ((callback: (...args: unknown[]) => void, delay?: number, ...args: unknown[]) => {
      if (delay !== ms) return realSet(callback, delay, ...args);
      if (fired) return realSet(callback, 0, ...args);
      const id = nextId--;
      held.set(id, () => callback(...args));
      return id;
    }) as typeof setTimeout;
  globalThis.clearTimeout = ((id?: number) => {
    if (id !== undefined && held.delete(id)) return;
    realClear(id);
  }) as typeof clearTimeout;
  return {
    fire() {
      fired = true;
      for (const [id, callback] of held) {
        held.delete(id);
        callback();
      }
    },
    /** How many timers of `ms` are held back now. */
    get held() {
      return held.size;
    },
    [Symbol.dispose]() {
      globalThis.setTimeout = realSet;
      globalThis.clearTimeout = realClear;
    },
  };
}

/** A delay no timer of the package uses: under {@linkcode holdTimers}, it passes when told to. */
export const HELD = 3_600_000;
