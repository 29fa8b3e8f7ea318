import { expect, test } from "@playwright/test";
import { fund, go, person } from "./helpers";

test("a newcomer connects the test wallet and gets test funds", async ({ browser }) => {
  const worker = await person(browser, "smoke");
  await fund(worker);
  await go(worker.page, "#/wallet");
  await expect(worker.page.getByTestId("token-balance")).toHaveText("100.000000 USDC");
});

test("on an Android phone, Mobile Wallet Adapter is offered through wallet-standard", async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 },
    userAgent: "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36",
  });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("button", { name: /^Connect .*Mobile Wallet Adapter/ })).toBeVisible();
  const desktop = await browser.newPage();
  await desktop.goto("/");
  await expect(desktop.getByRole("button", { name: "Use a local test wallet" })).toBeVisible();
  await expect(desktop.getByRole("button", { name: /Mobile Wallet Adapter/ })).toHaveCount(0);
});

test("one click gives a newcomer a local test wallet with test funds, kept across visits", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 360, height: 780 } })).newPage();
  await page.goto("/");
  await page.getByRole("button", { name: "Use a local test wallet" }).click();
  await expect(page.getByTestId("outcome")).toContainText("Done: Test funds: 2 SOL and 100 test USDC");
  const address = await page.getByTestId("wallet-address").getAttribute("title");
  await page.goto("/#/wallet");
  await expect(page.getByTestId("token-balance")).toHaveText("100.000000 USDC");
  await page.reload();
  await expect(page.getByTestId("wallet-address")).toHaveAttribute("title", address ?? "");
});
