import assert from "node:assert/strict";
import { Event } from "./mod.ts";

Deno.test("Event.wait() resolves every waiter on set(), in order", async () => {
  const event = new Event();
  const order: number[] = [];
  const waiters = [0, 1, 2].map((n) => event.wait().then(() => order.push(n)));
  assert.equal(event.waiting, 3);
  assert.equal(event.isSet, false);
  event.set();
  assert.equal(event.isSet, true);
  await Promise.all(waiters);
  assert.deepEqual(order, [0, 1, 2]);
  assert.equal(event.waiting, 0);
});

Deno.test("Event.wait() resolves at once while set, and waits again after clear()", async () => {
  const event = new Event();
  event.set();
  event.set(); // idempotent
  await event.wait();
  event.clear();
  assert.equal(event.isSet, false);
  let woke = false;
  const waiting = event.wait().then(() => woke = true);
  await Promise.resolve();
  assert.equal(woke, false);
  event.set();
  await waiting;
  assert.equal(woke, true);
});

Deno.test("Event.wait() aborted leaves and is not woken by set()", async () => {
  const event = new Event();
  const controller = new AbortController();
  const waiting = event.wait({ signal: controller.signal });
  controller.abort(new Error("bye"));
  await assert.rejects(waiting, /bye/);
  assert.equal(event.waiting, 0);
  event.set();
});

Deno.test("Event.wait() times out with a TimeoutError", async () => {
  const event = new Event();
  await assert.rejects(event.wait({ timeout: 1 }), {
    name: "TimeoutError",
    message: "Event.wait() timed out after 1 ms",
  });
  assert.equal(event.waiting, 0);
});

Deno.test("Event.wait() with an already-aborted signal rejects even when set", async () => {
  const event = new Event();
  event.set();
  await assert.rejects(event.wait({ signal: AbortSignal.abort(new Error("no")) }), /no/);
});

Deno.test("Event.wait() rejects bad options", async () => {
  const event = new Event();
  await assert.rejects(event.wait({ timeout: -5 }), RangeError);
  // deno-lint-ignore no-explicit-any
  await assert.rejects(event.wait({ timeout: {} as any }), TypeError);
});
