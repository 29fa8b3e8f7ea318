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
