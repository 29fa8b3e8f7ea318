//! A requester and workers through `pob task ...`: post from a spec, list, commit with wallet-
//! derived salts, reveal with nothing kept, finalize, gold, claim into balances, close, results,
//! withdraw; text answers published with their reveal; batches of tasks and answers.

use crate::common::*;
use pob_cli::spec::answer_hash;
use proof_of_brain::state::{Balance, TASK_OPEN};
use serde_json::json;

const WORKERS: [(&str, &str); 3] = [("w1", "Cat "), ("w2", "cat"), ("w3", "DOG")];

#[tokio::test]
async fn a_task_from_post_to_close() {
    let pob = Pob::with_protocol().await;
    let requester = pob.funded("requester", "10").await;
    let spec = pob.choice_spec("spec.json", &["cat", "dog"]);
    let args = ["task", "create", "--spec", &spec, "--answers", "3", "--reward", "0.05", "--gold", "cat"];
    let created = pob.run("requester", &args).await;
    let task = key(&created["task"]);
    let task_arg = task.to_string();
    assert_eq!(created["quorum"], 2, "a majority by default");
    assert_eq!(amount(&created["deposit"]), "0.153750", "3 x 0.05 + 2.5% fee");
    assert_eq!(
        amount(&created["deposited_from_wallet"]),
        "0.153750",
        "the shortfall, from the token account"
    );
    assert_eq!(created["spec_status"], "verified");
    assert_eq!(created["spec"]["labels"], json!(["cat", "dog"]));
    assert_eq!(created["gold"], "sealed");
    let on_chain = pob.task(&task).await.expect("task on chain");
    assert_eq!(
        (on_chain.requester, on_chain.answers_required, on_chain.reward_per_answer),
        (requester, 3, 50_000)
    );

    for (worker, _) in WORKERS {
        pob.funded(worker, "5").await;
    }
    let answerable = pob.run("w1", &["task", "list", "--answerable"]).await;
    assert_eq!(answerable["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(answerable["tasks"][0]["prompt"], "What is in the picture?");
    let none_for_requester = pob.run("requester", &["task", "list", "--answerable"]).await;
    assert_eq!(none_for_requester["tasks"], json!([]), "a requester cannot answer its own task");
    let open =
        pob.run("w1", &["task", "list", "--state", "open", "--requester", &requester.to_string()]).await;
    assert_eq!(open["tasks"].as_array().unwrap().len(), 1);

    let not_a_label = pob.fails("w1", &["task", "commit", &task_arg, "--answer", "bird"]).await;
    assert!(not_a_label.starts_with("--answer: "), "{not_a_label}");
    assert!(not_a_label.contains("cat") && not_a_label.contains("dog"), "names the labels: {not_a_label}");
    for (worker, typed) in WORKERS {
        let committed = pob.run(worker, &["task", "commit", &task_arg, "--answer", typed]).await;
        assert_eq!(amount(&committed["stake_locked"]), "0.100000", "the mint's least stake");
        assert_eq!(committed["answer"], typed.trim().to_lowercase(), "the label, folded");
        let note = committed["notes"][0].as_str().unwrap();
        assert!(note.contains("Nothing needs keeping"), "{note}");
    }
    assert!(!pob.secrets().exists(), "a choice answer needs no secrets file");
    let (_, w1) = pob.wallet("w1");
    let balance: Balance = pob.account(&pob_cli::pda::balance(&w1, &on_chain.mint)).await.unwrap();
    assert_eq!((balance.free, balance.locked), (0, 100_000), "the shortfall was deposited and locked");
    assert_eq!(
        pob.run("w1", &["task", "list", "--answerable"]).await["tasks"],
        json!([]),
        "already answered"
    );
    let shown = pob.run("w1", &["task", "show", &task_arg]).await;
    assert_eq!(shown["your_submission"]["answer"], "cat", "recovered from the wallet's salt");
    let again = pob.fails("w1", &["task", "commit", &task_arg, "--answer", "dog"]).await;
    assert!(again.contains("already committed"), "{again}");

    for (worker, typed) in WORKERS {
        let revealed = pob.run(worker, &["task", "reveal", &task_arg]).await;
        assert_eq!(revealed["answer"], typed.trim().to_lowercase(), "nothing kept, nothing typed");
    }
    let broke = pob.fails("anyone", &["task", "finalize", &task_arg]).await;
    assert!(broke.contains("the wallet needs SOL: run `pob"), "{broke}");
    let finalized = pob.run("admin", &["task", "finalize", &task_arg]).await;
    assert_eq!(finalized["state"], "finalized");
    assert_eq!((&finalized["outcome"]["label"], &finalized["outcome"]["votes"]), (&json!("cat"), &json!(2)));
    let stranger = pob.fails("w1", &["task", "reveal-gold", &task_arg]).await;
    assert!(stranger.starts_with("only task"), "{stranger}");
    let gold = pob.run("requester", &["task", "reveal-gold", &task_arg]).await;
    assert_eq!(gold["gold"], "cat", "recovered from the requester's salt");
    let early = pob.fails("admin", &["task", "claim", &task_arg, "--all"]).await;
    assert!(early.starts_with("claims open when the dispute window ends"), "{early}");

    pob.run("admin", &["embedded", "warp", "1d"]).await;
    let claimed = pob.run("admin", &["task", "claim", &task_arg, "--all"]).await;
    let rows = claimed["settlements"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(claimed["signatures"].as_array().unwrap().len(), 1, "three claims fit one transaction");
    for row in rows {
        let agreed = row["settlement"] == "agreed";
        assert_eq!(amount(&row["paid"]), if agreed { "0.050000" } else { "0.000000" });
        assert_eq!(row["gold_passed"], json!(agreed), "graded against the gold answer");
    }
    for (worker, free) in [("w1", "0.150000"), ("w2", "0.150000"), ("w3", "0.100000")] {
        let balance = pob.run(worker, &["balance"]).await;
        assert_eq!((amount(&balance["free"]), amount(&balance["locked"])), (free, "0.000000"), "{worker}");
    }
    let closed = pob.run("admin", &["task", "close", &task_arg]).await;
    assert_eq!(amount(&closed["refund_to_requester"]), "0.051250", "the unpaid reward and its fee share");
    assert_eq!(amount(&closed["fee"]), "0.002500", "2.5% of the 0.10 paid");
    assert!(pob.task(&task).await.is_none(), "the task account is closed");

    let history = pob.run("anyone", &["task", "show", &task_arg]).await;
    assert_eq!(history["state"], "closed");
    assert_eq!(history["outcome"]["label"], "cat", "a closed task's story, from its transactions");
    let results = pob.path("results.csv").display().to_string();
    pob.run("requester", &["task", "results", &task_arg, "--out", &results]).await;
    let csv = std::fs::read_to_string(&results).unwrap();
    let row = csv.lines().nth(1).unwrap();
    assert!(
        row.starts_with(&format!("{task},https://example.org/items/1.jpg,cat,2,3,3,2/3,closed,,cat,")),
        "{csv}"
    );
    let record = pob.run("anyone", &["requester", "show", &requester.to_string()]).await;
    assert_eq!(record["tasks_closed"], 1);
    let worker = pob.run("w1", &["worker", "show"]).await;
    assert_eq!((&worker["answers_agreed"], &worker["gold_passed"]), (&json!(1), &json!(1)));

    let withdrawn = pob.run("w1", &["withdraw", "--all"]).await;
    assert_eq!(amount(&withdrawn["withdrawn"]), "0.150000");
    assert_eq!(amount(&pob.run("w1", &["wallet", "balance"]).await["tokens"]), "5.050000");
    let nothing = pob.fails("w1", &["withdraw", "--all"]).await;
    assert!(nothing.contains("nothing"), "{nothing}");
}

#[tokio::test]
async fn text_answers_are_kept_until_revealed_and_published_with_the_reveal() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "2").await;
    let spec = pob.spec_of("text.json", json!({"kind": "text"}));
    let created = pob
        .run("requester", &["task", "create", "--spec", &spec, "--answers", "2", "--reward", "0.05"])
        .await;
    let task = text(&created["task"]).to_string();
    for worker in ["w1", "w2"] {
        pob.funded(worker, "1").await;
        let committed = pob.run(worker, &["task", "commit", &task, "--answer", "  Hello   World "]).await;
        assert_eq!(committed["answer"], "hello world", "folded: case and spacing");
    }
    let kept: serde_json::Value = serde_json::from_slice(&std::fs::read(pob.secrets()).unwrap()).unwrap();
    assert_eq!(kept.as_object().unwrap().len(), 2, "a text answer cannot be recovered: it is kept");
    let wrong = pob.fails("w1", &["task", "reveal", &task, "--answer", "goodbye"]).await;
    assert!(wrong.contains("is not what this wallet committed"), "{wrong}");
    let revealed = pob.run("w1", &["task", "reveal", "--all"]).await;
    assert_eq!(revealed["revealed"][0]["answer"], "hello world");
    // From another machine, the answer is typed again.
    std::fs::remove_file(pob.secrets()).unwrap();
    let lost = pob.fails("w2", &["task", "reveal", &task]).await;
    assert!(lost.contains("reveal it with --answer"), "{lost}");
    pob.run("w2", &["task", "reveal", &task, "--answer", "HELLO WORLD"]).await;
    pob.run("admin", &["task", "finalize", &task]).await;
    let shown = pob.run("w1", &["task", "show", &task]).await;
    assert_eq!(shown["outcome"]["label"], "hello world", "published by the reveals' memos");
    assert_eq!(shown["outcome"]["answer_hash"], pob_cli::hex::encode(&answer_hash("hello world")));
}

#[tokio::test]
async fn results_export_every_task_of_a_requester() {
    let pob = Pob::with_protocol().await;
    let requester = pob.funded("requester", "5").await;
    let spec = pob.choice_spec("spec.json", &["cat", "dog"]);
    let mut tasks = Vec::new();
    for answers in [["cat", "cat"], ["cat", "dog"]] {
        let args = ["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "2", "--quorum", "2"];
        let task = text(&pob.run("requester", &args).await["task"]).to_string();
        for (worker, answer) in ["w1", "w2"].iter().zip(answers) {
            pob.funded(worker, "1").await;
            pob.run(worker, &["task", "commit", &task, "--answer", answer]).await;
        }
        for worker in ["w1", "w2"] {
            pob.run(worker, &["task", "reveal", &task]).await;
        }
        pob.run("admin", &["task", "finalize", &task]).await;
        tasks.push(task);
    }
    let out = pob.path("data.jsonl").display().to_string();
    let written = pob
        .run("requester", &["task", "results", "--requester", &requester.to_string(), "--out", &out])
        .await;
    assert_eq!(written["rows"], 2);
    let rows: Vec<serde_json::Value> = std::fs::read_to_string(&out)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("JSON lines"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (&rows[0]["task"], &rows[0]["label"], &rows[0]["agreement"]),
        (&json!(tasks[0]), &json!("cat"), &json!("2/2"))
    );
    assert_eq!(
        (&rows[1]["label"], &rows[1]["no_quorum"], &rows[1]["votes"]),
        (&json!(null), &json!(true), &json!(0))
    );
    let answers = rows[1]["answers"].as_array().unwrap();
    assert_eq!(answers.len(), 2, "the commit-reveal record");
    assert!(answers.iter().all(|a| a["committed_at"]["unix"].is_i64() && a["revealed_at"]["unix"].is_i64()));
    assert_eq!(answers[1]["label"], "dog");
    let csv = pob.path("data.csv").display().to_string();
    pob.run("requester", &["task", "results", &tasks[0], &tasks[1], "--out", &csv]).await;
    let text = std::fs::read_to_string(&csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "task,item,label,votes,revealed,committed,agreement,state,dispute,gold,finalized_at"
    );
    assert_eq!(lines.len(), 3, "a header and one row per task");
    assert!(lines[2].contains(",,0,2,2,0/2,finalized,"), "no quorum: no label: {}", lines[2]);
}

#[tokio::test]
async fn cancel_returns_an_unanswered_task() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "1").await;
    let spec = pob.choice_spec("spec.json", &["yes", "no"]);
    let created =
        pob.run("requester", &["task", "create", "--spec", &spec, "--reward", "0.02", "--id", "7"]).await;
    assert_eq!(created["task_id"], "7");
    let task = text(&created["task"]).to_string();
    let taken =
        pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.02", "--id", "7"]).await;
    assert!(taken.starts_with("--id: id 7 is already your task"), "{taken}");
    pob.funded("w1", "1").await;
    let stranger = pob.fails("w1", &["task", "cancel", &task]).await;
    assert!(stranger.starts_with("only task"), "{stranger}");
    let cancelled = pob.run("requester", &["task", "cancel", &task]).await;
    assert_eq!(amount(&cancelled["refund"]), "0.102500");
    assert_eq!(amount(&cancelled["free_balance"]), "0.102500");
    let shown = pob.run("requester", &["task", "show", &task]).await;
    assert_eq!(shown["state"], "cancelled");
}

