//! A requester and three workers through `pob task ...`: post, list, commit, reveal (salts kept
//! by the CLI), finalize, claim --all, close; and a batch of tasks from a JSON-lines file.
mod common;

use common::*;
use pob_cli::hex;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Stake, Task, TaskState};
use serde_json::json;

const WORKERS: [(&str, &str); 3] = [("w1", "yes"), ("w2", "yes"), ("w3", "no")];

#[tokio::test]
async fn a_task_from_post_to_close() {
    let pob = Pob::with_protocol().await;
    let requester = pob.funded("requester", "10", None).await;
    let spec = pob.spec("Is there a cat in image 4812? yes/no");
    let created = pob
        .run(
            "requester",
            &[
                "task",
                "create",
                "--spec",
                &spec,
                "--spec-uri",
                "ipfs://cat",
                "--answers",
                "3",
                "--reward",
                "0.05",
            ],
        )
        .await;
    let task = key(&created["task"]);
    assert!(created["signature"].is_string());
    assert_eq!(created["quorum"], 2, "a majority by default");
    assert_eq!(created["deposit"], "0.153750", "3 x 0.05 + 2.5% fee");
    assert_eq!(created["spec_hash"], hex::encode(&answer_hash(b"Is there a cat in image 4812? yes/no")));
    let on_chain: Task = pob.account(&task).await.expect("task on chain");
    assert_eq!(
        (on_chain.requester, on_chain.answers_required, on_chain.reward_per_answer),
        (requester, 3, 50_000)
    );

    for (worker, _) in WORKERS {
        pob.funded(worker, "5", Some("1")).await;
    }
    let answerable = pob.run("w1", &["task", "list", "--answerable"]).await;
    assert_eq!(answerable["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(answerable["tasks"][0]["task"], task.to_string());
    let none_for_requester = pob.run("requester", &["task", "list", "--answerable"]).await;
    assert_eq!(none_for_requester["tasks"], json!([]), "a requester cannot answer its own task");
    let listed =
        pob.run("w1", &["task", "list", "--state", "open", "--requester", &requester.to_string()]).await;
    assert_eq!(listed["tasks"].as_array().unwrap().len(), 1);
    assert_eq!(pob.run("w1", &["task", "list", "--state", "finalized"]).await["tasks"], json!([]));

    let task_arg = task.to_string();
    for (worker, answer) in WORKERS {
        let committed = pob.run(worker, &["task", "commit", &task_arg, "--answer", answer]).await;
        assert_eq!(committed["answer_hash"], hex::encode(&answer_hash(answer.as_bytes())));
        let notes = committed["notes"][0].as_str().unwrap();
        assert!(notes.contains("cannot be revealed and the stake behind them is slashed"), "{notes}");
    }
    let (_, w1) = pob.wallet("w1");
    let stake: Stake = pob.account(&pob_cli::pda::stake(&w1, &on_chain.mint)).await.unwrap();
    assert_eq!((stake.amount, stake.locked), (1_000_000, 100_000), "the minimum stake is locked");
    assert_eq!(
        pob.run("w1", &["task", "list", "--answerable"]).await["tasks"],
        json!([]),
        "already answered"
    );
    assert_eq!(pob.run("w1", &["task", "show", &task_arg]).await["your_submission"], "committed");
    assert_eq!(pob.run("requester", &["task", "show", &task_arg]).await["your_submission"], "none");
    let again = pob.fails("w1", &["task", "commit", &task_arg, "--answer", "no"]).await;
    assert!(again.contains("already committed"), "{again}");

    for (worker, answer) in WORKERS {
        let revealed = pob.run(worker, &["task", "reveal", &task_arg]).await;
        assert_eq!(revealed["answer"], answer, "revealed from the stored salt, no arguments");
    }
    let secrets: serde_json::Value = serde_json::from_slice(&std::fs::read(pob.secrets()).unwrap()).unwrap();
    assert_eq!(secrets, json!({}), "salts are forgotten once revealed");

    let broke = pob.fails("anyone", &["task", "finalize", &task_arg]).await;
    assert!(broke.ends_with("has no SOL (the wallet needs SOL: run `pob embedded airdrop`)"), "{broke}");
    let finalized = pob.run("admin", &["task", "finalize", &task_arg]).await;
    assert_eq!(finalized["state"], "finalized");
    assert_eq!(finalized["outcome"], hex::encode(&answer_hash(b"yes")));
    let early = pob.fails("admin", &["task", "claim", &task_arg, "--all"]).await;
    assert!(early.contains("DisputeWindowOpen: The dispute window is still open"), "{early}");
    assert!(early.contains("nothing was sent"), "{early}");

    pob.run("admin", &["embedded", "warp", "1d"]).await;
    let claimed = pob.run("admin", &["task", "claim", &task_arg, "--all"]).await;
    assert_eq!(claimed["workers"].as_array().unwrap().len(), 3);
    assert_eq!(claimed["signatures"].as_array().unwrap().len(), 1, "three claims fit one transaction");
    // 5 minted, 1 staked (still staked), plus the reward for an agreeing answer.
    for (worker, held) in [("w1", "4.050000"), ("w2", "4.050000"), ("w3", "4.000000")] {
        assert_eq!(pob.run(worker, &["wallet", "balance"]).await["tokens"], held, "{worker}");
        let stake = pob.run(worker, &["worker", "show"]).await;
        assert_eq!((&stake["stake"], &stake["stake_locked"]), (&json!("1.000000"), &json!("0.000000")));
    }
    let shown = pob.run("anyone", &["task", "show", &task_arg]).await;
    assert_eq!(shown["phase"], "settled: ready to close");

    let closed = pob.run("admin", &["task", "close", &task_arg]).await;
    assert_eq!(closed["refunded_to_requester"], "0.051250", "the unpaid reward and its fee share");
    assert!(pob.account::<Task>(&task).await.is_none(), "the task account is closed");
    // The requester paid 0.15375 and got 0.05125 back; the admin (treasury) the 2.5% fee on 0.10.
    assert_eq!(pob.run("requester", &["wallet", "balance"]).await["tokens"], "9.897500");
    assert_eq!(pob.run("admin", &["wallet", "balance"]).await["tokens"], "0.002500");
    let unstaked = pob.run("w1", &["worker", "unstake", "1"]).await;
    assert_eq!((&unstaked["stake"], &unstaked["answers_agreed"]), (&json!("0.000000"), &json!(1)));
    assert_eq!(pob.run("w1", &["wallet", "balance"]).await["tokens"], "5.050000");
    let gone = pob.fails("anyone", &["task", "show", &task_arg]).await;
    assert_eq!(gone, format!("no task {task} on embedded"));
}

#[tokio::test]
async fn cancel_returns_an_unanswered_task() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "1", None).await;
    let spec = pob.spec("spec");
    let created =
        pob.run("requester", &["task", "create", "--spec", &spec, "--reward", "0.02", "--id", "7"]).await;
    assert_eq!(created["task_id"], 7);
    let task = text(&created["task"]).to_string();
    let taken =
        pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.02", "--id", "7"]).await;
    assert!(taken.starts_with("--id: you already have a task 7"), "{taken}");
    let stranger = pob.fails("w1", &["task", "cancel", &task]).await;
    assert!(stranger.starts_with("only the requester"), "{stranger}");
    let cancelled = pob.run("requester", &["task", "cancel", &task]).await;
    assert_eq!(cancelled["refunded"], "0.102500");
    assert_eq!(pob.run("requester", &["wallet", "balance"]).await["tokens"], "1.000000");
}

