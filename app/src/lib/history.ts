// A closed task's record, rebuilt from the program's events in its transactions (what `pob task
// results` reads): once a task closes its account is gone, and its requester still wants the
// labels. Events are decoded with the generated client's decoders, which check each event's
// discriminator; a "Program data:" line counts only if this program itself logged it, so another
// program in the same transaction cannot forge one.
import { getBase64Encoder, isSome, type Address, type Signature } from "@solana/kit";
import {
  getAnswerRevealedDecoder,
  getDisputeResolvedDecoder,
  getTaskCancelledDecoder,
  getTaskClosedDecoder,
  getTaskCreatedDecoder,
  getTaskFinalizedDecoder,
  type AnswerRevealed,
  type DisputeResolved,
  type TaskCancelled,
  type TaskClosed,
  type TaskCreated,
  type TaskFinalized,
} from "../client";
import { formatAmount } from "./amount";
import { labelOf, type TaskSpec } from "./answers";
import { concat, toHex } from "./bytes";
import type { Chain } from "./chain";
import { memoTexts, publishedAnswers, SIGNATURES_PER_PAGE } from "./memos";
import { agreement, itemOf, type ResultRow } from "./results";

/** The data of each `Program data:` line that `program` logged itself (not a program it called,
 *  nor one that called it), in order: the CLI's `events::program_events`. */
export function programEvents(logs: readonly string[], program: Address): Uint8Array[] {
  const running: string[] = [];
  const events: Uint8Array[] = [];
  const base64 = getBase64Encoder();
  for (const line of logs) {
    const invoke = /^Program (\S+) invoke \[\d+\]$/.exec(line)?.[1];
    if (invoke) running.push(invoke);
    else if (/^Program \S+ (success|failed)/.test(line)) running.pop();
    else if (running.at(-1) === program) {
      // The program compiled for the host (program-test's native runtime, `pob serve` without
      // the SBF build) logs its events as a "Program log:" line with the same text.
      const fields = /^(?:Program log: )?Program data: (.+)$/.exec(line)?.[1];
      if (fields) events.push(concat(...fields.split(" ").map((part) => new Uint8Array(base64.encode(part)))));
    }
  }
  return events;
}

/** `data` decoded as the event `decoder` reads, or null if it is another event. */
function decodeAs<T>(decoder: { decode: (bytes: Uint8Array) => T }, data: Uint8Array): T | null {
  try {
    return decoder.decode(data);
  } catch {
    return null;
  }
}

/** What the chain says happened to one task. */
export type TaskStory = {
  task: Address;
  created: TaskCreated | null;
  reveals: AnswerRevealed[];
  finalized: TaskFinalized | null;
  resolutions: DisputeResolved[];
  closed: TaskClosed | null;
  cancelled: TaskCancelled | null;
  /** Answers published by memo beside the reveals, by answer hash (hex). */
  published: Map<string, string>;
};

/** A task's story from its transactions' logs (oldest first) and memos. */
export async function storyOf(task: Address, logsOldestFirst: readonly (readonly string[])[], memos: string[], program: Address): Promise<TaskStory> {
  const story: TaskStory = { task, created: null, reveals: [], finalized: null, resolutions: [], closed: null, cancelled: null, published: new Map() };
  const mine = <T extends { task: Address }>(event: T | null): event is T => event !== null && event.task === task;
  for (const logs of logsOldestFirst) {
    for (const data of programEvents(logs, program)) {
      const created = decodeAs(getTaskCreatedDecoder(), data);
      if (mine(created)) story.created = created;
      const revealed = decodeAs(getAnswerRevealedDecoder(), data);
      if (mine(revealed)) story.reveals.push(revealed);
      const finalized = decodeAs(getTaskFinalizedDecoder(), data);
      if (mine(finalized)) story.finalized = finalized;
      const resolved = decodeAs(getDisputeResolvedDecoder(), data);
      if (mine(resolved)) story.resolutions.push(resolved);
      const closed = decodeAs(getTaskClosedDecoder(), data);
      if (mine(closed)) story.closed = closed;
      const cancelled = decodeAs(getTaskCancelledDecoder(), data);
      if (mine(cancelled)) story.cancelled = cancelled;
    }
  }
  const hashes = new Set(story.reveals.map((reveal) => toHex(new Uint8Array(reveal.answerHash))));
  story.published = await publishedAnswers(memos, task, hashes);
  return story;
}

