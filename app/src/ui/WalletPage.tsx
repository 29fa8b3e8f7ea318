// The wallet's money and record: balance in the program (free, locked), the token account,
// withdraw, and the reputation others see.
import { useState } from "react";
import { parseAmount } from "../lib/amount";
import { walletState, withdrawIxs } from "../lib/actions";
import { useApp, useLoad } from "./context";
import { dossier } from "./data";
import { money } from "./format";

export function WalletPage() {
  const { chain, at, wallet, run, ctx, busy } = useApp();
  const decimals = chain.config.decimals;
  const [amount, setAmount] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const { data, error } = useLoad(async () => {
    if (!wallet || !chain.config.mint) return null;
    const [state, record] = await Promise.all([walletState(ctx()), dossier(chain, at, wallet.address)]);
    return { state, record };
  }, [wallet?.address]);
  if (!wallet) return <p>Connect a wallet to see its balance.</p>;
  if (error) return <p role="alert">Cannot load the balance: {error}</p>;
  if (!data) return <p>Loading the balance…</p>;
  const { state, record } = data;
  const free = state.balance?.free ?? 0n;

  async function withdraw(all: boolean) {
    let units: bigint;
    try {
      units = all ? free : parseAmount(amount, decimals);
    } catch (error) {
      setProblem(`Amount: ${(error as Error).message}`);
      return;
    }
    if (units === 0n) {
      setProblem("Amount: must be more than 0");
      return;
    }
    if (units > free) {
      setProblem(`Amount: more than your free balance of ${money(free, decimals)}`);
      return;
    }
    setProblem(null);
    if (await run(`withdrew ${money(units, decimals)}`, async () => [await withdrawIxs(ctx(), await walletState(ctx()), units)])) setAmount("");
  }

  const worker = record.worker;
  return (
    <section aria-labelledby="wallet-title">
      <h2 id="wallet-title">Wallet</h2>
      <dl className="terms">
        <dt>Free balance</dt>
        <dd data-testid="free-balance">{money(free, decimals)}</dd>
        <dt>Locked (stake, escrow)</dt>
        <dd>{money(state.balance?.locked ?? 0n, decimals)}</dd>
        <dt>Chamber stake</dt>
        <dd>{money(state.balance?.chamberLocked ?? 0n, decimals)}</dd>
        <dt>Rewards earned</dt>
        <dd>{money(state.balance?.rewardsEarned ?? 0n, decimals)}</dd>
        <dt>In your wallet</dt>
        <dd data-testid="token-balance">{money(state.tokenUnits, decimals)}</dd>
      </dl>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void withdraw(false);
        }}
      >
        <label htmlFor="withdrawAmount">Amount to withdraw</label>
        <input id="withdrawAmount" inputMode="decimal" value={amount} onChange={(event) => setAmount(event.target.value)} />
        <div className="row">
          <button type="submit" disabled={busy}>
            Withdraw
          </button>
          <button type="button" className="secondary" disabled={busy || free === 0n} onClick={() => void withdraw(true)}>
            Withdraw all
          </button>
        </div>
        {problem && <p role="alert">{problem}</p>}
      </form>
      <h3>Reputation</h3>
      {worker ? (
        <p data-testid="worker-record">
          Answers: {worker.answersCommitted} given, {worker.answersAgreed} agreed, {worker.answersDisagreed} disagreed,{" "}
          {worker.answersNoQuorum} without quorum, {worker.answersUnrevealed} unrevealed. Gold: {worker.goldPassed} passed,{" "}
          {worker.goldFailed} failed. Disputes: {worker.disputesWon} won, {worker.disputesLost} lost.
        </p>
      ) : (
        <p className="muted">No answers yet.</p>
      )}
      {record.requester && (
        <p>
          As a requester: {record.requester.tasksPosted} tasks posted, {record.requester.tasksClosed} closed,{" "}
          {record.requester.answersPaid} answers paid; gold {record.requester.goldSealed} sealed, {record.requester.goldRevealed} revealed.
        </p>
      )}
      {record.member && <p>DAO member, weight {String(record.member.weight)}, {record.member.votesCast} votes cast.</p>}
    </section>
  );
}
