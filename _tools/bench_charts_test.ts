// The charts of bench/RESULTS.md: drawn from figures (not canned), and readable when rendered at
// README width by a real browser (headless Chromium through playwright-core).
import assert from "node:assert/strict";
import { chromium } from "playwright-core";
import { type Bench, collect, type ScalingSeries } from "./_report.ts";
import { logTicks, ratioChart, scalingChart, WIDTH } from "./bench_charts.ts";

const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";
const hasChromium = (() => {
  try {
    return Deno.statSync(CHROMIUM).isFile;
  } catch {
    return false;
  }
})();

// Page scripts, as source text: Deno's type library has no DOM, and a `lib="dom"` reference here
// would reach every module type-checked with this one.

/** The SVG's size and every text's box and font size, in CSS pixels. */
const MEASURE_TEXT = `(() => {
  const root = document.querySelector("svg");
  const box = root.getBoundingClientRect();
  const texts = [...root.querySelectorAll("text")].map((t) => {
    const r = t.getBoundingClientRect();
    const size = parseFloat(getComputedStyle(t).fontSize);
    return { s: t.textContent ?? "", x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, size };
  });
  return { width: box.width, height: box.height, texts };
})()`;

/** Decodes a PNG (base64) and counts its dark pixels and the two series' colours. */
const COUNT_INK = `async (b64) => {
  const img = new Image();
  img.src = "data:image/png;base64," + b64;
  await img.decode();
  const c = document.createElement("canvas");
  c.width = img.width;
  c.height = img.height;
  const ctx = c.getContext("2d");
  ctx.drawImage(img, 0, 0);
  const d = ctx.getImageData(0, 0, c.width, c.height).data;
  let dark = 0, blue = 0, orange = 0;
  const near = (i, r, g, b) =>
    Math.abs(d[i] - r) < 20 && Math.abs(d[i + 1] - g) < 20 && Math.abs(d[i + 2] - b) < 20;
  for (let i = 0; i < d.length; i += 4) {
    if (d[i] + d[i + 1] + d[i + 2] < 600) dark++;
    if (near(i, 0x1c, 0x7e, 0xd6)) blue++;
    if (near(i, 0xe8, 0x59, 0x0c)) orange++;
  }
  return { share: dark / (d.length / 4), blue, orange, width: c.width };
}`;

function base64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

function bench(group: string, name: string, avg: number, baseline = false): Bench {
  return {
    origin: "file:///x/bench/sync_bench.ts",
    group,
    name,
    baseline,
    results: [{ ok: { avg, p75: avg * 1.1, min: avg * 0.9, max: avg * 2, n: 100 } }],
  };
}

/** Two runs of two groups: one we win against the peer, one we lose against the floor. */
const RUNS: Bench[][] = [1, 1.2].map((k) => [
  bench("item 38 · Mutex uncontended", "await Promise.resolve()", 60, true),
  bench("item 38 · Mutex uncontended", "Mutex: using _ = await lock()", 150 * k),
  bench("item 38 · Mutex uncontended", "async-mutex Mutex: acquire()", 1500 * k),
  bench("item 39 · Queue put + get", "bare promise hand-off", 600, true),
  bench("item 39 · Queue put + get", "Queue({ maxsize: 1024 })", 400 * k),
  bench("item 39 · Queue put + get", "floor: two awaits per item", 450),
]);

const SCALING: ScalingSeries[] = [
  {
    structure: "mutex",
    label: "Mutex waiters",
    peer: "async-mutex",
    ours: [1e3, 1e4, 1e5, 1e6].map((n) => ({ n, nsPerItem: 500, bytesPerItem: 300 })),
    theirs: [
      { n: 1e3, nsPerItem: 5000, bytesPerItem: 1500 },
      { n: 1e4, nsPerItem: 7000, bytesPerItem: 1600 },
      { n: 1e5, nsPerItem: 46000, bytesPerItem: 1650 },
      { n: 1e6, skipped: { predictedMs: 460000, budgetMs: 60000 } },
    ],
  },
  {
    structure: "queue",
    label: "Queue items",
    peer: "Effection createQueue",
    ours: [1e3, 1e4, 1e5, 1e6].map((n) => ({ n, nsPerItem: 100 + n / 1e4, bytesPerItem: 10 })),
    theirs: [1e3, 1e4, 1e5].map((n) => ({ n, nsPerItem: n / 10, bytesPerItem: 50 })),
  },
];