#[tokio::test]
async fn a_batch_of_tasks_is_checked_whole_then_packed_into_few_transactions() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "100").await;
    pob.choice_spec("item.json", &["a", "b"]);
    let lines: Vec<String> =
        (0..12).map(|i| json!({"spec": "item.json", "id": 100 + i}).to_string()).collect();
    let good = pob.write("tasks.jsonl", &lines.join("\n"));

    // Bad lines anywhere: every one is reported, nothing is sent.
    let mut with_bad = lines.clone();
    with_bad.insert(5, json!({"spec": "item.json", "reward": "0.0.1"}).to_string());
    with_bad.insert(8, json!({"spec": "missing.json"}).to_string());
    let bad = pob.write("bad.jsonl", &with_bad.join("\n"));
    let err = pob.fails("requester", &["task", "create", "--batch", &bad, "--reward", "0.05"]).await;
    assert!(err.contains("line 6: --reward: expected an amount like 0.05"), "{err}");
    assert!(err.contains("line 9: --spec: cannot read"), "every bad line: {err}");
    let bad = pob.write("bad.jsonl", "{\"spec\": \"item.json\", \"rewrd\": \"1\"}");
    let err = pob.fails("requester", &["task", "create", "--batch", &bad, "--reward", "0.05"]).await;
    assert!(err.contains("line 1: unknown field `rewrd`"), "{err}");
    let poor = pob.fails("requester", &["task", "create", "--batch", &good, "--reward", "2"]).await;
    assert!(poor.contains("needs 123.000000"), "{poor}");

    let created = pob
        .run("requester", &["task", "create", "--batch", &good, "--reward", "0.05", "--answers", "3"])
        .await;
    let tasks = created["tasks"].as_array().unwrap();
    let signatures = created["signatures"].as_array().unwrap();
    assert_eq!(tasks.len(), 12);
    assert!(signatures.len() <= 4, "12 tasks in {} transactions", signatures.len());
    for (i, row) in tasks.iter().enumerate() {
        let task = pob.task(&key(&row["task"])).await.expect("created");
        assert_eq!((task.task_id, task.answers_required, task.state), (100 + i as u64, 3, TASK_OPEN));
    }
    assert_eq!(pob.run("requester", &["task", "list"]).await["tasks"].as_array().unwrap().len(), 12);
}

