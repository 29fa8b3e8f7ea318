//! The protocol authority, DAO members and disputes through `pob protocol|mint|dao|dispute ...`.
mod common;

use common::*;
use pob_cli::hex;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Member, Protocol, Task, TaskState};
use serde_json::json;

#[tokio::test]
async fn the_authority_governs_and_hands_over() {
    let pob = Pob::with_protocol().await;
    let shown = pob.run("anyone", &["protocol", "show"]).await;
    assert_eq!(
        (&shown["fee_bps"], &shown["dispute_window"], &shown["paused"]),
        (&json!(250), &json!("1d"), &json!(false))
    );
    let again = pob.fails("admin", &["protocol", "init"]).await;
    assert!(again.starts_with("the protocol is already initialised on embedded"), "{again}");

    let updated =
        pob.run("admin", &["protocol", "update", "--fee-bps", "100", "--vote-window", "3d", "--pause"]).await;
    assert_eq!(
        (&updated["fee_bps"], &updated["vote_window"], &updated["paused"]),
        (&json!(100), &json!("3d"), &json!(true))
    );
    let protocol: Protocol = pob.account(&pob_cli::pda::protocol()).await.unwrap();
    assert_eq!(
        (protocol.params.fee_bps, protocol.params.vote_window_secs, protocol.paused),
        (100, 3 * 86_400, true)
    );
    let nothing = pob.fails("admin", &["protocol", "update"]).await;
    assert!(nothing.starts_with("nothing to update"), "{nothing}");
    let too_high = pob.fails("admin", &["protocol", "update", "--fee-bps", "2000"]).await;
    assert!(too_high.contains("FeeAboveCap"), "{too_high}");
    pob.run("stranger", &["embedded", "airdrop", "1"]).await;
    let not_authority = pob.fails("stranger", &["protocol", "update", "--unpause"]).await;
    assert!(not_authority.contains("NotProtocolAuthority"), "{not_authority}");

    pob.funded("requester", "1", None).await;
    let spec = pob.spec("spec");
    let paused = pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.05"]).await;
    assert_eq!(paused, "the protocol is paused: no new tasks for now");
    pob.run("admin", &["protocol", "update", "--unpause"]).await;

    let mint = pob.run("admin", &["mint", "show"]).await;
    assert_eq!((&mint["enabled"], &mint["min_reward_per_answer"]), (&json!(true), &json!("0.010000")));
    let mint_address = text(&mint["mint"]).to_string();
    let low = pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.001"]).await;
    assert_eq!(low, "--reward: at least 0.010000 per answer for this mint");
    let disabled = pob.run("admin", &["mint", "disable", &mint_address]).await;
    assert_eq!(disabled["enabled"], false);
    let refused = pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.05"]).await;
    assert_eq!(refused, format!("mint {mint_address} is disabled for new tasks"));

    let (_, stranger) = pob.wallet("stranger");
    let proposed = pob.run("admin", &["protocol", "propose-authority", &stranger.to_string()]).await;
    assert_eq!(proposed["pending_authority"], stranger.to_string());
    let accepted = pob.run("stranger", &["protocol", "accept-authority"]).await;
    assert_eq!(accepted["authority"], stranger.to_string());
    let old = pob.fails("admin", &["protocol", "update", "--unpause"]).await;
    assert!(old.contains("NotProtocolAuthority"), "{old}");
}

