// The worker's feed: tasks this wallet can take, and its own answers with what is due next.
import { useEffect, useState } from "react";
import type { Requester } from "../client";
import type { TaskSpec } from "../lib/answers";
import type { FullTask } from "../lib/chain";
import { fetchSpec } from "../lib/specs";
import { useApp, useLoad } from "./context";
import { allTasks, phase, qualifies, recordsAndDossier, submissionsOfWorker } from "./data";
import { money, nowSecs, relative, short } from "./format";

export function useSpec(task: FullTask | null): { spec: TaskSpec | null; specError: string | null } {
  const [state, setState] = useState<{ spec: TaskSpec | null; specError: string | null }>({ spec: null, specError: null });
  useEffect(() => {
    if (!task) return;
    let live = true;
    fetchSpec(task).then(
      (spec) => live && setState({ spec, specError: null }),
      (error: unknown) => live && setState({ spec: null, specError: (error as Error).message }),
    );
    return () => {
      live = false;
    };
  }, [task]);
  return state;
}

function Prompt({ task }: { task: FullTask }) {
  const { spec, specError } = useSpec(task);
  if (specError) return <span className="muted">spec unavailable: {specError}</span>;
  return <span>{spec ? spec.prompt : "…"}</span>;
}

export function RequesterRecord({ record }: { record: Requester | undefined }) {
  if (!record) return <span className="muted">new requester (no record yet)</span>;
  return (
    <span className="muted">
      requester: {record.tasksPosted} posted, {record.tasksClosed} closed, {record.answersPaid} answers paid, disputes{" "}
      {record.disputesWon} won / {record.disputesLost} lost
    </span>
  );
}

export function Work() {
  const { chain, at, wallet } = useApp();
  const decimals = chain.config.decimals;
  const { data, error } = useLoad(async () => {
    const tasks = await allTasks(chain);
    const [{ records, me }, mine] = await Promise.all([
      recordsAndDossier(chain, at, tasks.map((task) => task.requester), wallet?.address ?? null),
      wallet ? submissionsOfWorker(chain, wallet.address) : Promise.resolve([]),
    ]);
    return { tasks, records, mine, me };
  }, [wallet?.address]);
  if (error) return <p role="alert">Cannot load tasks: {error}</p>;
  if (!data) return <p>Loading tasks…</p>;
  const now = nowSecs();
  const answered = new Set(data.mine.map((submission) => submission.task));
  const answerable = data.tasks.filter(
    (task) =>
      phase(task, now) === "taking answers" &&
      !answered.has(task.address) &&
      task.requester !== wallet?.address &&
      qualifies(task, data.me?.worker ?? null),
  );
  const byAddress = new Map(data.tasks.map((task) => [task.address, task]));
  const mine = data.mine
    .map((submission) => ({ submission, task: byAddress.get(submission.task) }))
    .filter((row): row is { submission: (typeof data.mine)[number]; task: FullTask } => row.task !== undefined);
  const cranks = data.tasks.filter((task) => ["ready to finalize", "settling"].includes(phase(task, now)));
  const dueNow = mine.filter(({ submission, task }) => submission.state === 0 && phase(task, now) === "revealing");

  return (
    <section aria-labelledby="work-title">
      <h2 id="work-title">Work</h2>
      {dueNow.length > 0 && (
        <div className="reminder" role="status" data-testid="reveal-reminder">
          {dueNow.length === 1 ? "1 answer is" : `${dueNow.length} answers are`} waiting to be revealed: reveal before
          the deadline or the stake is lost.{" "}
          {dueNow.map(({ task }) => (
            <a key={task.address} href={`#/task/${task.address}`}>
              Reveal {short(task.address)} ({relative(task.revealDeadline)})
            </a>
          ))}
        </div>
      )}
      <h3>Tasks you can take ({answerable.length})</h3>
      {answerable.length === 0 && <p className="muted">Nothing to answer right now.</p>}
      <ul className="cards">
        {answerable.map((task) => (
          <li key={task.address} className="card" data-testid="feed-task">
            <a href={`#/task/${task.address}`} className="card-title">
              <Prompt task={task} />
            </a>
            <div>
              Reward <strong>{money(task.rewardPerAnswer, decimals)}</strong>, stake {money(task.stakePerAnswer, decimals)}
            </div>
            <div>
              {task.committed}/{task.answersRequired} answers · answers close {relative(task.commitDeadline)} · reveal by{" "}
              {relative(task.revealDeadline)}
            </div>
            <RequesterRecord record={data.records.get(task.requester)} />
          </li>
        ))}
      </ul>
      {cranks.length > 0 && (
        <>
          <h3>Due for anyone to move on ({cranks.length})</h3>
          <p className="muted">Finalizing, settling and closing are open to everyone; each costs only the transaction fee.</p>
          <ul className="cards">
            {cranks.map((task) => (
              <li key={task.address} className="card" data-testid="crank-task">
                <a href={`#/task/${task.address}`} className="card-title">
                  <Prompt task={task} />
                </a>
                <div>{phase(task, now) === "ready to finalize" ? "ready to finalize" : "ready to settle and close"}</div>
              </li>
            ))}
          </ul>
        </>
      )}
      {wallet && (
        <>
          <h3>Your answers ({mine.length})</h3>
          <ul className="cards">
            {mine.map(({ submission, task }) => (
              <li key={submission.address} className="card">
                <a href={`#/task/${task.address}`} className="card-title">
                  <Prompt task={task} />
                </a>
                <div>
                  {submission.state === 0 ? "committed" : "revealed"} · task {phase(task, now)}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
