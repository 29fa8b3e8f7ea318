// The requester's tasks: where each stands, its result as a label with agreement, and the
// dataset as CSV or JSON lines.
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
  if (!wallet) return <p>Connect a wallet to see the tasks you posted.</p>;
  if (error) return <p role="alert">Cannot load your tasks: {error}</p>;
  if (!data) return <p>Loading your tasks…</p>;
  const rows: ResultRow[] = data.map(({ row }) => row);
  const now = nowSecs();
  return (
    <section aria-labelledby="mine-title">
      <h2 id="mine-title">Your tasks ({data.length})</h2>
      <p className="muted">
        Results of the tasks still on-chain. Closed tasks' records are in the transaction history:{" "}
        <code>pob task results --requester {wallet.address}</code>
      </p>
      <div className="row">
        <button type="button" disabled={rows.length === 0} onClick={() => download("results.csv", "text/csv", toCsv(rows))}>
          Download CSV
        </button>
        <button type="button" disabled={rows.length === 0} onClick={() => download("results.jsonl", "application/x-ndjson", toJsonLines(rows))}>
          Download JSON lines
        </button>
      </div>
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
        </tbody>
      </table>
    </section>
  );
}
