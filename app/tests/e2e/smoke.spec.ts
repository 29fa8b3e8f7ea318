import { expect, test } from "@playwright/test";
import { fund, go, person, PHONE } from "./helpers";
import { injectTestWallet, testKey } from "./test-wallet";

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

test("against a plain RPC node (a public cluster: no faucet, no spec store) the app reads and refuses to post", async ({ browser, baseURL }) => {
  const served = (await (await fetch(`${baseURL}/pob/config.json`)).json()) as { testMint: string; programId: string };
  const page = await (await browser.newContext({ viewport: PHONE })).newPage();
  // A validator answers JSON-RPC only: the app finds no /pob/config.json and takes the program
  // and the mint from the URL.
  await page.route("**/pob/config.json", (route) => route.fulfill({ status: 404, body: "Not Found" }));
  const key = testKey("public-cluster");
  await injectTestWallet(page, key);
  await page.goto(`/?rpc=${encodeURIComponent(baseURL ?? "")}&mint=${served.testMint}&program=${served.programId}`);
  await page.getByRole("button", { name: "Connect Test Wallet" }).click();
  await expect(page.getByTestId("wallet-address")).toHaveAttribute("title", key.address);
  await expect(page.getByRole("heading", { level: 2, name: "Work" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Get test funds" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Use a local test wallet" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^Skip 1/ })).toHaveCount(0);
  let sent = 0;
  page.on("request", (request) => {
    if ((request.postData() ?? "").includes('"sendTransaction"')) sent += 1;
  });
  await go(page, "#/post");
  await page.getByLabel("Question").fill("Which fruit?");
  await page.getByLabel("Item link").fill("https://example.org/fruit.jpg");
  await page.getByLabel("Labels (comma-separated)").fill("apple, pear");
  await page.getByLabel("Answers", { exact: true }).fill("3");
  await page.getByLabel("Reward per answer").fill("0.05");
  await page.getByRole("button", { name: "Post task" }).click();
  await expect(page.getByRole("alert")).toContainText(
    "spec: this endpoint has no spec store: publish the spec yourself and use the CLI (pob task create --spec-uri)",
  );
  expect(sent).toBe(0);
});
