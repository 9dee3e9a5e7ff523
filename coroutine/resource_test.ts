import assert from "node:assert/strict";
import type { Operation } from "./operation.ts";
import { resource } from "./resource.ts";
import { run } from "./run.ts";
import { sleep } from "./sleep.ts";
import { spawn } from "./spawn.ts";

interface State {
  status: string;
}

function useState(state: State): Operation<State> {
  return resource(function* (provide) {
    yield* spawn(function* () {
      yield* sleep(0);
      state.status = "active";
    });
    try {
      yield* provide(state);
    } finally {
      state.status = "finalized";
    }
  });
}

Deno.test("resource() provides a value that lives until the caller's task ends", async () => {
  const state = { status: "pending" };
  await run(function* () {
    const provided = yield* useState(state);
    assert.equal(provided, state);
    yield* sleep(1);
    assert.equal(state.status, "active"); // its own children live on too
  });
  assert.equal(state.status, "finalized");
});

Deno.test("resource(): an error before provide() is thrown to the caller, who can catch it", async () => {
  const caught = await run(function* () {
    try {
      yield* resource(
        function* () {
          throw new Error("init failed");
        },
      );
      return "no error";
    } catch (error) {
      return (error as Error).message;
    }
  });
  assert.equal(caught, "init failed");
});

Deno.test("resource(): returning without provide() is a TypeError", async () => {
  await assert.rejects(
    run(() =>
      resource(function* () {
      })
    ),
    { name: "TypeError", message: /without calling provide/ },
  );
});

Deno.test("resource(): a failure after provide() fails the caller's task", async () => {
  await assert.rejects(
    run(function* () {
      yield* resource<void>(function* (provide) {
        yield* spawn(function* () {
          yield* sleep(0);
          throw new Error("late failure");
        });
        yield* provide();
      });
      yield* sleep(Infinity);
    }),
    { message: "late failure" },
  );
});

Deno.test("resource(): resources are released newest first, one after another", async () => {
  const log: string[] = [];
  await run(function* () {
    for (const name of ["first", "second"]) {
      yield* resource<void>(function* (provide) {
        try {
          yield* provide();
        } finally {
          log.push(`${name} start`);
          yield* sleep(1);
          log.push(`${name} done`);
        }
      });
    }
  });
  assert.deepEqual(log, ["second start", "second done", "first start", "first done"]);
});

Deno.test("resource(): cancelling the caller before provide() never runs the rest of the body", async () => {
  const controller = new AbortController();
  const state = { status: "pending" };
  const done = run(function* () {
    yield* resource<void>(function* (provide) {
      yield* sleep(Infinity);
      state.status = "provided";
      yield* provide();
    });
  }, { signal: controller.signal });
  // run() ran the body synchronously up to its first pause: it is parked now.
  controller.abort(new Error("stop"));
  await assert.rejects(done, { message: "stop" });
  assert.equal(state.status, "pending");
});

Deno.test("resource(): provide() from outside the resource's body is a TypeError", async () => {
  const message = await run(function* () {
    let provideAgain: ((v: number) => Operation<void>) | undefined;
    yield* resource<number>(function* (provide) {
      provideAgain = provide;
      yield* provide(1);
    });
    try {
      yield* (provideAgain as (v: number) => Operation<void>)(2);
      return "accepted";
    } catch (error) {
      return (error as Error).message;
    }
  });
  assert.match(message, /provide\(\) may be called once, by the resource's own body/);
});