#[tokio::test]
async fn a_worker_commits_and_reveals_many_answers_in_few_transactions() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "10").await;
    pob.choice_spec("item.json", &["label 0", "label 1", "label 2", "label 3"]);
    let lines: Vec<String> = (0..4).map(|i| json!({"spec": "item.json", "id": i}).to_string()).collect();
    let batch = pob.write("tasks.jsonl", &lines.join("\n"));
    let created = pob
        .run("requester", &["task", "create", "--batch", &batch, "--reward", "0.05", "--answers", "1"])
        .await;
    let tasks: Vec<String> =
        created["tasks"].as_array().unwrap().iter().map(|t| text(&t["task"]).to_string()).collect();

    pob.funded("w1", "0.35").await;
    let answers: Vec<String> = tasks
        .iter()
        .enumerate()
        .map(|(i, task)| json!({"task": task, "answer": format!("Label {i}")}).to_string())
        .collect();
    let bad = pob.write(
        "bad.jsonl",
        &format!(
            "{}\n{{\"task\": \"nope\", \"answer\": \"x\"}}\n{{\"task\": \"{}\", \"answer\": \"label 9\"}}",
            answers.join("\n"),
            tasks[0]
        ),
    );
    let err = pob.fails("w1", &["task", "commit", "--batch", &bad]).await;
    assert!(err.contains("line 5: task: \"nope\" is not an address"), "{err}");
    assert!(err.contains("line 6: task ") && err.contains("appears twice"), "every bad line: {err}");
    // Four answers lock 4 x 0.1 of stake; the wallet holds 0.35: refused before anything is sent.
    let commits = pob.write("answers.jsonl", &answers.join("\n"));
    let short = pob.fails("w1", &["task", "commit", "--batch", &commits]).await;
    assert!(short.contains("the stake needs 0.400000"), "{short}");
    pob.run("w1", &["embedded", "mint", "0.05"]).await;
    let committed = pob.run("w1", &["task", "commit", "--batch", &commits]).await;
    assert_eq!(committed["answers"].as_array().unwrap().len(), 4);
    assert!(committed["signatures"].as_array().unwrap().len() <= 2, "{committed}");
    let revealed = pob.run("w1", &["task", "reveal", "--all"]).await;
    assert_eq!(revealed["revealed"].as_array().unwrap().len(), 4);
    assert_eq!(revealed["signatures"].as_array().unwrap().len(), 1, "four reveals, one transaction");
    for (i, task) in tasks.iter().enumerate() {
        let task = pob.task(&task.parse().unwrap()).await.unwrap();
        assert_eq!(task.tally[0].answer_hash, answer_hash(&format!("label {i}")));
    }
    let again = pob.run("w1", &["task", "reveal", "--all"]).await;
    assert_eq!(again["revealed"], json!([]), "nothing left to reveal");
}

