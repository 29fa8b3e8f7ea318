// The app's pure parts, against the same vectors the Rust client checks: canonical answers
// (docs/schemas/canonical-answers.json), the wallet-derived salt (docs/schemas/salt-vector.json),
// exact amounts, task preparation, the results file and published answers read back from memos.
import { readFileSync } from "node:fs";
import { webcrypto } from "node:crypto";
import { expect, test } from "@playwright/test";
import { getBase64Decoder, none, some, type Address } from "@solana/kit";
import { formatAmount, parseAmount, parseShareBps, taskDeposit, U64_MAX } from "../../src/lib/amount";
import { answerCommitment, answerHash, canonicalAnswer, canonicalNumber, fold, type AnswerKind } from "../../src/lib/answers";
import { fromHex, toHex } from "../../src/lib/bytes";
import { parseDuration } from "../../src/lib/duration";
import { memoTexts, publishedAnswers } from "../../src/lib/memos";
import { programEvents, storyOf, storyRow } from "../../src/lib/history";
import { getAnswerRevealedEncoder, getTaskClosedEncoder, getTaskCreatedEncoder, getTaskFinalizedEncoder, PROOF_OF_BRAIN_PROGRAM_ADDRESS } from "../../src/client";
import { prepareBatch, prepareTask, type Terms } from "../../src/lib/post";
import { agreement, toCsv, toJsonLines, type ResultRow } from "../../src/lib/results";
import { answerSaltMessage, goldSaltMessage, saltFromSignature } from "../../src/lib/salt";

const shared = (name: string) => JSON.parse(readFileSync(new URL(`../../../docs/schemas/${name}`, import.meta.url), "utf8"));

test.describe("canonical answers agree with the Rust client", () => {
  const vectors = shared("canonical-answers.json") as {
    cases: { spec: { answer: AnswerKind }; typed: string; canonical: string | null; answer_hash?: string }[];
  };
  test(`all ${vectors.cases.length} vectors`, async () => {
    expect(vectors.cases.length).toBeGreaterThan(20);
    for (const vector of vectors.cases) {
      const label = `${vector.spec.answer.kind} ${JSON.stringify(vector.typed)}`;
      if (vector.canonical === null) {
        expect(() => canonicalAnswer(vector.spec.answer, vector.typed), label).toThrow();
        continue;
      }
      const canonical = canonicalAnswer(vector.spec.answer, vector.typed);
      expect(canonical, label).toBe(vector.canonical);
      expect(toHex(await answerHash(canonical)), label).toBe(vector.answer_hash);
    }
  });
  test('" Cat" and "cat" are one label; a word outside the labels is refused by name', () => {
    const kind: AnswerKind = { kind: "choice", labels: ["cat", "dog"] };
    expect(canonicalAnswer(kind, " Cat")).toBe(canonicalAnswer(kind, "cat"));
    expect(() => canonicalAnswer(kind, "bird")).toThrow('"bird" is not one of the task\'s labels: "cat", "dog"');
    expect(fold("\u00a0A\u2003 B\t")).toBe("a b");
  });
  test("numbers round half away from zero on digit strings", () => {
    expect(canonicalNumber("2.345", 2)).toBe("2.35");
    expect(canonicalNumber("-0.004", 2)).toBe("0.00");
    expect(canonicalNumber("9.995", 2)).toBe("10.00");
    expect(canonicalNumber("+7", 0)).toBe("7");
    expect(() => canonicalNumber("1e3", 0)).toThrow("not a plain decimal number");
    expect(() => canonicalNumber("1".repeat(41), 0)).toThrow("more than 40 digits");
  });
});

