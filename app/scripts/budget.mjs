// The app's JavaScript budget (issue 12): at most 250 KB gzipped, everything a page loads.
// Run after `vite build`; prints each file and fails above the budget.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const BUDGET_BYTES = 250 * 1024;
const assets = join(import.meta.dirname, "..", "dist", "assets");
let total = 0;
for (const file of readdirSync(assets).filter((name) => name.endsWith(".js")).sort()) {
  const raw = readFileSync(join(assets, file));
  const gzipped = gzipSync(raw, { level: 9 }).length;
  total += gzipped;
  console.log(`${file}: ${(raw.length / 1024).toFixed(1)} KB, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
}
console.log(`JavaScript: ${(total / 1024).toFixed(1)} KB gzipped of a ${BUDGET_BYTES / 1024} KB budget`);
if (total === 0) {
  console.error("no JavaScript in dist/assets: run `npm run build` first");
  process.exit(1);
}
if (total > BUDGET_BYTES) {
  console.error(`over budget by ${((total - BUDGET_BYTES) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
