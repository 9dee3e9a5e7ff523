import assert from "node:assert/strict";

Deno.test("examples/38_lock.ts: the locked counters are exact, the racy ones are not above", async () => {
  const file = new URL("./38_lock.ts", import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const found = Object.fromEntries(
    [...out.matchAll(/^(.+?):\s+Counter should be 500000, found (\d+)$/gm)].map((
      m,
    ) => [m[1], Number(m[2])]),
  );
  assert.deepEqual(Object.keys(found), [
    "async tasks, Counter",
    "async tasks, LockingCounter",
    "workers, Counter",
    "workers, LockingCounter",
    "workers, Atomics.add",
  ]);
  assert.equal(found["async tasks, LockingCounter"], 500000);
  assert.equal(found["workers, LockingCounter"], 500000);
  assert.equal(found["workers, Atomics.add"], 500000);
  // The async race is deterministic: all five tasks read the same value before any writes.
  assert.ok(found["async tasks, Counter"] < 500000);
  assert.ok(found["workers, Counter"] <= 500000);
});
