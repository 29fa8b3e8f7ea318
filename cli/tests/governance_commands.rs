//! The protocol authority, DAO members and disputes through `pob protocol|mint|dao|dispute ...`.

use crate::common::*;
use proof_of_brain::state::{Member, Protocol, TASK_FINALIZED};
use serde_json::json;

#[tokio::test]
async fn the_authority_governs_and_hands_over() {
    let pob = Pob::with_protocol().await;
    let shown = pob.run("anyone", &["protocol", "show"]).await;
    assert_eq!(
        (&shown["fee"], &shown["dispute_window"], &shown["paused"]),
        (&json!("2.5%"), &json!("1d"), &json!(false))
    );
    let again = pob.fails("admin", &["protocol", "init"]).await;
    assert!(again.starts_with("the protocol is already initialised on embedded"), "{again}");

    let updated =
        pob.run("admin", &["protocol", "update", "--fee", "1%", "--vote-window", "3d", "--pause"]).await;
    assert_eq!(
        (&updated["fee_bps"], &updated["vote_window"], &updated["paused"]),
        (&json!(100), &json!("3d"), &json!(true))
    );
    let protocol: Protocol = pob.account(&pob_cli::pda::protocol()).await.unwrap();
    assert_eq!((protocol.fee_bps, protocol.vote_window_secs, protocol.paused), (100, 3 * 86_400, 1));
    let nothing = pob.fails("admin", &["protocol", "update"]).await;
    assert!(nothing.starts_with("nothing to update"), "{nothing}");
    let too_high = pob.fails("admin", &["protocol", "update", "--fee", "20%"]).await;
    assert!(too_high.starts_with("--fee:") && too_high.contains("10%"), "{too_high}");
    pob.run("stranger", &["embedded", "airdrop", "1"]).await;
    let not_authority = pob.fails("stranger", &["protocol", "update", "--unpause"]).await;
    assert!(not_authority.starts_with("only the protocol authority"), "{not_authority}");

    pob.funded("requester", "1").await;
    let spec = pob.choice_spec("spec.json", &["yes", "no"]);
    let paused = pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.05"]).await;
    assert!(paused.starts_with("the protocol is paused"), "{paused}");
    pob.run("admin", &["protocol", "update", "--unpause"]).await;

    let mint = pob.run("admin", &["mint", "show"]).await;
    assert_eq!((&mint["enabled"], amount(&mint["min_reward_per_answer"])), (&json!(true), "0.010000"));
    let mint_address = text(&mint["mint"]).to_string();
    let low = pob.fails("requester", &["task", "create", "--spec", &spec, "--reward", "0.001"]).await;
    assert!(low.starts_with("--reward: 0.001000 is below this mint's wage floor of 0.010000"), "{low}");
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
    assert!(old.starts_with("only the protocol authority"), "{old}");
}

