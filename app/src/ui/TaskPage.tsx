// One task: its spec rendered, answer (commit), reveal, the tally as labels, and the crank
// buttons (finalize, settle, close), gold and dispute where they are due.
import { useState } from "react";
import type { Address } from "@solana/kit";
import { getSubmissionDecoder } from "../client";
import { answerCommitment, answerHash, canonicalAnswer, goldSeal, labelsOf, type TaskSpec } from "../lib/answers";
import { equalBytes, toHex, utf8 } from "../lib/bytes";
import { decodeTask, readAccounts, type FullTask } from "../lib/chain";
import { cancelTaskIx, claimIx, closeTaskIx, commitIxs, finalizeIx, openDisputeIxs, revealGoldIx, revealIxs, walletState } from "../lib/actions";
import { answerSaltMessage, goldSaltMessage, saltFromSignature } from "../lib/salt";
import { addressBytes as bytesOf } from "../lib/addresses";
import { getMintConfigDecoder } from "../client";
import { useApp, useLoad } from "./context";
import { answerTexts, phase, requesterRecords, submissionsOfTask } from "./data";
import { money, nowSecs, short, when } from "./format";
import { useSpec, RequesterRecord } from "./Work";
import { agreement } from "../lib/results";


/** Where a worker's typed text or number answer waits for its reveal (a choice answer needs
 *  nothing kept: it is recovered from the commitment). */
const answerKey = (task: Address, wallet: Address) => `pob.answer.v1.${task}.${wallet}`;
export const goldKey = (task: Address) => `pob.gold.v1.${task}`;

function Item({ spec }: { spec: TaskSpec }) {
  if ("text" in spec.item) return <blockquote className="item-text">{spec.item.text}</blockquote>;
  const type = spec.item.media_type ?? "";
  if (type.startsWith("image/")) return <img className="item-media" src={spec.item.uri} alt={`The item to label: ${spec.prompt}`} />;
  if (type.startsWith("audio/")) return <audio className="item-media" controls src={spec.item.uri} aria-label="The clip to label" />;
  if (type.startsWith("video/")) return <video className="item-media" controls src={spec.item.uri} aria-label="The video to label" />;
  return (
    <p>
      Item: <a href={spec.item.uri}>{spec.item.uri}</a>
    </p>
  );
}

