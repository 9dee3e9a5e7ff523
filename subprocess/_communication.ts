import type { Collector } from "./_collect.ts";
import { sleep } from "./_timer.ts";
import type { CommunicateOptions } from "./types.ts";

const encoder = new TextEncoder();
/** How long to wait for the pipes to reach EOF after a killed child is reaped before closing them. */
const DRAIN_AFTER_KILL_MS = 100;

/** One `Subprocess.communicate()` exchange, shared by every call. */
export interface Communication {
  out: Collector | undefined;
  err: Collector | undefined;
  stopFeed: AbortController;
  done: Promise<Deno.CommandStatus>;
}

function isBrokenPipe(error: unknown): boolean {
  return error instanceof Deno.errors.BrokenPipe ||
    error instanceof Deno.errors.ConnectionReset;
}

/** Writes `input` to the child's `stdin` (when piped and free) and closes it. */
export async function feedStdin(
  stdin: WritableStream<Uint8Array> | null,
  input: CommunicateOptions["input"],
  stop: AbortSignal,
): Promise<void> {
  if (stdin === null || stdin.locked) return;
  const empty = input === undefined || (!(input instanceof ReadableStream) && input.length === 0);
  try {
    if (input instanceof ReadableStream) {
      await input.pipeTo(stdin, { signal: stop });
    } else {
      const writer = stdin.getWriter();
      try {
        if (!empty) await writer.write(typeof input === "string" ? encoder.encode(input) : input);
        await writer.close();
      } finally {
        writer.releaseLock();
      }
    }
  } catch (error) {
    // The child exited (or closed stdin) without reading everything: that is its right.
    if (isBrokenPipe(error) || stop.aborted) return;
    // Only the stream itself throws TypeErrors (pipe errors are Deno.errors): the caller
    // closed stdin before. Nothing to send is fine then; something to send is refused.
    if (error instanceof TypeError) {
      if (empty) return;
      throw new TypeError(
        "Subprocess.communicate(): 'input' cannot be sent, stdin is already closed",
        { cause: error },
      );
    }
    throw error;
  }
}

/**
 * Once the child is gone its pipes reach EOF as soon as their buffers are read, unless a
 * descendant still holds them open: give them a moment, then close them.
 */
export async function drainPipes(communication: Communication): Promise<void> {
  const open = [communication.out, communication.err].filter((c): c is Collector =>
    c !== undefined && !c.finished
  );
  if (open.length === 0) return;
  const timer = sleep(DRAIN_AFTER_KILL_MS);
  await Promise.race([Promise.allSettled(open.map((c) => c.done)), timer.promise]);
  timer.cancel();
  await Promise.all(open.map((c) => c.cancel()));
}
