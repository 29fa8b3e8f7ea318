// Reads the pages share: few RPC calls each (program accounts by kind, records in one batch).
import type { Address } from "@solana/kit";
import {
  getDisputeDecoder,
  getMemberDecoder,
  getRequesterDecoder,
  getSubmissionDecoder,
  getWorkerDecoder,
  type Dispute,
  type Member,
  type Requester,
  type Submission,
  type Worker,
} from "../client";
import type { Addresses } from "../lib/addresses";
import { labelOf, type TaskSpec } from "../lib/answers";
import { toHex } from "../lib/bytes";
import { memosOf, publishedAnswers } from "../lib/memos";
import {
  decodeTask,
  KIND,
  programAccounts,
  readAccounts,
  SUBMISSION_TASK_OFFSET,
  SUBMISSION_WORKER_OFFSET,
  TASK_REQUESTER_OFFSET,
  type Chain,
  type FullTask,
} from "../lib/chain";

export async function allTasks(chain: Chain, requester?: Address): Promise<FullTask[]> {
  const filters: [number, Address][] = requester ? [[TASK_REQUESTER_OFFSET, requester]] : [];
  const tasks = (await programAccounts(chain, KIND.task, filters)).map(decodeTask);
  return tasks.sort((a, b) => Number(b.createdAt - a.createdAt));
}

/** What each revealed answer of `task` says (hex hash → text): a choice task's by hashing its
 *  labels, a text or number task's from the memos its reveals published (one call, and none for a
 *  task with nothing revealed). A hash with no text is left out. */
export async function answerTexts(chain: Chain, task: FullTask, spec: TaskSpec | null): Promise<Map<string, string>> {
  const hashes = new Set(task.tally.map((entry) => toHex(entry.answerHash)));
  if (hashes.size === 0) return new Map();
  if (spec?.answer.kind === "choice") {
    const texts = new Map<string, string>();
    for (const entry of task.tally) {
      const label = await labelOf(spec, entry.answerHash);
      if (label !== undefined) texts.set(toHex(entry.answerHash), label);
    }
    return texts;
  }
  return publishedAnswers(await memosOf(chain, task.address), task.address, hashes);
}

export type OwnedSubmission = Submission & { address: Address };

export async function submissionsOfWorker(chain: Chain, worker: Address): Promise<OwnedSubmission[]> {
  return (await programAccounts(chain, KIND.submission, [[SUBMISSION_WORKER_OFFSET, worker]])).map((a) => ({
    ...getSubmissionDecoder().decode(a.data),
    address: a.address,
  }));
}

export async function submissionsOfTask(chain: Chain, task: Address): Promise<OwnedSubmission[]> {
  return (await programAccounts(chain, KIND.submission, [[SUBMISSION_TASK_OFFSET, task]])).map((a) => ({
    ...getSubmissionDecoder().decode(a.data),
    address: a.address,
  }));
}

export type Dossier = { worker: Worker | null; requester: Requester | null; member: Member | null };

/** The requester records of `wallets` and, for `me`, its worker, requester and member records:
 *  one getMultipleAccounts (per 100 accounts). */
export async function recordsAndDossier(
  chain: Chain,
  at: Addresses,
  wallets: Address[],
  me: Address | null,
): Promise<{ records: Map<Address, Requester>; me: Dossier | null }> {
  const unique = [...new Set(wallets)];
  const own = me ? [await at.worker(me), await at.requester(me), await at.member(me)] : [];
  const accounts = await readAccounts(chain, [...(await Promise.all(unique.map((wallet) => at.requester(wallet)))), ...own]);
  const records = new Map<Address, Requester>();
  unique.forEach((wallet, i) => {
    const account = accounts[i];
    if (account) records.set(wallet, getRequesterDecoder().decode(account.data));
  });
  const [worker, requester, member] = accounts.slice(unique.length);
  return {
    records,
    me: me
      ? {
          worker: worker ? getWorkerDecoder().decode(worker.data) : null,
          requester: requester ? getRequesterDecoder().decode(requester.data) : null,
          member: member ? getMemberDecoder().decode(member.data) : null,
        }
      : null,
  };
}

/** Requester records of `wallets`, in one getMultipleAccounts. */
export async function requesterRecords(chain: Chain, at: Addresses, wallets: Address[]): Promise<Map<Address, Requester>> {
  return (await recordsAndDossier(chain, at, wallets, null)).records;
}

/** `wallet`'s worker, requester and member records, in one getMultipleAccounts. */
export async function dossier(chain: Chain, at: Addresses, wallet: Address): Promise<Dossier> {
  return (await recordsAndDossier(chain, at, [], wallet)).me as Dossier;
}

export type OpenDispute = Dispute & { address: Address };

export async function allDisputes(chain: Chain): Promise<OpenDispute[]> {
  return (await programAccounts(chain, KIND.dispute)).map((a) => ({ ...getDisputeDecoder().decode(a.data), address: a.address }));
}

/** Whether `worker`'s record meets the task's qualification (logic/qualification.rs). */
export function qualifies(task: FullTask, worker: Worker | null): boolean {
  const { minAgreedAnswers, minAgreementBps, minGoldAccuracyBps } = task.qualification;
  const agreed = worker?.answersAgreed ?? 0;
  const rate = (hits: number, misses: number, min: number) =>
    min === 0 || (hits + misses > 0 && hits * 10_000 >= min * (hits + misses));
  return (
    agreed >= minAgreedAnswers &&
    rate(agreed, worker?.answersDisagreed ?? 0, minAgreementBps) &&
    rate(worker?.goldPassed ?? 0, worker?.goldFailed ?? 0, minGoldAccuracyBps)
  );
}

/** Where a task stands, as a worker or a crank sees it. */
export function phase(task: FullTask, now: bigint): string {
  if (task.state === 2) return "disputed";
  if (task.state === 1) return now >= task.disputeDeadline ? "settling" : "dispute window";
  const commitOver = now >= task.commitDeadline || task.committed === task.answersRequired;
  if (!commitOver) return "taking answers";
  const revealsDone = now >= task.revealDeadline || task.revealed === task.committed;
  return revealsDone ? "ready to finalize" : "revealing";
}
