// The report's judgements: computed from the figures given, honest when the machine cannot show a
// lesson, and explicit about what was not measured.
import assert from "node:assert/strict";
import { renderMarkdown, type Results } from "./bench.ts";
import {
  type Bench,
  chapterLines,
  collect,
  flatness,
  judge,
  ownerOf,
  sizeLabel,
  spread,
} from "./_report.ts";

function bench(group: string, name: string, avg: number, baseline = false, p75 = avg): Bench {
  return {
    origin: "file:///x/bench/sync_bench.ts",
    group,
    name,
    baseline,
    results: [{ ok: { avg, p75, min: avg, max: avg, n: 10 } }],
  };
}

const GCD = "item 41 · gcd on 2 cores: serial vs AsyncPool vs WorkerPool";
const chapter41 = (serial: number, pool: number) =>
  new Map([["41.serial", serial], ["41.asyncpool", serial], ["41.workerpool", pool]]);

Deno.test("chapterLines() says when the machine cannot show item 41, with the load and the bare workers' figure", () => {
  const groups = collect([[
    bench(GCD, "bare Workers(2), batch split evenly by hand", 250, true),
    bench(GCD, "serial: the batch on the main thread", 300),
  ]]);
  const machine = { cores: 2, load: [7.9, 8.2, 8.4] };
  const line = chapterLines(chapter41(0.36, 0.3), undefined, groups, machine).find((l) =>
    l.item === 41
  )!;
  assert.equal(line.shown, false);
  assert.match(line.ours, /1\.20× on 2 cores/);
  assert.match(line.note!, /cannot show it now: 1\.20× is under the 1\.50× 2 cores allow/);
  assert.match(line.note!, /load average 7\.9 → 8\.2 → 8\.4 on 2 cores/);
  assert.match(line.note!, /bare workers given the batch split by hand got 1\.20×/);
});

Deno.test("chapterLines() shows item 41 when the speed-up reaches what the cores allow", () => {
  const line = chapterLines(chapter41(0.36, 0.19), undefined, [], { cores: 2, load: [0.2] })
    .find((l) => l.item === 41)!;
  assert.equal(line.shown, true);
  assert.equal(line.note, undefined);
});

Deno.test("chapterLines() on one core says nothing can run in parallel", () => {
  const line = chapterLines(chapter41(0.36, 0.36), undefined, [], { cores: 1, load: [0.1] })
    .find((l) => l.item === 41)!;
  assert.equal(line.shown, false);
  assert.match(line.note!, /1 core: nothing can run in parallel/);
});

Deno.test("chapterLines() leaves an item unjudged when its figures are missing", () => {
  const lines = chapterLines(new Map(), undefined, [], { cores: 2, load: [0] });
  assert.deepEqual(lines.map((l) => l.item), [36, 37, 38, 39, 40, 41]);
  for (const l of lines) {
    assert.equal(l.shown, undefined);
    assert.equal(l.ours, "not measured");
  }
});

Deno.test("chapterLines() puts Python's figures beside ours when python3 ran", () => {
  const python = new Map([["36.parallel", 0.106], ["36.serial", 1.017]]);
  const ours = new Map([["36.parallel", 0.107], ["36.serial", 1.021]]);
  const line = chapterLines(ours, python, [], { cores: 2, load: [0] })[0]!;
  assert.equal(line.python, "0.106 s / 1.017 s");
  assert.equal(line.shown, true);
  assert.match(line.ours, /0\.107 s in parallel, 1\.021 s one after another \(9\.54× faster\)/);
});

Deno.test("judge() says met or missed, and by how much, from the median over runs", () => {
  const G = "item 38 · Mutex uncontended: lock + release vs async-mutex";
  const runs = [100, 140, 120].map((t) => [
    bench(G, "await Promise.resolve()", 50, true),
    bench(G, "Mutex: await lock() + release()", 60),
    bench(G, "Mutex: using _ = await lock()", t),
  ]);
  const verdicts = judge(collect(runs), new Map(), undefined);
  const using = verdicts.find((v) => v.measure.includes("using"))!;
  assert.equal(using.got, "2.40× [2.00–2.80×]");
  assert.equal(using.met, false);
  assert.equal(using.by, "missed by 20%");
  const plain = verdicts.find((v) => v.measure.includes("`await lock()` + `release()`"))!;
  assert.equal(plain.met, true);
  assert.equal(plain.by, "met, 40% under the limit");
});

