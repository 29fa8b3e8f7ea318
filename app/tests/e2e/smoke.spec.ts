import { expect, test } from "@playwright/test";
import { fund, go, person } from "./helpers";

test("a newcomer connects the test wallet and gets test funds", async ({ browser }) => {
  const worker = await person(browser, "smoke");
  await fund(worker);
  await go(worker.page, "#/wallet");
  await expect(worker.page.getByTestId("token-balance")).toHaveText("100.000000 USDC");
});
