// `deno task bench`: the chapter "Concurrency and Parallelism", measured on this machine.
//
// Runs each suite bench/*_bench.ts with `deno bench --json` (several runs, interleaved, for the
// spread), the chapter's samples (bench/chapter.ts, and bench/python/chapter.py when python3 is
// on PATH) and, with --scaling, the scaling runs; shows progress as it goes, then prints the
// chapter's lessons with this machine's figures beside the book's, ours against each peer and the
// platform floor, and each target met or missed. Writes nothing unless asked:
//
//   deno task bench [--runs N] [--scaling] [--budget SECONDS] [--write] [--save FILE] [--from FILE]
//
// --write (what `deno task bench:report` passes) writes bench/RESULTS.md, its SVG charts and
// bench/results.json (the raw figures); --save FILE keeps the raw figures elsewhere; --from FILE
// re-renders saved figures without measuring anything.
import {
  type Bench,
  chapterLines,
  collect,
  comparisons,
  fmtSpread,
  fmtTime,
  type Group,
  judge,
  type Machine,
  mdTable,
  median,
  NOT_RUN,
  type ScalingSeries,
  spread,
  textTable,
  type Verdict,
} from "./_report.ts";
import { ratioChart, scalingChart } from "./bench_charts.ts";
import { runScaling, scalingTable } from "./bench_scaling.ts";

const root = new URL("../", import.meta.url);
const deno = Deno.execPath();
const started = performance.now();

/** Everything one `deno task bench` measured: enough to render the report again. */
export interface Results {
  date: string;
  machine: Machine & { cpu: string; os: string; runtime: string };
  runs: Bench[][];
  suiteSeconds: Record<string, number[]>;
  failures: string[];
  chapter: Record<string, number>;
  python?: { version: string; figures: Record<string, number> };
  scaling?: ScalingSeries[];
  scalingBudgetSeconds?: number;
}

// --- Progress ------------------------------------------------------------------------------------

