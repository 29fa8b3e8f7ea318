// The wallet bar: connect a wallet-standard wallet or the local test wallet; test funds on the
// embedded ledger; the last transaction's outcome.
import { useEffect, useState } from "react";
import type { Wallet } from "@wallet-standard/base";
import { REMEMBERED_WALLET, useApp } from "./context";
import {
  connectStandardWallet,
  forgetLocalWallet,
  hasLocalWallet,
  localWallet,
  LOCAL_NAME,
  onWalletsChanged,
  standardWallets,
  type AppWallet,
} from "../lib/wallet";

const REMEMBERED = REMEMBERED_WALLET;
const LOCAL = "local";
import { short } from "./format";

export function WalletBar() {
  const { chain, wallet, setWallet, refresh, setOutcome, setRestoring } = useApp();
  const [wallets, setWallets] = useState<Wallet[]>(() => standardWallets());
  const [problem, setProblem] = useState<string | null>(null);
  const [funding, setFunding] = useState(false);
  useEffect(() => {
    const update = () => setWallets(standardWallets());
    const unsubscribe = onWalletsChanged(update);
    update(); // a wallet that registered before this subscription must not be missed
    return unsubscribe;
  }, []);
  const chainId = chain.config.faucet ? "solana:localnet" : chain.config.rpcUrl.includes("devnet") ? "solana:devnet" : "solana:mainnet";
  // A returning visitor finds the wallet they used last connected again (silently, as wallets
  // allow for a site they already approved).
  useEffect(() => {
    if (wallet) return;
    const remembered = localStorage.getItem(REMEMBERED);
    if (remembered === LOCAL && chain.config.faucet) {
      void localWallet(false)
        .then((found) => found && setWallet(found))
        .finally(() => setRestoring(false));
      return;
    }
    const choice = wallets.find((candidate) => candidate.name === remembered);
    if (choice) {
      void connectStandardWallet(choice, chainId, true)
        .then(setWallet, () => localStorage.removeItem(REMEMBERED))
        .finally(() => setRestoring(false));
    }
  }, [wallets, wallet, chain.config.faucet, chainId, setWallet, setRestoring]);

  function choose(next: AppWallet | null) {
    if (next) localStorage.setItem(REMEMBERED, next.name === LOCAL_NAME ? LOCAL : next.name);
    else localStorage.removeItem(REMEMBERED);
    setWallet(next);
  }

  async function connectWith(choice: Wallet) {
    setProblem(null);
    try {
      choose(await connectStandardWallet(choice, chainId, false));
    } catch (error) {
      setProblem(`${choice.name}: ${(error as Error).message}`);
    }
  }

  async function faucet(to: AppWallet | null = wallet) {
    if (!to) return;
    setFunding(true);
    try {
      const response = await fetch(`${chain.config.rpcUrl}/pob/faucet`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ address: to.address }),
      });
      const body = (await response.json()) as { error?: string };
      if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
      setOutcome({ kind: "sent", what: "Test funds: 2 SOL and 100 test USDC", signatures: [] });
    } catch (error) {
      setOutcome({ kind: "failed", what: "Test funds", message: (error as Error).message, signatures: [] });
    } finally {
      setFunding(false);
      refresh();
    }
  }

  /** One click for a newcomer: a new local wallet comes with test funds. */
  async function startLocal() {
    const isNew = !hasLocalWallet();
    const created = await localWallet(true);
    choose(created);
    if (isNew) await faucet(created);
  }

  if (wallet) {
    return (
      <div className="wallet-bar">
        <span>
          {wallet.name}: <code title={wallet.address} data-testid="wallet-address">{short(wallet.address)}</code>
        </span>
        {chain.config.faucet && (
          <button type="button" onClick={() => void faucet()} disabled={funding}>
            {funding ? "Funding…" : "Get test funds"}
          </button>
        )}
        <button type="button" className="secondary" onClick={() => choose(null)}>
          Disconnect
        </button>
      </div>
    );
  }
  return (
    <div className="wallet-bar">
      {wallets.map((choice) => (
        <button type="button" key={choice.name} onClick={() => void connectWith(choice)}>
          Connect {choice.name}
        </button>
      ))}
      {chain.config.faucet && (
        <button type="button" className="secondary" onClick={() => void startLocal()}>
          Use a local test wallet
        </button>
      )}
      {chain.config.faucet && (
        <button
          type="button"
          className="link"
          onClick={() => {
            forgetLocalWallet();
            choose(null);
          }}
        >
          Forget the local wallet
        </button>
      )}
      {wallets.length === 0 && !chain.config.faucet && <span>Install a Solana wallet (Phantom, Solflare, Backpack) to continue.</span>}
      {problem && <p role="alert">{problem}</p>}
    </div>
  );
}

export function OutcomeBanner() {
  const { outcome, setOutcome } = useApp();
  if (!outcome) return null;
  return (
    <div className={`outcome ${outcome.kind}`} role={outcome.kind === "failed" ? "alert" : "status"} data-testid="outcome">
      <strong>{outcome.kind === "sent" ? `Done: ${outcome.what}` : `Failed: ${outcome.what}`}</strong>
      {outcome.kind === "failed" && <p data-testid="outcome-error">{outcome.message}</p>}
      {outcome.signatures.map((signature) => (
        <p key={signature} className="signature">
          Signature: <code data-testid="signature">{signature}</code>
        </p>
      ))}
      <button type="button" className="link" onClick={() => setOutcome(null)}>
        Dismiss
      </button>
    </div>
  );
}