#[tokio::test]
async fn members_overturn_a_quorum_in_a_dispute() {
    let pob = Pob::with_protocol().await;
    for member in ["m1", "m2", "m3"] {
        pob.run(member, &["embedded", "airdrop", "1"]).await;
        let (_, wallet) = pob.wallet(member);
        let added = pob.run("admin", &["dao", "add-member", &wallet.to_string(), "--weight", "50"]).await;
        assert_eq!((&added["kind"], &added["weight"]), (&json!("appointed"), &json!("50")));
    }
    let (_, m2) = pob.wallet("m2");
    let (_, m3) = pob.wallet("m3");
    for member in [m2, m3] {
        assert_eq!(
            pob.run("admin", &["dao", "set-weight", &member.to_string(), "--weight", "100"]).await["weight"],
            "100"
        );
    }
    let (_, m1) = pob.wallet("m1");
    pob.run("admin", &["dao", "set-weight", &m1.to_string(), "--weight", "100"]).await;
    let members = pob.run("anyone", &["dao", "members"]).await;
    assert_eq!(members["total_weight"], "300");
    // Weight counts only on disputes opened after it was set.
    pob.run("admin", &["embedded", "warp", "1m"]).await;

    pob.funded("requester", "10").await;
    let spec = pob.choice_spec("spec.json", &["cat", "dog"]);
    let created = pob
        .run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "3"])
        .await;
    let task = text(&created["task"]).to_string();
    for (worker, answer) in [("w1", "cat"), ("w2", "cat"), ("w3", "dog")] {
        pob.funded(worker, "3").await;
        pob.run(worker, &["task", "commit", &task, "--answer", answer]).await;
    }
    pob.run("w1", &["task", "reveal", &task]).await;
    pob.run("w2", &["task", "reveal", &task]).await;
    pob.run("w3", &["task", "reveal", "--all"]).await;
    pob.run("admin", &["task", "finalize", &task]).await;

    let no_bond = pob.fails("m1", &["dispute", "open", &task, "--reason", "wrong"]).await;
    assert!(no_bond.starts_with("the dispute bond needs 1.000000"), "{no_bond}");
    pob.run("m1", &["embedded", "mint", "2"]).await;
    let outsider = pob.fails("m1", &["dispute", "open", &task, "--reason", "wrong"]).await;
    assert!(outsider.contains("NotEligibleToDispute"), "{outsider}");
    let opened = pob.run("w3", &["dispute", "open", &task, "--reason", "it is a dog, see the ears"]).await;
    assert_eq!(amount(&opened["bond"]), "1.000000");
    assert_eq!(amount(&opened["deposited"]), "1.000000", "the bond came from the token account");
    let candidates = opened["candidates"].as_array().unwrap();
    let labels: Vec<&str> = candidates.iter().map(|c| text(&c["label"])).collect();
    assert_eq!(labels, ["cat", "dog", "void"]);
    assert_eq!(candidates[0]["is_outcome"], true);

    let unknown = pob.fails("m1", &["dispute", "vote", &task, "--answer", "horse"]).await;
    assert!(unknown.starts_with("--answer: nobody revealed \"horse\""), "{unknown}");
    let worker_vote = pob.fails("w1", &["dispute", "vote", &task, "--void"]).await;
    assert!(worker_vote.contains("is not a DAO member"), "{worker_vote}");
    let voted = pob.run("m2", &["dispute", "vote", &task, "--choice", "1"]).await;
    assert_eq!((&voted["weight_cast"], &voted["candidates"][1]["weight"]), (&json!("100"), &json!("100")));
    let early = pob.fails("admin", &["dispute", "resolve", &task]).await;
    assert!(
        early.contains("can be resolved sooner once one answer holds more than half of the 300"),
        "{early}"
    );
    pob.run("m1", &["dispute", "vote", &task, "--answer", " DOG"]).await;
    let voted = pob.run("m3", &["dispute", "vote", &task, "--answer", "cat"]).await;
    assert_eq!(voted["weight_cast"], "300");
    // Every weight has voted and "dog" holds a majority: resolvable before the deadline.
    let resolved = pob.run("admin", &["dispute", "resolve", &task]).await;
    assert_eq!((&resolved["state"], &resolved["outcome"]), (&json!("overturned"), &json!("dog")));
    assert_eq!(resolved["bond_returned"], true);
    let on_chain = pob.task(&key(&created["task"])).await.unwrap();
    assert_eq!(on_chain.state, TASK_FINALIZED);
    pob.run("admin", &["dispute", "close-vote", &task, "--member", &m2.to_string()]).await;
    let closed_twice =
        pob.fails("admin", &["dispute", "close-vote", &task, "--member", &m2.to_string()]).await;
    assert!(closed_twice.contains("has no vote left to close"), "{closed_twice}");

    pob.run("admin", &["task", "claim", &task, "--all"]).await;
    let results = pob.run("requester", &["task", "results", &task]).await;
    let row = &results["results"][0];
    assert_eq!(
        (&row["label"], &row["dispute"], &row["votes"]),
        (&json!("dog"), &json!("overturned"), &json!(1))
    );
    assert_eq!(row["agreement"], "1/3", "one of three revealers said dog");
    // w3: the bond back, its stake back, the reward.
    assert_eq!(amount(&pob.run("w3", &["balance"]).await["free"]), "1.150000");
    assert_eq!(
        amount(&pob.run("w1", &["balance"]).await["free"]),
        "0.100000",
        "cat was overturned: stake back"
    );

    pob.run("admin", &["dao", "remove-member", &m2.to_string()]).await;
    assert!(pob.account::<Member>(&pob_cli::pda::member(&m2)).await.is_none());
    pob.run("m1", &["dao", "leave"]).await;
    let members = pob.run("anyone", &["dao", "members"]).await;
    assert_eq!(members["members"].as_array().unwrap().len(), 1);
    let chamber = pob.fails("w3", &["dao", "join", "--amount", "1"]).await;
    assert!(
        chamber.starts_with("the worker chamber takes workers who earned at least 10.000000"),
        "{chamber}"
    );
}

