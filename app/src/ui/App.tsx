// The shell: header with the wallet, tabs, the last transaction's outcome, and the page the
// URL's hash names (#/, #/task/ADDRESS, #/post, #/mine, #/disputes, #/wallet).
import { useEffect, useState } from "react";
import { address } from "@solana/kit";
import { OutcomeBanner, WalletBar } from "./Header";
import { Work } from "./Work";
import { TaskPage } from "./TaskPage";
import { Post } from "./Post";
import { Mine } from "./Mine";
import { Disputes } from "./Disputes";
import { WalletPage } from "./WalletPage";
import { LedgerClock } from "./LedgerClock";
import { useApp } from "./context";

const TABS = [
  ["#/", "Work"],
  ["#/post", "Post"],
  ["#/mine", "My tasks"],
  ["#/disputes", "Disputes"],
  ["#/wallet", "Wallet"],
] as const;

function useHash(): string {
  const [hash, setHash] = useState(() => location.hash || "#/");
  useEffect(() => {
    const changed = () => setHash(location.hash || "#/");
    window.addEventListener("hashchange", changed);
    return () => window.removeEventListener("hashchange", changed);
  }, []);
  return hash;
}

function Page({ hash }: { hash: string }) {
  const task = /^#\/task\/([1-9A-HJ-NP-Za-km-z]{32,44})$/.exec(hash);
  if (task) return <TaskPage address={address(task[1] as string)} />;
  switch (hash) {
    case "#/post":
      return <Post />;
    case "#/mine":
      return <Mine />;
    case "#/disputes":
      return <Disputes />;
    case "#/wallet":
      return <WalletPage />;
    default:
      return <Work />;
  }
}

export function App() {
  const hash = useHash();
  const { restoring } = useApp();
  return (
    <>
      <header className="top">
        <h1>
          <a href="#/">Proof of Brain</a>
        </h1>
        <WalletBar />
      </header>
      <nav aria-label="Sections">
        {TABS.map(([href, label]) => (
          <a key={href} href={href} aria-current={hash === href ? "page" : undefined}>
            {label}
          </a>
        ))}
      </nav>
      <main>
        <OutcomeBanner />
        {restoring ? <p>Reconnecting your wallet…</p> : <Page hash={hash} />}
      </main>
      <footer>
        <LedgerClock />
      </footer>
    </>
  );
}
