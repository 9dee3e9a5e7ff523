// The report of `deno task bench`: turns the runs of `deno bench --json`, the chapter's samples and
// the scaling runs into the chapter table, the peers table and the targets. Every sentence here is
// built from the figures it is given; nothing states a figure it was not handed.

/** One entry of `deno bench --json`. */
export interface Bench {
  origin: string;
  group: string | null;
  name: string;
  baseline: boolean;
  results: {
    ok?: { avg: number; p75: number; min: number; max: number; n: number };
    failed?: unknown;
  }[];
}

/** The npm peers the suites measure against: a benchmark named after one of them is that peer's. */
export const PEERS = ["async-mutex", "p-limit", "p-queue", "piscina", "execa", "effection"];

/**
 * Peers deliberately not run, and the fact that keeps them out. Printed only while no benchmark
 * of theirs appears in the run.
 */
export const NOT_RUN: Record<string, string> = {
  tinypool: "no suite runs it: under Deno 2.9.6 its `destroy()` never settles and its threads " +
    "keep `deno bench` from exiting",
};

/** Whose a benchmark is: a peer's, the platform's (the floor and other references) or ours. */
export function ownerOf(name: string, baseline = false): "peer" | "platform" | "ours" {
  const n = name.toLowerCase();
  if (PEERS.some((p) => n.startsWith(p))) return "peer";
  if (baseline) return "platform";
  if (
    /^(raw|bare|serial|plain|unlimited|promise|await|floor|no lock|async generator|try\/finally|v8|atomics|native|generator)\b/
      .test(n)
  ) {
    return "platform";
  }
  return "ours";
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Formats nanoseconds as ns, µs, ms or s. */
export function fmtTime(ns: number): string {
  if (ns < 1e3) return `${ns.toFixed(1)} ns`;
  if (ns < 1e6) return `${(ns / 1e3).toFixed(2)} µs`;
  if (ns < 1e9) return `${(ns / 1e6).toFixed(2)} ms`;
  return `${(ns / 1e9).toFixed(3)} s`;
}

/** A ratio with two significant decimals, or more below 0.1. */
export function fmtRatio(r: number): string {
  return `${
    r >= 100 ? Math.round(r) : r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2)
  }×`;
}

/** "1.38× [1.30–1.45]": the median over runs and its range, or the p75 ratio for one run. */
export function fmtSpread(s: Spread): string {
  if (s.runs === 1) return `${fmtRatio(s.median)} (p75 ${fmtRatio(s.lo)})`;
  return `${fmtRatio(s.median)} [${fmtRatio(s.lo).slice(0, -1)}–${fmtRatio(s.hi)}]`;
}

/** A ratio over runs: median and min–max, or for a single run the ratio of the p75s (lo = hi). */
export interface Spread {
  median: number;
  lo: number;
  hi: number;
  runs: number;
}

/** One benchmark across runs. */
export interface Row {
  suite: string;
  group: string;
  name: string;
  baseline: boolean;
  owner: "peer" | "platform" | "ours";
  /** Mean time per iteration in each run (ns); NaN where the run failed. */
  avg: number[];
  p75: number[];
  failed?: string;
}

export interface Group {
  suite: string;
  group: string;
  /** The chapter item the group name starts with ("item 38 · …"), if it does. */
  item?: number;
  rows: Row[];
}

/** Gathers the runs (each the benches of every suite) into groups of rows, in first-run order. */
export function collect(runs: Bench[][]): Group[] {
  const groups = new Map<string, Group>();
  runs.forEach((benches, run) => {
    for (const b of benches) {
      const group = b.group ?? b.name;
      const suite = b.origin.split("/").pop() ?? b.origin;
      const key = `${suite}\u0000${group}`;
      let g = groups.get(key);
      if (g === undefined) {
        const m = group.match(/^item (\d+)/);
        g = { suite, group, item: m ? Number(m[1]) : undefined, rows: [] };
        groups.set(key, g);
      }
      let row = g.rows.find((r) => r.name === b.name);
      if (row === undefined) {
        row = {
          suite,
          group,
          name: b.name,
          baseline: b.baseline,
          owner: ownerOf(b.name, b.baseline),
          avg: [],
          p75: [],
        };
        g.rows.push(row);
      }
      const ok = b.results[0]?.ok;
      row.avg[run] = ok?.avg ?? NaN;
      row.p75[run] = ok?.p75 ?? NaN;
      if (!ok) row.failed = JSON.stringify(b.results[0]?.failed ?? b.results[0] ?? "no result");
    }
  });
  return [...groups.values()];
}

/** `a`'s time over `b`'s, run by run. */
export function spread(a: Row, b: Row): Spread | undefined {
  const ratios: number[] = [];
  for (let i = 0; i < a.avg.length; i++) {
    const x = a.avg[i], y = b.avg[i];
    if (x !== undefined && y !== undefined && Number.isFinite(x / y)) ratios.push(x / y);
  }
  if (ratios.length === 0) return undefined;
  if (ratios.length === 1) {
    const p = (a.p75[0] ?? NaN) / (b.p75[0] ?? NaN);
    return { median: ratios[0]!, lo: p, hi: p, runs: 1 };
  }
  return {
    median: median(ratios),
    lo: Math.min(...ratios),
    hi: Math.max(...ratios),
    runs: ratios.length,
  };
}

export const baselineOf = (g: Group): Row | undefined => g.rows.find((r) => r.baseline);

/** The group whose name starts with `prefix`, and its row whose name starts with `name`. */
export function findRow(groups: Group[], prefix: string, name: string): Row | undefined {
  for (const g of groups) {
    if (!g.group.startsWith(prefix)) continue;
    const row = g.rows.find((r) => r.name.startsWith(name));
    if (row) return row;
  }
  return undefined;
}

// --- The chapter ---------------------------------------------------------------------------------

/** What the machine was doing: 1-minute load averages sampled during the run, and its cores. */
export interface Machine {
  cores: number;
  /** 1-minute load average at the start of the run, before the chapter samples, and at the end. */
  load: number[];
}

export interface ChapterLine {
  item: number;
  /** The chapter's lesson: the item's own title. */
  lesson: string;
  /** This machine's figures, as a sentence. */
  ours: string;
  /** The book's figures. */
  book: string;
  /** The same samples in Python here, when python3 ran. */
  python?: string;
  /** Whether the figures show the lesson; undefined when a figure is missing. */
  shown?: boolean;
  /** Why the figures do not show the lesson, from the figures. */
  note?: string;
}

/** The figures under `keys`, or undefined if any is missing. */
function need<K extends string[]>(
  m: Map<string, number>,
  ...keys: K
): { [I in keyof K]: number } | undefined {
  const out = keys.map((k) => m.get(k));
  return out.every((x) => x !== undefined) ? out as { [I in keyof K]: number } : undefined;
}

const s3 = (x: number) => `${x.toFixed(3)} s`;
const int = (x: number) => Math.round(x).toLocaleString("en");

/** Each item's lesson with this machine's figures beside the book's (and Python's, if any). */
export function chapterLines(
  ours: Map<string, number>,
  python: Map<string, number> | undefined,
  groups: Group[],
  machine: Machine,
): ChapterLine[] {
  const v = (k: string) => ours.get(k);
  const py = (k: string) => python?.get(k);
  const pyAll = <K extends string[]>(...keys: K) => python && need(python, ...keys);
  const lines: ChapterLine[] = [];
  const busy = `load average ${
    machine.load.map((l) => l.toFixed(1)).join(" → ")
  } on ${machine.cores} cores`;

  {
    const f = need(ours, "36.parallel", "36.serial");
    const line: ChapterLine = {
      item: 36,
      lesson: "Use subprocess to manage child processes",
      book: "ten `sleep 0.1`: 0.134 s in parallel, ≈1 s one after another",
      ours: "not measured",
    };
    if (f) {
      const [p, s] = f;
      line.ours = `ten \`sleep 0.1\`: ${s3(p)} in parallel, ${s3(s)} one after another (${
        fmtRatio(s / p)
      } faster)`;
      line.shown = s / p >= 3;
      if (!line.shown) line.note = `in parallel was only ${fmtRatio(s / p)} faster (${busy})`;
    }
    const fp = pyAll("36.parallel", "36.serial");
    if (fp) line.python = `${s3(fp[0])} / ${s3(fp[1])}`;
    lines.push(line);
  }
  {
    const f = need(ours, "37.serial", "37.asyncpool", "37.workerpool"), io = v("37.io");
    const line: ChapterLine = {
      item: 37,
      lesson: "Use threads for blocking I/O, avoid for parallelism",
      book: "factorize: 0.628 s serial, 0.682 s on threads",
      ours: "not measured",
    };
    if (f) {
      const [s, a, w] = f;
      line.ours =
        `factorize: ${s3(s)} serial, ${s3(a)} on \`AsyncPool\` (${fmtRatio(s / a)} the speed), ` +
        `${s3(w)} on \`WorkerPool\`` +
        (io === undefined ? "" : `; five 0.1 s child processes at once: ${s3(io)}`);
      // The lesson: an async pool gives CPU work no speed-up, and blocking waits overlap.
      line.shown = s / a < 1.25 && (io === undefined || io < 0.5);
      if (!line.shown) {
        line.note = s / a >= 1.25
          ? `\`AsyncPool\` ran CPU work ${
            fmtRatio(s / a)
          } faster than serial, which it cannot do by itself: the serial run was slowed (${busy})`
          : `five 0.1 s waits took ${s3(io!)}, not overlapping (${busy})`;
      }
    }
    const fp = pyAll("37.serial", "37.threads");
    if (fp) line.python = `${s3(fp[0])} / ${s3(fp[1])}`;
    lines.push(line);
  }
  {
    const f = need(ours, "38.racy count", "38.locked count");
    const sr = v("38.shared racy count"), sl = v("38.shared locked count");
    const line: ChapterLine = {
      item: 38,
      lesson: "Use Lock to prevent data races in threads",
      book: "counter should be 500000: 249414 without a lock, 500000 with",
      ours: "not measured",
    };
    if (f) {
      const [r, l] = f;
      const shared = sr !== undefined && sl !== undefined;
      line.ours = `without a lock ${int(r)}` +
        (shared ? ` (workers sharing memory: ${int(sr!)})` : "") +
        `, with a lock ${int(l)}` + (shared ? ` (workers: ${int(sl!)})` : "") + " of 500,000";
      line.shown = (r < 500000 || (sr ?? 500000) < 500000) && l === 500000 &&
        (sl ?? 500000) === 500000;
      if (!line.shown) {
        line.note = l !== 500000 || (sl ?? 500000) !== 500000
          ? "the locked counter lost updates"
          : "no update was lost without the lock in this run";
      }
    }
    const fp = pyAll("38.racy count", "38.locked count");
    if (fp) line.python = `${int(fp[0])} / ${int(fp[1])}`;
    lines.push(line);
  }
  {
    const p = v("39.polls");
    const line: ChapterLine = {
      item: 39,
      lesson: "Use Queue to coordinate work between threads",
      book: "the hand-made queue's workers polled 3027 times for 1000 items",
      ours: "not measured",
    };
    if (p !== undefined) {
      line.ours = `the hand-made queue's workers polled ${int(p)} times for 1000 items`;
      line.shown = p > 1000;
      if (!line.shown) line.note = `${int(p)} polls for 1000 items wasted none`;
    }
    const pp = py("39.polls");
    if (pp !== undefined) line.python = int(pp);
    lines.push(line);
  }
  {
    const b = v("40.bytes per coroutine");
    const line: ChapterLine = {
      item: 40,
      lesson: "Consider coroutines to run many functions concurrently",
      book: "a suspended coroutine holds under 1 KB",
      ours: "not measured",
    };
    if (b !== undefined) {
      line.ours = `a suspended coroutine holds ${int(b)} B of heap`;
      line.shown = b < 1024;
      if (!line.shown) line.note = `${int(b)} B is not under 1 KB`;
    }
    const pb = py("40.bytes per coroutine");
    if (pb !== undefined) line.python = `${int(pb)} B`;
    lines.push(line);
  }
  {
    const f = need(ours, "41.serial", "41.asyncpool", "41.workerpool");
    const line: ChapterLine = {
      item: 41,
      lesson: "Consider concurrent.futures for true parallelism",
      book: "gcd: 0.693 s serial, 0.761 s thread pool, 0.209 s process pool",
      ours: "not measured",
    };
    if (f) {
      const [s, a, w] = f;
      const speedup = s / w;
      line.ours =
        `gcd: ${s3(s)} serial, ${s3(a)} \`AsyncPool\`, ${
          s3(w)
        } \`WorkerPool(${machine.cores})\`: ` +
        `${fmtRatio(speedup)} on ${machine.cores} cores`;
      const note = cannotShowParallel(speedup, machine, groups);
      line.shown = note === undefined;
      line.note = note;
    }
    const fp = pyAll("41.serial", "41.threads", "41.processes");
    if (fp) line.python = fp.map(s3).join(" / ");
    lines.push(line);
  }
  return lines;
}

/** The least parallel speed-up taken as showing the lesson, as a share of the cores. */
export const PARALLEL_SHARE = 0.75;

/**
 * Why a CPU speed-up of `speedup` on this machine's cores does not show the lesson, or undefined
 * if it does: the shortfall, the measured load and, when the bench ran, what bare workers got.
 */
export function cannotShowParallel(
  speedup: number,
  machine: Machine,
  groups: Group[],
): string | undefined {
  if (machine.cores < 2) {
    return `this machine has ${machine.cores} core: nothing can run in parallel`;
  }
  const allowed = PARALLEL_SHARE * machine.cores;
  if (speedup >= allowed) return undefined;
  const load = machine.load.map((l) => l.toFixed(1)).join(" → ");
  const serial = findRow(groups, "item 41 · gcd", "serial");
  const bare = findRow(groups, "item 41 · gcd", "bare Workers");
  const ceiling = serial && bare ? spread(serial, bare) : undefined;
  return `this machine cannot show it now: ${fmtRatio(speedup)} is under the ${
    fmtRatio(allowed)
  } ` +
    `${machine.cores} cores allow (${Math.round(PARALLEL_SHARE * 100)}% of ${machine.cores}); ` +
    `1-minute load average ${load} on ${machine.cores} cores` +
    (ceiling ? `; bare workers given the batch split by hand got ${fmtSpread(ceiling)}` : "");
}

// --- Ours against the peers and the floor -------------------------------------------------------

export interface Comparison {
  item?: number;
  group: string;
  ours: string;
  against: string;
  owner: "peer" | "platform";
  ratio: Spread;
}

/** Each of our rows against its group's floor and against each peer in the group. */
export function comparisons(groups: Group[]): Comparison[] {
  const out: Comparison[] = [];
  for (const g of groups) {
    const base = baselineOf(g);
    for (const mine of g.rows.filter((r) => r.owner === "ours")) {
      const others = [
        ...(base && base.owner === "platform" ? [base] : []),
        ...g.rows.filter((r) => r.owner === "peer"),
      ];
      for (const other of others) {
        const ratio = spread(mine, other);
        if (ratio) {
          out.push({
            item: g.item,
            group: g.group,
            ours: mine.name,
            against: other.name,
            owner: other.owner === "peer" ? "peer" : "platform",
            ratio,
          });
        }
      }
    }
  }
  return out;
}

// --- Targets -------------------------------------------------------------------------------------

export interface Verdict {
  measure: string;
  target: string;
  /** The figure, with its spread; "not measured: …" when a benchmark is missing. */
  got: string;
  met?: boolean;
  /** "met, 23% under the limit" / "missed by 41%". */
  by?: string;
}

/** Per-item time and heap at each size, ours and the peer's, for one structure. */
export interface ScalingSeries {
  structure: string;
  label: string;
  peer: string;
  ours: ScalingPoint[];
  theirs: ScalingPoint[];
}

export interface ScalingPoint {
  n: number;
  nsPerItem?: number;
  bytesPerItem?: number;
  skipped?: { predictedMs: number; budgetMs: number };
  error?: string;
}

const pct = (x: number) => `${Math.round(Math.abs(x) * 100)}%`;

/** Judges a time ratio that must stay at or under `max`. */
function atMost(
  measure: string,
  target: string,
  r: Spread | undefined,
  max: number,
  missing: string,
): Verdict {
  if (r === undefined) return { measure, target, got: `not measured: ${missing}` };
  const met = r.median <= max;
  return {
    measure,
    target,
    got: fmtSpread(r),
    met,
    by: met
      ? `met, ${pct(1 - r.median / max)} under the limit`
      : `missed by ${pct(r.median / max - 1)}`,
  };
}

function pair(groups: Group[], prefix: string, a: string, b?: string): Spread | undefined {
  const x = findRow(groups, prefix, a);
  const g = groups.find((g) => g.group.startsWith(prefix));
  const y = b === undefined ? (g ? baselineOf(g) : undefined) : findRow(groups, prefix, b);
  return x && y ? spread(x, y) : undefined;
}

/** The project's targets, each judged from this run. */
export function judge(
  groups: Group[],
  ours: Map<string, number>,
  scaling: ScalingSeries[] | undefined,
): Verdict[] {
  const out: Verdict[] = [];
  const t = (
    measure: string,
    target: string,
    prefix: string,
    a: string,
    b: string | undefined,
    max: number,
  ) =>
    out.push(
      atMost(measure, target, pair(groups, prefix, a, b), max, `no "${a}" in a group "${prefix}…"`),
    );

  t(
    "`Mutex`: `using _ = await lock()` (the README's form)",
    "≤ 2× `await Promise.resolve()`",
    "item 38 · Mutex uncontended",
    "Mutex: using",
    undefined,
    2,
  );
  t(
    "`Mutex`: `await lock()` + `release()`",
    "≤ 2× `await Promise.resolve()`",
    "item 38 · Mutex uncontended",
    "Mutex: await lock()",
    undefined,
    2,
  );
  t(
    "`Mutex` contended, 8 tasks × 1,000",
    "≤ 1× async-mutex",
    "item 38 · Mutex contended",
    "Mutex",
    "async-mutex",
    1,
  );
  t(
    "`SharedMutex`: `lockSync()` + `release()`",
    "≤ 2× bare `Atomics`",
    "item 38 · SharedMutex",
    "SharedMutex: lockSync()",
    undefined,
    2,
  );
  t(
    "`AsyncPool(8)`: 10,000 tiny tasks",
    "≤ 3× unlimited `Promise.all`",
    "item 37 · 10,000 tiny async tasks",
    "AsyncPool",
    undefined,
    3,
  );
  {
    const r = pair(
      groups,
      "item 39 · Queue consumed by for await",
      "Queue: for await",
      "Queue: get() loop",
    );
    const measure = "`Queue`: `for await`, maxsize 1,024 (speed ÷ a `get()` loop's)";
    const target = "≥ 0.9× the `get()` loop's speed";
    if (r === undefined) {
      out.push({ measure, target, got: "not measured: no for await / get() loop group" });
    } else {
      const speed = { median: 1 / r.median, lo: 1 / r.hi, hi: 1 / r.lo, runs: r.runs };
      if (r.runs === 1) speed.lo = speed.hi = 1 / r.lo;
      const met = speed.median >= 0.9;
      out.push({
        measure,
        target,
        got: fmtSpread(speed),
        met,
        by: met
          ? `met, ${pct(speed.median / 0.9 - 1)} above the floor`
          : `missed by ${pct(1 - speed.median / 0.9)}`,
      });
    }
  }
  t(
    "`Queue` put + get, maxsize 1,024",
    "≤ 2× a bare promise hand-off",
    "item 39 · Queue put + get, 10,000 items, maxsize 1,024",
    "Queue(",
    undefined,
    2,
  );
  t(
    "`WorkerPool(1)` round trip",
    "≤ 1.3× a bare `Worker` echo",
    "item 41 · worker round trip",
    "WorkerPool",
    undefined,
    1.3,
  );
  t(
    "`WorkerPool` gcd batch",
    "≤ 1.2× bare workers split by hand",
    "item 41 · gcd",
    "WorkerPool",
    undefined,
    1.2,
  );
  t(
    '`run(["true"])`',
    "≤ 1.1× a raw `Deno.Command`",
    "item 36 · run `true`",
    "run(['true'])",
    undefined,
    1.1,
  );
  t(
    "`Coroutine.send`",
    "≤ 1.2× a raw `generator.next`",
    "item 40 · send",
    "Coroutine.send",
    undefined,
    1.2,
  );
  t(
    "spawn + join 10,000 coroutine tasks",
    "≤ 0.02× Effection",
    "item 40 · spawn + join",
    "run/spawn/join, inline",
    "effection",
    0.02,
  );
  t(
    "`WorkerPool(2)`: 10,000 tiny tasks in flight",
    "≤ 0.25× piscina",
    "item 41 · 10k tiny worker tasks in flight",
    "WorkerPool(2) 10k echo",
    "piscina",
    0.25,
  );
  t(
    "`lines()`: one 32 MiB line",
    "≤ 2× the same bytes in 80-byte lines",
    "item 36 · lines() over 32 MiB",
    "lines(): one 32 MiB line",
    "lines(): 32 MiB in 80-byte lines",
    2,
  );
  t(
    "`RedisPool.run()`: one tiny task's round trip",
    "≤ 1.1× raw BullMQ `add` + `waitUntilFinished`",
    "item 41 · distributed round trip",
    "RedisPool.run()",
    undefined,
    1.1,
  );
  {
    const b = ours.get("40.bytes per coroutine");
    const measure = "heap per suspended coroutine", target = "< 256 B";
    out.push(
      b === undefined
        ? { measure, target, got: "not measured: no figure from examples/40_coroutine.ts" }
        : {
          measure,
          target,
          got: `${int(b)} B`,
          met: b < 256,
          by: b < 256
            ? `met, ${pct(1 - b / 256)} under the limit`
            : `missed by ${pct(b / 256 - 1)}`,
        },
    );
  }
  for (const s of scaling ?? []) out.push(flatness(s));
  if (scaling === undefined) {
    out.push({
      measure: "per-item time flat from 10³ to 10⁶",
      target: "within 2×",
      got: "not measured: needs `deno task bench --scaling`",
    });
  }
  return out;
}

/** The flatness target for one structure: our per-item time, highest over lowest, ≤ 2×. */
export function flatness(s: ScalingSeries): Verdict {
  const measure = `${s.label}: per-item time, 10³ → 10⁶`;
  const target = "highest ÷ lowest ≤ 2×";
  const times = s.ours.filter((p) => p.nsPerItem !== undefined);
  const missing = s.ours.filter((p) => p.nsPerItem === undefined).map((p) => sizeLabel(p.n));
  if (times.length < 2) return { measure, target, got: "not measured" };
  const ns = times.map((p) => p.nsPerItem!);
  const r = Math.max(...ns) / Math.min(...ns);
  const range = `${sizeLabel(times[0]!.n)}–${sizeLabel(times[times.length - 1]!.n)}`;
  // Largest over smallest judges; the end-to-end ratio tells growth from a slow small size.
  const first = times[0]!, last = times[times.length - 1]!;
  const got =
    `${fmtRatio(r)} over ${range}; ${sizeLabel(last.n)} ÷ ${sizeLabel(first.n)}: ${
      fmtRatio(last.nsPerItem! / first.nsPerItem!)
    }` + (missing.length ? ` (${missing.join(", ")} not run)` : "");
  return {
    measure,
    target,
    got,
    met: r <= 2,
    by: r <= 2 ? `met, ${pct(1 - r / 2)} under the limit` : `missed by ${pct(r / 2 - 1)}`,
  };
}

/** 1000 → "10³". */
export function sizeLabel(n: number): string {
  const e = Math.log10(n);
  if (Number.isInteger(e)) {
    return `10${[...String(e)].map((d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]).join("")}`;
  }
  return n.toLocaleString("en");
}

// --- Plain-text and Markdown tables --------------------------------------------------------------

/** Aligns `rows` (first row the header) into columns; `right` marks right-aligned columns. */
export function textTable(rows: string[][], right: boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  }
  const line = (row: string[]) =>
    row.map((c, i) => {
      const pad = " ".repeat((widths[i] ?? 0) - [...c].length);
      return right[i] ? pad + c : c + pad;
    }).join("  ").trimEnd();
  const [head, ...body] = rows;
  return head ? [line(head), widths.map((w) => "─".repeat(w)).join("  "), ...body.map(line)] : [];
}

/** A Markdown table; `right` marks right-aligned columns. */
export function mdTable(rows: string[][], right: boolean[] = []): string[] {
  const [head, ...body] = rows;
  if (!head) return [];
  const esc = (c: string) => c.replaceAll("|", "\\|");
  return [
    `| ${head.map(esc).join(" | ")} |`,
    `| ${head.map((_, i) => (right[i] ? "---:" : "---")).join(" | ")} |`,
    ...body.map((r) => `| ${r.map(esc).join(" | ")} |`),
  ];
}
