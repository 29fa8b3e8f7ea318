// Task specs as the app reads them, and answers in canonical form: the same rules as the CLI's
// `cli/src/spec.rs` (docs/TASK-SPEC.md), checked against docs/schemas/canonical-answers.json.
import { sha256, utf8 } from "./bytes";

export type AnswerKind =
  | { kind: "choice"; labels: string[] }
  | { kind: "text"; normalize?: "loose" | "exact"; max_length?: number }
  | { kind: "number"; precision?: number };

export type TaskSpec = {
  version: 1;
  prompt: string;
  item: { uri: string; media_type?: string } | { text: string };
  answer: AnswerKind;
  instructions?: string;
};

export const MAX_TEXT_ANSWER_BYTES = 1_000;
export const MAX_NUMBER_DIGITS = 40;

/** Unicode White_Space (what Rust's `char::is_whitespace` tests; JavaScript's `\s` differs). */
const WHITE_SPACE_CLASS = "[\\t\\n\\v\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]";
const WHITE_SPACE = new RegExp(`${WHITE_SPACE_CLASS}+`, "u");
const EDGE_WHITE_SPACE = new RegExp(`^${WHITE_SPACE_CLASS}+|${WHITE_SPACE_CLASS}+$`, "gu");

/** Rust's `str::trim`. */
const trimWhiteSpace = (text: string): string => text.replace(EDGE_WHITE_SPACE, "");

/** NFC, trimmed, White_Space runs collapsed to one space, lowercased. */
export function fold(text: string): string {
  return text
    .normalize("NFC")
    .split(WHITE_SPACE)
    .filter((word) => word !== "")
    .join(" ")
    .toLowerCase();
}

/** An answer's canonical form under the spec's answer kind, or an Error saying why it has none. */
export function canonicalAnswer(answer: AnswerKind, typed: string): string {
  switch (answer.kind) {
    case "choice": {
      const folded = fold(typed);
      const label = answer.labels.find((candidate) => fold(candidate) === folded);
      if (label === undefined) {
        const quoted = answer.labels.map((l) => JSON.stringify(l)).join(", ");
        throw new Error(`${JSON.stringify(typed)} is not one of the task's labels: ${quoted}`);
      }
      return label;
    }
    case "text": {
      const canonical = answer.normalize === "exact" ? trimWhiteSpace(typed.normalize("NFC")) : fold(typed);
      const maxBytes = answer.max_length ?? MAX_TEXT_ANSWER_BYTES;
      if (canonical === "") throw new Error("the answer is empty");
      if (utf8(canonical).length > maxBytes) throw new Error(`the answer is longer than the task's ${maxBytes} bytes`);
      return canonical;
    }
    case "number":
      return canonicalNumber(typed, answer.precision ?? 0);
  }
}

/** A plain decimal rounded half away from zero to `precision` places, on digit strings. */
export function canonicalNumber(typed: string, precision: number): string {
  const text = trimWhiteSpace(typed);
  const notANumber = () => new Error(`${JSON.stringify(typed)} is not a plain decimal number like 12, -0.5 or 3.25`);
  let negative = false;
  let unsigned = text;
  if (text.startsWith("-")) {
    negative = true;
    unsigned = text.slice(1);
  } else if (text.startsWith("+")) {
    unsigned = text.slice(1);
  }
  const dot = unsigned.indexOf(".");
  const whole = dot < 0 ? unsigned : unsigned.slice(0, dot);
  const fraction = dot < 0 ? "" : unsigned.slice(dot + 1);
  const digits = (s: string) => /^[0-9]*$/.test(s);
  if ((whole === "" && fraction === "") || !digits(whole) || !digits(fraction)) throw notANumber();
  if (whole.length + fraction.length > MAX_NUMBER_DIGITS) {
    throw new Error(`the number has more than ${MAX_NUMBER_DIGITS} digits`);
  }
  const kept = (whole + fraction.slice(0, precision).padEnd(precision, "0")).split("").map(Number);
  if ((fraction[precision] ?? "0") >= "5") {
    let index = kept.length;
    for (;;) {
      if (index === 0) {
        kept.unshift(1);
        break;
      }
      index -= 1;
      if (kept[index] === 9) {
        kept[index] = 0;
      } else {
        kept[index] = (kept[index] ?? 0) + 1;
        break;
      }
    }
  }
  const split = kept.length - precision;
  const wholeDigits = kept.slice(0, split).join("").replace(/^0+/, "") || "0";
  const fractionDigits = kept.slice(split).join("");
  const sign = negative && kept.some((d) => d !== 0) ? "-" : "";
  return precision === 0 ? `${sign}${wholeDigits}` : `${sign}${wholeDigits}.${fractionDigits}`;
}

/** sha256 of the canonical answer's UTF-8 bytes: what a worker commits to. */
export const answerHash = (canonical: string): Promise<Uint8Array> => sha256(utf8(canonical));

/** `sha256("pob-commit-v1" || task || worker || answer_hash || salt)` (logic/commitment.rs). */
export const answerCommitment = (task: Uint8Array, worker: Uint8Array, hash: Uint8Array, salt: Uint8Array) =>
  sha256(utf8("pob-commit-v1"), task, worker, hash, salt);

/** `sha256("pob-gold-v1" || task || answer_hash || salt)`: a sealed gold answer. */
export const goldSeal = (task: Uint8Array, hash: Uint8Array, salt: Uint8Array) =>
  sha256(utf8("pob-gold-v1"), task, hash, salt);

/** The labels of a choice spec (empty for text and number). */
export const labelsOf = (spec: TaskSpec): string[] => (spec.answer.kind === "choice" ? spec.answer.labels : []);

/** The label whose hash is `hash`, for outcomes and tallies. */
export async function labelOf(spec: TaskSpec, hash: Uint8Array): Promise<string | undefined> {
  for (const label of labelsOf(spec)) {
    const candidate = await answerHash(label);
    if (candidate.every((byte, i) => byte === hash[i])) return label;
  }
  return undefined;
}

