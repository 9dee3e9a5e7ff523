/**
 * `deno task stress`: runs the reliability suite (`reliability/`) with many more runs per
 * property and repetitions per fault scenario than `deno task test` does, with the sanitizers on,
 * then prints what it explored: schedules per property, scheduler steps, faults injected, items
 * moved and losses (which must be zero).
 *
 * ```sh
 * deno task stress                      # 2,000 runs per property, 5 repetitions per fault
 * deno task stress --runs 10000 --repeat 20
 * STRESS_RUNS=500 deno task stress      # the environment works too
 * deno task stress --filter Mutex       # passed on to deno test
 * ```
 *
 * The tests read `STRESS_RUNS` and `STRESS_REPEAT`, and append one JSON line of counters per
 * property to the file named by `STRESS_REPORT`; this script sets all three.
 *
 * @module
 */

interface Row {
  suite: string;
  name: string;
  unit: string;
  runs: number;
  steps: number;
  faults: number;
  items: number;
  losses: number;
  ms: number;
}

function option(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i === -1) return undefined;
  const value = args[i + 1];
  args.splice(i, 2);
  return value;
}

function positive(name: string, raw: string): string {
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < 1) {
    console.error(`stress: '${name}' must be a positive integer, got ${raw}`);
    Deno.exit(2);
  }
  return String(n);
}

const fmt = (n: number): string => n.toLocaleString("en-US");

/** Renders the rows as a Markdown table, with a totals line. */
export function table(rows: Row[]): string {
  const header = ["suite", "property / scenario", "runs", "steps", "faults", "moved", "losses"];
  const body = rows.map((r) => [
    r.suite,
    r.name,
    fmt(r.runs),
    r.steps === 0 ? "-" : fmt(r.steps),
    fmt(r.faults),
    `${fmt(r.items)} ${r.unit}`,
    fmt(r.losses),
  ]);
  const total = (key: "runs" | "steps" | "faults" | "losses") =>
    fmt(rows.reduce((sum, r) => sum + r[key], 0));
  body.push(["", "**total**", total("runs"), total("steps"), total("faults"), "", total("losses")]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...body.map((row) => row[i]?.length ?? 0))
  );
  const line = (cells: string[]) =>
    "| " + cells.map((c, i) =>
      i >= 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)
    ).join(" | ") +
    " |";
  const rule = "| " +
    widths.map((w, i) => i >= 2 ? "-".repeat(w - 1) + ":" : "-".repeat(w)).join(" | ") + " |";
  return [line(header), rule, ...body.map(line)].join("\n");
}

/** Adds up the rows of one property (a test file may report the same name more than once). */
export function merge(rows: Row[]): Row[] {
  const byKey = new Map<string, Row>();
  for (const r of rows) {
    const key = `${r.suite}\u0000${r.name}`;
    const seen = byKey.get(key);
    if (seen === undefined) byKey.set(key, { ...r });
    else {
      for (const k of ["runs", "steps", "faults", "items", "losses", "ms"] as const) {
        seen[k] += r[k];
      }
    }
  }
  return [...byKey.values()];
}

if (import.meta.main) {
  const args = [...Deno.args];
  const runs = positive("--runs", option(args, "--runs") ?? Deno.env.get("STRESS_RUNS") ?? "2000");
  const repeat = positive(
    "--repeat",
    option(args, "--repeat") ?? Deno.env.get("STRESS_REPEAT") ?? "5",
  );
  const report = await Deno.makeTempFile({ prefix: "stress-", suffix: ".jsonl" });
  const root = new URL("..", import.meta.url);
  const started = performance.now();
  console.log(`stress: ${runs} runs per property, ${repeat} repetitions per fault scenario`);
  const command = new Deno.Command(Deno.execPath(), {
    args: [
      "test",
      "-A",
      // The properties need fast-check, a dev tool with its own import map and lock.
      "--import-map=_tools/dev_imports.json",
      "--lock=_tools/dev_imports.lock",
      "--sanitize-ops",
      "--sanitize-resources",
      ...args,
      "reliability/",
    ],
    cwd: root,
    env: { STRESS_RUNS: runs, STRESS_REPEAT: repeat, STRESS_REPORT: report },
    stdin: "null",
    stdout: "inherit",
    stderr: "inherit",
  });
  const { code } = await command.output();
  const text = await Deno.readTextFile(report);
  await Deno.remove(report);
  const rows = merge(
    text.split("\n").filter((line) => line.trim() !== "").map((line) => JSON.parse(line) as Row),
  );
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\nstress totals (${runs} runs per property, ${repeat} per fault, ${seconds} s):\n`);
  console.log(table(rows));
  const losses = rows.reduce((sum, r) => sum + r.losses, 0);
  console.log(`\ndeno test exited with ${code}; losses: ${losses}`);
  Deno.exit(code !== 0 ? code : losses > 0 ? 1 : 0);
}
