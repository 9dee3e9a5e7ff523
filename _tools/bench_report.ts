// `deno task bench:report`: runs every benchmark with `--json`, the chapter's measures
// (bench/chapter.ts, and bench/python/chapter.py when python3 is on PATH), and writes
// bench/RESULTS.md and bench/ratios.svg.
import {
  type Bench,
  chapterTable,
  chartSvg,
  fmtTime,
  LEFT_OUT,
  ratioText,
  targetsTable,
} from "./_report.ts";

const root = new URL("../", import.meta.url);
const deno = Deno.execPath();

async function capture(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, cwd: root, stdout: "piped", stderr: "inherit" })
      .output();
    if (!out.success) console.error(`${cmd} ${args.join(" ")} exited with ${out.code}`);
    return new TextDecoder().decode(out.stdout);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return undefined;
    throw e;
  }
}

function parseKeys(text: string | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of (text ?? "").split("\n")) {
    const m = line.match(/^([\w. ]+): (.+)$/);
    if (m) map.set(m[1].trim(), m[2].trim());
  }
  return map;
}

// `--json FILE` reuses the output of an earlier `deno bench -A --json bench/` (such as the
// bench/results.json each run saves) instead of running it.
const jsonArg = Deno.args.indexOf("--json");
let json: string | undefined;
if (jsonArg >= 0) {
  json = await Deno.readTextFile(Deno.args[jsonArg + 1]);
} else {
  console.error("running deno bench -A --json bench/ (about a minute and a half)…");
  json = await capture(deno, ["bench", "-A", "--json", "bench/"]);
}
await Deno.writeTextFile(new URL("bench/results.json", root), json!);
const report = JSON.parse(json!) as { runtime: string; cpu: string; benches: Bench[] };
// Housekeeping entries (a bench that only ends a suite's workers) are not results.
report.benches = report.benches.filter((b) => !b.group?.startsWith("zz "));

console.error("running bench/chapter.ts…");
const ours = parseKeys(
  await capture(deno, ["run", "-A", "--v8-flags=--expose-gc", "bench/chapter.ts"]),
);
console.error("running bench/python/chapter.py (if python3 is on PATH)…");
const python = parseKeys(await capture("python3", ["bench/python/chapter.py"]));

const cpuModel = (() => {
  try {
    const m = Deno.readTextFileSync("/proc/cpuinfo").match(/model name\s*:\s*(.+)/);
    return m ? m[1] : report.cpu;
  } catch {
    return report.cpu;
  }
})();
const osName = (() => {
  try {
    const m = Deno.readTextFileSync("/etc/os-release").match(/PRETTY_NAME="([^"]+)"/);
    return `${m ? m[1] : Deno.build.os} (${Deno.osRelease()}, ${Deno.build.arch})`;
  } catch {
    return `${Deno.build.os} ${Deno.build.arch}`;
  }
})();

const lines: string[] = [];
lines.push("# Benchmark results", "");
lines.push(
  "Written by `deno task bench:report` from one run of `deno bench -A --json bench/`. Times are the",
  "mean per iteration; the ratio compares each row with its group's baseline (`deno bench` prints",
  "the same ratios in its summary).",
  "",
);
lines.push("| machine | |", "| --- | --- |");
lines.push(`| CPU | ${cpuModel} |`);
lines.push(`| cores | ${navigator.hardwareConcurrency} |`);
lines.push(`| OS | ${osName} |`);
lines.push(`| runtime | ${report.runtime} (Deno ${Deno.version.deno}, V8 ${Deno.version.v8}) |`);
lines.push(`| date | ${new Date().toISOString().slice(0, 10)} |`);
lines.push("");
lines.push("![time of each peer relative to ours, per group](ratios.svg)", "");

lines.push(...targetsTable(report.benches, ours));
lines.push(...chapterTable(ours, python));
lines.push("## Peers left out", "", ...LEFT_OUT.map((text) => `- ${text}`), "");

const bySuite = Map.groupBy(report.benches, (b) => b.origin.split("/").pop()!);
for (const [suite, benches] of bySuite) {
  lines.push(`## ${suite}`, "");
  lines.push("| group | benchmark | time/iter | vs baseline |", "| --- | --- | ---: | ---: |");
  for (const [group, rows] of Map.groupBy(benches, (b) => b.group ?? "")) {
    const base = rows.find((r) => r.baseline);
    for (const r of rows) {
      const ok = r.results[0]?.ok;
      const time = ok
        ? fmtTime(ok.avg)
        : `failed: ${JSON.stringify(r.results[0]?.failed ?? r.results[0])}`;
      const ratio = ok && base?.results[0]?.ok && !r.baseline
        ? ratioText(ok.avg / base.results[0].ok.avg)
        : r.baseline
        ? "baseline"
        : "";
      lines.push(`| ${group} | ${r.name} | ${time} | ${ratio} |`);
    }
  }
  lines.push("");
}

await Deno.writeTextFile(new URL("bench/RESULTS.md", root), lines.join("\n"));
await Deno.writeTextFile(new URL("bench/ratios.svg", root), chartSvg(report.benches));
// Keep the committed files as `deno fmt --check` wants them.
await capture(deno, ["fmt", "-q", "bench/RESULTS.md", "bench/results.json", "bench/ratios.svg"]);
console.error("wrote bench/RESULTS.md and bench/ratios.svg");