test("the salt derived from a wallet signature is the Rust client's, byte for byte", async () => {
  const vector = shared("salt-vector.json") as Record<string, string>;
  const seed = fromHex(vector.secret_key_seed_hex as string);
  const pkcs8 = new Uint8Array([...fromHex("302e020100300506032b657004220420"), ...seed]);
  const key = await webcrypto.subtle.importKey("pkcs8", pkcs8, { name: "Ed25519" }, false, ["sign"]);
  const sign = async (text: string) => new Uint8Array(await webcrypto.subtle.sign("Ed25519", key, new TextEncoder().encode(text)));
  expect(answerSaltMessage(vector.task as string)).toBe(vector.message);
  expect(goldSaltMessage(vector.task as string)).toBe(vector.gold_message);
  expect(toHex(await saltFromSignature(await sign(vector.message as string)))).toBe(vector.salt_hex);
  expect(toHex(await saltFromSignature(await sign(vector.gold_message as string)))).toBe(vector.gold_salt_hex);
  await expect(saltFromSignature(new Uint8Array(63))).rejects.toThrow("64 bytes");
});

test("a commitment binds the task, the worker, the answer and the salt", async () => {
  const [task, worker, salt] = [new Uint8Array(32).fill(1), new Uint8Array(32).fill(2), new Uint8Array(32).fill(3)];
  const hash = await answerHash("cat");
  const commitment = toHex(await answerCommitment(task, worker, hash, salt));
  expect(commitment).toHaveLength(64);
  expect(toHex(await answerCommitment(task, new Uint8Array(32).fill(4), hash, salt))).not.toBe(commitment);
  expect(toHex(await answerCommitment(task, worker, await answerHash("dog"), salt))).not.toBe(commitment);
});

test("amounts convert exactly, at the edges too", () => {
  expect(parseAmount("0.05", 6)).toBe(50_000n);
  expect(parseAmount("1.", 6)).toBe(1_000_000n);
  expect(parseAmount(".5", 6)).toBe(500_000n);
  expect(parseAmount("0.000001", 6)).toBe(1n);
  expect(parseAmount("18446744073709.551615", 6)).toBe(U64_MAX);
  expect(() => parseAmount("18446744073709.551616", 6)).toThrow("too large");
  expect(() => parseAmount("0.0000001", 6)).toThrow("this token has 6 decimals");
  expect(() => parseAmount("-1", 6)).toThrow("expected an amount like 0.05");
  expect(() => parseAmount("1e3", 6)).toThrow("expected an amount like 0.05");
  expect(() => parseAmount("", 6)).toThrow("got nothing");
  expect(formatAmount(1_500_000n, 6)).toBe("1.500000");
  expect(formatAmount(U64_MAX, 6)).toBe("18446744073709.551615");
  expect(formatAmount(7n, 0)).toBe("7");
  expect(parseShareBps("12.5%")).toBe(1_250);
  expect(() => parseShareBps("100.01")).toThrow("at most 100%");
  // The deposit rounds the fee up, like the program: 3 × 0.000001 at 2.5% is 3 + 1.
  expect(taskDeposit(1n, 3n, 250n)).toBe(4n);
  expect(taskDeposit(50_000n, 3n, 250n)).toBe(153_750n);
  expect(parseDuration("30m")).toBe(1_800);
  expect(() => parseDuration("1 week")).toThrow("expected a duration");
});

const terms: Terms = {
  decimals: 6,
  feeBps: 250,
  minReward: 10_000n,
  minStake: 100_000n,
  minWindowSecs: 600,
  maxWindowSecs: 30 * 86_400,
  minNoQuorumBps: 2_500,
};
const spec = { version: 1, prompt: "Which?", item: { text: "x" }, answer: { kind: "choice", labels: ["yes", "no"] } };

