// The requester's page: post one task from a form, or many from a JSON-lines file, the deposit
// shown before anything is signed.
import { useState } from "react";
import { getMintConfigDecoder, getProtocolDecoder } from "../client";
import { createTaskIxs, walletState } from "../lib/actions";
import { answerHash, goldSeal } from "../lib/answers";
import { addressBytes } from "../lib/addresses";
import { readAccounts } from "../lib/chain";
import { prepareBatch, prepareTask, type PreparedTask, type Terms } from "../lib/post";
import { goldSaltMessage, saltFromSignature } from "../lib/salt";
import { publishSpec } from "../lib/specs";
import { utf8 } from "../lib/bytes";
import { useApp, useLoad } from "./context";
import { money } from "./format";
import { goldKey } from "./TaskPage";

type Form = {
  prompt: string;
  itemKind: "uri" | "text";
  itemUri: string;
  mediaType: string;
  itemText: string;
  answerKind: "choice" | "text" | "number";
  labels: string;
  precision: string;
  instructions: string;
  answers: string;
  quorum: string;
  reward: string;
  stake: string;
  commitWindow: string;
  revealWindow: string;
  gold: string;
  minAgreed: string;
  minAgreement: string;
  minGold: string;
};

const EMPTY: Form = {
  prompt: "",
  itemKind: "uri",
  itemUri: "",
  mediaType: "image/jpeg",
  itemText: "",
  answerKind: "choice",
  labels: "",
  precision: "0",
  instructions: "",
  answers: "3",
  quorum: "",
  reward: "",
  stake: "",
  commitWindow: "30m",
  revealWindow: "30m",
  gold: "",
  minAgreed: "",
  minAgreement: "",
  minGold: "",
};

function specOf(form: Form): unknown {
  const item = form.itemKind === "uri" ? { uri: form.itemUri.trim(), media_type: form.mediaType } : { text: form.itemText };
  const answer =
    form.answerKind === "choice"
      ? { kind: "choice", labels: form.labels.split(",").map((label) => label.trim()).filter((label) => label !== "") }
      : form.answerKind === "number"
        ? { kind: "number", precision: Number(form.precision) }
        : { kind: "text" };
  return { version: 1, prompt: form.prompt.trim(), item, answer, ...(form.instructions.trim() ? { instructions: form.instructions.trim() } : {}) };
}