export function TaskPage({ address }: { address: Address }) {
  const { chain, at, wallet, run, ctx, busy } = useApp();
  const decimals = chain.config.decimals;
  const { data, error } = useLoad(async () => {
    const mine = wallet ? await at.submission(address, wallet.address) : null;
    const mintConfigAddress = chain.config.mint ? await at.mintConfig(chain.config.mint) : null;
    const [taskAccount, submissionAccount, mintConfigAccount] = await readAccounts(
      chain,
      [address, ...(mine ? [mine] : []), ...(mintConfigAddress ? [mintConfigAddress] : [])],
    );
    if (!taskAccount) return null;
    const task = decodeTask(taskAccount);
    const [submissions, records] = await Promise.all([
      submissionsOfTask(chain, address),
      requesterRecords(chain, at, [task.requester]),
    ]);
    return {
      task,
      submissions,
      record: records.get(task.requester),
      mine: submissionAccount && mine ? getSubmissionDecoder().decode(submissionAccount.data) : null,
      mintConfig: mintConfigAccount ? getMintConfigDecoder().decode(mintConfigAccount.data) : null,
    };
  }, [address, wallet?.address]);
  const { spec, specError } = useSpec(data?.task ?? null);
  const [typed, setTyped] = useState("");
  const [answerError, setAnswerError] = useState<string | null>(null);
  const [reason, setReason] = useState("");
  const [evidence, setEvidence] = useState("");
  const [disputeError, setDisputeError] = useState<string | null>(null);

  if (error) return <p role="alert">Cannot load the task: {error}</p>;
  if (data === null) return <p>Loading the task…</p>;
  if (!data) return <p role="alert">No task at {address}: it was closed or never existed.</p>;
  const { task, mine, submissions } = data;
  const now = nowSecs();
  const stage = phase(task, now);
  const isRequester = wallet?.address === task.requester;

  async function salt(message: string): Promise<Uint8Array> {
    if (!wallet) throw new Error("connect a wallet first");
    return saltFromSignature(await wallet.signMessage(utf8(message)));
  }

  async function commit(answer: string) {
    if (!spec || !wallet) return;
    let canonical: string;
    try {
      canonical = canonicalAnswer(spec.answer, answer);
    } catch (problem) {
      setAnswerError(`Answer: ${(problem as Error).message}`);
      return;
    }
    setAnswerError(null);
    await run(`answer "${canonical}" committed`, async () => {
      const context = ctx();
      const hash = await answerHash(canonical);
      const commitment = await answerCommitment(bytesOf(task.address), bytesOf(wallet.address), hash, await salt(answerSaltMessage(task.address)));
      if (spec.answer.kind !== "choice") localStorage.setItem(answerKey(task.address, wallet.address), canonical);
      return [await commitIxs(context, await walletState(context), task, commitment)];
    });
  }

  async function reveal() {
    if (!spec || !wallet || !mine) return;
    await run("answer revealed", async () => {
      const context = ctx();
      const mySalt = await salt(answerSaltMessage(task.address));
      const candidates =
        spec.answer.kind === "choice"
          ? labelsOf(spec)
          : [localStorage.getItem(answerKey(task.address, wallet.address)) ?? (typed ? canonicalAnswer(spec.answer, typed) : "")];
      for (const candidate of candidates) {
        const hash = await answerHash(candidate);
        const commitment = await answerCommitment(bytesOf(task.address), bytesOf(wallet.address), hash, mySalt);
        if (equalBytes(commitment, new Uint8Array(mine.commitment))) {
          return [await revealIxs(context, task, hash, mySalt, spec.answer.kind === "choice" ? null : candidate)];
        }
      }
      throw new Error(
        spec.answer.kind === "choice"
          ? "no label matches your commitment with this wallet's salt (was it committed by another wallet?)"
          : "Answer: type the answer you committed (this browser did not keep it)",
      );
    });
  }

  async function settleAll() {
    await run("submissions settled", async () => {
      const context = ctx();
      const ixs = await Promise.all(submissions.map((s) => claimIx(context, task, s.worker)));
      // Four claims fit in one transaction's size and account limits.
      const groups = [];
      for (let i = 0; i < ixs.length; i += 4) groups.push(ixs.slice(i, i + 4));
      return groups;
    });
  }

  async function revealGold() {
    const gold = localStorage.getItem(goldKey(task.address));
    await run("gold answer revealed", async () => {
      if (!gold) throw new Error("this browser did not keep the gold answer (use pob task reveal-gold)");
      const context = ctx();
      const hash = await answerHash(gold);
      const goldSalt = await salt(goldSaltMessage(task.address));
      if (!equalBytes(await goldSeal(bytesOf(task.address), hash, goldSalt), new Uint8Array(task.goldSeal))) {
        throw new Error("the kept gold answer does not match the task's seal");
      }
      return [[await revealGoldIx(context, task, hash, goldSalt)]];
    });
  }

  async function openDispute() {
    const text = reason.trim();
    if (text === "") {
      setDisputeError("Reason: say what is wrong with the result");
      return;
    }
    if (evidence.trim() !== "" && !/^https?:\/\/\S+$/.test(evidence.trim())) {
      setDisputeError("Evidence link: expected an http(s) URL");
      return;
    }
    const full = evidence.trim() ? `${text}\nevidence: ${evidence.trim()}` : text;
    if (utf8(full).length > 500) {
      setDisputeError("Reason: at most 500 bytes with the evidence link");
      return;
    }
    setDisputeError(null);
    await run("dispute opened", async () => {
      const context = ctx();
      const bond = data?.mintConfig?.disputeBond ?? 0n;
      return [await openDisputeIxs(context, await walletState(context), task, full, bond)];
    });
  }

  const canAnswer = wallet && !mine && !isRequester && stage === "taking answers";
  const canReveal = wallet && mine && mine.state === 0 && stage === "revealing";
  const canDispute =
    wallet && task.state === 1 && now < task.disputeDeadline && (isRequester || (mine !== null && mine.state === 1));

  return (
    <article aria-labelledby="task-title">
      <h2 id="task-title">{spec ? spec.prompt : "Task"}</h2>
      {specError && <p role="alert">The spec cannot be read: {specError}</p>}
      {spec && <Item spec={spec} />}
      {spec?.instructions && <p className="instructions">{spec.instructions}</p>}
      {canAnswer && spec && (
        <section aria-labelledby="answer-title" className="panel">
          <h3 id="answer-title">Your answer</h3>
          <p className="muted">Your wallet signs a message to make the salt: nothing to keep or lose.</p>
          {spec.answer.kind === "choice" ? (
            <div className="labels" role="group" aria-label="Labels">
              {spec.answer.labels.map((label) => (
                <button type="button" key={label} disabled={busy} onClick={() => void commit(label)}>
                  {label}
                </button>
              ))}
            </div>
          ) : (
            <form
              noValidate
              onSubmit={(event) => {
                event.preventDefault();
                void commit(typed);
              }}
            >
              <label htmlFor="answer">Answer</label>
              <input id="answer" value={typed} onChange={(event) => setTyped(event.target.value)} inputMode={spec.answer.kind === "number" ? "decimal" : "text"} />
              <button type="submit" disabled={busy}>
                Commit answer
              </button>
            </form>
          )}
          {answerError && <p role="alert">{answerError}</p>}
        </section>
      )}
      {mine && (
        <p data-testid="my-submission">
          Your answer is {mine.state === 0 ? "committed" : "revealed"}.
          {mine.state === 0 && stage === "taking answers" && ` Reveal it once answers close (${when(task.commitDeadline)}).`}
        </p>
      )}
      {canReveal && (
        <section className="panel reminder" aria-labelledby="reveal-title">
          <h3 id="reveal-title">Reveal due</h3>
          <p>Reveal before {when(task.revealDeadline)}, or the stake is lost.</p>
          {spec?.answer.kind !== "choice" && wallet && localStorage.getItem(answerKey(task.address, wallet.address)) === null && (
            <>
              <label htmlFor="answer">Answer (this browser did not keep it: type what you committed)</label>
              <input id="answer" value={typed} onChange={(event) => setTyped(event.target.value)} />
            </>
          )}
          <button type="button" disabled={busy} onClick={() => void reveal()}>
            Reveal my answer
          </button>
        </section>
      )}

      <dl className="terms">
        <dt>Task</dt>
        <dd>
          <code>{task.address}</code>
        </dd>
        <dt>Stage</dt>
        <dd data-testid="task-stage">{stage}</dd>
        <dt>Reward</dt>
        <dd>{money(task.rewardPerAnswer, decimals)} per agreeing answer</dd>
        <dt>Stake</dt>
        <dd>{money(task.stakePerAnswer, decimals)} (back when you reveal)</dd>
        <dt>Answers</dt>
        <dd>
          {task.committed} of {task.answersRequired} given, {task.revealed} revealed, quorum {task.quorum}
        </dd>
        <dt>Answers close</dt>
        <dd>{when(task.commitDeadline)}</dd>
        <dt>Reveal by</dt>
        <dd>{when(task.revealDeadline)}</dd>
        {task.state !== 0 && (
          <>
            <dt>Settles from</dt>
            <dd>{when(task.disputeDeadline)}</dd>
          </>
        )}
        {(task.qualification.minAgreedAnswers > 0 || task.qualification.minAgreementBps > 0 || task.qualification.minGoldAccuracyBps > 0) && (
          <>
            <dt>Who may answer</dt>
            <dd>
              at least {task.qualification.minAgreedAnswers} agreed answers, {task.qualification.minAgreementBps / 100}% agreement,{" "}
              {task.qualification.minGoldAccuracyBps / 100}% gold accuracy
            </dd>
          </>
        )}
        <dt>Requester</dt>
        <dd>
          <code>{short(task.requester)}</code> <RequesterRecord record={data.record} />
        </dd>
      </dl>

      <Tally task={task} spec={spec} specSettled={spec !== null || specError !== null} />

      <section aria-labelledby="crank-title" className="panel">
        <h3 id="crank-title">Next steps</h3>
        {stage === "ready to finalize" && (
          <button type="button" disabled={busy} onClick={() => void run("task finalized", async () => [[finalizeIx(task)]])}>
            Finalize
          </button>
        )}
        {stage === "settling" && submissions.length > 0 && (
          <button type="button" disabled={busy} onClick={() => void settleAll()}>
            Settle {submissions.length} answers
          </button>
        )}
        {stage === "settling" && submissions.length === 0 && (
          <button type="button" disabled={busy} onClick={() => void run("task closed", async () => [[await closeTaskIx(ctx(), task)]])}>
            Close task
          </button>
        )}
        {isRequester && task.state === 0 && task.committed === 0 && (
          <button
            type="button"
            className="secondary"
            disabled={busy}
            onClick={() => void run("task cancelled, its deposit back in your balance", async () => [[await cancelTaskIx(ctx(), task)]])}
          >
            Cancel task (nobody answered yet)
          </button>
        )}
        {isRequester && task.state === 1 && task.goldState === 1 && now < task.disputeDeadline && (
          <button type="button" disabled={busy} onClick={() => void revealGold()}>
            Reveal gold answer
          </button>
        )}
        {stage === "taking answers" || stage === "revealing" ? <p className="muted">Nothing to do until the answers are in.</p> : null}
        {stage === "dispute window" && <p className="muted">Disputable until {when(task.disputeDeadline)}; then anyone settles.</p>}
      </section>

      {canDispute && (
        <section aria-labelledby="dispute-title" className="panel">
          <h3 id="dispute-title">Dispute this result</h3>
          <p className="muted">
            Bond: {money(data.mintConfig?.disputeBond ?? 0n, decimals)} from your balance, returned if the members change
            the result.
          </p>
          <form
            noValidate
            onSubmit={(event) => {
              event.preventDefault();
              void openDispute();
            }}
          >
            <label htmlFor="reason">Reason</label>
            <textarea id="reason" value={reason} onChange={(event) => setReason(event.target.value)} />
            <label htmlFor="evidence">Evidence link (optional)</label>
            <input id="evidence" type="url" value={evidence} onChange={(event) => setEvidence(event.target.value)} />
            <button type="submit" disabled={busy}>
              Open dispute
            </button>
          </form>
          {disputeError && <p role="alert">{disputeError}</p>}
        </section>
      )}
    </article>
  );
}

