// Members judge: every open dispute with its candidates (by label), the opener's reason and
// evidence, the weights so far; vote, and resolve once voting closes or a majority decided.
import type { Address } from "@solana/kit";
import type { TaskSpec } from "../lib/answers";
import { equalBytes, sha256, toHex, utf8 } from "../lib/bytes";
import { decodeTask, readAccounts, type Chain, type FullTask } from "../lib/chain";
import { resolveIx, voteIxs } from "../lib/actions";
import { DISPUTE_MEMO_PREFIX, memosOf } from "../lib/memos";
import { fetchSpec } from "../lib/specs";
import { useApp, useLoad } from "./context";
import { allDisputes, answerTexts, dossier, type OpenDispute } from "./data";
import { nowSecs, short, when } from "./format";

/** The opener's reason, published by memo in the opening transaction and checked against the
 *  dispute's reason hash; null if the opener did not publish it (the CLI publishes no text). One
 *  call: the dispute account's transactions with their memos. */
async function reasonOf(chain: Chain, dispute: OpenDispute): Promise<string | null> {
  const prefix = `${DISPUTE_MEMO_PREFIX}${dispute.task} `;
  for (const memo of await memosOf(chain, dispute.address, 10)) {
    if (!memo.startsWith(prefix)) continue;
    const reason = memo.slice(prefix.length);
    if (equalBytes(await sha256(utf8(reason)), new Uint8Array(dispute.reasonHash))) return reason;
  }
  return null;
}

/** The opener's reason, its evidence link clickable. */
function Reason({ text }: { text: string | null }) {
  if (text === null) return <p className="reason muted">Reason: not published with the dispute (its hash is on-chain).</p>;
  const [said, evidence] = text.split("\nevidence: ");
  return (
    <div className="reason">
      <p>Reason: {said}</p>
      {evidence && /^https?:\/\/\S+$/.test(evidence) && (
        <p>
          Evidence: <a href={evidence} rel="noopener noreferrer" target="_blank">{evidence}</a>
        </p>
      )}
    </div>
  );
}

type Row = { dispute: OpenDispute; task: FullTask | null; spec: TaskSpec | null; labels: string[]; reason: string | null; voted: boolean };

export function Disputes() {
  const { chain, at, wallet, run, ctx, busy } = useApp();
  const { data, error } = useLoad(async () => {
    const disputes = await allDisputes(chain);
    const tasks = await readAccounts(chain, disputes.map((d) => d.task));
    const votes = wallet
      ? await readAccounts(chain, await Promise.all(disputes.map((d) => at.vote(d.address, wallet.address))))
      : disputes.map(() => null);
    const me = wallet ? await dossier(chain, at, wallet.address) : null;
    const rows: Row[] = await Promise.all(
      disputes.map(async (dispute, i) => {
        const account = tasks[i];
        const task = account ? decodeTask(account) : null;
        const spec = task ? await fetchSpec(task).catch(() => null) : null;
        const labels = task
          ? await answerTexts(chain, task, spec)
              .catch(() => new Map<string, string>())
              .then((texts) => task.tally.map((entry) => texts.get(toHex(entry.answerHash)) ?? short(toHex(entry.answerHash))))
          : [];
        const vote = votes[i];
        return { dispute, task, spec, labels, reason: await reasonOf(chain, dispute).catch(() => null), voted: vote !== null && vote !== undefined };
      }),
    );
    return { rows, member: me?.member ?? null };
  }, [wallet?.address]);
  if (error) return <p role="alert">Cannot load disputes: {error}</p>;
  if (!data) return <p>Loading disputes…</p>;
  const now = nowSecs();
  return (
    <section aria-labelledby="disputes-title">
      <h2 id="disputes-title">Disputes ({data.rows.length})</h2>
      <p className="muted" data-testid="membership">
        {data.member
          ? `You are a DAO member (weight ${data.member.weight}).`
          : "Only DAO members vote: appointed by the DAO (pob dao add-member) or by joining the worker chamber (pob dao join)."}
      </p>
      {data.rows.map(({ dispute, task, spec, labels, reason, voted }) => {
        const candidates = [...labels, "Void (no valid answer)"];
        const eligible = data.member !== null && data.member.activeSince <= dispute.openedAt;
        const majority = dispute.candidateWeights.slice(0, dispute.candidates).some((w) => 2n * w > dispute.totalWeightSnapshot);
        const resolvable = now >= dispute.voteDeadline || (majority && dispute.weightCast >= dispute.minVoteWeightSnapshot);
        return (
          <article key={dispute.address} className="card" data-testid="dispute">
            <h3>
              <a href={`#/task/${dispute.task}`}>{spec?.prompt ?? short(dispute.task)}</a>
            </h3>
            <p>
              Opened by <code>{short(dispute.opener)}</code> ({dispute.openerIsRequester ? "the requester" : "a worker"}); voting until{" "}
              {when(dispute.voteDeadline)}.
            </p>
            <Reason text={reason} />
            <table className="tally">
              <caption>Candidates</caption>
              <thead>
                <tr>
                  <th scope="col">Candidate</th>
                  <th scope="col">Answers</th>
                  <th scope="col">Vote weight</th>
                  {eligible && !voted && <th scope="col">Vote</th>}
                </tr>
              </thead>
              <tbody>
                {candidates.map((label, index) => (
                  <tr key={label}>
                    <td>{label}</td>
                    <td>{task?.tally[index]?.count ?? "–"}</td>
                    <td>{String(dispute.candidateWeights[index] ?? 0n)}</td>
                    {eligible && !voted && (
                      <td>
                        <button
                          type="button"
                          disabled={busy || !task}
                          aria-label={`Vote for ${label}`}
                          onClick={() => task && void run(`vote for ${label}`, async () => [await voteIxs(ctx(), task, index)])}
                        >
                          Vote
                        </button>
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
            <p>
              Weight cast {String(dispute.weightCast)} of {String(dispute.totalWeightSnapshot)} (at least {String(dispute.minVoteWeightSnapshot)} needed).
              {voted && " You voted."}
            </p>
            {resolvable && task && (
              <button type="button" disabled={busy} onClick={() => void run("dispute resolved", async () => [[await resolveIx(ctx(), task, dispute.opener as Address)]])}>
                Resolve dispute
              </button>
            )}
          </article>
        );
      })}
    </section>
  );
}
