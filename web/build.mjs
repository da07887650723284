// Builds the console: bundles src/main.ts and its CSS (with uPlot's) into OUT/app.js and
// OUT/app.css, copies index.html, and writes a gzip of each (deterministic: no name, no time),
// which the server sends to clients that accept gzip.
//   node build.mjs [--out DIR]            the console (default DIR: dist)
//   node build.mjs --tests [--out DIR]    the unit tests, to run with `node --test DIR`
import * as esbuild from "esbuild";
import { gzipSync, constants } from "node:zlib";
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const tests = args.includes("--tests");
const outIndex = args.indexOf("--out");
const out = resolve(outIndex >= 0 ? args[outIndex + 1] : join(here, tests ? "build-tests" : "dist"));
mkdirSync(out, { recursive: true });

if (tests) {
  const entries = readdirSync(join(here, "test")).filter((f) => f.endsWith(".test.ts")).map((f) => join(here, "test", f));
  await esbuild.build({ entryPoints: entries, bundle: true, platform: "node", format: "esm", outdir: out, outExtension: { ".js": ".mjs" }, logLevel: "warning" });
} else {
  await esbuild.build({
    entryPoints: { app: join(here, "src/main.ts") },
    bundle: true,
    minify: true,
    format: "iife",
    target: ["chrome100", "firefox100", "safari15"],
    outdir: out,
    legalComments: "none",
    logLevel: "warning",
  });
  const css = readFileSync(join(here, "node_modules/uplot/dist/uPlot.min.css"), "utf8") + readFileSync(join(here, "src/style.css"), "utf8");
  const minCss = (await esbuild.transform(css, { loader: "css", minify: true })).code;
  writeFileSync(join(out, "app.css"), minCss);
  copyFileSync(join(here, "index.html"), join(out, "index.html"));
  let gz = 0;
  for (const f of ["index.html", "app.js", "app.css"]) {
    const data = gzipSync(readFileSync(join(out, f)), { level: constants.Z_BEST_COMPRESSION });
    writeFileSync(join(out, `${f}.gz`), data);
    gz += data.length;
  }
  console.log(`console: ${out} (${(gz / 1024).toFixed(1)} kB gzipped)`);
}