/** A closed or cancelled task's row of the results file, like an open task's (`resultRow`). */
export async function storyRow(story: TaskStory, spec: TaskSpec | null, decimals: number): Promise<ResultRow> {
  const votesFor = new Map<string, number>();
  for (const reveal of story.reveals) {
    const hash = toHex(new Uint8Array(reveal.answerHash));
    votesFor.set(hash, (votesFor.get(hash) ?? 0) + 1);
  }
  // The last resolution decides if a dispute was resolved, else finalize.
  const decided = story.resolutions.at(-1)?.outcome ?? story.finalized?.outcome;
  const winner = decided && isSome(decided) ? new Uint8Array(decided.value) : null;
  const votes = winner ? (votesFor.get(toHex(winner)) ?? 0) : 0;
  const label = winner ? ((spec && (await labelOf(spec, winner))) ?? story.published.get(toHex(winner)) ?? toHex(winner)) : null;
  return {
    task: story.task,
    item: itemOf(spec),
    label,
    outcome: winner ? "quorum" : story.resolutions.length > 0 ? "void" : "no quorum",
    votes,
    revealed: story.reveals.length,
    answers_required: story.created?.answersRequired ?? 0,
    agreement: winner ? agreement(votes, story.reveals.length) : null,
    state: story.cancelled ? "cancelled" : story.closed ? "closed" : "gone",
    reward_per_answer: story.created ? formatAmount(story.created.rewardPerAnswer, decimals) : "",
  };
}

/** The logs of `signatures`' transactions, oldest first, a few requests at a time. */
async function logsOf(chain: Chain, signatures: readonly Signature[]): Promise<string[][]> {
  const logs: string[][] = [];
  for (let i = 0; i < signatures.length; i += 4) {
    const batch = signatures.slice(i, i + 4);
    const found = await Promise.all(
      batch.map((signature) => chain.rpc.getTransaction(signature, { encoding: "base64", maxSupportedTransactionVersion: 0 }).send()),
    );
    logs.push(...found.map((tx) => [...(tx?.meta?.logMessages ?? [])]));
  }
  return logs;
}

type SignatureEntry = { signature: Signature; err: unknown; memo: string | null };

/** Every transaction signature of `address` the node keeps, newest first: full pages, each
 *  continuing before the last. */
async function allSignatures(chain: Chain, address: Address): Promise<SignatureEntry[]> {
  const page = SIGNATURES_PER_PAGE;
  const all: SignatureEntry[] = [];
  const seen = new Set<Signature>();
  for (;;) {
    const before = all.at(-1)?.signature;
    const found: readonly SignatureEntry[] = await chain.rpc.getSignaturesForAddress(address, { limit: page, ...(before ? { before } : {}) }).send();
    const fresh = found.filter((entry) => !seen.has(entry.signature));
    fresh.forEach((entry) => seen.add(entry.signature));
    all.push(...fresh);
    // A short page is the last; a page with nothing new means the node ignored `before`.
    if (found.length < page || fresh.length === 0) return all;
  }
}

/** The stories of the tasks `requester` created that are no longer on-chain (closed or
 *  cancelled), from the requester's transactions and each such task's. Reads every transaction
 *  involved, so it is a button, not part of a page load. */
export async function closedTaskStories(chain: Chain, requester: Address, live: Set<Address>): Promise<TaskStory[]> {
  const program = chain.config.programId;
  const own = (await allSignatures(chain, requester)).filter((entry) => !entry.err);
  const created: Address[] = [];
  for (const logs of await logsOf(chain, own.map((entry) => entry.signature))) {
    for (const data of programEvents(logs, program)) {
      const event = decodeAs(getTaskCreatedDecoder(), data);
      if (event && event.requester === requester && !live.has(event.task) && !created.includes(event.task)) created.push(event.task);
    }
  }
  const stories: TaskStory[] = [];
  for (const task of created) {
    const entries = (await allSignatures(chain, task)).filter((entry) => !entry.err).reverse();
    const memos = entries.flatMap((entry) => memoTexts(entry.memo));
    const story = await storyOf(task, await logsOf(chain, entries.map((entry) => entry.signature)), memos, program);
    if (story.closed || story.cancelled) stories.push(story);
  }
  return stories;
}