#[tokio::test]
async fn members_overturn_a_quorum_in_a_dispute() {
    let pob = Pob::with_protocol().await;
    for member in ["m1", "m2"] {
        pob.run(member, &["embedded", "airdrop", "1"]).await;
        let (_, wallet) = pob.wallet(member);
        let added = pob.run("admin", &["dao", "add-member", &wallet.to_string(), "--weight", "2"]).await;
        assert_eq!((&added["kind"], &added["weight"]), (&json!("appointed"), &json!(2)));
    }
    let (_, m2) = pob.wallet("m2");
    assert_eq!(pob.run("admin", &["dao", "set-weight", &m2.to_string(), "1"]).await["weight"], 1);
    let members = pob.run("anyone", &["dao", "members"]).await;
    assert_eq!(members["total_weight"], 3);
    assert_eq!(members["members"].as_array().unwrap().len(), 2);

    pob.funded("requester", "10", None).await;
    let spec = pob.spec("Which animal? cat/dog");
    let created = pob
        .run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "3"])
        .await;
    let task = text(&created["task"]).to_string();
    for (worker, answer) in [("w1", "cat"), ("w2", "cat"), ("w3", "dog")] {
        pob.funded(worker, "3", Some("1")).await;
        pob.run(worker, &["task", "commit", &task, "--answer", answer]).await;
    }
    for worker in ["w1", "w2", "w3"] {
        pob.run(worker, &["task", "reveal", &task]).await;
    }
    pob.run("admin", &["task", "finalize", &task]).await;

    let no_bond = pob.fails("m1", &["dispute", "open", &task, "--reason", "wrong"]).await;
    assert_eq!(no_bond, "opening a dispute posts a bond of 1.000000; the wallet holds 0.000000");
    pob.run("m1", &["embedded", "mint", "2"]).await;
    let outsider = pob.fails("m1", &["dispute", "open", &task, "--reason", "wrong"]).await;
    assert!(outsider.contains("NotEligibleToDispute"), "{outsider}");
    let opened = pob.run("w3", &["dispute", "open", &task, "--reason", "it is a dog, see the ears"]).await;
    assert_eq!(opened["bond"], "1.000000");
    assert_eq!(opened["reason_hash"], hex::encode(&answer_hash(b"it is a dog, see the ears")));
    let candidates = opened["candidates"].as_array().unwrap();
    assert_eq!(candidates.len(), 3, "cat, dog, void");
    assert_eq!(candidates[0]["is_outcome"], true);

    let unknown = pob.fails("m1", &["dispute", "vote", &task, "--answer", "horse"]).await;
    assert_eq!(unknown, format!("--answer: nobody revealed \"horse\" on task {task}"));
    let worker_vote = pob.fails("w1", &["dispute", "vote", &task, "--void"]).await;
    assert!(worker_vote.contains("AccountNotInitialized"), "not a member: {worker_vote}");
    let voted = pob.run("m2", &["dispute", "vote", &task, "--choice", "1"]).await;
    assert_eq!((&voted["weight_cast"], &voted["candidates"][1]["weight"]), (&json!(1), &json!(1)));
    let early = pob.fails("admin", &["dispute", "resolve", &task]).await;
    assert!(early.contains("VotingStillOpen"), "1 of 3 is no majority yet: {early}");
    let voted = pob.run("m1", &["dispute", "vote", &task, "--answer", "dog"]).await;
    assert_eq!(voted["weight_cast"], 3);
    // Every weight has voted: an absolute majority resolves before the vote deadline.
    let resolved = pob.run("admin", &["dispute", "resolve", &task]).await;
    assert_eq!(resolved["outcome"], hex::encode(&answer_hash(b"dog")), "members overturned the quorum");
    let on_chain: Task = pob.account(&key(&created["task"])).await.unwrap();
    assert_eq!(on_chain.state, TaskState::Finalized);
    pob.run("admin", &["dispute", "close-vote", &task, "--member", &m2.to_string()]).await;
    let closed_twice =
        pob.fails("admin", &["dispute", "close-vote", &task, "--member", &m2.to_string()]).await;
    assert!(closed_twice.contains("has no vote"), "{closed_twice}");

    pob.run("admin", &["task", "claim", &task, "--all"]).await;
    // w3 staked 1 of its 3, paid the 1 bond (refunded: the outcome changed), earned the reward.
    assert_eq!(pob.run("w3", &["wallet", "balance"]).await["tokens"], "2.050000");
    assert_eq!(pob.run("w1", &["wallet", "balance"]).await["tokens"], "2.000000");

    pob.run("admin", &["dao", "remove-member", &m2.to_string()]).await;
    assert!(pob.account::<Member>(&pob_cli::pda::member(&m2)).await.is_none());
    pob.run("m1", &["dao", "leave"]).await;
    assert_eq!(pob.run("anyone", &["dao", "members"]).await["members"], json!([]));
    let chamber = pob.fails("w3", &["dao", "join"]).await;
    assert!(chamber.contains("NotEnoughAgreedAnswers"), "one agreed answer, ten needed: {chamber}");
    // w3's answer is the outcome after the dispute; let one agreed answer and a stake of 1 be
    // enough, and pay a priority fee (instruction 0 sets the compute-unit price).
    pob.run("admin", &["protocol", "update", "--chamber-min-agreed", "1", "--chamber-min-stake", "1"]).await;
    let w1_fails = pob.fails("w1", &["--with-compute-unit-price", "1000", "dao", "join"]).await;
    assert!(
        w1_fails.starts_with("instruction 1 failed: NotEnoughAgreedAnswers"),
        "cat was overturned: {w1_fails}"
    );
    let joined = pob.run("w3", &["--with-compute-unit-price", "1000", "dao", "join"]).await;
    assert_eq!((&joined["kind"], &joined["weight"]), (&json!("worker chamber"), &json!(1)));
    assert_eq!(pob.run("anyone", &["dao", "members"]).await["total_weight"], 1);
}