#[tokio::test]
async fn a_batch_of_tasks_is_checked_whole_then_packed_into_few_transactions() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "100", None).await;
    std::fs::write(pob.path("item.json"), "{\"image\": 1}").unwrap();
    let lines: Vec<String> = (0..12)
        .map(|i| {
            json!({"spec": "item.json", "spec_uri": format!("ipfs://item/{i}"), "id": 100 + i}).to_string()
        })
        .collect();
    let good = pob.path("tasks.jsonl");
    std::fs::write(&good, lines.join("\n")).unwrap();

    // One bad line anywhere: nothing is sent.
    let mut with_bad = lines.clone();
    with_bad.insert(5, json!({"spec": "item.json", "reward": "0.0.1"}).to_string());
    let bad = pob.path("bad.jsonl");
    std::fs::write(&bad, with_bad.join("\n")).unwrap();
    let batch = bad.display().to_string();
    let err = pob.fails("requester", &["task", "create", "--batch", &batch, "--reward", "0.05"]).await;
    assert!(err.contains("--batch task 6: --reward: expected an amount like 0.05"), "{err}");
    std::fs::write(&bad, "{\"spec\": \"item.json\", \"rewrd\": \"1\"}").unwrap();
    let err = pob.fails("requester", &["task", "create", "--batch", &batch, "--reward", "0.05"]).await;
    assert!(err.starts_with("--batch line 1: unknown field `rewrd`"), "{err}");
    let poor = pob
        .fails("requester", &["task", "create", "--batch", &good.display().to_string(), "--reward", "2"])
        .await;
    assert!(poor.contains("but the deposits need 123.000000"), "{poor}");

    let created = pob
        .run(
            "requester",
            &["task", "create", "--batch", &good.display().to_string(), "--reward", "0.05", "--answers", "3"],
        )
        .await;
    let tasks = created["tasks"].as_array().unwrap();
    let signatures = created["signatures"].as_array().unwrap();
    assert_eq!(tasks.len(), 12);
    assert!(signatures.len() <= 3, "12 tasks in {} transactions", signatures.len());
    for (i, task) in tasks.iter().enumerate() {
        let task: Task = pob.account(&key(task)).await.expect("created");
        assert_eq!((task.task_id, task.answers_required, task.state), (100 + i as u64, 3, TaskState::Open));
        assert_eq!(task.spec_uri, format!("ipfs://item/{i}"));
    }
    assert_eq!(pob.run("requester", &["task", "list"]).await["tasks"].as_array().unwrap().len(), 12);
}

