// SVG charts for bench/RESULTS.md, drawn from one run: every group's rows against its baseline, and
// how per-item cost grows with load. Sized for README width (830 px) and a white page.
import {
  baselineOf,
  fmtRatio,
  fmtTime,
  type Group,
  type ScalingSeries,
  sizeLabel,
  type Spread,
  spread,
} from "./_report.ts";

export const WIDTH = 830;
const COLOR = { ours: "#1c7ed6", peer: "#e8590c", platform: "#868e96" } as const;
const esc = (s: string) =>
  s.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
const f1 = (x: number) => x.toFixed(1);

/** Tick values for a log axis over [lo, hi]: 1-2-5 steps, or powers of ten when there are many. */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) ticks.push(v);
    }
  }
  const isPow10 = (v: number) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;
  return ticks.length > 8 ? ticks.filter(isPow10) : ticks;
}

function ratioLabel(v: number): string {
  return v >= 1 ? `${v}×` : `${+v.toPrecision(1)}×`;
}

/**
 * Chart 1: each group's rows as time ÷ the group's baseline, on a labelled log axis. Left of the
 * 1× line is faster than the baseline; bars are ours, a peer's or another platform reference, and
 * the whisker is the spread over runs.
 */
export function ratioChart(groups: Group[], title: string): string {
  type Bar = { label: string; owner: keyof typeof COLOR; r: Spread };
  const blocks: { group: string; bars: Bar[] }[] = [];
  for (const g of groups) {
    const base = baselineOf(g);
    if (!base) continue;
    const bars: Bar[] = [];
    for (const row of g.rows) {
      if (row === base) continue;
      const r = spread(row, base);
      if (r) bars.push({ label: row.name, owner: row.owner, r });
    }
    if (bars.length) blocks.push({ group: `${g.group} — baseline: ${base.name}`, bars });
  }
  const all = blocks.flatMap((b) => b.bars.flatMap((x) => [x.r.lo, x.r.hi, x.r.median]));
  const lo = Math.min(0.5, ...all) / 1.15, hi = Math.max(2, ...all) * 1.15;
  const left = 300, right = WIDTH - 60, top = 58, rowH = 19, headH = 24;
  const x = (v: number) =>
    left + ((Math.log(v) - Math.log(lo)) / (Math.log(hi) - Math.log(lo))) * (right - left);
  const rows = blocks.reduce((n, b) => n + b.bars.length, 0);
  const height = top + blocks.length * headH + rows * rowH + 50;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="40" fill="#333">Time ÷ the group's baseline, log scale. Left of 1×: faster than the baseline. Whisker: spread over runs.</text>`,
  ];
  const legend = [["ours", "ours"], ["peer", "peer library"], [
    "platform",
    "other platform reference",
  ]] as const;
  legend.forEach(([k, text], i) => {
    const lx = 10 + i * 150;
    out.push(`<rect x="${lx}" y="${height - 22}" width="12" height="12" fill="${COLOR[k]}"/>`);
    out.push(`<text x="${lx + 17}" y="${height - 12}">${text}</text>`);
  });
  const bottom = height - 44;
  for (const v of logTicks(lo, hi)) {
    out.push(
      `<line x1="${f1(x(v))}" y1="${top - 6}" x2="${f1(x(v))}" y2="${bottom}" stroke="${
        v === 1 ? "#000" : "#dee2e6"
      }"/>`,
    );
    out.push(
      `<text x="${f1(x(v))}" y="${bottom + 14}" text-anchor="middle" fill="#333">${
        ratioLabel(v)
      }</text>`,
    );
  }
  let y = top;
  for (const b of blocks) {
    out.push(`<text x="10" y="${y + 16}" font-weight="bold">${esc(clip(b.group, 120))}</text>`);
    y += headH;
    for (const bar of b.bars) {
      const xm = x(bar.r.median), x1 = x(1);
      const [from, to] = xm < x1 ? [xm, x1] : [x1, xm];
      out.push(
        `<text x="${left - 8}" y="${y + 13}" text-anchor="end">${esc(clip(bar.label, 44))}</text>`,
      );
      out.push(
        `<rect x="${f1(from)}" y="${y + 3}" width="${f1(Math.max(1.5, to - from))}" height="${
          rowH - 6
        }" fill="${COLOR[bar.owner]}"/>`,
      );
      if (bar.r.runs > 1) {
        out.push(
          `<line x1="${f1(x(bar.r.lo))}" y1="${y + rowH / 2}" x2="${f1(x(bar.r.hi))}" y2="${
            y + rowH / 2
          }" stroke="#000" stroke-width="1.2"/>`,
        );
      }
      // The figure sits past the bar's outer end (and its whisker): right of a slower bar, left of
      // a faster one, or inside the plot when that end is too close to the edge.
      const outerRight = Math.max(xm, x1, bar.r.runs > 1 ? x(bar.r.hi) : xm) + 5;
      const outerLeft = Math.min(xm, x1, bar.r.runs > 1 ? x(bar.r.lo) : xm) - 5;
      const leftSide = xm < x1 ? outerLeft - 45 > left : outerRight + 45 > right;
      out.push(
        `<text x="${f1(leftSide ? outerLeft : outerRight)}" y="${y + 13}"${
          leftSide ? ' text-anchor="end"' : ""
        }>${fmtRatio(bar.r.median)}</text>`,
      );
      y += rowH;
    }
  }
  out.push("</svg>");
  return out.join("\n") + "\n";
}

