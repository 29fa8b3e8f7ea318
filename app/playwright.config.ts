import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

// The browser journeys run against `pob serve` on a fresh ledger in a temporary HOME, serving the
// built app (`npm run build` first). Chromium is Debian's (`apt-get install chromium`): Playwright's
// own browser download cannot reach its servers from these machines.
export const PORT = Number(process.env.POB_TEST_PORT ?? 18_899);
export const LEDGER_HOME = process.env.POB_TEST_HOME ?? mkdtempSync(join(tmpdir(), "pob-app-test-"));
process.env.POB_TEST_HOME = LEDGER_HOME; // the same directory in the test workers
const POB = resolve(process.env.POB_BIN ?? "../target/debug/pob");

export default defineConfig({
  testDir: "tests",
  fullyParallel: false,
  workers: 1,
  timeout: 120_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results/output",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" },
    trace: "off",
    actionTimeout: 15_000,
  },
  projects: [
    { name: "unit", testMatch: /unit\/.*\.spec\.ts/ },
    { name: "browser", testMatch: /e2e\/.*\.spec\.ts/ },
  ],
  webServer: {
    command: `HOME=${LEDGER_HOME} ${POB} serve --port ${PORT} --app dist`,
    url: `http://127.0.0.1:${PORT}/pob/config.json`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