Deno.test("judge() reports a target whose benchmark is missing as not measured, never as met", () => {
  const verdicts = judge([], new Map(), undefined);
  for (const v of verdicts) {
    assert.equal(v.met, undefined, v.measure);
    assert.match(v.got, /^not measured/, v.measure);
  }
});

Deno.test("judge() turns the Queue for-await time ratio into a speed ratio against the get() loop", () => {
  const G = "item 39 · Queue consumed by for await vs a get() loop, 10,000 items, maxsize 1,024";
  const groups = collect([[
    bench(G, "bare promise hand-off", 100, true),
    bench(G, "Queue: get() loop", 100),
    bench(G, "Queue: for await", 125),
  ]]);
  const v = judge(groups, new Map(), undefined).find((v) => v.measure.includes("for await"))!;
  assert.match(v.got, /^0\.80×/);
  assert.equal(v.met, false);
  assert.equal(v.by, "missed by 11%");
});

Deno.test("flatness() judges highest ÷ lowest per-item time and names the sizes not run", () => {
  const v = flatness({
    structure: "queue",
    label: "Queue items",
    peer: "Effection",
    ours: [
      { n: 1e3, nsPerItem: 100 },
      { n: 1e4, nsPerItem: 150 },
      { n: 1e5, nsPerItem: 250 },
      { n: 1e6, skipped: { predictedMs: 1e5, budgetMs: 6e4 } },
    ],
    theirs: [],
  });
  assert.equal(v.got, "2.50× over 10³–10⁵; 10⁵ ÷ 10³: 2.50× (10⁶ not run)");
  assert.equal(v.met, false);
  assert.equal(v.by, "missed by 25%");
});

Deno.test("renderMarkdown() lists every miss and every lesson not shown, with the figures of the run", () => {
  const G = "item 38 · Mutex uncontended: lock + release vs async-mutex";
  const results: Results = {
    date: "2026-01-02T03:04:05.000Z",
    machine: { cores: 2, load: [6.5, 7, 7.5], cpu: "a CPU", os: "an OS", runtime: "Deno x" },
    runs: [[
      bench(G, "await Promise.resolve()", 50, true),
      bench(G, "Mutex: using _ = await lock()", 150),
      bench(G, "async-mutex Mutex: acquire()", 1500),
    ]],
    suiteSeconds: { "sync_bench.ts": [12] },
    failures: [],
    chapter: { "41.serial": 0.36, "41.asyncpool": 0.36, "41.workerpool": 0.33 },
  };
  const md = renderMarkdown(results);
  assert.match(md, /from 1 run of each suite in `bench\/` \(12 s of benchmarking\)/);
  assert.match(
    md,
    /- `Mutex`: `using _ = await lock\(\)` \(the README's form\): 3\.00× \(p75 3\.00×\), target ≤ 2× `await Promise\.resolve\(\)`: missed by 50%\./,
  );
  assert.match(
    md,
    /- Item 41 not shown: this machine cannot show it now: 1\.09× is under the 1\.50× 2 cores allow/,
  );
  assert.match(md, /load average 6\.5 → 7\.0 → 7\.5 on 2 cores/);
  // The same group's second comparison leaves the item and group cells empty.
  assert.match(
    md,
    /\| {2}\| {2}\| Mutex: using _ = await lock\(\) \| async-mutex Mutex: acquire\(\) \| 0\.10× \(p75 0\.10×\) \|/,
  );
  assert.doesNotMatch(md, /## How cost grows with load/, "no scaling section without scaling runs");
});

Deno.test("spread() of a single run brackets the ratio of the p75s", () => {
  const [g] = collect([[
    bench("g", "floor", 100, true, 110),
    bench("g", "Queue", 150, false, 220),
  ]]);
  const [base, ours] = g!.rows;
  assert.deepEqual(spread(ours!, base!), { median: 1.5, lo: 2, hi: 2, runs: 1 });
});

Deno.test("ownerOf() tells peers, platform references and ours apart", () => {
  assert.equal(ownerOf("async-mutex Mutex"), "peer");
  assert.equal(ownerOf("effection run/spawn/join"), "peer");
  assert.equal(ownerOf("bare Worker postMessage echo"), "platform");
  assert.equal(ownerOf("serial: the batch on the main thread"), "platform");
  assert.equal(ownerOf("anything at all", true), "platform");
  assert.equal(ownerOf("Mutex: using _ = await lock()"), "ours");
  assert.equal(ownerOf("WorkerPool(2)"), "ours");
});

Deno.test("sizeLabel() writes powers of ten with superscripts", () => {
  assert.deepEqual([1e3, 1e6, 2500].map(sizeLabel), ["10³", "10⁶", "2,500"]);
});
