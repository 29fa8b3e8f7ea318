// The journeys of issue 12, in a real browser against `pob serve`: a requester posts a batch and
// downloads the results; three workers answer, reveal and withdraw; a dispute is opened, voted
// and resolved. Serial: each journey continues on the ledger the previous one left.
import { readFileSync } from "node:fs";
import { expect, test, type Browser } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { DESKTOP, expectSent, fund, go, person, PHONE, pob, screenshot, warp, type Person } from "./helpers";

test.describe.configure({ mode: "serial" });

const PORT = process.env.POB_TEST_PORT ?? "18899";
const catSpec = {
  version: 1,
  prompt: "What animal is in this photo?",
  item: { uri: `http://127.0.0.1:${PORT}/samples/cat.svg`, media_type: "image/svg+xml" },
  answer: { kind: "choice", labels: ["cat", "dog", "neither"] },
  instructions: "Pick the animal you see; neither if there is none.",
};
const reviewSpec = {
  version: 1,
  prompt: "Is this review positive?",
  item: { text: "The battery lasts two days and the screen is sharp. Would buy again." },
  answer: { kind: "choice", labels: ["yes", "no"] },
};
const countSpec = {
  version: 1,
  prompt: "How many legs does a spider have?",
  item: { text: "Count the legs of a common garden spider." },
  answer: { kind: "number", precision: 0 },
};
const batchLines = [
  { spec: catSpec, answers: 3, reward: "0.05", gold: "cat" },
  // Open for two days: still taking answers after the first journey skips a day.
  { spec: reviewSpec, answers: 3, reward: "0.05", commit_window: "2d" },
  { spec: countSpec, answers: 3, reward: "0.04", commit_window: "2d" },
]
  .map((line) => JSON.stringify(line))
  .join("\n");

let requester: Person;
let workers: Person[] = [];

async function openTask(who: Person, prompt: string): Promise<void> {
  await go(who.page, "#/");
  await who.page.getByRole("link", { name: prompt }).first().click();
  await expect(who.page.getByRole("heading", { level: 2, name: prompt })).toBeVisible();
}

async function answerAll(browser: Browser, prompt: string, answers: string[]): Promise<void> {
  for (const [index, answer] of answers.entries()) {
    const worker = workers[index] as Person;
    await openTask(worker, prompt);
    await worker.page.getByRole("group", { name: "Labels" }).getByRole("button", { name: answer, exact: true }).click();
    await expectSent(worker.page, `answer "${answer}" committed`);
  }
  void browser;
}

async function revealAll(prompt: string): Promise<void> {
  for (const worker of workers) {
    await go(worker.page, "#/");
    const reminder = worker.page.getByTestId("reveal-reminder");
    await expect(reminder).toContainText("waiting to be revealed");
    await openTask(worker, prompt);
    await worker.page.getByRole("button", { name: "Reveal my answer" }).click();
    await expectSent(worker.page, "answer revealed");
  }
}

test("a requester posts a batch of tasks, the deposit shown before signing", async ({ browser }) => {
  requester = await person(browser, "requester", DESKTOP);
  await fund(requester);
  await go(requester.page, "#/post");
  await requester.page.getByLabel("Batch file (.jsonl)").setInputFiles({ name: "tasks.jsonl", mimeType: "application/x-ndjson", buffer: Buffer.from(batchLines) });
  // 3 × 0.05 × 1.025 twice, and 3 × 0.04 × 1.025: 0.15375 + 0.15375 + 0.123 = 0.4305.
  await expect(requester.page.getByTestId("batch-summary")).toHaveText("tasks.jsonl: 3 tasks, deposit 0.430500 USDC in all.");
  await screenshot(requester.page, "requester-batch-desktop");
  await requester.page.getByRole("button", { name: "Post 3 tasks" }).click();
  const signatures = await expectSent(requester.page, "3 tasks posted");
  expect(signatures).toHaveLength(3);
  await go(requester.page, "#/mine");
  await expect(requester.page.getByTestId("my-task")).toHaveCount(3);
  await go(requester.page, "#/wallet");
  await expect(requester.page.getByTestId("token-balance")).toHaveText("99.569500 USDC");
  await expect(requester.page.getByTestId("free-balance")).toHaveText("0.000000 USDC");
});

