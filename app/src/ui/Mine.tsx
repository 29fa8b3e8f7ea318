// The requester's tasks: where each stands, its result as a label with agreement, and the
// dataset as CSV or JSON lines; closed tasks too, rebuilt from their history on request.
import { useState } from "react";
import { closedTaskStories, storyRow } from "../lib/history";
import { useApp, useLoad } from "./context";
import { allTasks, answerTexts, phase } from "./data";
import { fetchSpec } from "../lib/specs";
import { resultRow, toCsv, toJsonLines, type ResultRow } from "../lib/results";
import { nowSecs, short } from "./format";

function download(name: string, type: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function Mine() {
  const { chain, wallet } = useApp();
  const { data, error } = useLoad(async () => {
    if (!wallet) return [];
    const tasks = await allTasks(chain, wallet.address);
    return Promise.all(
      tasks.map(async (task) => {
        const spec = await fetchSpec(task).catch(() => null);
        const texts = await answerTexts(chain, task, spec).catch(() => new Map<string, string>());
        return { task, spec, row: resultRow(task, spec, chain.config.decimals, texts) };
      }),
    );
  }, [wallet?.address]);
  const [closed, setClosed] = useState<{ rows: { row: ResultRow; prompt: string | null }[] } | { loading: true } | { error: string } | null>(null);
  if (!wallet) return <p>Connect a wallet to see the tasks you posted.</p>;
  if (error) return <p role="alert">Cannot load your tasks: {error}</p>;
  if (!data) return <p>Loading your tasks…</p>;
  const closedRows = closed && "rows" in closed ? closed.rows : [];
  const rows: ResultRow[] = [...data.map(({ row }) => row), ...closedRows.map(({ row }) => row)];
  const now = nowSecs();
  const owner = wallet.address;
  async function loadClosed() {
    setClosed({ loading: true });
    try {
      const live = new Set(data?.map(({ task }) => task.address) ?? []);
      const stories = await closedTaskStories(chain, owner, live);
      const loaded = await Promise.all(
        stories.map(async (story) => {
          const spec = story.created ? await fetchSpec(story.created).catch(() => null) : null;
          return { row: await storyRow(story, spec, chain.config.decimals), prompt: spec?.prompt ?? null };
        }),
      );
      setClosed({ rows: loaded });
    } catch (err) {
      setClosed({ error: err instanceof Error ? err.message : String(err) });
    }
  }
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">Your tasks ({data.length})</h2>
      <p className="muted">
        Results of the tasks still on-chain. A closed task's record is in the transaction history: the button below reads it (one request per
        transaction), as <code>pob task results --requester {wallet.address}</code> does.
      </p>
      <div className="row">
        <button type="button" disabled={closed !== null && !("error" in closed)} onClick={() => void loadClosed()}>
          {closed && "rows" in closed ? `Closed tasks included (${closed.rows.length})` : closed && "loading" in closed ? "Reading the history…" : "Include closed tasks"}
        </button>
        <button type="button" disabled={rows.length === 0} onClick={() => download("results.csv", "text/csv", toCsv(rows))}>
          Download CSV
        </button>
        <button type="button" disabled={rows.length === 0} onClick={() => download("results.jsonl", "application/x-ndjson", toJsonLines(rows))}>
          Download JSON lines
        </button>
      </div>
      {closed && "error" in closed && <p role="alert">Cannot read the closed tasks' history: {closed.error}</p>}
      <table className="results">
        <thead>
          <tr>
            <th scope="col">Task</th>
            <th scope="col">Stage</th>
            <th scope="col">Label</th>
            <th scope="col">Agreement</th>
          </tr>
        </thead>
        <tbody>
          {data.map(({ task, spec, row }) => (
            <tr key={task.address} data-testid="my-task">
              <td>
                <a href={`#/task/${task.address}`}>{spec?.prompt ?? short(task.address)}</a>
                <div className="muted item-line">{row.item}</div>
              </td>
              <td>{phase(task, now)}</td>
              <td>{row.label ?? row.outcome}</td>
              <td>{row.agreement ?? "–"}</td>
            </tr>
          ))}
          {closedRows.map(({ row, prompt }) => (
            <tr key={row.task} data-testid="my-closed-task">
              <td>
                {prompt ?? short(row.task)}
                <div className="muted item-line">{row.item}</div>
              </td>
              <td>{row.state}</td>
              <td>{row.label ?? row.outcome}</td>
              <td>{row.agreement ?? "–"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