export function Post() {
  const { chain, at, wallet, run, ctx, busy } = useApp();
  const decimals = chain.config.decimals;
  const [form, setForm] = useState<Form>(EMPTY);
  const [problems, setProblems] = useState<string[]>([]);
  const [batch, setBatch] = useState<{ name: string; tasks: PreparedTask[]; problems: string[] } | null>(null);
  const { data: terms, error } = useLoad(async (): Promise<Terms | null> => {
    if (!chain.config.mint) return null;
    const [protocol, mintConfig] = await readAccounts(chain, [await at.protocol(), await at.mintConfig(chain.config.mint)]);
    if (!protocol || !mintConfig) return null;
    const p = getProtocolDecoder().decode(protocol.data);
    const m = getMintConfigDecoder().decode(mintConfig.data);
    return {
      decimals: m.decimals,
      feeBps: p.feeBps,
      minReward: m.minRewardPerAnswer,
      minStake: m.minStakePerAnswer,
      minWindowSecs: p.minTaskWindowSecs,
      maxWindowSecs: p.maxTaskWindowSecs,
      minNoQuorumBps: p.minNoQuorumBps,
    };
  }, []);
  if (error) return <p role="alert">Cannot read the protocol: {error}</p>;
  if (terms === null) return <p>Loading the protocol's terms… (if this stays, the protocol or the mint is not set up on this cluster)</p>;
  const known: Terms = terms;

  const set = (field: keyof Form) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });
  const input = () => ({
    spec: specOf(form),
    answers: form.answers,
    quorum: form.quorum,
    reward: form.reward,
    stake: form.stake,
    commit_window: form.commitWindow,
    reveal_window: form.revealWindow,
    gold: form.gold,
    min_agreed_answers: form.minAgreed,
    min_agreement: form.minAgreement,
    min_gold_accuracy: form.minGold,
  });
  const preview = prepareTask(input(), terms);

  /** Publishes the specs (the endpoint validates each), then sends one transaction per task. */
  async function post(tasks: PreparedTask[], what: string, fieldPrefix: (index: number) => string): Promise<boolean> {
    const published: { uri: string; hash: Uint8Array }[] = [];
    for (const [index, task] of tasks.entries()) {
      let result;
      try {
        result = await publishSpec(chain.config, task.specBytes);
      } catch (error) {
        setProblems([`${fieldPrefix(index)}spec: ${(error as Error).message}`]);
        return false;
      }
      if ("errors" in result) {
        setProblems(result.errors.map((e) => `${fieldPrefix(index)}spec.${e.field}: ${e.message}`));
        return false;
      }
      published.push(result);
    }
    setProblems([]);
    return run(what, async () => {
      const context = ctx();
      const state = await walletState(context);
      const total = tasks.reduce((sum, task) => sum + task.deposit, 0n);
      const groups = [];
      for (const [index, task] of tasks.entries()) {
        const taskId = new DataView(crypto.getRandomValues(new Uint8Array(8)).buffer).getBigUint64(0, true);
        const address = await at.task(context.wallet, taskId);
        let seal = null;
        if (task.gold !== null && wallet) {
          const salt = await saltFromSignature(await wallet.signMessage(utf8(goldSaltMessage(address))));
          seal = await goldSeal(addressBytes(address), await answerHash(task.gold), salt);
          localStorage.setItem(goldKey(address), task.gold);
        }
        const spec = published[index];
        if (!spec) throw new Error("spec not published");
        const args = {
          taskId,
          specHash: spec.hash,
          specUri: spec.uri,
          answersRequired: task.answers,
          quorum: task.quorum,
          rewardPerAnswer: task.reward,
          stakePerAnswer: task.stake,
          noQuorumBps: task.noQuorumBps,
          commitWindowSecs: task.commitWindowSecs,
          revealWindowSecs: task.revealWindowSecs,
          qualification: task.qualification,
          goldSeal: seal,
        };
        // The first transaction opens what is missing and deposits for the whole batch.
        groups.push(await createTaskIxs(context, state, args, index === 0 ? total : 0n, index === 0));
      }
      return groups;
    });
  }

  async function submitForm() {
    if (!wallet) {
      setProblems(["wallet: connect a wallet first"]);
      return;
    }
    const prepared = prepareTask(input(), known);
    if ("problems" in prepared) {
      setProblems(prepared.problems);
      return;
    }
    if (await post([prepared], "task posted", () => "")) setForm(EMPTY);
  }

  async function readBatch(file: File) {
    const text = await file.text();
    const { tasks, problems: found } = prepareBatch(text, known);
    setBatch({ name: file.name, tasks, problems: found });
  }

  const batchTotal = batch ? batch.tasks.reduce((sum, task) => sum + task.deposit, 0n) : 0n;
  return (
    <section aria-labelledby="post-title">
      <h2 id="post-title">Post a task</h2>
      <form
        className="form"
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submitForm();
        }}
      >
        <label htmlFor="prompt">Question</label>
        <input id="prompt" value={form.prompt} onChange={set("prompt")} placeholder="What animal is in this photo?" />
        <fieldset>
          <legend>Item</legend>
          <label className="inline">
            <input type="radio" name="itemKind" checked={form.itemKind === "uri"} onChange={() => setForm({ ...form, itemKind: "uri" })} /> A
            file at a link
          </label>
          <label className="inline">
            <input type="radio" name="itemKind" checked={form.itemKind === "text"} onChange={() => setForm({ ...form, itemKind: "text" })} /> Text
          </label>
          {form.itemKind === "uri" ? (
            <>
              <label htmlFor="itemUri">Item link</label>
              <input id="itemUri" type="url" value={form.itemUri} onChange={set("itemUri")} placeholder="https://example.org/photo.jpg" />
              <label htmlFor="mediaType">Media type</label>
              <select id="mediaType" value={form.mediaType} onChange={set("mediaType")}>
                {["image/jpeg", "image/png", "image/webp", "audio/mpeg", "audio/ogg", "video/mp4", "text/html"].map((type) => (
                  <option key={type}>{type}</option>
                ))}
              </select>
            </>
          ) : (
            <>
              <label htmlFor="itemText">Item text</label>
              <textarea id="itemText" value={form.itemText} onChange={set("itemText")} />
            </>
          )}
        </fieldset>
        <label htmlFor="answerKind">Answer kind</label>
        <select id="answerKind" value={form.answerKind} onChange={set("answerKind")}>
          <option value="choice">choice (labels)</option>
          <option value="text">text</option>
          <option value="number">number</option>
        </select>
        {form.answerKind === "choice" && (
          <>
            <label htmlFor="labels">Labels (comma-separated)</label>
            <input id="labels" value={form.labels} onChange={set("labels")} placeholder="cat, dog, neither" />
          </>
        )}
        {form.answerKind === "number" && (
          <>
            <label htmlFor="precision">Decimal places</label>
            <input id="precision" inputMode="numeric" value={form.precision} onChange={set("precision")} />
          </>
        )}
        <label htmlFor="instructions">Instructions (optional)</label>
        <textarea id="instructions" value={form.instructions} onChange={set("instructions")} />
        <div className="row">
          <div>
            <label htmlFor="answers">Answers</label>
            <input id="answers" inputMode="numeric" value={form.answers} onChange={set("answers")} />
          </div>
          <div>
            <label htmlFor="quorum">Quorum (default: majority)</label>
            <input id="quorum" inputMode="numeric" value={form.quorum} onChange={set("quorum")} />
          </div>
        </div>
        <div className="row">
          <div>
            <label htmlFor="reward">Reward per answer</label>
            <input id="reward" inputMode="decimal" value={form.reward} onChange={set("reward")} placeholder="0.05" />
          </div>
          <div>
            <label htmlFor="stake">Stake per answer</label>
            <input id="stake" inputMode="decimal" value={form.stake} onChange={set("stake")} placeholder={`${Number(terms.minStake) / 10 ** decimals}`} />
          </div>
        </div>
        <div className="row">
          <div>
            <label htmlFor="commitWindow">Answer window</label>
            <input id="commitWindow" value={form.commitWindow} onChange={set("commitWindow")} />
          </div>
          <div>
            <label htmlFor="revealWindow">Reveal window</label>
            <input id="revealWindow" value={form.revealWindow} onChange={set("revealWindow")} />
          </div>
        </div>
        <label htmlFor="gold">Gold answer (optional, sealed; grades workers, never changes pay)</label>
        <input id="gold" value={form.gold} onChange={set("gold")} />
        <fieldset>
          <legend>Who may answer (optional)</legend>
          <div className="row">
            <div>
              <label htmlFor="minAgreed">Least agreed answers</label>
              <input id="minAgreed" inputMode="numeric" value={form.minAgreed} onChange={set("minAgreed")} placeholder="0" />
            </div>
            <div>
              <label htmlFor="minAgreement">Least agreement (%)</label>
              <input id="minAgreement" inputMode="decimal" value={form.minAgreement} onChange={set("minAgreement")} placeholder="0%" />
            </div>
            <div>
              <label htmlFor="minGold">Least gold accuracy (%)</label>
              <input id="minGold" inputMode="decimal" value={form.minGold} onChange={set("minGold")} placeholder="0%" />
            </div>
          </div>
        </fieldset>
        <p className="deposit" data-testid="deposit">
          {"problems" in preview
            ? "The deposit shows once the form is complete."
            : `Deposit: ${money(preview.deposit, decimals)} (${preview.answers} × ${money(preview.reward, decimals)} + ${terms.feeBps / 100}% fee), from your balance, topped up from your wallet.`}
        </p>
        <button type="submit" disabled={busy}>
          Post task
        </button>
      </form>

      <h2>Post many tasks</h2>
      <p className="muted">
        A JSON-lines file, one task per line:{" "}
        <code>{`{"spec": {...}, "answers": 3, "reward": "0.05", "gold": "cat"}`}</code> (optional: quorum, stake,
        commit_window, reveal_window, no_quorum_pay). Every bad line is reported before anything is sent.
      </p>
      <label htmlFor="batchFile">Batch file (.jsonl)</label>
      <input id="batchFile" type="file" accept=".jsonl,.json,.txt" onChange={(event) => event.target.files?.[0] && void readBatch(event.target.files[0])} />
      {batch && batch.problems.length === 0 && (
        <div className="panel">
          <p data-testid="batch-summary">
            {batch.name}: {batch.tasks.length} tasks, deposit {money(batchTotal, decimals)} in all.
          </p>
          <button
            type="button"
            disabled={busy}
            onClick={() => void post(batch.tasks, `${batch.tasks.length} tasks posted`, (i) => `line ${i + 1}: `).then((ok) => ok && setBatch(null))}
          >
            Post {batch.tasks.length} tasks
          </button>
        </div>
      )}
      {(problems.length > 0 || (batch && batch.problems.length > 0)) && (
        <div role="alert" className="problems">
          <p>Nothing was sent. Fix:</p>
          <ul>
            {[...problems, ...(batch?.problems ?? [])].map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
