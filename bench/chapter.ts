// The chapter's measures, ours: runs each chapter sample in examples/ and turns the lines it prints
// (the same kind of lines the book prints) into `key: value` lines for `deno task bench:report`.
// The examples stay the one place where each sample is written.

type Pattern = [key: string, re: RegExp];

const SAMPLES: Record<string, Pattern[]> = {
  "36_subprocess.ts": [
    ["36.parallel", /^Finished in ([\d.]+) seconds/m],
    ["36.serial", /^Serially: finished in ([\d.]+) seconds/m],
  ],
  "37_threads.ts": [
    ["37.serial", /^Serial: took ([\d.]+) seconds/m],
    ["37.asyncpool", /^AsyncPool: took ([\d.]+) seconds/m],
    ["37.workerpool", /^WorkerPool\(\d+\): took ([\d.]+) seconds/m],
    ["37.io", /^Took ([\d.]+) seconds/m],
  ],
  "38_lock.ts": [
    ["38.racy count", /^async tasks, Counter: .*found (\d+)/m],
    ["38.locked count", /^async tasks, LockingCounter: .*found (\d+)/m],
    ["38.shared racy count", /^workers, Counter: .*found (\d+)/m],
    ["38.shared locked count", /^workers, LockingCounter: .*found (\d+)/m],
  ],
  "39_queue.ts": [
    ["39.polls", /^Processed 1000 items after polling (\d+) times/m],
  ],
  "40_coroutine.ts": [
    ["40.bytes per coroutine", /suspended coroutines: (\d+) bytes of heap each/],
  ],
  "41_futures.ts": [
    ["41.serial", /^Serial: Took ([\d.]+) seconds/m],
    ["41.asyncpool", /^AsyncPool\(\d+\): Took ([\d.]+) seconds/m],
    ["41.workerpool", /^WorkerPool\(\d+\): Took ([\d.]+) seconds/m],
  ],
};

for (const [file, patterns] of Object.entries(SAMPLES)) {
  const url = new URL(`../examples/${file}`, import.meta.url);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--v8-flags=--expose-gc", url.pathname],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  for (const [key, re] of patterns) {
    const m = text.match(re);
    if (m) console.log(`${key}: ${m[1]}`);
    else console.error(`examples/${file}: no line for ${key}`);
  }
}
