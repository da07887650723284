// Browser tests of the web console: Debian's Chromium, headless, driven by playwright-core,
// against a real `zhizao serve --demo` on a free port with a temporary data dir (one day of
// history backfilled first, for the trend timing).
//   node e2e/console.e2e.mjs path/to/zhizao
// Env: ZZ_CHROMIUM (default /usr/bin/chromium; exit 77 = skipped when absent),
//      ZZ_CONSOLE_SCREENSHOTS (folder for overview/trend screenshots; default a temp folder),
//      ZZ_CONSOLE_RESULTS (file for the measured numbers as JSON),
//      ZZ_CONSOLE_BACKFILL_DAYS (default 1),
//      ZZ_CONSOLE_SERVER_LOG (a file that gets the server's stdout and stderr, e.g. for ASan reports).
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { after, before, test } from "node:test";

const zhizao = resolve(process.argv[2] ?? "build/release/zhizao");
const chromiumPath = process.env.ZZ_CHROMIUM ?? "/usr/bin/chromium";
if (!existsSync(chromiumPath)) {
  console.log(`SKIP: no Chromium at ${chromiumPath} (apt-get install chromium, or set ZZ_CHROMIUM)`);
  process.exit(77);
}
const { chromium } = await import("playwright-core");

const tmp = mkdtempSync(join(tmpdir(), "zhizao-console-"));
const dataDir = join(tmp, "data");
const shots = process.env.ZZ_CONSOLE_SCREENSHOTS ? resolve(process.env.ZZ_CONSOLE_SCREENSHOTS) : tmp;
const days = Number(process.env.ZZ_CONSOLE_BACKFILL_DAYS ?? "1");
const results = { backfill_days: days };
let server = null;
let base = "";
let link = "";
let browser = null;

