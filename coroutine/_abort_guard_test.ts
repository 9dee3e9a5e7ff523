// The guarded signals used where a listener's error would escape as uncaught (Node, Bun);
// exercised here directly, since Deno takes the cheaper path.
import assert from "node:assert/strict";
import { abortCollectingErrors, guardedController } from "./_abort_guard.ts";

Deno.test("guardedController(): every throwing abort listener is collected in order, none escapes", () => {
  const controller = guardedController(true);
  const signal = controller.signal;
  const called: string[] = [];
  signal.addEventListener("abort", () => {
    called.push("function");
    throw new Error("function");
  });
  signal.onabort = () => {
    called.push("replaced");
  };
  signal.onabort = () => {
    called.push("onabort");
    throw new Error("onabort");
  };
  signal.addEventListener("abort", {
    handleEvent() {
      called.push("object");
      throw new Error("object");
    },
  });
  const removed = () => called.push("removed");
  signal.addEventListener("abort", removed);
  signal.removeEventListener("abort", removed);
  signal.addEventListener("abort", () => called.push("quiet"), { once: true });
  const errors = abortCollectingErrors(controller, "why");
  assert.deepEqual(errors?.map((e) => (e as Error).message), ["function", "onabort", "object"]);
  assert.deepEqual(called, ["function", "onabort", "object", "quiet"]);
});

Deno.test("guardedController(): the signal is still a platform AbortSignal", () => {
  const controller = guardedController(true);
  const signal = controller.signal;
  assert.ok(signal instanceof AbortSignal);
  assert.equal(signal.onabort, null);
  const follower = AbortSignal.any([signal]);
  assert.equal(abortCollectingErrors(controller, "why"), null);
  assert.equal(signal.aborted, true);
  assert.equal(signal.reason, "why");
  assert.equal(follower.reason, "why");
  assert.throws(() => signal.throwIfAborted(), (e) => e === "why");
});
