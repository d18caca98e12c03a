// Builds the browser code into the directory given as the only argument (CMake passes the build
// tree's src/web): type-checks with tsc, bundles each page with esbuild, copies its HTML: the API
// reference (docs.*) and the command-center console (console.*).
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
// The command-center console (src/console): exactly console.js and console.css (its style
// sheets, Leaflet's included, with Leaflet's few images inlined as data: URLs) and console.html.
await build({
  entryPoints: { console: "src/console/main.ts" },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["chrome109", "firefox115"],
  outdir: out,
  loader: { ".png": "dataurl", ".svg": "dataurl" },
  legalComments: "eof",
  logLevel: "warning",
});
copyFileSync("src/console/console.html", join(out, "console.html"));