test("a task is prepared with every problem named, or with its exact deposit", () => {
  const ok = prepareTask({ spec, answers: "5", reward: "0.05", gold: " YES " }, terms);
  expect("problems" in ok ? ok.problems : []).toEqual([]);
  if ("problems" in ok) return;
  expect(ok).toMatchObject({ answers: 5, quorum: 3, reward: 50_000n, stake: 100_000n, gold: "yes", deposit: 256_250n, commitWindowSecs: 3_600 });
  const bad = prepareTask(
    { spec, answers: "0", quorum: "1", reward: "0.001", stake: "0.01", commit_window: "5m", reveal_window: "31d", no_quorum_pay: "10%", gold: "maybe" },
    terms,
  );
  expect("problems" in bad && bad.problems).toEqual([
    "reward: 0.001000 is below the wage floor of 0.010000 per answer",
    "stake: 0.010000 is below the least stake of 0.100000 per answer",
    'answers: expected 1 to 32, got "0"',
    "commit_window: 5m is outside the protocol's bounds, 10m to 30d",
    "reveal_window: 31d is outside the protocol's bounds, 10m to 30d",
    "no_quorum_pay: at least 25% (the protocol's minimum)",
    'gold: "maybe" is not one of the task\'s labels: "yes", "no"',
  ]);
  const qualified = prepareTask({ spec, answers: "3", reward: "0.05", min_agreed_answers: "10", min_agreement: "80%", min_gold_accuracy: "92.5" }, terms);
  expect("qualification" in qualified && qualified.qualification).toEqual({ minAgreedAnswers: 10, minAgreementBps: 8_000, minGoldAccuracyBps: 9_250 });
  const unqualified = prepareTask({ spec, answers: "3", reward: "0.05", min_agreed_answers: "ten", min_agreement: "180%" }, terms);
  expect("problems" in unqualified && unqualified.problems).toEqual([
    'min_agreed_answers: expected a whole number, got "ten"',
    "min_agreement: at most 100%",
  ]);
  const quorum = prepareTask({ spec, answers: "4", quorum: "2", reward: "0.05" }, terms);
  expect("problems" in quorum && quorum.problems).toEqual(["quorum: expected more than half of the answers (4) and at most all of them, got 2"]);
});

test("a batch reports every bad line before anything is sent", () => {
  const text = [JSON.stringify({ spec, answers: 3, reward: "0.05" }), "", "{", JSON.stringify({ spec: {}, answers: 3, reward: "x" })].join("\n");
  const { tasks, problems } = prepareBatch(text, terms);
  expect(tasks).toHaveLength(1);
  expect(problems).toEqual([
    "line 3: not a JSON object",
    "line 4: spec.prompt: required",
    'line 4: spec.answer.kind: expected "choice", "text" or "number"',
    'line 4: reward: expected an amount like 0.05, got "x"',
  ]);
  expect(prepareBatch("\n\n", terms).problems).toEqual(["file: no tasks (one JSON object per line)"]);
});

test("results export as CSV with a header and as JSON lines", () => {
  const row: ResultRow = {
    task: "T1", item: 'a "quoted", item', label: "cat", outcome: "quorum", votes: 2, revealed: 3,
    answers_required: 3, agreement: agreement(2, 3), state: "finalized", reward_per_answer: "0.050000",
  };
  const none: ResultRow = { ...row, task: "T2", label: null, outcome: "no quorum", votes: 0, agreement: null };
  const csv = toCsv([row, none]).trimEnd().split("\n");
  expect(csv).toEqual([
    "task,item,label,outcome,votes,revealed,answers_required,agreement,state,reward_per_answer",
    'T1,"a ""quoted"", item",cat,quorum,2,3,3,66.66%,finalized,0.050000',
    'T2,"a ""quoted"", item",,no quorum,0,3,3,,finalized,0.050000',
  ]);
  const lines = toJsonLines([row, none]).trimEnd().split("\n").map((line) => JSON.parse(line));
  expect(lines[1]).toMatchObject({ task: "T2", label: null, outcome: "no quorum" });
  expect(agreement(1, 3)).toBe("33.33%");
  expect(agreement(3, 3)).toBe("100.00%");
  expect(agreement(0, 0)).toBeNull();
});

test("memos split as a validator lists them, and a published answer counts only if it hashes right", async () => {
  // The same listing cli/src/serve.rs writes (its unit test has this vector): lengths in bytes.
  expect(memoTexts("[21] pob-answer-v1 T café; [4] a; b")).toEqual(["pob-answer-v1 T café", "a; b"]);
  expect(memoTexts(null)).toEqual([]);
  expect(memoTexts("[99] too short")).toEqual([]);
  expect(memoTexts("[1] a [1] b")).toEqual(["a"]); // no "; " after the first: the rest is not a list
  const task = "Task111111111111111111111111111111111111111";
  const eight = toHex(await answerHash("8"));
  const memos = [
    `pob-answer-v1 ${task} 8`,
    `pob-answer-v1 ${task} 9`, // hashes to nothing revealed
    "pob-answer-v1 Other1111111111111111111111111111111111111 8", // another task's
    "pob-dispute-v1 whatever",
  ];
  const found = await publishedAnswers(memos, task as Address, new Set([eight]));
  expect([...found.entries()]).toEqual([[eight, "8"]]);
});

