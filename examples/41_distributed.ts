// Item 41, beyond one machine: the seed's gcd batch with the one line the book changes
// (`ThreadPoolExecutor` → `ProcessPoolExecutor`) changed once more, to a RedisPool. The task module
// (_tasks.ts) is the same; worker processes (on any machine) run it from a Redis queue.
//
// Alone, it starts its own redis-server (Debian's `redis-server`, on a free loopback port) and two
// worker processes. With REDIS_URL set, it uses that Redis and the workers already serving it:
//   deno run -A distributed/main.ts --redis $REDIS_URL --module examples/_tasks.ts   (each machine)
//   REDIS_URL=redis://10.0.0.1:6379 deno run -A examples/41_distributed.ts
import { RedisPool } from "../distributed/mod.ts";
import { gcd } from "./_tasks.ts";

const numbers: [number, number][] = [
  [1963309, 2265973],
  [2030677, 3814172],
  [1551645, 2229620],
  [2039045, 2020802],
];
const ROUNDS = 8; // As in 41_futures.ts: the seed's four pairs, ROUNDS times.
const batch = Array.from({ length: ROUNDS }, () => numbers).flat();
const WORKERS = 2;
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(3);

let start = performance.now();
const serial = batch.map(gcd);
console.log(`Serial: Took ${seconds(start)} seconds`);

const given = Deno.env.get("REDIS_URL");
const local = given === undefined ? await startLocal() : undefined;
const url = local?.url ?? given ?? "";
const results: number[] = [];
try {
  await using pool = new RedisPool<typeof import("./_tasks.ts")>(url);
  // Wait until the workers answer, then time the work alone.
  await Promise.all(Array.from({ length: WORKERS }, () => pool.run("gcd", [[1, 1]])));
  start = performance.now();
  for await (const g of pool.map("gcd", batch)) results.push(g);
  console.log(
    `RedisPool(${given ?? `${WORKERS} worker processes`}): Took ${seconds(start)} seconds`,
  );
} finally {
  await local?.stop();
}
if (results.join() !== serial.join()) throw new Error(`results differ: ${results} vs ${serial}`);
console.log(`Results: ${serial.slice(0, numbers.length).join(", ")} (× ${ROUNDS})`);

/** Starts redis-server on a free loopback port (no persistence) and WORKERS worker processes. */
async function startLocal(): Promise<{ url: string; stop(): Promise<void> }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr;
  listener.close();
  const url = `redis://127.0.0.1:${port}`;
  const redis = new Deno.Command("redis-server", {
    args: ["--bind", "127.0.0.1", "--port", `${port}`, "--save", "", "--appendonly", "no"],
    stdout: "piped",
  }).spawn();
  const children = [redis];
  const stop = async () => {
    for (const child of children.reverse()) {
      child.kill("SIGTERM");
      await child.status;
    }
  };
  try {
    await untilLine(redis, /Ready to accept connections/);
    const main = new URL("../distributed/main.ts", import.meta.url).pathname;
    const tasks = new URL("./_tasks.ts", import.meta.url).pathname;
    for (let i = 0; i < WORKERS; i++) {
      const worker = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", main, "--redis", url, "--module", tasks, "--concurrency", "1"],
        stdout: "piped",
      }).spawn();
      children.push(worker);
      await untilLine(worker, /^serving /);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, stop };
}

/** Reads a child's stdout until a line matches, then drains the rest in the background. */
async function untilLine(child: Deno.ChildProcess, pattern: RegExp): Promise<void> {
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { value, done } = await lines.read();
    if (done) throw new Error(`exited before printing ${pattern}`);
    buffer += value;
    if (buffer.split("\n").some((line) => pattern.test(line))) break;
  }
  (async () => {
    while (!(await lines.read()).done);
  })();
}
