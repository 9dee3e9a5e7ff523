import assert from "node:assert/strict";

const file = new URL("./41_distributed.ts", import.meta.url).pathname;

Deno.test("examples/41_distributed.ts computes the seed's gcds on worker processes through Redis", async () => {
  const env = { ...Deno.env.toObject() };
  delete env.REDIS_URL; // Run alone: it starts its own Redis and workers.
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
    env,
    clearEnv: true,
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(out, /^Serial: Took \d+\.\d{3} seconds$/m);
  assert.match(out, /^RedisPool\(2 worker processes\): Took \d+\.\d{3} seconds$/m);
  // gcd(1963309, 2265973) = 1, gcd(2030677, 3814172) = 1, gcd(1551645, 2229620) = 5,
  // gcd(2039045, 2020802) = 1.
  assert.match(out, /^Results: 1, 1, 5, 1 \(× \d+\)$/m);
});