#[tokio::test]
async fn a_worker_joins_the_chamber_and_the_treasury_takes_its_fees() {
    let pob = Pob::new();
    pob.run("admin", &["embedded", "airdrop", "10"]).await;
    pob.run("admin", &["protocol", "init"]).await;
    pob.run("admin", &["mint", "allow", "--chamber-min-rewards", "0.05"]).await;
    pob.funded("requester", "5").await;
    let deposited = pob.run("requester", &["deposit", "2"]).await;
    assert_eq!((amount(&deposited["deposited"]), amount(&deposited["free"])), ("2.000000", "2.000000"));
    let spec = pob.choice_spec("spec.json", &["cat", "dog"]);
    let created = pob
        .run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "1"])
        .await;
    assert_eq!(amount(&created["deposited_from_wallet"]), "0.000000", "the balance covered it");
    let task = text(&created["task"]).to_string();
    pob.funded("w1", "3").await;
    pob.run("w1", &["task", "commit", &task, "--answer", "cat"]).await;
    pob.run("w1", &["task", "reveal", &task]).await;
    pob.run("admin", &["task", "finalize", &task]).await;
    pob.run("admin", &["embedded", "warp", "1d"]).await;
    pob.run("admin", &["task", "claim", &task, "--all"]).await;
    pob.run("admin", &["task", "close", &task]).await;

    let poor = pob.fails("w1", &["dao", "join", "--amount", "5"]).await;
    assert!(poor.starts_with("the chamber stake needs 5.000000"), "{poor}");
    let joined = pob.run("w1", &["dao", "join", "--amount", "2"]).await;
    assert_eq!(
        (&joined["kind"], &joined["weight"]),
        (&json!("worker chamber"), &json!("2")),
        "1 weight per token"
    );
    let balance = pob.run("w1", &["balance"]).await;
    assert_eq!(amount(&balance["chamber_locked"]), "2.000000");
    let locked = pob.fails("w1", &["dao", "release"]).await;
    assert!(locked.contains("dao leave` first"), "{locked}");
    let left = pob.run("w1", &["dao", "leave"]).await;
    assert_eq!(amount(&left["chamber_stake"]), "2.000000");
    let early = pob.fails("w1", &["dao", "release"]).await;
    assert!(early.starts_with("the chamber stake unlocks "), "{early}");
    pob.run("admin", &["embedded", "warp", "2d"]).await;
    let released = pob.run("w1", &["dao", "release"]).await;
    assert_eq!(amount(&released["released"]), "2.000000");

    let fees = pob.run("anyone", &["fees", "show"]).await;
    assert_eq!(amount(&fees["accrued"]), "0.001250", "2.5% of the 0.05 paid");
    pob.funded("stranger", "0").await;
    let stranger = pob.fails("stranger", &["fees", "withdraw", "--all"]).await;
    assert!(stranger.contains("treasury"), "{stranger}");
    let taken = pob.run("admin", &["fees", "withdraw", "--all"]).await;
    assert_eq!(amount(&taken["withdrawn"]), "0.001250");
    assert_eq!(amount(&pob.run("admin", &["wallet", "balance"]).await["tokens"]), "0.001250");
}

#[tokio::test]
async fn a_resolved_dispute_is_shown_from_its_history() {
    let pob = Pob::with_protocol().await;
    for member in ["m1", "m2", "m3"] {
        pob.run(member, &["embedded", "airdrop", "1"]).await;
        let (_, wallet) = pob.wallet(member);
        pob.run("admin", &["dao", "add-member", &wallet.to_string()]).await;
    }
    pob.run("admin", &["embedded", "warp", "1m"]).await;
    pob.funded("requester", "5").await;
    let spec = pob.choice_spec("spec.json", &["yes", "no"]);
    let created = pob
        .run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05", "--answers", "1"])
        .await;
    let task = text(&created["task"]).to_string();
    pob.funded("w1", "1").await;
    pob.run("w1", &["task", "commit", &task, "--answer", "no"]).await;
    pob.run("w1", &["task", "reveal", &task]).await;
    pob.run("admin", &["task", "finalize", &task]).await;
    pob.run("requester", &["dispute", "open", &task, "--reason", "it is yes"]).await;
    let shown = pob.run("anyone", &["dispute", "show", &task]).await;
    assert_eq!((&shown["state"], &shown["candidates"][0]["label"]), (&json!("voting"), &json!("no")));
    for member in ["m1", "m2", "m3"] {
        pob.run(member, &["dispute", "vote", &task, "--void"]).await;
    }
    let resolved = pob.run("admin", &["dispute", "resolve", &task]).await;
    assert_eq!((&resolved["state"], &resolved["outcome"]), (&json!("overturned"), &json!("void")));
    let history = pob.run("anyone", &["dispute", "show", &task]).await;
    assert_eq!(history["votes"].as_array().unwrap().len(), 3, "from the transactions: {history}");
    assert_eq!(history["bond_returned"], true);
    let results = pob.run("requester", &["task", "results", &task]).await;
    let row = &results["results"][0];
    assert_eq!(
        (&row["label"], &row["no_quorum"], &row["dispute"]),
        (&json!(null), &json!(true), &json!("overturned")),
        "void"
    );
    let record = pob.run("anyone", &["requester", "show", &pob.wallet("requester").1.to_string()]).await;
    assert_eq!(record["disputes_opened"], 1);
}
