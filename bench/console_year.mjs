// A year of 1 s data opened as a trend in the browser: "opens in under a second" (issue:
// console), measured end to end. Writes one tag at 1 s for 365 days (31.5 M points, a slow daily
// wave plus noise, two decimals, as a PLC reports) through /write to a fresh `zhizao serve`
// (simulator and live analytics off: only this tag), then opens the console's trend of the whole
// year in headless Chromium five times, each a fresh page, and prints the request → drawn times
// the trend view records (window.__zzTrend), their median, and the points drawn.
//
//   node bench/console_year.mjs [path/to/zhizao]      # from the repository root
//
// Needs: build/release/zhizao (default), /usr/bin/chromium (or ZZ_CHROMIUM), web/node_modules
// (npm ci in web/: playwright-core).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(fileURLToPath(import.meta.url), "../..");
const zhizao = resolve(process.argv[2] ?? join(root, "build/release/zhizao"));
const { chromium } = createRequire(join(root, "web/package.json"))("playwright-core");
const token = "console-year-bench-token-0123";
const port = 18090;
const base = `http://127.0.0.1:${port}/`;
const kDays = 365;
const kDayS = 86_400;

const work = mkdtempSync(join(tmpdir(), "zhizao-year-"));
writeFileSync(
  join(work, "zz.toml"),
  `[server]\nlisten = "127.0.0.1:${port}"\n[storage]\ndata_dir = "${work}/data"\nfsync = "interval"\n[sim]\nenabled = false\n[analytics]\nenabled = false\n`,
);
const server = spawn(zhizao, ["serve", "--config", join(work, "zz.toml")], { env: { ...process.env, ZHIZAO_ADMIN_TOKEN: token }, stdio: "ignore" });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function waitForServer() {
  for (let i = 0; i < 100; ++i) {
    try {
      if ((await fetch(`${base}healthz`)).ok) return;
    } catch {}
    await new Promise((ok) => setTimeout(ok, 100));
  }
  throw new Error("zhizao did not start");
}

// One day of the tag as line protocol, seconds precision.
function day(startS, seed) {
  const lines = new Array(kDayS);
  let noise = seed;
  for (let i = 0; i < kDayS; ++i) {
    noise = (noise * 1103515245 + 12345) % 2147483648;
    const t = startS + i;
    const v = 50 + 10 * Math.sin((2 * Math.PI * t) / kDayS) + (noise / 2147483648 - 0.5);
    lines[i] = `m v=${v.toFixed(2)} ${t}`;
  }
  return lines.join("\n");
}

try {
  await waitForServer();
  const endS = Math.floor(Date.now() / 1000 / kDayS) * kDayS;
  const startS = endS - kDays * kDayS;
  const written = performance.now();
  for (let d = 0; d < kDays; ++d) {
    const r = await fetch(`${base}write?db=year&precision=s`, { method: "POST", headers: { Authorization: `Bearer ${token}` }, body: day(startS + d * kDayS, d + 1) });
    if (r.status !== 204) throw new Error(`day ${d}: ${r.status} ${await r.text()}`);
  }
  console.log(`wrote ${kDays * kDayS} points in ${((performance.now() - written) / 1000).toFixed(1)} s`);

  const browser = await chromium.launch({
    executablePath: process.env.ZZ_CHROMIUM ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const totals = [];
  let last = null;
  for (let i = 0; i < 5; ++i) {
    const context = await browser.newContext({ locale: "en", viewport: { width: 1400, height: 860 } });
    const page = await context.newPage();
    await page.goto(`${base}?token=${token}`);
    await page.waitForSelector("#tree [data-path]");
    await page.goto(`${base}#/trends?tags=year/m/v&from=${startS * 1000}&to=${endS * 1000}&live=0`);
    await page.waitForFunction(() => window.__zzTrend && window.__zzTrend.points > 0, null, { timeout: 60_000 });
    last = await page.evaluate(() => window.__zzTrend);
    totals.push(last.fetchMs + last.drawMs);
    console.log(`open ${i + 1}: ${Math.round(last.fetchMs + last.drawMs)} ms (server ${Math.round(last.fetchMs)}, draw ${Math.round(last.drawMs)}), ${last.points} points`);
    await context.close();
  }
  await browser.close();
  console.log(`median ${Math.round(median(totals))} ms over ${totals.length} opens of ${kDays} days x 1 s`);
} finally {
  server.kill("SIGTERM");
  await new Promise((ok) => server.once("exit", ok));
  rmSync(work, { recursive: true, force: true });
}
