// Copyright 2025 the @effective/concurrency authors. MIT license.
// The wait behind race(): the first of several tasks to settle decides, and the rest are halted
// in the same step.

import { OneShot, type Pending } from "./_instruction.ts";
import { schedule } from "./_run_queue.ts";
import type { TaskImpl, Waiter } from "./_task.ts";

/**
 * Parks a task until the first of `tasks` settles, answers with its outcome, and halts the others
 * at once: a race decided is not re-run by members already queued in the same turn.
 */
export class FirstOf extends OneShot implements Pending {
  tasks: TaskImpl<unknown>[];
  links: RaceLink[] = [];
  waiter: TaskImpl<unknown> | null = null;
  constructor(tasks: TaskImpl<unknown>[]) {
    super();
    this.tasks = tasks;
  }
  enter(waiter: TaskImpl<unknown>): boolean {
    const tasks = this.tasks;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as TaskImpl<unknown>;
      if (task.isDone) {
        task.deliverTo(waiter);
        this.haltOthers(task);
        return true;
      }
    }
    this.waiter = waiter;
    for (let i = 0; i < tasks.length; i++) {
      const link = new RaceLink(this);
      this.links.push(link);
      (tasks[i] as TaskImpl<unknown>).addWaiter(link);
    }
    waiter.pending = this;
    return false;
  }
  detach(): void {
    const tasks = this.tasks, links = this.links;
    for (let i = 0; i < links.length; i++) {
      (tasks[i] as TaskImpl<unknown>).removeWaiter(links[i] as RaceLink);
    }
    this.links = [];
  }
  haltOthers(winner: TaskImpl<unknown>): void {
    const tasks = this.tasks;
    for (let i = 0; i < tasks.length; i++) {
      const task = tasks[i] as TaskImpl<unknown>;
      if (task !== winner) task.halt(undefined);
    }
  }
  unwait(): void {
    this.waiter = null;
    this.detach();
  }
  won(winner: TaskImpl<unknown>): void {
    const waiter = this.waiter;
    if (waiter === null) return;
    this.waiter = null;
    this.detach();
    waiter.pending = null;
    winner.deliverTo(waiter);
    schedule(waiter, waiter.resumeKind, waiter.resumeValue);
    this.haltOthers(winner);
  }
}

class RaceLink implements Waiter {
  prevWaiter: Waiter | null = null;
  nextWaiter: Waiter | null = null;
  race: FirstOf;
  constructor(race: FirstOf) {
    this.race = race;
  }
  settled(task: TaskImpl<unknown>): void {
    this.race.won(task);
  }
}