#[tokio::test]
async fn a_worker_commits_and_reveals_many_answers_in_one_transaction() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "10", None).await;
    std::fs::write(pob.path("item.json"), "item").unwrap();
    let lines: Vec<String> = (0..4).map(|i| json!({"spec": "item.json", "id": i}).to_string()).collect();
    std::fs::write(pob.path("tasks.jsonl"), lines.join("\n")).unwrap();
    let batch = pob.path("tasks.jsonl").display().to_string();
    let created = pob
        .run("requester", &["task", "create", "--batch", &batch, "--reward", "0.05", "--answers", "1"])
        .await;
    let tasks: Vec<String> =
        created["tasks"].as_array().unwrap().iter().map(|t| text(t).to_string()).collect();

    pob.funded("w1", "5", Some("0.35")).await;
    let answers: Vec<String> = tasks
        .iter()
        .enumerate()
        .map(|(i, task)| json!({"task": task, "answer": format!("label {i}")}).to_string())
        .collect();
    let commits = pob.path("answers.jsonl");
    let commits_arg = commits.display().to_string();
    // Four answers lock 4 x 0.1 of stake; 0.35 is free: refused before anything is sent.
    std::fs::write(&commits, answers.join("\n")).unwrap();
    let short = pob.fails("w1", &["task", "commit", "--batch", &commits_arg]).await;
    assert!(
        short.starts_with(
            "--batch line 4: the task locks 0.100000 of stake per answer; you have 0.050000 free"
        ),
        "{short}"
    );
    assert!(!pob.secrets().exists(), "no salt stored for a batch that was refused");
    pob.run("w1", &["worker", "stake", "0.05"]).await;
    std::fs::write(&commits, format!("{}\n{{\"task\": \"nope\", \"answer\": \"x\"}}", answers.join("\n")))
        .unwrap();
    let bad = pob.fails("w1", &["task", "commit", "--batch", &commits_arg]).await;
    assert_eq!(bad, "--batch line 5: \"nope\" is not an address");
    std::fs::write(&commits, answers.join("\n")).unwrap();
    let committed = pob.run("w1", &["task", "commit", "--batch", &commits_arg]).await;
    assert_eq!(committed["tasks"].as_array().unwrap().len(), 4);
    assert_eq!(committed["signatures"].as_array().unwrap().len(), 1, "four commits, one transaction");
    let revealed = pob.run("w1", &["task", "reveal", "--all"]).await;
    assert_eq!(revealed["revealed"].as_array().unwrap().len(), 4);
    assert_eq!(revealed["signatures"].as_array().unwrap().len(), 1, "four reveals, one transaction");
    for (i, task) in tasks.iter().enumerate() {
        let task: Task = pob.account(&task.parse().unwrap()).await.unwrap();
        assert_eq!(task.tally[0].answer_hash, answer_hash(format!("label {i}").as_bytes()));
    }
    let again = pob.run("w1", &["task", "reveal", "--all"]).await;
    assert_eq!(again["revealed"], json!([]), "nothing left to reveal");
}