#[tokio::test]
async fn one_claim_at_a_time_and_the_small_commands() {
    let pob = Pob::with_protocol().await;
    let fresh_path = pob.path("fresh.json").display().to_string();
    let created = pob.run("admin", &["wallet", "new", &fresh_path]).await;
    let fresh = text(&created["address"]).to_string();
    let again = pob.fails("admin", &["wallet", "new", &fresh_path]).await;
    assert!(again.ends_with("already exists; not overwriting a keypair"), "{again}");
    assert_eq!(pob.run("fresh", &["wallet", "address"]).await["address"], fresh);

    pob.run("w1", &["embedded", "airdrop", "1"]).await;
    let registered = pob.run("w1", &["worker", "register"]).await;
    assert_eq!(
        (&registered["answers_committed"], &registered["wallet"]),
        (&json!(0), &json!(pob.wallet("w1").1.to_string()))
    );

    pob.funded("requester", "1").await;
    let spec = pob.choice_spec("spec.json", &["same", "other"]);
    let task = pob
        .run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "2"])
        .await;
    let task = text(&task["task"]).to_string();
    for worker in ["w1", "w2"] {
        pob.funded(worker, "1").await;
        pob.run(worker, &["task", "commit", &task, "--answer", "same"]).await;
    }
    pob.run("w1", &["task", "reveal", "--all"]).await;
    pob.run("w2", &["task", "reveal", &task]).await;
    pob.run("admin", &["task", "finalize", &task]).await;
    pob.run("admin", &["embedded", "warp", "1d"]).await;
    let own = pob.run("w1", &["task", "claim", &task]).await;
    assert_eq!(amount(&own["settlements"][0]["paid"]), "0.050000");
    let (_, w2) = pob.wallet("w2");
    let cranked = pob.run("admin", &["task", "claim", &task, "--worker", &w2.to_string()]).await;
    assert_eq!(cranked["settlements"][0]["worker"], w2.to_string());
    let twice = pob.fails("w1", &["task", "claim", &task]).await;
    assert!(twice.contains("has no submission left to claim"), "{twice}");
}