// Starts the server; resolves with its base URL and, on a first start, the sign-in link.
function startServer(listen) {
  return new Promise((ok, fail) => {
    const child = spawn(zhizao, ["serve", "--demo", "--listen", listen, "--data-dir", dataDir], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const timer = setTimeout(() => fail(new Error(`server did not announce itself:\n${out}`)), 30_000);
    const onData = (chunk) => {
      out += chunk;
      const withToken = /(http:\/\/[\d.]+:\d+\/)\?token=(\w+)/.exec(out);
      const plain = /zhizao is running at (http:\/\/[\d.]+:\d+\/)/.exec(out);
      if (withToken || plain) {
        clearTimeout(timer);
        ok({ child, url: (withToken ?? plain)[1], link: withToken ? withToken[0] : "" });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", (c) => (out += c));
    if (process.env.ZZ_CONSOLE_SERVER_LOG) {
      for (const stream of [child.stdout, child.stderr]) stream.on("data", (c) => appendFileSync(process.env.ZZ_CONSOLE_SERVER_LOG, c));
    }
    child.on("exit", (code) => fail(new Error(`server exited (${code}):\n${out}`)));
  });
}

function stopServer() {
  if (!server) return Promise.resolve();
  const child = server;
  server = null;
  return new Promise((ok) => {
    child.once("exit", ok);
    child.kill("SIGTERM");
  });
}

// The raw bytes of a response (no decompression), with its headers.
function rawGet(path, headers = {}) {
  return new Promise((ok, fail) => {
    http.get(base + path.replace(/^\//, ""), { headers }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => ok({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on("error", fail);
  });
}

async function newPage(locale = "zh-CN") {
  const context = await browser.newContext({ locale, viewport: { width: 1400, height: 860 } });
  return context.newPage();
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

before(async () => {
  if (days > 0) {
    const t0 = Date.now();
    const fill = spawnSync(zhizao, ["sim", "--days", String(days), "--data-dir", dataDir, "--format", "none"], { encoding: "utf8" });
    assert.equal(fill.status, 0, fill.stderr);
    results.backfill_seconds = (Date.now() - t0) / 1000;
  }
  const started = await startServer("127.0.0.1:0");
  server = started.child;
  base = started.url;
  link = started.link;
  assert.ok(link, "a first start prints the sign-in link");
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
});

after(async () => {
  await browser?.close();
  await stopServer();
  if (process.env.ZZ_CONSOLE_RESULTS) writeFileSync(process.env.ZZ_CONSOLE_RESULTS, JSON.stringify(results, null, 2) + "\n");
  console.log("console results:", JSON.stringify(results));
  rmSync(tmp, { recursive: true, force: true });
});

test("the console's files are served gzip-encoded with an ETag, and revalidate with 304", async () => {
  const gz = await rawGet("/console/app.js", { "Accept-Encoding": "gzip, deflate" });
  assert.equal(gz.status, 200);
  assert.equal(gz.headers["content-encoding"], "gzip");
  assert.match(gz.headers["content-type"], /javascript/);
  assert.ok(gz.headers.etag);
  const plain = await rawGet("/console/app.js", { "Accept-Encoding": "gzip;q=0" });
  assert.equal(plain.headers["content-encoding"], undefined);
  assert.ok(plain.body.length > gz.body.length * 1.5);
  const again = await rawGet("/console/app.js", { "If-None-Match": gz.headers.etag });
  assert.equal(again.status, 304);
  assert.equal((await rawGet("/console/nope.js")).status, 404);
  const page = await rawGet("/");
  assert.match(page.headers["content-security-policy"], /default-src 'self'/);
  const css = await rawGet("/console/app.css", { "Accept-Encoding": "gzip" });
  const index = await rawGet("/", { "Accept-Encoding": "gzip" });
  results.bundle_gzip_bytes = gz.body.length + css.body.length + index.body.length;
  assert.ok(results.bundle_gzip_bytes < 300 * 1024, `bundle ${results.bundle_gzip_bytes} B gzipped`);
});

test("the ?token= link signs in, leaves the URL, and the overview shows the plant in Chinese", async () => {
  const page = await newPage("zh-CN");
  await page.goto(link);
  await page.waitForSelector("#tree [data-path]");
  assert.ok(!page.url().includes("token"), page.url());
  assert.ok(await page.evaluate(() => sessionStorage.getItem("zhizao.token")));
  assert.equal(await page.textContent("#nav-overview"), "工厂");
  results.overview_tree_ms_first_load = await page.evaluate(() => performance.getEntriesByName("zz-overview-tree")[0].startTime);
  results.overview_fcp_ms = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  await page.click('#tree [data-path$="pumphouse/P1"]');
  await page.waitForSelector("#tag-table td");
  await page.waitForSelector("#tree .state-running, #tree .state-alarm, #tree .state-stopped");
  await page.fill("#search", "vibration_rms");
  assert.ok((await page.locator("#tree [data-path]").count()) >= 3);
  assert.equal(await page.locator('#tree [data-path$="moulding"]').count(), 0);
  await page.fill("#search", "");
  await page.screenshot({ path: join(shots, "console-overview.png") });
  await page.context().close();
});

test("first paint of the overview: measured over 5 fresh loads", async () => {
  const times = [];
  const token = new URL(link).searchParams.get("token");
  for (let i = 0; i < 5; ++i) {
    const page = await newPage("en");
    await page.goto(`${base}?token=${token}`);
    await page.waitForSelector("#tree [data-path]");
    times.push(await page.evaluate(() => performance.getEntriesByName("zz-overview-tree")[0].startTime));
    await page.context().close();
  }
  results.overview_tree_ms_median = median(times);
  results.overview_tree_ms_all = times.map(Math.round);
});

test("switching to English and back to Chinese", async () => {
  const page = await newPage("zh-CN");
  await page.goto(link.replace(/\?token=.*/, "") + "?token=" + new URL(link).searchParams.get("token"));
  await page.waitForSelector("#tree [data-path]");
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("#nav-overview")?.textContent === "Plant");
  assert.equal(await page.getAttribute("html", "lang"), "en");
  await page.click("#lang");
  await page.waitForFunction(() => document.querySelector("#nav-overview")?.textContent === "工厂");
  await page.context().close();
});

test("a trend shows history and live points arriving from the stream", async () => {
  const page = await newPage("en");
  const tags = ["demo/plant1/pumping/ps01/pumphouse/P1/flow", "demo/plant1/pumping/ps01/pumphouse/P1/discharge_pressure", "demo/plant1/pumping/ps01/pumphouse/P1/bearing_temp_de"];
  await page.goto(link);
  await page.waitForSelector("#tree [data-path]");
  await page.goto(`${base}#/trends?tags=${tags.join(",")}&span=15m`);
  await page.waitForSelector("#chart canvas");
  await page.waitForFunction(() => Number(document.querySelector("#chart")?.dataset.live ?? 0) > 10, null, { timeout: 15_000 });
  assert.equal(await page.locator("#chips .chip").count(), 3);
  await page.waitForTimeout(1500);
  await page.screenshot({ path: join(shots, "console-trend.png") });
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#export-csv")]);
  const csvPath = join(tmp, "trend.csv");
  await download.saveAs(csvPath);
  const csv = (await import("node:fs")).readFileSync(csvPath, "utf8").split("\r\n");
  assert.equal(csv[0], `time,${tags.join(",")}`);
  assert.ok(csv.length > 10);
  const [png] = await Promise.all([page.waitForEvent("download"), page.click("#export-png")]);
  assert.match(png.suggestedFilename(), /\.png$/);
  await page.context().close();
});

test("a trend of 10 tags over the backfilled day draws (timed, median of 5)", async () => {
  const page = await newPage("en");
  await page.goto(link);
  await page.waitForSelector("#tree [data-path]");
  const pump = "demo/plant1/pumping/ps01/pumphouse";
  const tags = ["P1", "P2", "P3"].flatMap((p) => ["flow", "discharge_pressure", "motor_current"].map((n) => `${pump}/${p}/${n}`)).concat(`${pump}/total_flow`);
  const to = Date.now() - 60_000;
  const from = to - days * 86_400_000;
  const totals = [];
  const fetches = [];
  const draws = [];
  let points = 0;
  for (let i = 0; i < 5; ++i) {
    await page.goto(`${base}#/trends?tags=${tags.join(",")}&from=${from}&to=${to}&live=0&n=${i}`);
    await page.reload();
    await page.waitForFunction(() => window.__zzTrend && window.__zzTrend.points > 0, null, { timeout: 30_000 });
    const r = await page.evaluate(() => window.__zzTrend);
    totals.push(r.fetchMs + r.drawMs);
    fetches.push(r.fetchMs);
    draws.push(r.drawMs);
    points = r.points;
  }
  results.trend_10x1d_fetch_ms_median = median(fetches);
  results.trend_10x1d_draw_ms_median = median(draws);
  results.trend_10x1d_ms_median = median(totals);
  results.trend_10x1d_ms_all = totals.map(Math.round);
  results.trend_10x1d_points = points;
  assert.ok(points > 1000);
  await page.context().close();
});

test("a tag with no data and a huge range are handled", async () => {
  const page = await newPage("en");
  await page.goto(link);
  await page.waitForSelector("#tree [data-path]");
  const tag = "demo/plant1/pumping/ps01/pumphouse/P1/flow";
  await page.goto(`${base}#/trends?tags=${tag}&from=0&to=1000000&live=0`);
  await page.reload();
  await page.waitForFunction(() => /No data/.test(document.querySelector("#trend-status")?.textContent ?? ""));
  await page.goto(`${base}#/trends?tags=${tag}&from=${-1e15}&to=${Date.now()}&live=0&x=1`);
  await page.reload();
  await page.waitForFunction(() => /points drawn/.test(document.querySelector("#trend-status")?.textContent ?? ""), null, { timeout: 30_000 });
  assert.match(await page.textContent("#range-label"), /\(3660d|\(36\d\dd/);
  await page.context().close();
});

test("an injected simulator fault appears in the episodes and opens as a trend", async () => {
  const page = await newPage("en");
  await page.goto(link);
  await page.waitForSelector("#tree [data-path]");
  await page.goto(`${base}#/sim`);
  await page.waitForSelector("#sim-asset option", { state: "attached" });
  await page.selectOption("#sim-asset", "demo/plant1/pumping/ps01/pumphouse/P2");
  await page.selectOption("#sim-type", "cavitation");
  await page.click("#sim-inject");
  await page.waitForFunction(() => /injected/.test(document.querySelector("#sim-message")?.textContent ?? ""));
  const id = (await page.textContent("#sim-message")).match(/#(\d+)/)[1];
  const row = page.locator("#episode-table tr", { hasText: "cavitation" }).filter({ hasText: "✔" });
  await row.first().waitFor();
  assert.match(await row.first().textContent(), new RegExp(`^${id}cavitation`));
  await row.first().locator("a.episode-trend").click();
  await page.waitForSelector("#chart canvas");
  await page.waitForFunction(() => Number(document.querySelector("#trend-status")?.dataset.points ?? 0) > 0);
  assert.ok((await page.locator("#chips .chip").count()) > 0);
  await page.context().close();
});

test("a wrong token goes back to sign-in with a message", async () => {
  const page = await newPage("en");
  await page.goto(`${base}?token=not-the-token`);
  await page.waitForSelector("#signin-message");
  assert.match(await page.textContent("#signin-message"), /not accepted/);
  assert.equal(await page.evaluate(() => sessionStorage.getItem("zhizao.token")), null);
  await page.fill("#token", new URL(link).searchParams.get("token"));
  await page.click("form.signin button[type=submit]");
  await page.waitForSelector("#tree [data-path]");
  await page.context().close();
});

test("when the server goes away a banner shows, and the live stream comes back with it", async () => {
  const page = await newPage("en");
  await page.goto(link);
  await page.waitForSelector("#tree [data-path]");
  await page.goto(`${base}#/trends?tags=demo/plant1/pumping/ps01/pumphouse/P1/flow&span=5m`);
  await page.waitForFunction(() => Number(document.querySelector("#chart")?.dataset.live ?? 0) > 0, null, { timeout: 15_000 });
  const listen = base.replace(/^http:\/\//, "").replace(/\/$/, "");
  await stopServer();
  await page.waitForSelector("#banner:not([hidden])", { timeout: 15_000 });
  assert.match(await page.textContent("#banner"), /lost/);
  const restarted = await startServer(listen);
  server = restarted.child;
  await page.waitForSelector("#banner", { state: "hidden", timeout: 30_000 });
  await page.waitForFunction(() => Number(document.querySelector("#chart")?.dataset.live ?? 0) > 0, null, { timeout: 30_000 });
  await page.context().close();
});