test("a closed task's record is rebuilt from its events, and only this program's events count", async () => {
  const program = PROOF_OF_BRAIN_PROGRAM_ADDRESS;
  const other = "MemoSq4gqABAXKb96qnH8TysNcWxMyWCqXgDLGmfcHr" as Address;
  const task = "SysvarC1ock11111111111111111111111111111111" as Address;
  const worker = "SysvarRent111111111111111111111111111111111" as Address;
  const data = (bytes: ArrayLike<number>) => `Program data: ${getBase64Decoder().decode(new Uint8Array(bytes))}`;
  const ran = (who: Address, lines: string[], depth = 1) => [`Program ${who} invoke [${depth}]`, ...lines, `Program ${who} success`];
  const eight = await answerHash("8");
  const nine = await answerHash("9");
  const created = getTaskCreatedEncoder().encode({
    task, requester: worker, taskId: 7n, mint: worker, answersRequired: 3, quorum: 2, rewardPerAnswer: 50_000n, stakePerAnswer: 0n,
    deposit: 153_750n, commitDeadline: 0n, revealDeadline: 0n, specHash: new Uint8Array(32), specUri: "", goldSealed: false,
  });
  const reveal = (hash: Uint8Array) => getAnswerRevealedEncoder().encode({ task, worker, answerHash: hash, revealed: 1 });
  const finalized = (hash: Uint8Array) => getTaskFinalizedEncoder().encode({ task, outcome: some(hash), disputeDeadline: 0n });
  const closed = getTaskClosedEncoder().encode({ task, rewardsPaid: 0n, fee: 0n, refund: 0n, stakeSlashed: 0n, bondForfeited: 0n });
  const logs = [
    ran(program, [data(created)]),
    ran(program, [data(reveal(eight))]),
    ran(program, [data(reveal(eight))]),
    // A program this one calls, and a program on its own, log events of this program's shape.
    ran(program, [data(reveal(nine)), ...ran(other, [data(finalized(nine))], 2)]),
    ran(other, [data(finalized(nine)), data(closed)]),
    ran(program, [data(finalized(eight))]),
    ran(program, [data(closed)]),
  ];
  expect(programEvents(logs[3]!, program)).toHaveLength(1);
  expect(programEvents(logs[4]!, program)).toHaveLength(0);
  // The program compiled for the host logs the same event through "Program log:".
  expect(programEvents(ran(program, [`Program log: ${data(closed)}`]), program)).toEqual([new Uint8Array(closed)]);
  const memos = [`pob-answer-v1 ${task} 8`, `pob-answer-v1 ${task} 9`];
  const story = await storyOf(task, logs, memos, program);
  expect(story.reveals).toHaveLength(3);
  expect(story.closed).not.toBeNull();
  const spec = { version: 1, prompt: "How many?", item: { text: "legs" }, answer: { kind: "number", precision: 0 } } as const;
  expect(await storyRow(story, spec, 6)).toEqual({
    task, item: "legs", label: "8", outcome: "quorum", votes: 2, revealed: 3, answers_required: 3, agreement: "66.66%", state: "closed", reward_per_answer: "0.050000",
  });
  // Without a closing event the task is not closed; a finalize with no outcome is no quorum.
  const open = await storyOf(task, [...logs.slice(0, 4), ran(program, [data(getTaskFinalizedEncoder().encode({ task, outcome: none(), disputeDeadline: 0n }))])], [], program);
  expect(open.closed).toBeNull();
  expect(await storyRow(open, null, 6)).toMatchObject({ label: null, outcome: "no quorum", votes: 0, agreement: null, state: "gone" });
});
