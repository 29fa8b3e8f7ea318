// What the journeys share: a person = a browser context with their own test wallet; the ledger's
// authority (the `pob serve` wallet) acts through the real CLI, as a DAO would.
import { execFileSync } from "node:child_process";
import { join, resolve } from "node:path";
import { expect, type Browser, type Page } from "@playwright/test";
import { injectTestWallet, testKey, type TestKey } from "./test-wallet";

export const PHONE = { width: 360, height: 780 };
export const DESKTOP = { width: 1280, height: 860 };
export const SCREENSHOTS = "test-results/screenshots";

export type Person = { page: Page; key: TestKey; sent: () => number };

/** Opens the app as `name` with its test wallet connected; counts the transactions it sends. */
export async function person(browser: Browser, name: string, viewport = PHONE): Promise<Person> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const key = testKey(name);
  await injectTestWallet(page, key);
  let sent = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && (request.postData() ?? "").includes('"sendTransaction"')) sent += 1;
  });
  page.on("pageerror", (error) => console.error(`[${name}] page error: ${error.message}`));
  await page.goto("/");
  await page.getByRole("button", { name: "Connect Test Wallet" }).click();
  await expect(page.getByTestId("wallet-address")).toHaveAttribute("title", key.address);
  return { page, key, sent: () => sent };
}

export async function fund(who: Person): Promise<void> {
  await who.page.getByRole("button", { name: "Get test funds" }).click();
  await expect(who.page.getByTestId("outcome")).toContainText("Done: Test funds");
}

/** Waits for the last action to succeed and returns its signatures. */
export async function expectSent(page: Page, what: string | RegExp): Promise<string[]> {
  const outcome = page.getByTestId("outcome");
  await expect(outcome).toContainText(typeof what === "string" ? `Done: ${what}` : what);
  const signatures = await outcome.getByTestId("signature").allTextContents();
  expect(signatures.length).toBeGreaterThan(0);
  for (const signature of signatures) expect(signature).toMatch(/^[1-9A-HJ-NP-Za-km-z]{64,88}$/);
  return signatures;
}

export async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate((target) => (location.hash = target), hash);
}

export async function warp(page: Page, button: "Skip 1 hour" | "Skip 1 day"): Promise<void> {
  const before = await page.getByTestId("ledger-clock").textContent();
  await page.getByRole("button", { name: button }).click();
  await expect(page.getByTestId("ledger-clock")).not.toHaveText(before ?? "");
}

/** The `pob` CLI against the served ledger, signed by the ledger's own wallet (the authority). */
export function pob(...args: string[]): string {
  const home = process.env.POB_TEST_HOME as string;
  const wallet = join(home, ".local/share/pob/embedded-wallet.json");
  const port = process.env.POB_TEST_PORT ?? "18899";
  return execFileSync(resolve(process.env.POB_BIN ?? "../target/debug/pob"), ["-u", `http://127.0.0.1:${port}`, "-k", wallet, ...args], {
    env: { ...process.env, HOME: home },
    encoding: "utf8",
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}