function clip(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + "…" : s;
}

/** Bytes with two significant digits, in B or kB (1 kB = 1,000 B, like the axis ticks). */
export function fmtBytes(b: number): string {
  return b >= 1000 ? `${+(b / 1000).toPrecision(2)} kB` : `${+b.toPrecision(2)} B`;
}

/** An axis tick's time: as few digits as the 1-2-5 value needs. */
export function fmtTick(ns: number): string {
  const [unit, div] = ns >= 1e9
    ? ["s", 1e9]
    : ns >= 1e6
    ? ["ms", 1e6]
    : ns >= 1e3
    ? ["µs", 1e3]
    : ["ns", 1];
  return `${+(ns / (div as number)).toPrecision(3)} ${unit}`;
}

/**
 * Chart 2: per-item time and heap bytes against the number of items in flight, ours and the peer,
 * both axes log: a flat line is constant cost per item.
 */
export function scalingChart(series: ScalingSeries[], title: string): string {
  const panelW = 370, panelH = 150, gapX = 50, left = 62, top = 70, rowGap = 62;
  const height = top + series.length * (panelH + rowGap) + 20;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${esc(title)}</text>`,
    `<text x="10" y="40" fill="#333">Items in flight (log) against time and heap per item (log). Flat is O(1) per item.</text>`,
    `<rect x="10" y="50" width="12" height="12" fill="${COLOR.ours}"/><text x="27" y="60">ours</text>`,
    `<rect x="80" y="50" width="12" height="12" fill="${COLOR.peer}"/><text x="97" y="60">the peer (named in each panel)</text>`,
  ];
  series.forEach((s, row) => {
    const y0 = top + row * (panelH + rowGap) + 20;
    const metrics = [
      { key: "nsPerItem" as const, name: "time per item", fmt: fmtTime, tick: fmtTick },
      { key: "bytesPerItem" as const, name: "heap per item", fmt: fmtBytes, tick: fmtBytes },
    ];
    metrics.forEach((m, col) => {
      const x0 = left + col * (panelW + gapX);
      const pts = (ps: typeof s.ours) => ps.filter((p) => (p[m.key] ?? 0) > 0);
      const values = [...pts(s.ours), ...pts(s.theirs)].map((p) => p[m.key]!);
      const ns = [...s.ours, ...s.theirs].map((p) => p.n);
      out.push(
        `<text x="${x0 - 50}" y="${y0 - 8}" font-weight="bold">${
          esc(`${s.label} vs ${s.peer}: ${m.name}`)
        }</text>`,
      );
      out.push(
        `<rect x="${x0}" y="${y0}" width="${
          panelW - 60
        }" height="${panelH}" fill="none" stroke="#adb5bd"/>`,
      );
      if (values.length === 0 || ns.length === 0) {
        out.push(`<text x="${x0 + 10}" y="${y0 + panelH / 2}">not measured</text>`);
        return;
      }
      const nLo = Math.min(...ns), nHi = Math.max(...ns);
      const vLo = Math.min(...values) / 1.5, vHi = Math.max(...values) * 1.5;
      const w = panelW - 60;
      const px = (n: number) =>
        x0 +
        (nHi === nLo
          ? w / 2
          : ((Math.log(n) - Math.log(nLo)) / (Math.log(nHi) - Math.log(nLo))) * w);
      const py = (v: number) =>
        y0 + panelH - ((Math.log(v) - Math.log(vLo)) / (Math.log(vHi) - Math.log(vLo))) * panelH;
      for (const n of new Set(ns)) {
        out.push(
          `<line x1="${f1(px(n))}" y1="${y0}" x2="${f1(px(n))}" y2="${
            y0 + panelH
          }" stroke="#f1f3f5"/>`,
        );
        out.push(
          `<text x="${f1(px(n))}" y="${y0 + panelH + 14}" text-anchor="middle" fill="#333">${
            sizeLabel(n)
          }</text>`,
        );
      }
      // Ticks clear of the panel's top and bottom edges, where the size labels sit; at most five.
      const yt = logTicks(vLo, vHi).filter((v) => py(v) > y0 + 6 && py(v) < y0 + panelH - 10);
      const step = Math.ceil(yt.length / 5);
      for (const v of yt.filter((_, i) => i % step === 0)) {
        out.push(
          `<line x1="${x0}" y1="${f1(py(v))}" x2="${x0 + w}" y2="${f1(py(v))}" stroke="#e9ecef"/>`,
        );
        out.push(
          `<text x="${x0 - 4}" y="${f1(py(v) + 4)}" text-anchor="end" fill="#333" font-size="11">${
            esc(m.tick(v))
          }</text>`,
        );
      }
      for (const [ps, color] of [[s.theirs, COLOR.peer], [s.ours, COLOR.ours]] as const) {
        const p = pts(ps);
        if (p.length > 1) {
          out.push(
            `<polyline fill="none" stroke="${color}" stroke-width="2.5" points="${
              p.map((q) => `${f1(px(q.n))},${f1(py(q[m.key]!))}`).join(" ")
            }"/>`,
          );
        }
        for (const q of p) {
          out.push(
            `<circle cx="${f1(px(q.n))}" cy="${f1(py(q[m.key]!))}" r="3.5" fill="${color}"/>`,
          );
        }
        const last = p[p.length - 1];
        if (last) {
          out.push(
            `<text x="${f1(px(last.n) + 6)}" y="${
              f1(py(last[m.key]!) + 4)
            }" fill="${color}" font-size="11">${esc(m.fmt(last[m.key]!))}</text>`,
          );
        }
      }
      const skipped = [
        ...s.ours.map((p) => ["ours", p] as const),
        ...s.theirs.map((p) => [s.peer, p] as const),
      ]
        .filter(([, p]) => p[m.key] === undefined)
        .map(([who, p]) => `${who} ${sizeLabel(p.n)}`);
      if (skipped.length && col === 0) {
        out.push(
          `<text x="${x0}" y="${
            y0 + panelH + 30
          }" fill="#c92a2a" font-size="11">not run (over the time budget): ${
            esc(skipped.join(", "))
          }</text>`,
        );
      }
    });
  });
  out.push("</svg>");
  return out.join("\n") + "\n";
}
