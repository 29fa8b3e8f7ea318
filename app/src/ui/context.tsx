// The app's shared state: the endpoint, the connected wallet, the last transaction's outcome.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import type { Address, Instruction } from "@solana/kit";
import { Addresses } from "../lib/addresses";
import { connect, readAccounts, sendInstructions, type Chain, type Config } from "../lib/chain";
import type { AppWallet } from "../lib/wallet";
import type { Ctx } from "../lib/actions";
import { nowSecs, setLedgerNow } from "./format";

const CLOCK_SYSVAR = "SysvarC1ock11111111111111111111111111111111" as Address;

/** unix_timestamp of the Clock sysvar (offset 32: after slot, epoch start, epoch, leader epoch). */
async function readLedgerNow(chain: Chain): Promise<bigint> {
  const [clock] = await readAccounts(chain, [CLOCK_SYSVAR]);
  if (!clock) throw new Error("no clock");
  return new DataView(clock.data.buffer, clock.data.byteOffset).getBigInt64(32, true);
}

export type Outcome =
  | { kind: "sent"; what: string; signatures: string[] }
  | { kind: "failed"; what: string; message: string; signatures: string[] }
  | null;

type AppState = {
  chain: Chain;
  at: Addresses;
  wallet: AppWallet | null;
  setWallet: (wallet: AppWallet | null) => void;
  /** Bumped after every transaction: pages reload what they show. */
  version: number;
  refresh: () => void;
  outcome: Outcome;
  setOutcome: (outcome: Outcome) => void;
  busy: boolean;
  /** Sends each group of instructions as one transaction, in order, and reports the outcome. */
  run: (what: string, groups: () => Promise<Instruction[][]>) => Promise<boolean>;
  ctx: () => Ctx;
  /** The ledger's clock when last read (unix seconds). */
  ledgerNow: bigint | null;
  /** While the wallet used last is being reconnected, pages wait (one load, not two). */
  restoring: boolean;
  setRestoring: (restoring: boolean) => void;
};

/** The wallet used last in this browser: a wallet-standard wallet's name, or "local". */
export const REMEMBERED_WALLET = "pob.wallet.v1";

const AppContext = createContext<AppState | null>(null);

export function useApp(): AppState {
  const state = useContext(AppContext);
  if (!state) throw new Error("useApp outside AppProvider");
  return state;
}

export function AppProvider({ config, children }: { config: Config; children: ReactNode }) {
  const [chain] = useState(() => connect(config));
  const [at] = useState(() => new Addresses(config.programId));
  const [wallet, setWallet] = useState<AppWallet | null>(null);
  const [version, setVersion] = useState(0);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const [ledgerNow, setLedgerNowState] = useState<bigint | null>(null);
  const [restoring, setRestoring] = useState(() => localStorage.getItem(REMEMBERED_WALLET) !== null);
  // A remembered extension that no longer registers must not hold the pages for long.
  useEffect(() => {
    const timer = setTimeout(() => setRestoring(false), 1_500);
    return () => clearTimeout(timer);
  }, []);
  // What others do shows up without a reload: read again every 20 s while the page is visible.
  useEffect(() => {
    const timer = setInterval(() => document.visibilityState === "visible" && refresh(), 20_000);
    return () => clearInterval(timer);
  }, [refresh]);
  // The ledger's clock, read again after every transaction; pages render once it is known.
  useEffect(() => {
    let live = true;
    readLedgerNow(chain).then(
      (now) => {
        if (!live) return;
        setLedgerNow(now);
        setLedgerNowState(now);
      },
      () => live && setLedgerNowState(nowSecs()),
    );
    return () => {
      live = false;
    };
  }, [chain, version]);

  const ctx = useCallback((): Ctx => {
    if (!wallet) throw new Error("connect a wallet first");
    if (!config.mint) throw new Error("no stablecoin mint configured for this cluster (?mint=ADDRESS)");
    return { chain, wallet: wallet.address, mint: config.mint, at };
  }, [wallet, chain, at, config.mint]);

  const run = useCallback(
    async (what: string, groups: () => Promise<Instruction[][]>) => {
      if (!wallet) {
        setOutcome({ kind: "failed", what, message: "connect a wallet first", signatures: [] });
        return false;
      }
      setBusy(true);
      const signatures: string[] = [];
      try {
        for (const group of await groups()) signatures.push(await sendInstructions(chain, wallet, group));
        setOutcome({ kind: "sent", what, signatures });
        return true;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        setOutcome({ kind: "failed", what, message, signatures });
        return false;
      } finally {
        setBusy(false);
        refresh();
      }
    },
    [wallet, chain, refresh],
  );

  return (
    <AppContext.Provider value={{ chain, at, wallet, setWallet, version, refresh, outcome, setOutcome, busy, run, ctx, ledgerNow, restoring, setRestoring }}>
      {ledgerNow === null ? <p>Connecting to {chain.config.rpcUrl}…</p> : children}
    </AppContext.Provider>
  );
}

/** Loads `load()` whenever `deps` or the app's version change. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): { data: T | null; error: string | null } {
  const { version } = useApp();
  const [state, setState] = useState<{ data: T | null; error: string | null }>({ data: null, error: null });
  useEffect(() => {
    let live = true;
    load().then(
      (data) => live && setState({ data, error: null }),
      (error: unknown) => live && setState({ data: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version, ...deps]);
  return state;
}

export type { Address };
