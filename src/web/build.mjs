// Builds the browser code into the directory given as the only argument (CMake passes the build
// tree's src/web): type-checks with tsc, bundles each page with esbuild, copies its HTML.
// Run from src/web after `npm ci` (scripts/test.sh and scripts/demo.sh do it).
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { build } from "esbuild";

const out = process.argv[2];
if (!out) {
  console.error("usage: node build.mjs <output directory>");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "."], { stdio: "inherit" });
await build({
  entryPoints: { docs: "src/docs.ts" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome109", "firefox115"],
  outdir: out,
  legalComments: "eof",
  logLevel: "warning",
});
copyFileSync("src/docs.html", join(out, "docs.html"));
