// The ledger's clock; on the embedded ledger, buttons to move it forward (as `pob embedded warp`
// does), so a newcomer can walk a task through its windows without waiting for them.
import { useState } from "react";
import { useApp } from "./context";

export function LedgerClock() {
  const { chain, ledgerNow, refresh } = useApp();
  const [problem, setProblem] = useState<string | null>(null);
  async function warp(seconds: number) {
    const response = await fetch(`${chain.config.rpcUrl}/pob/warp`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ seconds }),
    });
    setProblem(response.ok ? null : `cannot move the clock: HTTP ${response.status}`);
    refresh();
  }
  return (
    <div className="clock">
      <span data-testid="ledger-clock">
        Ledger clock: {ledgerNow === null ? "…" : new Date(Number(ledgerNow) * 1000).toLocaleString()} · {chain.config.cluster}
      </span>
      {chain.config.faucet && (
        <>
          <button type="button" className="secondary" onClick={() => void warp(3600)}>
            Skip 1 hour
          </button>
          <button type="button" className="secondary" onClick={() => void warp(86_400)}>
            Skip 1 day
          </button>
        </>
      )}
      {problem && <p role="alert">{problem}</p>}
    </div>
  );
}
