// A requester's dataset: one row per task, as CSV or JSON lines (the columns of `pob task
// results`): tasks still on-chain from their accounts, closed ones from their history
// (lib/history.ts).
import { formatAmount } from "./amount";
import type { TaskSpec } from "./answers";
import { toHex } from "./bytes";
import type { FullTask } from "./chain";

export type ResultRow = {
  task: string;
  item: string;
  label: string | null;
  /** "void": a dispute decided no answer was valid (closed tasks, from their history). */
  outcome: "quorum" | "no quorum" | "void" | "pending" | "disputed";
  votes: number;
  revealed: number;
  answers_required: number;
  agreement: string | null;
  state: string;
  reward_per_answer: string;
};

export const TASK_STATES = ["open", "finalized", "disputed"] as const;

export function itemOf(spec: TaskSpec | null): string {
  if (!spec) return "";
  return "uri" in spec.item ? spec.item.uri : spec.item.text;
}

/** Agreement = votes for the label / answers revealed, as a percentage with two decimals
 *  (rounded down, on integers). */
export function agreement(votes: number, revealed: number): string | null {
  if (revealed === 0) return null;
  const hundredths = Math.floor((votes * 10_000) / revealed);
  return `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, "0")}%`;
}

/** One task's row; `texts` gives each answer hash's text (hex → label, see `answerTexts`), and an
 *  outcome without one is written as its hash. */
export function resultRow(task: FullTask, spec: TaskSpec | null, decimals: number, texts: Map<string, string>): ResultRow {
  const state = TASK_STATES[task.state] ?? `state ${task.state}`;
  const winner = task.hasOutcome ? task.tally.find((entry) => toHex(entry.answerHash) === toHex(new Uint8Array(task.outcome))) : undefined;
  const label = winner ? (texts.get(toHex(winner.answerHash)) ?? toHex(winner.answerHash)) : null;
  const outcome = task.state === 2 ? "disputed" : task.state === 0 ? "pending" : task.hasOutcome ? "quorum" : "no quorum";
  const votes = winner?.count ?? 0;
  return {
    task: task.address,
    item: itemOf(spec),
    label,
    outcome,
    votes,
    revealed: task.revealed,
    answers_required: task.answersRequired,
    agreement: winner ? agreement(votes, task.revealed) : null,
    state,
    reward_per_answer: formatAmount(task.rewardPerAnswer, decimals),
  };
}

const COLUMNS: (keyof ResultRow)[] = [
  "task", "item", "label", "outcome", "votes", "revealed", "answers_required", "agreement", "state", "reward_per_answer",
];

function csvField(value: unknown): string {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const toCsv = (rows: ResultRow[]): string =>
  [COLUMNS.join(","), ...rows.map((row) => COLUMNS.map((column) => csvField(row[column])).join(","))].join("\n") + "\n";

export const toJsonLines = (rows: ResultRow[]): string => rows.map((row) => JSON.stringify(row)).join("\n") + "\n";
