// Streams 100 MiB of a child's stdout, through `lines()` or the raw stdout stream (Deno.args[0]),
// and prints one JSON line: what arrived and how far the resident set grew. Run in its own
// process with a small V8 heap, so that the figure is this stream's and retention would crash it.
import { spawn } from "../../subprocess/mod.ts";

const MB = 1024 * 1024;
const LINE = 1024;
const TOTAL = 100 * MB;
const mode = Deno.args[0];

await using child = spawn(["sh", "-c", `yes "$(printf '%0${LINE - 1}d' 0)" | head -c ${TOTAL}`], {
  stdout: "piped",
});
const before = Deno.memoryUsage().rss;
let peak = before;
let bytes = 0;
let lines = 0;
let badLines = 0;
let n = 0;
if (mode === "lines") {
  for await (const line of child.lines()) {
    if (line.length !== LINE - 1) badLines++;
    lines++;
    bytes += line.length + 1;
    if (++n % 1024 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
  }
} else {
  for await (const chunk of child.stdout!) {
    bytes += chunk.length;
    if (++n % 64 === 0) peak = Math.max(peak, Deno.memoryUsage().rss);
  }
}
const { code } = await child.wait();
console.log(JSON.stringify({ code, bytes, lines, badLines, growth: peak - before }));