#[tokio::test]
async fn one_claim_at_a_time_and_the_small_commands() {
    let pob = Pob::with_protocol().await;
    let created = pob.run("admin", &["wallet", "new", &pob.path("fresh.json").display().to_string()]).await;
    let fresh = text(&created["address"]).to_string();
    assert!(pob.path("fresh.json").exists());
    let again = pob.fails("admin", &["wallet", "new", &pob.path("fresh.json").display().to_string()]).await;
    assert!(again.ends_with("already exists; not overwriting a keypair"), "{again}");
    assert_eq!(pob.run("fresh", &["wallet", "address"]).await["address"], fresh);

    pob.run("w1", &["embedded", "airdrop", "1"]).await;
    let registered = pob.run("w1", &["worker", "register"]).await;
    assert_eq!(
        (&registered["answers_committed"], &registered["wallet"]),
        (&json!(0), &json!(pob.wallet("w1").1.to_string()))
    );
    let withdrawn = pob.run("admin", &["protocol", "propose-authority", "--withdraw"]).await;
    assert_eq!(withdrawn["pending_authority"], serde_json::Value::Null);

    pob.funded("requester", "1", None).await;
    let spec = pob.spec("spec");
    let task = pob
        .run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "2"])
        .await;
    let task = text(&task["task"]).to_string();
    for worker in ["w1", "w2"] {
        pob.funded(worker, "1", Some("1")).await;
        pob.run(worker, &["task", "commit", &task, "--answer", "same"]).await;
    }
    pob.run("w1", &["task", "reveal", "--all"]).await;
    pob.run("w2", &["task", "reveal", &task]).await;
    pob.run("admin", &["task", "finalize", &task]).await;
    pob.run("admin", &["embedded", "warp", "1d"]).await;
    let own = pob.run("w1", &["task", "claim", &task]).await;
    assert_eq!(own["paid"], "0.050000");
    let (_, w2) = pob.wallet("w2");
    let cranked = pob.run("admin", &["task", "claim", &task, "--worker", &w2.to_string()]).await;
    assert_eq!((&cranked["worker"], &cranked["paid"]), (&json!(w2.to_string()), &json!("0.050000")));
    let twice = pob.fails("w1", &["task", "claim", &task]).await;
    assert!(twice.contains("has no submission left to claim"), "{twice}");
}