const tty = Deno.stderr.isTerminal();
const enc = new TextEncoder();
const clock = () => {
  const s = Math.round((performance.now() - started) / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
};
let status = "";
function say(line: string): void {
  Deno.stderr.writeSync(enc.encode(`${tty ? "\r\x1b[K" : ""}${line}\n`));
  if (tty && status) Deno.stderr.writeSync(enc.encode(status));
}
/** Shows `what` as the current step, with its running time, until the step ends. */
async function step<T>(what: string, work: Promise<T>): Promise<T> {
  const t0 = performance.now();
  const show = () => {
    const s = Math.round((performance.now() - t0) / 1000);
    status = `[${clock()}] ${what} · ${s} s`;
    if (tty) Deno.stderr.writeSync(enc.encode(`\r\x1b[K${status}`));
  };
  show();
  if (!tty) say(status);
  let ticks = 0;
  const timer = setInterval(() => {
    show();
    if (!tty && ++ticks % 15 === 0) say(`${status} (still running)`);
  }, 1000);
  try {
    return await work;
  } finally {
    clearInterval(timer);
    status = "";
    say(`[${clock()}] ${what} · done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

// --- Running -------------------------------------------------------------------------------------

async function capture(
  cmd: string,
  args: string[],
): Promise<{ ok: boolean; out: string; err: string }> {
  try {
    const o = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "piped" })
      .output();
    const dec = new TextDecoder();
    return { ok: o.success, out: dec.decode(o.stdout), err: dec.decode(o.stderr) };
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return { ok: false, out: "", err: `${cmd} not found` };
    throw e;
  }
}

function keyValues(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split("\n")) {
    const m = line.match(/^([\w. ]+): (.+)$/);
    if (m?.[1] && m[2]) map.set(m[1].trim(), m[2].trim());
  }
  return map;
}

const numbers = (m: Map<string, string>) =>
  Object.fromEntries([...m].map(([k, v]) => [k, Number(v)]).filter(([, v]) => Number.isFinite(v)));

/** The suites, in chapter order, with the items their group names name. */
async function suites(): Promise<{ file: string; items: number[] }[]> {
  const out = [];
  for await (const e of Deno.readDir(new URL("bench/", root))) {
    if (!e.isFile || !e.name.endsWith("_bench.ts")) continue;
    const text = await Deno.readTextFile(new URL(`bench/${e.name}`, root));
    const items = [...new Set([...text.matchAll(/item (\d+) ·/g)].map((m) => Number(m[1])))].sort();
    out.push({ file: e.name, items });
  }
  return out.sort((a, b) =>
    (a.items[0] ?? 99) - (b.items[0] ?? 99) || a.file.localeCompare(b.file)
  );
}

function machineFacts(): { cpu: string; os: string } {
  let cpu = "unknown CPU", os = `${Deno.build.os} ${Deno.build.arch}`;
  try {
    cpu = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.+)/)?.[1] ?? cpu;
  } catch { /* not Linux */ }
  try {
    const name = Deno.readTextFileSync("/etc/os-release").match(/PRETTY_NAME="([^"]+)"/)?.[1];
    if (name) os = `${name} (${Deno.osRelease()}, ${Deno.build.arch})`;
  } catch { /* not Linux */ }
  return { cpu, os };
}

const load1 = () => Deno.loadavg()[0] ?? 0;

async function measure(runCount: number, withScaling: boolean, budget: number): Promise<Results> {
  const list = await suites();
  const cores = navigator.hardwareConcurrency;
  const facts = machineFacts();
  console.log(
    `The chapter "Concurrency and Parallelism" (Effective Python, items 36–41), measured here.`,
  );
  console.log(
    `Machine: ${facts.cpu}, ${cores} cores, 1-minute load average ${load1().toFixed(1)}; ` +
      `Deno ${Deno.version.deno}.`,
  );
  console.log(
    `Plan: ${list.length} suites × ${runCount} run${runCount > 1 ? "s" : ""} (` +
      list.map((s) => `${s.file.replace("_bench.ts", "")}: item ${s.items.join(", ")}`).join("; ") +
      `), then the chapter's samples${withScaling ? ", then the scaling runs" : ""}.\n`,
  );
  const results: Results = {
    date: new Date().toISOString(),
    machine: {
      cores,
      load: [load1()],
      ...facts,
      runtime: `Deno ${Deno.version.deno}, V8 ${Deno.version.v8}`,
    },
    runs: [],
    suiteSeconds: {},
    failures: [],
    chapter: {},
  };
  for (let run = 0; run < runCount; run++) {
    const benches: Bench[] = [];
    // Each run starts one suite later, so no suite always runs first on a cold machine.
    const order = list.map((_, i) => list[(i + run) % list.length]!);
    for (const [i, suite] of order.entries()) {
      // After the first run: what the suites still to come took in the run before.
      const before = (s: { file: string }) => results.suiteSeconds[s.file]?.[run - 1] ?? 0;
      const left = run === 0 ? undefined : order.slice(i).reduce((t, s) => t + before(s), 0) +
        (runCount - run - 1) * list.reduce((t, s) => t + before(s), 0);
      const what =
        `run ${run + 1}/${runCount} · suite ${i + 1}/${list.length} ${suite.file} (item ${
          suite.items.join(", ")
        })` +
        (left === undefined ? "" : ` · about ${Math.round(left)} s of suites left`);
      const t0 = performance.now();
      const r = await step(
        what,
        capture(deno, ["bench", "-A", "--no-check", "--json", `bench/${suite.file}`]),
      );
      (results.suiteSeconds[suite.file] ??= []).push((performance.now() - t0) / 1000);
      try {
        benches.push(...(JSON.parse(r.out) as { benches: Bench[] }).benches);
      } catch {
        results.failures.push(
          `${suite.file}, run ${run + 1}: ${r.err.trim().split("\n").slice(-4).join(" ")}`,
        );
      }
      if (!r.ok && r.out) {
        results.failures.push(`${suite.file}, run ${run + 1}: deno bench exited with an error`);
      }
    }
    results.runs.push(benches);
  }
  results.machine.load.push(load1());
  const ch = await step(
    "the chapter's samples (bench/chapter.ts)",
    capture(deno, ["run", "-A", "--no-check", "--v8-flags=--expose-gc", "bench/chapter.ts"]),
  );
  results.chapter = numbers(keyValues(ch.out));
  if (!ch.ok) {
    results.failures.push(`bench/chapter.ts: ${ch.err.trim().split("\n").slice(-3).join(" ")}`);
  }
  const py = await step(
    "the chapter's Python samples (bench/python/chapter.py)",
    capture("python3", ["bench/python/chapter.py"]),
  );
  if (py.ok) {
    const kv = keyValues(py.out);
    results.python = { version: kv.get("python") ?? "3", figures: numbers(kv) };
  }
  if (withScaling) {
    results.scalingBudgetSeconds = budget;
    results.scaling = await runScaling(budget * 1000, (done, total, what) => {
      if (what !== "done") {
        say(`[${clock()}] scaling ${done + 1}/${total}: ${what} at 10³…10⁶ items`);
      }
    });
  }
  results.machine.load.push(load1());
  return results;
}

// --- Rendering -----------------------------------------------------------------------------------

interface Report {
  groups: Group[];
  verdicts: Verdict[];
}

function analyse(r: Results): Report & { chapter: ReturnType<typeof chapterLines> } {
  const groups = collect(r.runs);
  const ours = new Map(Object.entries(r.chapter));
  const python = r.python ? new Map(Object.entries(r.python.figures)) : undefined;
  return {
    groups,
    chapter: chapterLines(ours, python, groups, r.machine),
    verdicts: judge(groups, ours, r.scaling),
  };
}

const verdictWord = (v: Verdict) => (v.met === undefined ? "not measured" : v.by ?? "");

function notRun(groups: Group[]): string[] {
  const names = groups.flatMap((g) => g.rows.map((r) => r.name.toLowerCase()));
  return Object.entries(NOT_RUN).filter(([p]) => !names.some((n) => n.startsWith(p)))
    .map(([p, why]) => `${p}: ${why}`);
}

/** The report as the terminal shows it. */
export function renderText(r: Results): string {
  const a = analyse(r);
  const out: string[] = [];
  const pyName = r.python ? `Python ${r.python.version} here` : undefined;
  out.push("", "THE CHAPTER ON THIS MACHINE", "");
  for (const c of a.chapter) {
    out.push(`${c.item}  ${c.lesson}`);
    out.push(`    here    ${c.ours}`);
    out.push(`    book    ${c.book}`);
    if (pyName && c.python) out.push(`    ${pyName}: ${c.python}`);
    if (c.shown === false) out.push(`    NOT SHOWN: ${c.note}`);
    out.push("");
  }
  out.push(
    `OURS AGAINST THE PLATFORM FLOOR AND EACH PEER (our time ÷ theirs: under 1× is faster; ` +
      (r.runs.length > 1
        ? `median [min–max] over ${r.runs.length} runs)`
        : "one run; in brackets the ratio of the p75s)"),
    "",
  );
  const cmp = comparisons(a.groups);
  const rows = [["item", "ours", "against", "ours ÷ theirs"]];
  let last = "";
  for (const c of cmp) {
    rows.push([
      c.group === last ? "" : String(c.item ?? ""),
      c.ours,
      `${c.owner === "platform" ? "floor: " : ""}${c.against}`,
      fmtSpread(c.ratio),
    ]);
    last = c.group;
  }
  out.push(...textTable(rows, [false, false, false, true]), "");
  out.push("TARGETS", "");
  out.push(...textTable([
    ["measure", "target", "this run", "verdict"],
    ...a.verdicts.map((v) => [
      v.measure.replaceAll("`", ""),
      v.target.replaceAll("`", ""),
      v.got.replaceAll("`", ""),
      verdictWord(v),
    ]),
  ]));
  const met = a.verdicts.filter((v) => v.met === true).length;
  const missed = a.verdicts.filter((v) => v.met === false).length;
  const unmeasured = a.verdicts.length - met - missed;
  out.push(
    "",
    `${a.verdicts.length} targets: ${met} met, ${missed} missed` +
      (unmeasured ? `, ${unmeasured} not measured` : "") + ".",
  );
  if (r.scaling) {
    out.push("", "HOW COST GROWS WITH LOAD", "", ...textTable(scalingTable(r.scaling)));
  }
  for (const line of notRun(a.groups)) out.push("", `Left out: ${line}.`);
  for (const f of r.failures) out.push("", `FAILED: ${f}`);
  return out.join("\n");
}

/** bench/RESULTS.md. */
export function renderMarkdown(r: Results): string {
  const a = analyse(r);
  const runs = r.runs.length;
  const out: string[] = ["# Benchmark results", ""];
  const secs = Object.values(r.suiteSeconds).flat().reduce((s, x) => s + x, 0);
  out.push(
    `Written by \`deno task bench:report\` on ${r.date.slice(0, 10)} from ${runs} run${
      runs > 1 ? "s" : ""
    } of each ` +
      `suite in \`bench/\` (${Math.round(secs)} s of benchmarking)` +
      (r.scaling ? " and the scaling runs" : "") + ".",
    "",
  );
  out.push(
    ...mdTable([
      ["machine", ""],
      ["CPU", r.machine.cpu],
      ["cores", String(r.machine.cores)],
      ["OS", r.machine.os],
      ["runtime", r.machine.runtime],
      [
        "1-minute load average (start → after the suites → end)",
        r.machine.load.map((l) => l.toFixed(2)).join(" → "),
      ],
    ]),
    "",
  );

  out.push("## The chapter on this machine", "");
  const py = r.python ? `Python ${r.python.version} here` : undefined;
  out.push(
    ...mdTable([
      ["item", "lesson", "this machine", "the book", ...(py ? [py] : []), "shown?"],
      ...a.chapter.map((c) => [
        String(c.item),
        c.lesson,
        c.ours,
        c.book,
        ...(py ? [c.python ?? "—"] : []),
        c.shown === undefined ? "—" : c.shown ? "yes" : "**no**, below",
      ]),
    ]),
    "",
  );
  const unshown = a.chapter.filter((c) => c.shown === false);
  for (const c of unshown) out.push(`- Item ${c.item} not shown: ${c.note}.`);
  if (unshown.length) out.push("");

  out.push("## Ours against the platform floor and each peer", "");
  out.push(
    `Our time ÷ theirs (under 1× is faster), ` +
      (runs > 1
        ? `the median over ${runs} runs with [min–max].`
        : "one run, with the ratio of the p75s in brackets."),
    "",
  );
  out.push(
    ...mdTable([
      ["item", "group", "ours", "against", "ours ÷ theirs"],
      ...comparisons(a.groups).map((c, i, all) => [
        all[i - 1]?.group === c.group ? "" : String(c.item ?? ""),
        all[i - 1]?.group === c.group ? "" : c.group.replace(/^item \d+ · /, ""),
        c.ours,
        `${c.owner === "platform" ? "floor: " : ""}${c.against}`,
        fmtSpread(c.ratio),
      ]),
    ], [false, false, false, false, true]),
    "",
  );
  out.push("![every row of every group against its baseline](ratios.svg)", "");

  out.push("## Targets", "");
  out.push(
    ...mdTable([
      ["measure", "target", "this run", "verdict"],
      ...a.verdicts.map((
        v,
      ) => [
        v.measure,
        v.target,
        v.got,
        v.met === false ? `**${verdictWord(v)}**` : verdictWord(v),
      ]),
    ]),
    "",
  );
  const missed = a.verdicts.filter((v) => v.met === false);
  if (missed.length) {
    out.push("Missed in this run:", "");
    for (const v of missed) out.push(`- ${v.measure}: ${v.got}, target ${v.target}: ${v.by}.`);
    out.push("");
  }

  if (r.scaling) {
    out.push("## How cost grows with load", "");
    out.push(
      `Each structure with 10³ to 10⁶ items in flight, ours and its peer, each side in its own process; ` +
        `a size predicted to take over ${r.scalingBudgetSeconds} s is not run.`,
      "",
    );
    out.push("![per-item time and heap against load](scaling.svg)", "");
    out.push(...mdTable(scalingTable(r.scaling)), "");
  }

  out.push("## Every group", "");
  out.push(
    runs > 1
      ? `Time per iteration: the median of the ${runs} runs' means, and their range.`
      : "Time per iteration: the run's mean, and its p75.",
    "",
  );
  for (const g of a.groups) {
    const base = g.rows.find((x) => x.baseline);
    out.push(`### ${g.group}`, "");
    out.push(
      ...mdTable([
        ["benchmark", "time/iter", runs > 1 ? "range over runs" : "p75", "÷ baseline"],
        ...g.rows.map((row) => {
          const ok = row.avg.filter(Number.isFinite);
          if (ok.length === 0) return [row.name, `failed: ${row.failed ?? ""}`, "", ""];
          const range = runs > 1
            ? `${fmtTime(Math.min(...ok))} – ${fmtTime(Math.max(...ok))}`
            : fmtTime(row.p75[0] ?? NaN);
          const ratio = row.baseline
            ? "baseline"
            : base
            ? (spread(row, base) ? fmtSpread(spread(row, base)!) : "")
            : "";
          return [row.name, fmtTime(median(ok)), range, ratio];
        }),
      ], [false, true, true, true]),
      "",
    );
  }
  const left = notRun(a.groups);
  if (left.length) out.push("## Not run", "", ...left.map((l) => `- ${l}.`), "");
  if (r.failures.length) out.push("## Failures", "", ...r.failures.map((f) => `- ${f}`), "");
  return out.join("\n");
}

async function write(r: Results): Promise<void> {
  const a = analyse(r);
  const dir = new URL("bench/", root);
  await Deno.writeTextFile(new URL("results.json", dir), JSON.stringify(r, null, 1) + "\n");
  await Deno.writeTextFile(new URL("RESULTS.md", dir), renderMarkdown(r));
  await Deno.writeTextFile(
    new URL("ratios.svg", dir),
    ratioChart(
      a.groups,
      `Every benchmark against its group's baseline (${r.machine.cores} cores, ${
        r.date.slice(0, 10)
      })`,
    ),
  );
  if (r.scaling) {
    await Deno.writeTextFile(
      new URL("scaling.svg", dir),
      scalingChart(r.scaling, "How cost grows with load: 10³ to 10⁶ items in flight"),
    );
  }
  // Keep the committed files as `deno fmt --check` wants them.
  await capture(deno, [
    "fmt",
    "-q",
    "bench/RESULTS.md",
    "bench/results.json",
    "bench/ratios.svg",
    ...(r.scaling ? ["bench/scaling.svg"] : []),
  ]);
  say(
    "wrote bench/RESULTS.md, bench/ratios.svg" + (r.scaling ? ", bench/scaling.svg" : "") +
      " and bench/results.json",
  );
}

if (import.meta.main) {
  const { values, from, save, write: writing, scaling } = parseArgs(Deno.args);
  const results = from
    ? JSON.parse(await Deno.readTextFile(from)) as Results
    : await measure(values.runs, scaling, values.budget);
  if (save) await Deno.writeTextFile(save, JSON.stringify(results));
  console.log(renderText(results));
  if (writing) await write(results);
  else if (!from) say(`(nothing written; \`deno task bench:report\` writes bench/RESULTS.md)`);
}

/** The command line; a bad or unknown argument ends the run before anything is measured. */
function parseArgs(args: string[]) {
  const usage = "usage: deno task bench [--runs N] [--scaling] [--budget SECONDS] [--write] " +
    "[--save FILE] [--from FILE]";
  const values = { runs: 3, budget: 30 };
  let from: string | undefined, save: string | undefined, write = false, scaling = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i], next = args[i + 1];
    if (arg === "--write") write = true;
    else if (arg === "--scaling") scaling = true;
    else if ((arg === "--runs" || arg === "--budget") && next !== undefined) {
      const n = Number(next);
      if (!(Number.isInteger(n) && n > 0)) {
        console.error(
          `${arg} must be a whole number above 0, got ${JSON.stringify(next)}\n${usage}`,
        );
        Deno.exit(2);
      }
      values[arg === "--runs" ? "runs" : "budget"] = n;
      i++;
    } else if ((arg === "--from" || arg === "--save") && next !== undefined) {
      if (arg === "--from") from = next;
      else save = next;
      i++;
    } else {
      console.error(`unknown or incomplete argument ${JSON.stringify(arg)}\n${usage}`);
      Deno.exit(2);
    }
  }
  return { values, from, save, write, scaling };
}
