/**
 * One worker of a `WorkerPool` and the job it runs: starting it, posting a job in the protocol of
 * `_worker_protocol.ts`, and ending it. Scheduling is `worker_pool.ts`'s business.
 */

import type { Linked } from "./_task_list.ts";
import type { Connect, FromWorker, ToWorker } from "./_worker_protocol.ts";

/** What a `map()` chunk resolves with: the values in order, then the first failure if any. */
export interface ChunkOutcome {
  values: unknown[];
  failed: boolean;
  error: unknown;
}

/** A task: one call, or a `map()` chunk of calls of the same function. */
export interface Task extends Linked<Task> {
  name: string;
  /** The arguments; dropped once the task is sent or settled, so they are not kept alive. */
  args: unknown[] | undefined;
  /** A chunk's argument lists (then `args` is unused and the task resolves a ChunkOutcome). */
  items: unknown[][] | undefined;
  transfer: Transferable[] | undefined;
  resolve: (value: unknown) => void;
  /**
   * Rejects the task's promise; `asked` when the caller asked for it (its signal or timeout,
   * `close({ cancelPending })`, `terminate()`), so it need not be reported as unhandled.
   */
  reject: (reason: unknown, asked?: boolean) => void;
  signal: AbortSignal | undefined;
  /** Removes the task's abort callback from `signal` (see `_on_abort.ts`). */
  offAbort: (() => void) | undefined;
  timeout: number | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  onMessage: ((value: unknown) => void) | undefined;
  state: "queued" | "running" | "settled";
  slot: Slot | undefined;
}

/** A worker and what it is doing. */
export interface Slot {
  worker: Worker;
  /** The private port every message goes through (see `_worker_protocol.ts`). */
  port: MessagePort;
  /** The tasks of the job it runs, in order; empty when idle. */
  job: Task[];
  /** True until the module (and initializer) loaded. */
  loading: boolean;
  loadTimer: ReturnType<typeof setTimeout> | undefined;
  /** Tasks it has run (a `map()` chunk counts as one, as in Python), for `maxTasksPerWorker`. */
  tasksRun: number;
  /** When it became idle (`performance.now()`), for `idleTimeout`. */
  idleSince: number;
  /** When its job was posted, to learn how long tasks take. */
  postedAt: number;
  /** The function of the last `call` sent, which a bare message calls again. */
  lastName: string;
}

/** Starts a worker on `hostUrl` for the module `moduleUrl`; `onReply` gets its messages. */
export function spawnSlot(
  hostUrl: string,
  moduleUrl: string,
  initializer: string | undefined,
  initArgs: unknown[],
  onReply: (slot: Slot, message: FromWorker | unknown) => void,
  onDead: (slot: Slot, cause: unknown) => void,
): Slot {
  const worker = new Worker(hostUrl, { type: "module", name: moduleUrl });
  const { port1, port2 } = new MessageChannel();
  const slot: Slot = {
    worker,
    port: port1,
    job: [],
    loading: true,
    loadTimer: undefined,
    tasksRun: 0,
    idleSince: 0,
    postedAt: 0,
    lastName: "",
  };
  port1.onmessage = (event: MessageEvent) => onReply(slot, event.data);
  port1.onmessageerror = () =>
    onDead(slot, new Error("a message from the worker could not be read"));
  worker.onerror = (event: ErrorEvent) => {
    // The host script itself failed (task errors never get here): treat it as a crash.
    event.preventDefault();
    onDead(slot, event.error ?? new Error(event.message));
  };
  const connect: Connect = { kind: "connect", port: port2, url: moduleUrl, initializer, initArgs };
  worker.postMessage(connect, [port2]);
  return slot;
}

/** Ends `slot`'s worker: no message or event of it is seen after this. */
export function killSlot(slot: Slot): void {
  const { worker, port } = slot;
  worker.onerror = null;
  port.onmessage = null;
  port.onmessageerror = null;
  port.close();
  worker.terminate();
  if (slot.loadTimer !== undefined) clearTimeout(slot.loadTimer);
  slot.loadTimer = undefined;
}

/** Posts `job` to `slot`. Throws if an argument cannot be cloned (nothing is sent then). */
export function postJob(slot: Slot, job: Task[]): void {
  const first = job[0]!;
  let message: ToWorker;
  let transfer = first.transfer;
  if (first.items !== undefined) {
    message = ["batch", [first.name], first.items, true];
  } else if (job.length === 1) {
    const args = first.args!;
    const one = args[0];
    if (
      first.name === slot.lastName && args.length === 1 && one !== undefined &&
      !Array.isArray(one)
    ) {
      // The common case, bare: much cheaper to clone than an array.
      if (transfer === undefined) slot.port.postMessage(one);
      else slot.port.postMessage(one, transfer);
      return;
    }
    message = ["call", first.name, args];
  } else {
    const names: string[] = new Array(job.length);
    const argsList: unknown[][] = new Array(job.length);
    let same = true;
    for (let i = 0; i < job.length; i++) {
      const task = job[i]!;
      names[i] = task.name;
      argsList[i] = task.args!;
      if (task.name !== first.name) same = false;
    }
    // One name stands for all (the common case), which is cheaper to clone.
    message = ["batch", same ? [first.name] : names, argsList, false];
    transfer = undefined; // Tasks with a transfer list are never batched.
  }
  if (transfer === undefined) slot.port.postMessage(message);
  else slot.port.postMessage(message, transfer);
  if (message[0] === "call") slot.lastName = first.name;
}