Deno.test("ratioChart() draws every row against its baseline, wins and losses, on a labelled log axis", () => {
  const svg = ratioChart(collect(RUNS), "test");
  assert.match(svg, new RegExp(`width="${WIDTH}"`));
  for (
    const name of [
      "Mutex: using _ = await lock()",
      "async-mutex Mutex: acquire()",
      "Queue({ maxsize: 1024 })",
    ]
  ) {
    assert.ok(svg.includes(`>${name}<`), name);
  }
  // 150/60 = 2.5× and 180/60 = 3.0×: the median of the two runs; 400/600 = 0.67×, a win.
  assert.ok(svg.includes(">2.75×<"), "our loss against the floor, labelled");
  assert.ok(svg.includes(">0.73×<"), "our win against the floor, labelled");
  for (const tick of ["1×", "10×", "0.5×"]) assert.ok(svg.includes(`>${tick}</text>`), tick);
});

Deno.test("logTicks() steps 1-2-5 over a short range and by powers of ten over a long one", () => {
  assert.deepEqual(logTicks(0.4, 6), [0.5, 1, 2, 5]);
  assert.deepEqual(logTicks(0.43, 2080), [1, 10, 100, 1000]);
});

Deno.test("scalingChart() plots both sides at each size and names the sizes not run", () => {
  const svg = scalingChart(SCALING, "test");
  for (const label of ["10³", "10⁴", "10⁵", "10⁶"]) assert.ok(svg.includes(`>${label}<`), label);
  assert.ok(svg.includes("Mutex waiters vs async-mutex: time per item"));
  assert.ok(svg.includes("not run (over the time budget): async-mutex 10⁶"));
  assert.equal((svg.match(/<polyline/g) ?? []).length, 8, "two lines in each of four panels");
});

Deno.test({
  name:
    "the charts render in headless Chromium at README width, non-blank, no text cut or overlapping",
  ignore: !hasChromium,
  async fn() {
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ["--no-sandbox", "--disable-gpu"],
    });
    try {
      const page = await browser.newPage({ viewport: { width: 830, height: 900 } });
      // The charts drawn from the fixtures above, and the ones committed from the last report run.
      const committed = ["ratios.svg", "scaling.svg"].flatMap((f) => {
        try {
          return [Deno.readTextFileSync(new URL(`../bench/${f}`, import.meta.url))];
        } catch {
          return [];
        }
      });
      const charts = [ratioChart(collect(RUNS), "ratios"), scalingChart(SCALING, "scaling")];
      for (const svg of [...charts, ...committed]) {
        await page.setContent(`<body style="margin:0;background:#fff">${svg}</body>`);
        const facts = await page.evaluate(MEASURE_TEXT) as {
          width: number;
          height: number;
          texts: { s: string; x0: number; x1: number; y0: number; y1: number; size: number }[];
        };
        assert.ok(facts.width <= 830 && facts.width >= 800, `width ${facts.width}`);
        for (const t of facts.texts) {
          assert.ok(t.size >= 11, `"${t.s}" is ${t.size}px`);
          assert.ok(t.x0 >= 0 && t.x1 <= facts.width + 0.5, `"${t.s}" cut off: ${t.x0}–${t.x1}`);
          assert.ok(t.y0 >= 0 && t.y1 <= facts.height + 0.5, `"${t.s}" cut off vertically`);
        }
        for (let i = 0; i < facts.texts.length; i++) {
          for (let j = i + 1; j < facts.texts.length; j++) {
            const a = facts.texts[i]!, b = facts.texts[j]!;
            const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
            const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
            assert.ok(w <= 1 || h <= 1, `"${a.s}" overlaps "${b.s}"`);
          }
        }
        // Non-blank: a real share of the picture is ink, and both series' colours are drawn.
        const png = await page.screenshot({ fullPage: true });
        const ink = await page.evaluate(`(${COUNT_INK})("${base64(png)}")`) as {
          share: number;
          blue: number;
          orange: number;
          width: number;
        };
        assert.equal(ink.width, 830);
        assert.ok(ink.share > 0.01, `only ${(ink.share * 100).toFixed(2)}% of the pixels are ink`);
        assert.ok(ink.blue > 200 && ink.orange > 200, `ours ${ink.blue} px, peer ${ink.orange} px`);
      }
    } finally {
      await browser.close();
    }
  },
});
