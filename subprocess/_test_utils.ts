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
