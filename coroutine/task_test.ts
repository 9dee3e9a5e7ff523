import assert from "node:assert/strict";
import { call } from "./call.ts";
import { run } from "./run.ts";
import { withResolvers } from "./_options.ts";
import { spawn } from "./spawn.ts";
import { sleep } from "./sleep.ts";
import type { Task } from "./task.ts";

Deno.test("Task.join() resumes every joiner, in the order they started waiting", async () => {
  const log: string[] = [];
  await run(function* () {
    const target = yield* spawn(function* () {
      yield* sleep(1);
      return "v";
    });
    const joiners = [];
    for (const name of ["x", "y", "z"]) {
      joiners.push(
        yield* spawn(function* () {
          log.push(`${name}:${yield* target.join()}`);
        }),
      );
    }
    for (const j of joiners) yield* j;
    log.push(`root:${yield* target}`);
  });
  assert.deepEqual(log, ["x:v", "y:v", "z:v", "root:v"]);
});

Deno.test("Task.join() of a cancelled task throws an AbortError", async () => {
  const name = await run(function* () {
    const task = yield* spawn(function* () {
      yield* sleep(Infinity);
    });
    yield* sleep(0);
    yield* task.cancel();
    try {
      yield* task;
      return "no error";
    } catch (error) {
      return (error as DOMException).name;
    }
  });
  assert.equal(name, "AbortError");
});

Deno.test("Task.join() of itself throws a TypeError", async () => {
  const message = await run(function* () {
    const holder: { task?: Task<void> } = {};
    const child = yield* spawn(function* () {
      yield* sleep(0);
      try {
        yield* holder.task!;
      } catch (error) {
        return (error as TypeError).message;
      }
      return "joined";
    });
    holder.task = child as unknown as Task<void>;
    return yield* child;
  });
  assert.match(message, /Cannot join task: it is the joining task or one of its parents/);
});

Deno.test("Task.join() of a parent or a grandparent throws a TypeError", async () => {
  const messages = await run(function* () {
    const holder: { parent?: Task<string[]>; grandparent?: Task<string[]> } = {};
    const attempt = function* (task: Task<string[]> | undefined) {
      try {
        yield* task as Task<string[]>;
        return "joined";
      } catch (error) {
        return (error as TypeError).message;
      }
    };
    holder.grandparent = yield* spawn(function* () {
      holder.parent = yield* spawn(function* () {
        const child = yield* spawn(function* () {
          return [yield* attempt(holder.parent), yield* attempt(holder.grandparent)];
        });
        return yield* child;
      });
      return yield* holder.parent;
    });
    return yield* holder.grandparent;
  });
  assert.equal(messages.length, 2);
  for (const message of messages) {
    assert.match(message, /Cannot join task: it is the joining task or one of its parents/);
  }
});

Deno.test("Task.join() cancelled while waiting stops waiting; the joined task runs on", async () => {
  const log: string[] = [];
  await run(function* () {
    const release = withResolvers<void>();
    const slow = yield* spawn(function* () {
      yield* call(release.promise);
      log.push("slow finished");
    });
    const joiner = yield* spawn(function* () {
      try {
        yield* slow;
        log.push("joiner resumed");
      } finally {
        log.push("joiner cancelled");
      }
    });
    yield* sleep(0);
    yield* joiner.cancel();
    release.resolve();
    yield* slow;
  });
  assert.deepEqual(log, ["joiner cancelled", "slow finished"]);
});

Deno.test("Task.cancel() runs finally blocks child-before-parent and waits for them", async () => {
  const log: string[] = [];
  await run(function* () {
    const task = yield* spawn(function* () {
      yield* spawn(function* () {
        try {
          yield* sleep(Infinity);
        } finally {
          yield* sleep(1); // cleanup that pauses
          log.push("grandchild");
        }
      });
      try {
        yield* sleep(Infinity);
      } finally {
        log.push("child");
      }
    });
    yield* sleep(0);
    yield* task.cancel();
    log.push("cancel returned");
  });
  assert.deepEqual(log, ["grandchild", "child", "cancel returned"]);
});

Deno.test("Task.cancel() starts at once even without yield*, and is a no-op once done", async () => {
  const log: string[] = [];
  await run(function* () {
    const task = yield* spawn(function* () {
      try {
        yield* sleep(Infinity);
      } finally {
        log.push("cleaned");
      }
    });
    yield* sleep(0);
    task.cancel();
    yield* sleep(0);
    assert.deepEqual(log, ["cleaned"]);
    yield* task.cancel();
    task.cancel();
    assert.deepEqual(log, ["cleaned"]);
  });
});

Deno.test("Task.cancel() of a task that has not started yet never runs its body", async () => {
  let ran = false;
  await run(function* () {
    const task = yield* spawn(function* () {
      ran = true;
      yield* sleep(0);
    });
    yield* task.cancel();
  });
  assert.equal(ran, false);
});

Deno.test("Task.cancel() of the task's own parent from inside the child", async () => {
  const log: string[] = [];
  const holder: { parent?: Task<void> } = {};
  const result = await run(function* () {
    holder.parent = yield* spawn(function* () {
      yield* spawn(function* () {
        yield* sleep(0);
        try {
          yield* holder.parent!.cancel();
          log.push("unreachable: the child is cancelled with its parent");
        } finally {
          log.push("child");
        }
      });
      try {
        yield* sleep(Infinity);
      } finally {
        log.push("parent");
      }
    });
    yield* sleep(1);
    yield* holder.parent;
    return "root ok";
  }).catch((e) => e.name);
  assert.equal(result, "AbortError");
  assert.deepEqual(log, ["child", "parent"]);
});

Deno.test("Task.join(): cancelling joiners at the head, middle and tail keeps the others in order", async () => {
  const resumed: number[] = [];
  const release = withResolvers<void>();
  await run(function* () {
    const target = yield* spawn(() => call(release.promise));
    const joiners: Task<void>[] = [];
    for (let i = 0; i < 10; i++) {
      joiners.push(
        yield* spawn(function* () {
          yield* target;
          resumed.push(i);
        }),
      );
    }
    yield* sleep(0); // every joiner is waiting now
    for (const i of [0, 5, 9]) (joiners[i] as Task<void>).cancel();
    release.resolve();
    for (const [i, joiner] of joiners.entries()) if (![0, 5, 9].includes(i)) yield* joiner;
  });
  assert.deepEqual(resumed, [1, 2, 3, 4, 6, 7, 8]);
});

Deno.test("Task.join() of a task cancelled with run's signal throws that signal's reason", async () => {
  const controller = new AbortController();
  const reason = new Error("stopped");
  let shared: Task<number> | undefined;
  const first = run(function* () {
    shared = yield* spawn(function* () {
      yield* sleep(Infinity);
      return 1;
    });
    yield* sleep(Infinity);
  }, { signal: controller.signal });
  const joined = run(function* () {
    try {
      return yield* (shared as Task<number>).join();
    } catch (error) {
      return error;
    }
  });
  controller.abort(reason);
  await assert.rejects(first, (error) => error === reason);
  assert.equal(await joined, reason);
});
