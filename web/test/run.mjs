// Type-checks the console (tsc --noEmit), builds the unit tests (TypeScript, with esbuild) into
// OUT and runs them with node's test runner.
//   node test/run.mjs [OUT]
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const web = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(process.argv[2] ?? join(web, "build-tests"));
const types = spawnSync(process.execPath, [join(web, "node_modules/typescript/bin/tsc"), "--noEmit", "-p", web], { stdio: "inherit" });
if (types.status !== 0) {
  console.error("type check failed");
  process.exit(types.status ?? 1);
}
const build = spawnSync(process.execPath, [join(web, "build.mjs"), "--tests", "--out", out], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const files = readdirSync(out).filter((f) => f.endsWith(".test.mjs")).map((f) => join(out, f));
const run = spawnSync(process.execPath, ["--test", ...files], { stdio: "inherit" });
process.exit(run.status ?? 1);
