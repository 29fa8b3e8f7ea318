// A task to post, from a form or a JSON line, checked against the program's rules before
// anything is sent: each problem names its field (the CLI's `task create` rules).
import { canonicalAnswer, type TaskSpec } from "./answers";
import { formatAmount, parseAmount, parseShareBps, taskDeposit } from "./amount";
import { parseDuration, formatDuration } from "./duration";

/** What a person types (form) or a batch line holds; strings as typed. */
export type TaskInput = {
  spec: unknown;
  answers: string;
  quorum?: string;
  reward: string;
  stake?: string;
  commit_window?: string;
  reveal_window?: string;
  no_quorum_pay?: string;
  gold?: string;
  /** Who may answer (the CLI's --min-agreed-answers, --min-agreement, --min-gold-accuracy). */
  min_agreed_answers?: string;
  min_agreement?: string;
  min_gold_accuracy?: string;
};

export type Qualification = { minAgreedAnswers: number; minAgreementBps: number; minGoldAccuracyBps: number };

export type Terms = {
  decimals: number;
  feeBps: number;
  minReward: bigint;
  minStake: bigint;
  minWindowSecs: number;
  maxWindowSecs: number;
  minNoQuorumBps: number;
};

export type PreparedTask = {
  spec: TaskSpec;
  specBytes: Uint8Array;
  answers: number;
  quorum: number;
  reward: bigint;
  stake: bigint;
  commitWindowSecs: number;
  revealWindowSecs: number;
  noQuorumBps: number;
  gold: string | null;
  qualification: Qualification;
  deposit: bigint;
};

export const MAX_ANSWERS = 32;

/** The shape of a spec, enough to render and canonicalise; the endpoint validates it fully. */
function specShape(spec: unknown, problems: string[]): TaskSpec | null {
  if (typeof spec !== "object" || spec === null || Array.isArray(spec)) {
    problems.push("spec: expected a JSON object (docs/TASK-SPEC.md)");
    return null;
  }
  const candidate = spec as Partial<TaskSpec>;
  const answer = candidate.answer as { kind?: unknown; labels?: unknown } | undefined;
  if (typeof candidate.prompt !== "string" || candidate.prompt.trim() === "") problems.push("spec.prompt: required");
  if (!answer || !["choice", "text", "number"].includes(String(answer.kind))) {
    problems.push('spec.answer.kind: expected "choice", "text" or "number"');
    return null;
  }
  if (answer.kind === "choice" && (!Array.isArray(answer.labels) || answer.labels.length < 2)) {
    problems.push("spec.answer.labels: expected 2 to 64 labels");
    return null;
  }
  return problems.length === 0 ? (candidate as TaskSpec) : null;
}