test("three workers answer, reveal and withdraw; the requester downloads the results", async ({ browser }) => {
  workers = [await person(browser, "w1"), await person(browser, "w2"), await person(browser, "w3")];
  for (const worker of workers) await fund(worker);
  await go(workers[0]!.page, "#/");
  await expect(workers[0]!.page.getByTestId("feed-task")).toHaveCount(3);
  await screenshot(workers[0]!.page, "worker-feed-phone");
  await openTask(workers[0]!, catSpec.prompt);
  await expect(workers[0]!.page.getByRole("img", { name: /The item to label/ })).toBeVisible();
  await screenshot(workers[0]!.page, "worker-task-phone");

  await answerAll(browser, catSpec.prompt, ["cat", "cat", "dog"]);
  await revealAll(catSpec.prompt);
  // Anyone sees the task is due for finalizing.
  await go(workers[2]!.page, "#/");
  await expect(workers[2]!.page.getByTestId("crank-task").filter({ hasText: catSpec.prompt })).toContainText("ready to finalize");
  // Two people crank at once: the second sees the program's error by name, nothing moves.
  const [first, second] = [workers[0]!, workers[1]!];
  await first.page.reload();
  await expect(first.page.getByTestId("task-stage")).toHaveText("ready to finalize");
  await second.page.reload();
  await expect(second.page.getByTestId("task-stage")).toHaveText("ready to finalize");
  await first.page.getByRole("button", { name: "Finalize" }).click();
  await expectSent(first.page, "task finalized");
  await second.page.getByRole("button", { name: "Finalize" }).click();
  await expect(second.page.getByTestId("outcome-error")).toHaveText(/^instruction 0 failed: TaskNotOpen: The task is not open$/);
  await expect(first.page.getByRole("row", { name: /cat \(result\) 2 66\.66%/ })).toBeVisible();

  // The requester reveals the gold answer and downloads the dataset.
  await go(requester.page, "#/mine");
  await requester.page.getByRole("link", { name: catSpec.prompt }).click();
  await requester.page.getByRole("button", { name: "Reveal gold answer" }).click();
  await expectSent(requester.page, "gold answer revealed");
  await go(requester.page, "#/mine");
  await expect(requester.page.getByTestId("my-task").filter({ hasText: "cat" })).toContainText("66.66%");
  const [download] = await Promise.all([requester.page.waitForEvent("download"), requester.page.getByRole("button", { name: "Download CSV" }).click()]);
  const csv = readFileSync(await download.path(), "utf8").trim().split("\n");
  expect(csv[0]).toBe("task,item,label,outcome,votes,revealed,answers_required,agreement,state,reward_per_answer");
  expect(csv).toHaveLength(4);
  expect(csv.find((line) => line.includes("cat.svg"))).toMatch(/,cat,quorum,2,3,3,66\.66%,finalized,0\.050000$/);
  const [jsonl] = await Promise.all([requester.page.waitForEvent("download"), requester.page.getByRole("button", { name: "Download JSON lines" }).click()]);
  const rows = readFileSync(await jsonl.path(), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(rows).toHaveLength(3);
  expect(rows.find((row) => row.label === "cat")).toMatchObject({ votes: 2, revealed: 3, agreement: "66.66%", outcome: "quorum" });
  await screenshot(requester.page, "requester-results-desktop");

  // After the dispute window anyone settles and closes; the workers withdraw.
  await warp(first.page, "Skip 1 day");
  await first.page.getByRole("button", { name: "Settle 3 answers" }).click();
  await expectSent(first.page, "submissions settled");
  await first.page.getByRole("button", { name: "Close task" }).click();
  await expectSent(first.page, "task closed");
  const expected = [
    ["w1", "0.150000 USDC", "100.050000 USDC"],
    ["w2", "0.150000 USDC", "100.050000 USDC"],
    ["w3", "0.100000 USDC", "100.000000 USDC"],
  ];
  for (const [index, [, free, after]] of expected.entries()) {
    const worker = workers[index]!;
    await go(worker.page, "#/wallet");
    await expect(worker.page.getByTestId("free-balance")).toHaveText(free!);
    await worker.page.getByRole("button", { name: "Withdraw all" }).click();
    await expectSent(worker.page, `withdrew ${free}`);
    await expect(worker.page.getByTestId("token-balance")).toHaveText(after!);
    await expect(worker.page.getByTestId("free-balance")).toHaveText("0.000000 USDC");
  }
  await expect(workers[0]!.page.getByTestId("worker-record")).toContainText("1 agreed");
  await expect(workers[0]!.page.getByTestId("worker-record")).toContainText("Gold: 1 passed");
  await screenshot(workers[0]!.page, "worker-wallet-phone");
});

test("a dispute is opened with evidence, voted by members and resolved", async ({ browser }) => {
  const members = [await person(browser, "m1"), await person(browser, "m2"), await person(browser, "m3", DESKTOP)];
  for (const member of members) {
    await fund(member);
    pob("dao", "add-member", member.key.address, "--weight", "100");
  }
  await answerAll(browser, reviewSpec.prompt, ["yes", "yes", "no"]);
  await revealAll(reviewSpec.prompt);
  await workers[2]!.page.getByRole("button", { name: "Finalize" }).click();
  await expectSent(workers[2]!.page, "task finalized");

  await go(requester.page, "#/mine");
  await requester.page.getByRole("link", { name: reviewSpec.prompt }).click();
  const before = requester.sent();
  await requester.page.getByRole("button", { name: "Open dispute" }).click();
  await expect(requester.page.getByRole("alert")).toHaveText("Reason: say what is wrong with the result");
  await requester.page.getByLabel("Reason").fill("The review is positive: two workers agree, but our label guide says so too.");
  await requester.page.getByLabel("Evidence link (optional)").fill("not a link");
  await requester.page.getByRole("button", { name: "Open dispute" }).click();
  await expect(requester.page.getByRole("alert")).toHaveText("Evidence link: expected an http(s) URL");
  expect(requester.sent()).toBe(before);
  await requester.page.getByLabel("Reason").fill("The text praises the battery and the screen; the label guide counts that as positive? No: it is a spec sheet.");
  await requester.page.getByLabel("Evidence link (optional)").fill("https://example.org/label-guide#reviews");
  await requester.page.getByRole("button", { name: "Open dispute" }).click();
  await expectSent(requester.page, "dispute opened");
  await expect(requester.page.getByTestId("task-stage")).toHaveText("disputed");

  for (const [index, member] of members.entries()) {
    await go(member.page, "#/disputes");
    const dispute = member.page.getByTestId("dispute").filter({ hasText: reviewSpec.prompt });
    await expect(dispute.getByRole("link", { name: "https://example.org/label-guide#reviews" })).toBeVisible();
    await expect(member.page.getByTestId("membership")).toHaveText("You are a DAO member (weight 100).");
    if (index === 2) await screenshot(member.page, "member-dispute-desktop");
    await dispute.getByRole("button", { name: "Vote for no" }).click();
    await expectSent(member.page, "vote for no");
    await expect(dispute).toContainText("You voted.");
  }
  await screenshot(members[0]!.page, "member-dispute-phone");
  const judge = members[0]!;
  await judge.page.reload(); // the other members voted since this page loaded
  await judge.page.getByTestId("dispute").filter({ hasText: reviewSpec.prompt }).getByRole("button", { name: "Resolve dispute" }).click();
  await expectSent(judge.page, "dispute resolved");

  // Overturned: "no" is the result, claims are open at once, the bond came back.
  await go(requester.page, "#/mine");
  await expect(requester.page.getByTestId("my-task").filter({ hasText: reviewSpec.item.text })).toContainText("no");
  await requester.page.getByRole("link", { name: reviewSpec.prompt }).click();
  await expect(requester.page.getByRole("row", { name: /no \(result\) 1 33\.33%/ })).toBeVisible();
  await requester.page.getByRole("button", { name: "Settle 3 answers" }).click();
  await expectSent(requester.page, "submissions settled");
  await requester.page.getByRole("button", { name: "Close task" }).click();
  await expectSent(requester.page, "task closed");
  await go(workers[2]!.page, "#/wallet");
  // w3 answered "no", now the result: its stake back and the reward.
  await expect(workers[2]!.page.getByTestId("free-balance")).toHaveText("0.150000 USDC");
  // The requester's money, to the base unit. The cat task's close refunded 0.051250 (0.153750
  // deposit - 0.100000 paid - 0.002500 fee) to its balance, so the 1.000000 bond took 0.948750
  // from its wallet; the bond came back (the result changed) and the review task's close
  // refunded 0.102500 (0.153750 - 0.050000 - 0.001250).
  await go(requester.page, "#/wallet");
  await expect(requester.page.getByTestId("free-balance")).toHaveText("1.102500 USDC");
  await expect(requester.page.getByTestId("token-balance")).toHaveText("98.620750 USDC");

  // Both tasks are closed, their accounts gone: their results come back from their history.
  await go(requester.page, "#/mine");
  await expect(requester.page.getByTestId("my-closed-task")).toHaveCount(0);
  await requester.page.getByRole("button", { name: "Include closed tasks" }).click();
  await expect(requester.page.getByRole("button", { name: "Closed tasks included (2)" })).toBeVisible();
  const closed = requester.page.getByTestId("my-closed-task");
  const cells = (hasText: string) => closed.filter({ hasText }).getByRole("cell");
  await expect(cells("cat.svg")).toHaveText([/^What animal is in this photo\?/, "closed", "cat", "66.66%"]);
  await expect(cells(reviewSpec.item.text)).toHaveText([/^Is this review positive\?/, "closed", "no", "33.33%"]);
  const [jsonl] = await Promise.all([requester.page.waitForEvent("download"), requester.page.getByRole("button", { name: "Download JSON lines" }).click()]);
  const rows = readFileSync(await jsonl.path(), "utf8").trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(rows).toHaveLength(3); // the open number task and the two closed ones
  expect(rows.find((row) => row.item === reviewSpec.item.text)).toMatchObject({
    label: "no", outcome: "quorum", votes: 1, revealed: 3, answers_required: 3, agreement: "33.33%", state: "closed", reward_per_answer: "0.050000",
  });
  expect(rows.find((row) => String(row.item).endsWith("cat.svg"))).toMatchObject({ label: "cat", votes: 2, state: "closed" });
});

test("a bad input in each form is refused with the field named, and nothing is sent", async () => {
  const page = requester.page;
  await go(page, "#/post");
  const before = requester.sent();
  await page.getByLabel("Question").fill("Which fruit?");
  await page.getByLabel("Item link").fill("https://example.org/fruit.jpg");
  await page.getByLabel("Labels (comma-separated)").fill("apple, pear");
  await page.getByLabel("Answers", { exact: true }).fill("40");
  await page.getByLabel("Reward per answer").fill("0.001");
  await page.getByRole("button", { name: "Post task" }).click();
  const problems = page.getByRole("alert");
  await expect(problems).toContainText("answers: expected 1 to 32");
  await expect(problems).toContainText("reward: 0.001000 is below the wage floor of 0.010000 per answer");
  // The spec itself is checked by the endpoint with the CLI's validator: duplicate labels.
  await page.getByLabel("Answers", { exact: true }).fill("3");
  await page.getByLabel("Reward per answer").fill("0.05");
  await page.getByLabel("Labels (comma-separated)").fill("apple, Apple");
  await page.getByRole("button", { name: "Post task" }).click();
  await expect(problems).toContainText("spec.answer.labels[1]");
  await page.getByLabel("Batch file (.jsonl)").setInputFiles({
    name: "bad.jsonl",
    mimeType: "application/x-ndjson",
    buffer: Buffer.from(['{"spec": {"version": 1}, "answers": 3, "reward": "0.05"}', "not json", JSON.stringify({ spec: catSpec, answers: 3, reward: "1e3" })].join("\n")),
  });
  await expect(problems).toContainText("line 1: spec.prompt: required");
  await expect(problems).toContainText("line 2: not a JSON object");
  await expect(problems).toContainText('line 3: reward: expected an amount like 0.05, got "1e3"');
  await expect(page.getByRole("button", { name: /^Post \d+ tasks$/ })).toHaveCount(0);
  await screenshot(page, "bad-input-desktop");
  expect(requester.sent()).toBe(before);
  // Fixed, the same form posts: the deposit is shown before signing.
  await page.getByLabel("Labels (comma-separated)").fill("apple, pear, neither");
  await page.getByLabel("Least agreed answers").fill("5");
  await expect(page.getByTestId("deposit")).toHaveText(
    "Deposit: 0.153750 USDC (3 × 0.050000 USDC + 2.5% fee), from your balance, topped up from your wallet.",
  );
  await page.getByRole("button", { name: "Post task" }).click();
  await expectSent(page, "task posted");
  expect(requester.sent()).toBe(before + 1);
  await page.setViewportSize(PHONE);
  await screenshot(page, "requester-post-phone");
  await page.setViewportSize(DESKTOP);
  // Only workers with 5 agreed answers may take it: w2 (1 agreed) does not see it.
  await go(workers[1]!.page, "#/");
  await expect(workers[1]!.page.getByTestId("feed-task").first()).toBeVisible();
  await expect(workers[1]!.page.getByTestId("feed-task").filter({ hasText: "Which fruit?" })).toHaveCount(0);
  // Nobody answered it yet: the requester cancels it and gets the whole deposit back.
  await go(page, "#/wallet");
  const freeBefore = await page.getByTestId("free-balance").textContent();
  await go(page, "#/mine");
  await page.getByRole("link", { name: "Which fruit?" }).click();
  await expect(page.getByText("at least 5 agreed answers, 0% agreement, 0% gold accuracy")).toBeVisible();
  await page.getByRole("button", { name: "Cancel task (nobody answered yet)" }).click();
  await expectSent(page, "task cancelled, its deposit back in your balance");
  await go(page, "#/wallet");
  const units = (text: string | null) => BigInt((text ?? "").replace(" USDC", "").replace(".", ""));
  await expect(page.getByTestId("free-balance")).not.toHaveText(freeBefore ?? "");
  expect(units(await page.getByTestId("free-balance").textContent()) - units(freeBefore)).toBe(153_750n);

  // The answer form of a number task.
  const worker = workers[0]!;
  const workerBefore = worker.sent();
  await openTask(worker, countSpec.prompt);
  await worker.page.getByLabel("Answer", { exact: true }).fill("eight");
  await worker.page.getByRole("button", { name: "Commit answer" }).click();
  await expect(worker.page.getByRole("alert")).toHaveText('Answer: "eight" is not a plain decimal number like 12, -0.5 or 3.25');
  await screenshot(worker.page, "bad-answer-phone");
  // The withdraw form.
  await go(worker.page, "#/wallet");
  await worker.page.getByLabel("Amount to withdraw").fill("0.5.1");
  await worker.page.getByRole("button", { name: "Withdraw", exact: true }).click();
  await expect(worker.page.getByRole("alert")).toHaveText('Amount: expected an amount like 0.05, got "0.5.1"');
  await worker.page.getByLabel("Amount to withdraw").fill("1000");
  await worker.page.getByRole("button", { name: "Withdraw", exact: true }).click();
  // w1 answered "yes" on the overturned task: its stake came back, no reward.
  await expect(worker.page.getByRole("alert")).toHaveText("Amount: more than your free balance of 0.100000 USDC");
  expect(worker.sent()).toBe(workerBefore);
});

test("a number answer is committed, kept by the browser or typed again, and revealed", async () => {
  // "8", " 8 " and "8.4" are all 8 at precision 0: one answer, three votes.
  for (const [index, typed] of ["8", " 8 ", "8.4"].entries()) {
    const worker = workers[index]!;
    await openTask(worker, countSpec.prompt);
    await worker.page.getByLabel("Answer", { exact: true }).fill(typed);
    await worker.page.getByRole("button", { name: "Commit answer" }).click();
    await expectSent(worker.page, 'answer "8" committed');
  }
  // w3 reveals from a browser that forgot the answer: it types it again.
  const forgetful = workers[2]!;
  await forgetful.page.evaluate(() => Object.keys(localStorage).filter((key) => key.startsWith("pob.answer.")).forEach((key) => localStorage.removeItem(key)));
  for (const worker of workers) {
    await openTask(worker, countSpec.prompt);
    if (worker === forgetful) await worker.page.getByLabel(/^Answer \(this browser did not keep it/).fill("8");
    await worker.page.getByRole("button", { name: "Reveal my answer" }).click();
    await expectSent(worker.page, "answer revealed");
  }
  await expect(forgetful.page.getByTestId("task-stage")).toHaveText("ready to finalize");
  const row = forgetful.page.getByRole("row").filter({ hasText: "100.00%" });
  await expect(row).toContainText("3");
  // The answer itself, read back from the memos the reveals published (not its hash).
  await expect(row.getByRole("cell").first()).toHaveText("8");
});

test("every page passes axe-core with no serious violations and loads with a handful of RPC calls", async ({ browser }) => {
  const visitor = await person(browser, "w1");
  const page = visitor.page;
  let rpcCalls = 0;
  page.on("request", (request) => {
    if (request.method() === "POST" && (request.postData() ?? "").includes('"jsonrpc"')) rpcCalls += 1;
  });
  await go(page, "#/");
  await page.locator('a[href^="#/task/"]').first().click();
  const taskPage = new URL(page.url()).hash;
  const calls: string[] = [];
  for (const path of ["/#/", "/#/post", "/#/mine", "/#/disputes", "/#/wallet", `/${taskPage}`]) {
    await page.goto("about:blank"); // a fresh load each time, not a hash change
    rpcCalls = 0;
    await page.goto(path);
    await expect(page.getByTestId("wallet-address")).toBeVisible();
    await expect(page.getByRole("heading", { level: 2 }).first()).toBeVisible();
    await page.waitForLoadState("networkidle");
    // Batched reads: the clock, the page's accounts (getMultipleAccounts), its program-account
    // lists; never one call per item.
    expect(rpcCalls, `${path}: RPC calls on load`).toBeLessThanOrEqual(6);
    calls.push(`${path} ${rpcCalls}`);
    const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
    const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
    expect(serious.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`), path).toEqual([]);
    expect(results.passes.length, `${path}: axe ran its checks`).toBeGreaterThan(10);
    // Works at 360 px: nothing wider than the phone's screen (no sideways scrolling).
    expect(await page.evaluate(() => document.documentElement.scrollWidth), `${path}: page width`).toBeLessThanOrEqual(PHONE.width);
  }
  console.log(`RPC calls per page load: ${calls.join(", ")}`);
  await page.setViewportSize(DESKTOP);
  await page.goto("/#/");
  await screenshot(page, "worker-feed-desktop");
});