/** The revealed answers by label; waits for the spec (`specSettled`) so that a choice task's
 *  labels are hashed instead of its memos read. */
export function Tally({ task, spec, specSettled }: { task: FullTask; spec: TaskSpec | null; specSettled: boolean }) {
  const { chain } = useApp();
  const { data } = useLoad(async () => {
    if (!specSettled) return [];
    const texts = await answerTexts(chain, task, spec).catch(() => new Map<string, string>());
    return task.tally.map((entry) => ({ ...entry, label: texts.get(toHex(entry.answerHash)) }));
  }, [task, spec, specSettled]);
  if (task.tally.length === 0) return <p className="muted">No answer revealed yet.</p>;
  const outcome = task.hasOutcome ? toHex(new Uint8Array(task.outcome)) : null;
  return (
    <table className="tally">
      <caption>Revealed answers</caption>
      <thead>
        <tr>
          <th scope="col">Answer</th>
          <th scope="col">Votes</th>
          <th scope="col">Agreement</th>
        </tr>
      </thead>
      <tbody>
        {(data ?? []).map((entry) => (
          <tr key={toHex(entry.answerHash)} className={outcome === toHex(entry.answerHash) ? "winner" : ""}>
            <td>
              {entry.label ?? short(toHex(entry.answerHash))}
              {outcome === toHex(entry.answerHash) && " (result)"}
            </td>
            <td>{entry.count}</td>
            <td>{agreement(entry.count, task.revealed)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
