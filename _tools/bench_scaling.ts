// `deno task bench:scaling`: how per-item cost grows with load, 10³ to 10⁶ items in flight, for each
// structure, ours against its peer. Runs bench/scaling.ts once per structure and side (a fresh
// heap each) and prints a table; `deno task bench --scaling` and `bench:report` chart it.
import { fmtTime, type ScalingPoint, type ScalingSeries, sizeLabel, textTable } from "./_report.ts";

export const STRUCTURES = [
  { structure: "mutex", label: "Mutex waiters", peer: "async-mutex" },
  { structure: "queue", label: "Queue items", peer: "Effection createQueue" },
  { structure: "asyncpool", label: "AsyncPool tasks", peer: "p-limit" },
  { structure: "coroutine", label: "coroutine tasks", peer: "Effection" },
  { structure: "workerpool", label: "WorkerPool tasks", peer: "piscina" },
] as const;

export const SIZES = [1e3, 1e4, 1e5, 1e6];

const script = new URL("../bench/scaling.ts", import.meta.url);

async function side(
  structure: string,
  who: "ours" | "peer",
  budgetMs: number,
): Promise<ScalingPoint[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--no-check",
      "--v8-flags=--expose-gc",
      script.pathname,
      structure,
      who,
      ...SIZES.map(String),
    ],
    env: { SCALING_BUDGET_MS: String(budgetMs) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const points: ScalingPoint[] = new TextDecoder().decode(out.stdout).split("\n")
    .filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
  if (!out.success) {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n").slice(-3).join(" ");
    const n = SIZES.find((s) => !points.some((p) => p.n === s));
    if (n !== undefined) points.push({ n, error: err || `exit code ${out.code}` });
  }
  // Sizes after a skipped one were never tried: record them as skipped for the same reason.
  const skip = points.find((p) => p.skipped)?.skipped;
  for (const n of SIZES) {
    if (!points.some((p) => p.n === n) && skip) points.push({ n, skipped: skip });
  }
  return points.sort((a, b) => a.n - b.n);
}

/** Measures every structure, both sides; `progress` hears which one is running. */
export async function runScaling(
  budgetMs: number,
  progress: (done: number, total: number, what: string) => void = () => {},
): Promise<ScalingSeries[]> {
  const series: ScalingSeries[] = [];
  const total = STRUCTURES.length * 2;
  let done = 0;
  for (const s of STRUCTURES) {
    progress(done++, total, `${s.label}, ours`);
    const ours = await side(s.structure, "ours", budgetMs);
    progress(done++, total, `${s.label}, ${s.peer}`);
    const theirs = await side(s.structure, "peer", budgetMs);
    series.push({ structure: s.structure, label: s.label, peer: s.peer, ours, theirs });
  }
  progress(done, total, "done");
  return series;
}

/** One line per structure and side: per-item time and heap at each size. */
export function scalingTable(series: ScalingSeries[]): string[][] {
  const cell = (p: ScalingPoint | undefined) =>
    p?.nsPerItem !== undefined
      ? `${fmtTime(p.nsPerItem)}, ${Math.round(p.bytesPerItem ?? 0)} B`
      : p?.skipped
      ? `not run (~${Math.round(p.skipped.predictedMs / 1000)} s > ${p.skipped.budgetMs / 1000} s)`
      : p?.error
      ? "failed"
      : "—";
  const rows = [["structure", "side", ...SIZES.map((n) => `${sizeLabel(n)}: time, heap / item`)]];
  for (const s of series) {
    rows.push([s.label, "ours", ...SIZES.map((n) => cell(s.ours.find((p) => p.n === n)))]);
    rows.push(["", s.peer, ...SIZES.map((n) => cell(s.theirs.find((p) => p.n === n)))]);
  }
  return rows;
}

if (import.meta.main) {
  const budget = Number(Deno.args.find((a) => a.startsWith("--budget="))?.slice(9) ?? 30) * 1000;
  const series = await runScaling(budget, (done, total, what) => {
    if (what !== "done") console.error(`scaling ${done + 1}/${total}: ${what}…`);
  });
  console.log(textTable(scalingTable(series), [false, false, true, true, true, true]).join("\n"));
}
