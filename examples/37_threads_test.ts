import assert from "node:assert/strict";

const file = new URL("./37_threads.ts", import.meta.url).pathname;

function divisors(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (n % i === 0) out.push(i);
  return out;
}

Deno.test("examples/37_threads.ts factorizes serially, on AsyncPool and WorkerPool, and runs five child processes beside the computing", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", file],
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  assert.match(out, /^Serial: took \d+\.\d{3} seconds$/m);
  assert.match(out, /^AsyncPool: took \d+\.\d{3} seconds$/m);
  assert.match(out, /^WorkerPool\(\d+\): took \d+\.\d{3} seconds$/m);
  for (const n of [2139079, 1214759, 1516637, 1852285]) {
    assert.ok(out.includes(`factorize(${n}) = ${divisors(n).join(", ")}`), `factors of ${n}`);
  }
  assert.match(out, /^Five child processes, exit codes 0, 0, 0, 0, 0$/m);
  assert.match(out, /^Helicopter locations: \(0,0\) \(10,5\) \(20,10\) \(30,15\) \(40,20\)$/m);
  assert.match(out, /^Took \d+\.\d{3} seconds$/m);
});
