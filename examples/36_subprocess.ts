// Item 36: use subprocess to manage child processes.
//
// The chapter's three samples, on @effective/concurrency/subprocess: read a child's output with
// communicate(), poll a child while doing other work, and run ten children in parallel. Then the
// chapter's advice on hanging children: pass a timeout.
import { run, spawn, type Subprocess, TimeoutExpired } from "../subprocess/mod.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// 1. Start a child with a piped stdout, read its output with communicate() and wait for it.
{
  await using proc = spawn(["echo", "Hello from the child!"], { stdout: "piped" });
  const { stdout } = await proc.communicate();
  console.log(stdout.trimEnd());
}

// 2. The child runs independently of the parent: poll it while doing other work.
{
  await using proc = spawn(["sleep", "0.3"]);
  while (proc.poll() === null) {
    console.log("Working...");
    await sleep(200); // some time-consuming work here
  }
  console.log("Exit status", proc.poll());
}

// 3. Detached from the parent, many children run in parallel: start them all, then wait.
function runSleep(period: number): Subprocess {
  return spawn(["sleep", String(period)]);
}

{
  await using stack = new AsyncDisposableStack(); // reaps every child, even on an exception
  const start = performance.now();
  const procs: Subprocess[] = [];
  for (let i = 0; i < 10; i++) procs.push(stack.use(runSleep(0.1)));
  for (const proc of procs) await proc.communicate();
  const end = performance.now();
  console.log(`Finished in ${((end - start) / 1000).toFixed(3)} seconds`);
}

// The same ten sleeps one after the other take about 1 s.
{
  const start = performance.now();
  for (let i = 0; i < 10; i++) await run(["sleep", "0.1"]);
  const end = performance.now();
  console.log(`Serially: finished in ${((end - start) / 1000).toFixed(3)} seconds`);
}

// Never hang on a child: a timeout kills it, reaps it and reports what it said so far.
try {
  await run(["sh", "-c", "echo 'still thinking'; exec sleep 10"], { timeout: 300 });
} catch (error) {
  if (!(error instanceof TimeoutExpired)) throw error;
  console.log(`${error.message}; output so far: ${JSON.stringify(error.stdout)}`);
}