export function prepareTask(input: TaskInput, terms: Terms): PreparedTask | { problems: string[] } {
  const problems: string[] = [];
  const spec = specShape(input.spec, problems);
  const amount = (field: string, text: string | undefined, fallback: bigint | null): bigint | null => {
    if (text === undefined || text.trim() === "") {
      if (fallback === null) problems.push(`${field}: required`);
      return fallback;
    }
    try {
      return parseAmount(text, terms.decimals);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return null;
    }
  };
  const reward = amount("reward", input.reward, null);
  const stake = amount("stake", input.stake, terms.minStake);
  if (reward !== null && reward < terms.minReward) {
    problems.push(`reward: ${formatAmount(reward, terms.decimals)} is below the wage floor of ${formatAmount(terms.minReward, terms.decimals)} per answer`);
  }
  if (stake !== null && stake < terms.minStake) {
    problems.push(`stake: ${formatAmount(stake, terms.decimals)} is below the least stake of ${formatAmount(terms.minStake, terms.decimals)} per answer`);
  }
  const answers = /^[0-9]{1,3}$/.test(input.answers.trim()) ? Number(input.answers.trim()) : NaN;
  if (!(answers >= 1 && answers <= MAX_ANSWERS)) problems.push(`answers: expected 1 to ${MAX_ANSWERS}, got ${JSON.stringify(input.answers)}`);
  const quorumText = input.quorum?.trim() ?? "";
  const quorum = quorumText === "" ? Math.floor(answers / 2) + 1 : /^[0-9]{1,3}$/.test(quorumText) ? Number(quorumText) : NaN;
  if (answers >= 1 && !(quorum <= answers && 2 * quorum > answers)) {
    problems.push(`quorum: expected more than half of the answers (${answers}) and at most all of them, got ${quorumText || quorum}`);
  }
  const window = (field: string, text: string | undefined): number => {
    let seconds: number;
    try {
      seconds = parseDuration(text && text.trim() !== "" ? text : "1h");
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return 0;
    }
    if (seconds < terms.minWindowSecs || seconds > terms.maxWindowSecs) {
      problems.push(
        `${field}: ${formatDuration(seconds)} is outside the protocol's bounds, ${formatDuration(terms.minWindowSecs)} to ${formatDuration(terms.maxWindowSecs)}`,
      );
    }
    return seconds;
  };
  const commitWindowSecs = window("commit_window", input.commit_window);
  const revealWindowSecs = window("reveal_window", input.reveal_window);
  let noQuorumBps = 5_000;
  if (input.no_quorum_pay && input.no_quorum_pay.trim() !== "") {
    try {
      noQuorumBps = parseShareBps(input.no_quorum_pay);
    } catch (error) {
      problems.push(`no_quorum_pay: ${(error as Error).message}`);
    }
  }
  if (noQuorumBps < terms.minNoQuorumBps) problems.push(`no_quorum_pay: at least ${terms.minNoQuorumBps / 100}% (the protocol's minimum)`);
  const share = (field: string, text: string | undefined): number => {
    if (text === undefined || text.trim() === "") return 0;
    try {
      return parseShareBps(text);
    } catch (error) {
      problems.push(`${field}: ${(error as Error).message}`);
      return 0;
    }
  };
  const agreedText = input.min_agreed_answers?.trim() ?? "";
  const minAgreedAnswers = agreedText === "" ? 0 : /^[0-9]{1,9}$/.test(agreedText) ? Number(agreedText) : NaN;
  if (Number.isNaN(minAgreedAnswers)) problems.push(`min_agreed_answers: expected a whole number, got ${JSON.stringify(agreedText)}`);
  const qualification = {
    minAgreedAnswers: Number.isNaN(minAgreedAnswers) ? 0 : minAgreedAnswers,
    minAgreementBps: share("min_agreement", input.min_agreement),
    minGoldAccuracyBps: share("min_gold_accuracy", input.min_gold_accuracy),
  };
  let gold: string | null = null;
  if (spec && input.gold && input.gold.trim() !== "") {
    try {
      gold = canonicalAnswer(spec.answer, input.gold);
    } catch (error) {
      problems.push(`gold: ${(error as Error).message}`);
    }
  }
  if (problems.length > 0 || !spec || reward === null || stake === null) return { problems };
  const deposit = taskDeposit(reward, BigInt(answers), BigInt(terms.feeBps));
  return {
    spec,
    specBytes: new TextEncoder().encode(JSON.stringify(spec)),
    answers,
    quorum,
    reward,
    stake,
    commitWindowSecs,
    revealWindowSecs,
    noQuorumBps,
    gold,
    qualification,
    deposit,
  };
}

/** One task per non-empty line; every bad line reported (with its number) before any is sent. */
export function prepareBatch(text: string, terms: Terms): { tasks: PreparedTask[]; problems: string[] } {
  const tasks: PreparedTask[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === "") return;
    let input: TaskInput;
    try {
      input = JSON.parse(line) as TaskInput;
    } catch {
      problems.push(`line ${index + 1}: not a JSON object`);
      return;
    }
    if (typeof input !== "object" || input === null) {
      problems.push(`line ${index + 1}: not a JSON object`);
      return;
    }
    const prepared = prepareTask(
      { ...input, answers: String(input.answers ?? ""), quorum: input.quorum === undefined ? undefined : String(input.quorum), reward: String(input.reward ?? "") },
      terms,
    );
    if ("problems" in prepared) prepared.problems.forEach((problem) => problems.push(`line ${index + 1}: ${problem}`));
    else tasks.push(prepared);
  });
  if (tasks.length === 0 && problems.length === 0) problems.push("file: no tasks (one JSON object per line)");
  return { tasks, problems };
}
