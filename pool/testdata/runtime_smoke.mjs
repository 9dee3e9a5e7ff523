// WorkerPool on another runtime, from the bundle: `deno task build`, then
//   bun pool/testdata/runtime_smoke.mjs    -> runs tasks on Bun's workers, prints "ok"
//   node pool/testdata/runtime_smoke.mjs   -> Node has no global Worker: prints the refusal
// Exits 0 when the runtime either runs the pool correctly or refuses with a NotSupportedError
// naming itself; 1 otherwise.
// A computed URL: dist/ exists only after the build, and `deno check pool/` must not need it.
const { WorkerCrashed, WorkerPool } = await import(
  new URL("../../dist/pool.js", import.meta.url).href
);

const tasks = new URL("./smoke_tasks.mjs", import.meta.url);
let pool;
try {
  pool = new WorkerPool(tasks, { size: 2 });
} catch (error) {
  const named = /^new WorkerPool\(\): \S+ lacks Web Workers/.test(error.message);
  console.log(`refused: ${error.name}: ${error.message}`);
  process.exit(error.name === "NotSupportedError" && named ? 0 : 1);
}
const check = (ok, what) => {
  if (!ok) {
    console.log(`FAILED: ${what}`);
    process.exit(1);
  }
};
check(await pool.run("add", [2, 3]) === 5, "add");
const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.run("add", [i, 1])));
check(many.every((n, i) => n === i + 1), "1000 tasks in flight");
const steps = [];
check(await pool.run("count", [10], { onMessage: (v) => steps.push(v) }) === 10, "progress");
check(steps.join() === "1,2,3,4,5,6,7,8,9,10", "progress steps");
await pool.run("stray", []).then((v) => check(v === "mine", "stray postMessage"));
await pool.run("exit", [7]).then(
  () => check(false, "exit resolved"),
  (e) => check(e instanceof WorkerCrashed && e.exitCode === 7, `exit: ${e}`),
);
await pool.run("throws", []).then(
  () => check(false, "throw resolved"),
  (e) => check(e instanceof RangeError && e.message === "bad", `throw: ${e}`),
);
check(await pool.run("add", [1, 1]) === 2, "after the crash");
await pool.close();
check(pool.workers === 0, "closed");
console.log("ok");
