/**
 * Where a `WorkerPool`'s tasks go: the queue, the workers (started on demand, ended when idle
 * too long, replaced when they die or reach `maxTasksPerWorker`), the jobs sent to them (one task,
 * a batch of tiny ones, or a `map()` chunk) and the replies. `worker_pool.ts` checks the
 * arguments, applies `maxQueue` and runs the waits; it learns of every change through `onChange`.
 */

import { averageTaskMs, batchable, batchLimit } from "./_batching.ts";
import { onAbort } from "./_on_abort.ts";
import { revive } from "./_revive.ts";
import { TaskList } from "./_task_list.ts";
import { describe } from "./_helpers.ts";
import type { Failure, FromWorker } from "./_worker_protocol.ts";
import {
  type ChunkOutcome,
  killSlot,
  postJob,
  type Slot,
  spawnSlot,
  type Task,
} from "./_worker_slot.ts";
import { ModuleLoadError, PoolClosed, WorkerCrashed } from "./errors.ts";
import { timeoutError } from "./_options.ts";

/** Reports a throw from a user callback as an event listener's would be, without stopping us. */
function report(error: unknown): void {
  const reportError = (globalThis as { reportError?: (e: unknown) => void }).reportError;
  if (reportError !== undefined) reportError(error);
  else {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** What a scheduler is set up with (checked by `WorkerPool`). */
export interface SchedulerConfig {
  url: string;
  size: number;
  idleTimeout: number | undefined;
  loadTimeout: number | undefined;
  initializer: string | undefined;
  initArgs: unknown[];
  maxTasksPerWorker: number;
}

/** The queue and the workers of a `WorkerPool`. */
export class WorkerScheduler {
  #url: string;
  #hostUrl: string;
  #size: number;
  #idleTimeout: number | undefined;
  #loadTimeout: number | undefined;
  #initializer: string | undefined;
  #initArgs: unknown[];
  #maxTasksPerWorker: number;
  #onChange: () => void;
  #slots = new Set<Slot>();
  /** Idle workers, most recently used last. */
  #idleSlots: Slot[] = [];
  #queue = new TaskList<Task>();
  #running = 0;
  /** How long a task takes, round trip (ms, a moving average), to decide on batching. */
  #taskMs = Infinity;
  #closed = false;
  #terminated = false;
  #sweepTimer: ReturnType<typeof setTimeout> | undefined;

  /**
   * @param config The pool's checked options.
   * @param hostUrl The `blob:` URL of the worker host.
   * @param onChange Called after anything that may make room in the queue or leave the pool idle.
   */
  constructor(config: SchedulerConfig, hostUrl: string, onChange: () => void) {
    this.#url = config.url;
    this.#size = config.size;
    this.#idleTimeout = config.idleTimeout;
    this.#loadTimeout = config.loadTimeout;
    this.#initializer = config.initializer;
    this.#initArgs = config.initArgs;
    this.#maxTasksPerWorker = config.maxTasksPerWorker;
    this.#hostUrl = hostUrl;
    this.#onChange = onChange;
  }

  /** Live workers. */
  get workers(): number {
    return this.#slots.size;
  }

  /** Tasks sent to a worker and not settled. */
  get running(): number {
    return this.#running;
  }

  /** Tasks waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Whether a task submitted now would start at once (a worker is idle or may be started). */
  get canStart(): boolean {
    return this.#idleSlots.length > 0 || this.#slots.size < this.#size;
  }

  /** Called by `close()`: workers end as soon as nothing is left for them. */
  close(): void {
    this.#closed = true;
    for (const slot of [...this.#idleSlots]) this.#drop(slot);
  }

  /** Makes a task; its `signal` (if any) stops it. */
  task(
    name: string,
    args: unknown[] | undefined,
    items: unknown[][] | undefined,
    resolve: (value: unknown) => void,
    reject: (reason: unknown, asked?: boolean) => void,
    signal: AbortSignal | undefined,
    timeout: number | undefined,
  ): Task {
    const task: Task = {
      name,
      args,
      items,
      transfer: undefined,
      resolve,
      reject,
      signal,
      offAbort: undefined,
      timeout,
      timer: undefined,
      onMessage: undefined,
      state: "queued",
      slot: undefined,
      prev: undefined,
      next: undefined,
      listed: false,
    };
    if (signal !== undefined) task.offAbort = onAbort(signal, () => this.stop(task, signal.reason));
    return task;
  }

  /** Sends `task` to a free (or new) worker, or queues it. */
  submit(task: Task): void {
    if (this.#queue.length === 0) {
      const slot = this.#idleSlots.pop() ??
        (this.#slots.size < this.#size ? this.#spawn() : undefined);
      if (slot !== undefined) {
        this.#post(slot, [task]);
        return;
      }
    }
    this.#queue.push(task);
  }

  #spawn(): Slot {
    const slot = spawnSlot(
      this.#hostUrl,
      this.#url,
      this.#initializer,
      this.#initArgs,
      this.#onReply,
      this.#onDead,
    );
    this.#slots.add(slot);
    if (this.#loadTimeout !== undefined) {
      slot.loadTimer = setTimeout(this.#onLoadTimeout, this.#loadTimeout, slot);
    }
    return slot;
  }

  #onLoadTimeout = (slot: Slot): void => {
    slot.loadTimer = undefined;
    const cause = timeoutError("Loading the task module", this.#loadTimeout!);
    // The queued tasks would each wait as long again on a new worker: they fail too (Python's
    // BrokenProcessPool). Tasks submitted afterwards try a new worker.
    for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
      this.#settle(task);
      task.reject(new ModuleLoadError(this.#url, cause));
    }
    this.#end(slot, () => new ModuleLoadError(this.#url, cause), false);
  };

  /** Posts `job` to `slot` (the tasks are already out of the queue), or parks `slot`. */
  #post(slot: Slot, job: Task[]): void {
    try {
      postJob(slot, job);
    } catch (error) {
      if (job.length > 1) {
        // An argument of the batch cannot be cloned: send its tasks one at a time to find it.
        for (let i = job.length - 1; i > 0; i--) this.#queue.unshift(job[i]!);
        this.#taskMs = Infinity;
        return this.#post(slot, [job[0]!]);
      }
      const task = job[0]!;
      this.#settle(task);
      task.reject(
        new DOMException(
          `Cannot send the arguments of '${task.name}' to a worker: ${(error as Error)?.message}`,
          "DataCloneError",
        ),
      );
      return this.#next(slot);
    }
    slot.job = job;
    slot.postedAt = performance.now();
    this.#running += job.length;
    for (const task of job) {
      task.state = "running";
      task.slot = slot;
      // On a worker still loading, the timeout starts when it is ready (see "ready").
      if (!slot.loading) this.#armTimeout(task);
    }
  }

  #armTimeout(task: Task): void {
    if (task.timeout !== undefined && task.timer === undefined) {
      task.timer = setTimeout(this.#onTimeout, task.timeout, task);
    }
  }

  #onTimeout = (task: Task): void => {
    task.timer = undefined;
    this.stop(task, timeoutError(`WorkerPool task '${task.name}'`, task.timeout!));
  };

  /** Marks `task` settled and removes its timer and abort listener. */
  #settle(task: Task): void {
    task.state = "settled";
    task.args = undefined;
    task.items = undefined;
    task.slot = undefined;
    if (task.timer !== undefined) clearTimeout(task.timer);
    if (task.offAbort !== undefined) {
      task.offAbort();
      task.offAbort = undefined;
    }
  }

  /**
   * Stops `task` as its caller asked (its signal or timeout): drops it from the queue, or
   * terminates and replaces its worker.
   */
  stop(task: Task, reason: unknown): void {
    if (task.state === "queued") {
      this.#queue.remove(task);
      this.#settle(task);
      task.reject(reason, true);
      this.#onChange();
    } else if (task.state === "running") {
      // Only tasks without a signal or timeout are batched, so the job is this task alone.
      this.#end(task.slot!, () => reason, true);
    }
  }

  /**
   * Ends `slot`'s worker and rejects its job with `reason(task)` (`asked`: as the caller asked),
   * then starts a worker for the queued tasks, if any.
   */
  #end(slot: Slot, reason: (task: Task) => unknown, asked: boolean): void {
    const job = this.#drop(slot);
    for (const task of job) {
      this.#settle(task);
      task.reject(reason(task), asked);
    }
    this.#replace();
  }

  /** Ends `slot`'s worker and returns its job, taken off it. */
  #drop(slot: Slot): Task[] {
    killSlot(slot);
    this.#slots.delete(slot);
    const i = this.#idleSlots.indexOf(slot); // At most `size` long.
    if (i !== -1) this.#idleSlots.splice(i, 1);
    const job = slot.job;
    slot.job = [];
    this.#running -= job.length;
    return job;
  }

  /** Starts a worker for the queued tasks, if any, or settles `close()`. */
  #replace(): void {
    if (this.#terminated) return;
    if (this.#queue.length > 0 && this.#slots.size < this.#size) this.#next(this.#spawn());
    else {
      this.#onChange();
    }
  }

  #onDead = (slot: Slot, cause: unknown): void => {
    this.#onCrash(slot, ["crash", "uncaught", cause, -1, [], null], false);
  };

  #onReply = (slot: Slot, data: FromWorker | unknown): void => {
    const job = slot.job;
    const message: FromWorker = Array.isArray(data) ? data as FromWorker : ["result", data];
    switch (message[0]) {
      case "ready":
        slot.loading = false;
        if (slot.loadTimer !== undefined) clearTimeout(slot.loadTimer);
        slot.loadTimer = undefined;
        for (const task of job) this.#armTimeout(task); // loading is bounded by loadTimeout
        return;
      case "progress": {
        const task = job.length === 1 ? job[0] : job[message[1]];
        const onMessage = task?.onMessage;
        if (onMessage !== undefined) {
          try {
            onMessage(message[2]);
          } catch (error) {
            report(error);
          }
        }
        return;
      }
      case "crash":
        return this.#onCrash(slot, message, true);
    }
    // The job's reply.
    if (job.length === 0) return;
    slot.job = [];
    this.#running -= job.length;
    const ms = (performance.now() - slot.postedAt) / job.length;
    this.#taskMs = averageTaskMs(this.#taskMs, ms);
    slot.tasksRun += job.length;
    for (const task of job) this.#settle(task);
    const first = job[0]!;
    switch (message[0]) {
      case "result":
        first.resolve(message[1]);
        break;
      case "batch": {
        const [, values, failures] = message;
        if (job.length === 1) {
          // A map() chunk (a batch of one task is never sent).
          const failure = failures?.[0];
          first.resolve(
            {
              values: failure === undefined ? values : values.slice(0, failure[0]),
              failed: failure !== undefined,
              error: failure === undefined ? undefined : this.#failure(first, failure),
            } satisfies ChunkOutcome,
          );
          break;
        }
        let f = 0;
        for (let i = 0; i < job.length; i++) {
          const task = job[i]!;
          const failure = failures?.[f];
          if (failure !== undefined && failure[0] === i) {
            f++;
            task.reject(this.#failure(task, failure));
          } else task.resolve(values[i]);
        }
        break;
      }
      case "load-failed": {
        // Loading is over, if failed: the load timeout no longer applies.
        slot.loading = false;
        if (slot.loadTimer !== undefined) clearTimeout(slot.loadTimer);
        slot.loadTimer = undefined;
        const cause = revive(message[1]);
        for (const task of job) {
          task.reject(
            new ModuleLoadError(
              this.#url,
              cause,
              message[2] === "initializer" ? this.#initializer : undefined,
            ),
          );
        }
        break;
      }
      default:
        first.reject(this.#failure(first, [0, message[0], message[1]] as Failure));
    }
    if (slot.tasksRun >= this.#maxTasksPerWorker) {
      this.#drop(slot);
      this.#replace();
    } else this.#next(slot);
  };

  /** The error a task failed with. */
  #failure(task: Task, failure: Failure): unknown {
    // A task's own error, rebuilt; `run()` adds the frames of its caller.
    switch (failure[1]) {
      case "threw":
        return revive(failure[2]);
      case "missing":
        return new TypeError(
          `Task module ${this.#url} has no exported function '${task.name}'; its exported functions are: ${
            failure[2].join(", ") || "(none)"
          }`,
        );
      case "uncloneable":
        return new DOMException(
          `Cannot send the result of '${task.name}' back from the worker: ${failure[2]}`,
          "DataCloneError",
        );
    }
  }

  /**
   * The worker reported it is dying (`reported`) or died: the tasks of its job that finished are
   * settled, the one running fails with WorkerCrashed, the ones not started go back to the queue.
   */
  #onCrash(slot: Slot, message: FromWorker & { 0: "crash" }, reported: boolean): void {
    if (!this.#slots.has(slot)) return;
    const [, how, payload, reportedIndex, values, failures] = message;
    const job = this.#drop(slot);
    const index = Math.max(reportedIndex, 0);
    const cause = how === "uncaught" && reported
      ? revive(payload as ["error", never] | ["value", unknown])
      : payload;
    const crashed = (task: Task) =>
      new WorkerCrashed(
        how === "exit"
          ? `The worker running '${task.name}' exited with code ${payload}`
          : how === "close"
          ? `The worker running '${task.name}' called self.close()`
          : `The worker running '${task.name}' died: ${describe(cause)}`,
        task.name,
        how === "uncaught"
          ? { cause }
          : { exitCode: how === "exit" ? payload as number : undefined },
      );
    const first = job[0];
    // The worker ended between jobs (say, a timer of an earlier task called exit()) while this job
    // was on its way: none of it started, so all of it goes back to the queue. Not while loading,
    // where a module that always crashes would otherwise be retried for ever.
    const notStarted = reported && reportedIndex === -1 && !slot.loading;
    if (notStarted) {
      for (let i = job.length - 1; i >= 0; i--) this.#requeue(job[i]!);
    } else if (first?.items !== undefined) {
      // A map() chunk: what its items gave, then the crash.
      this.#settle(first);
      first.resolve({ values: values.slice(0, index), failed: true, error: crashed(first) });
    } else {
      let f = 0;
      for (let i = job.length - 1; i > index; i--) {
        this.#requeue(job[i]!); // Not started: back to the front of the queue, in order.
      }
      for (let i = 0; i <= index && i < job.length; i++) {
        const task = job[i]!;
        this.#settle(task);
        const failure = failures?.[f];
        if (i === index) task.reject(crashed(task));
        else if (failure !== undefined && failure[0] === i) {
          f++;
          task.reject(this.#failure(task, failure));
        } else task.resolve(values[i]);
      }
    }
    this.#replace();
  }

  /** Puts a task that never started back at the front of the queue; its timeout starts anew. */
  #requeue(task: Task): void {
    task.state = "queued";
    task.slot = undefined;
    if (task.timer !== undefined) clearTimeout(task.timer);
    task.timer = undefined;
    this.#queue.unshift(task);
  }

  /** Gives `slot` its next job from the queue, or parks it as idle. */
  #next(slot: Slot): void {
    const head = this.#queue.shift();
    if (head === undefined) {
      if (this.#closed) {
        this.#drop(slot); // Nothing more will come.
      } else {
        slot.idleSince = performance.now();
        this.#idleSlots.push(slot);
        this.#armSweep();
      }
      this.#onChange();
      return;
    }
    const job = [head];
    if (batchable(head)) {
      // Tiny tasks: send several at once (see _batching.ts); else the limit is 1.
      const limit = batchLimit(
        this.#taskMs,
        this.#queue.length + 1,
        this.#size,
        this.#maxTasksPerWorker - slot.tasksRun,
      );
      for (let next = this.#queue.first; next !== undefined && job.length < limit;) {
        if (!batchable(next)) break;
        const after = next.next;
        this.#queue.remove(next);
        job.push(next);
        next = after;
      }
    }
    this.#post(slot, job);
    this.#onChange();
  }

  /** Ends workers idle for `idleTimeout`; keeps one timer for the pool. */
  #armSweep(): void {
    if (this.#sweepTimer !== undefined || this.#idleTimeout === undefined) return;
    this.#sweepTimer = setTimeout(this.#sweep, this.#idleTimeout);
  }

  #sweep = (): void => {
    this.#sweepTimer = undefined;
    const limit = this.#idleTimeout!;
    const now = performance.now();
    // The least recently used come first.
    while (this.#idleSlots.length > 0) {
      const slot = this.#idleSlots[0]!;
      if (now - slot.idleSince < limit) {
        this.#sweepTimer = setTimeout(this.#sweep, limit - (now - slot.idleSince) + 1);
        return;
      }
      this.#drop(slot);
    }
  };

  /** Rejects the tasks not started (queued, or on a worker still loading) with PoolClosed. */
  cancelPending(): void {
    const reason = (task: Task) =>
      new PoolClosed(`The WorkerPool was closed before '${task.name}' started`);
    for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
      this.#settle(task);
      task.reject(reason(task), true);
    }
    for (const slot of [...this.#slots]) {
      if (slot.loading && slot.job.length > 0) {
        for (const task of this.#drop(slot)) {
          this.#settle(task);
          task.reject(reason(task), true);
        }
      }
    }
  }

  /** Ends every worker and rejects every task with PoolClosed. Idempotent. */
  terminate(): void {
    if (this.#terminated) return;
    this.#closed = true;
    this.#terminated = true;
    const running: Task[] = [];
    for (const slot of [...this.#slots]) running.push(...this.#drop(slot));
    const queued: Task[] = [];
    for (let task = this.#queue.shift(); task !== undefined; task = this.#queue.shift()) {
      queued.push(task);
    }
    if (this.#sweepTimer !== undefined) clearTimeout(this.#sweepTimer);
    this.#sweepTimer = undefined;
    URL.revokeObjectURL(this.#hostUrl);
    for (const task of running) {
      this.#settle(task);
      task.reject(
        new PoolClosed(`The WorkerPool was terminated while '${task.name}' was running`),
        true,
      );
    }
    for (const task of queued) {
      this.#settle(task);
      task.reject(
        new PoolClosed(`The WorkerPool was terminated before '${task.name}' started`),
        true,
      );
    }
  }
}
