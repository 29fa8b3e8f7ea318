// Texts published by SPL Memo beside the program's instructions (a text or number answer at its
// reveal, a dispute's reason at its opening), read from `getSignaturesForAddress`: an RPC node
// lists each transaction's memos there, so one call reads a whole account's memos instead of one
// `getTransaction` per transaction. Nothing read here is trusted: each text is accepted only if it
// hashes to what the program stored.
import type { Address } from "@solana/kit";
import { answerHash } from "./answers";
import { toHex, utf8 } from "./bytes";
import type { Chain } from "./chain";

/** What a memo publishing an answer starts with (the CLI's `ANSWER_MEMO_PREFIX`). */
export const ANSWER_MEMO_PREFIX = "pob-answer-v1 ";
/** What a memo publishing a dispute's reason starts with. */
export const DISPUTE_MEMO_PREFIX = "pob-dispute-v1 ";

/** The memos of one transaction from the `memo` field of `getSignaturesForAddress`, which an RPC
 *  node writes as `[<length in bytes>] <text>` per memo, joined by `"; "`. The lengths make the
 *  split exact even when a text itself contains `"; "`; anything malformed ends the list. */
export function memoTexts(field: string | null | undefined): string[] {
  if (!field) return [];
  const bytes = utf8(field);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const texts: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    const header = /^\[(\d{1,6})\] /.exec(new TextDecoder().decode(bytes.subarray(at, at + 10)));
    if (!header) break;
    const start = at + header[0].length;
    const end = start + Number(header[1]);
    if (end > bytes.length) break;
    try {
      texts.push(decoder.decode(bytes.subarray(start, end)));
    } catch {
      break; // a length that cuts a character in two: not a memo list
    }
    at = end;
    if (at < bytes.length) {
      if (bytes[at] !== 0x3b || bytes[at + 1] !== 0x20) break; // "; "
      at += 2;
    }
  }
  return texts;
}

/** The most signatures an RPC node lists per `getSignaturesForAddress`. */
export const SIGNATURES_PER_PAGE = 1_000;

/** Every memo of the newest `limit` transactions that touched `address`, newest first. */
export async function memosOf(chain: Chain, address: Address, limit = SIGNATURES_PER_PAGE): Promise<string[]> {
  const signatures = await chain.rpc.getSignaturesForAddress(address, { limit }).send();
  return signatures.flatMap((entry) => (entry.err ? [] : memoTexts(entry.memo)));
}

/** The published text of each answer hash in `hashes` (hex), from the answer memos of a task's
 *  reveals; a memo counts only if its text hashes to one of `hashes`. */
export async function publishedAnswers(memos: string[], task: Address, hashes: Set<string>): Promise<Map<string, string>> {
  const prefix = `${ANSWER_MEMO_PREFIX}${task} `;
  const found = new Map<string, string>();
  for (const memo of memos) {
    if (!memo.startsWith(prefix)) continue;
    const text = memo.slice(prefix.length);
    const hash = toHex(await answerHash(text));
    if (hashes.has(hash)) found.set(hash, text);
  }
  return found;
}
