//! Bad input: a one-line error naming the flag or thing that is wrong, and nothing sent (every
//! case runs through `Pob::fails`, which proves the ledger unchanged).
mod common;

use common::*;

#[tokio::test]
async fn malformed_flags_name_the_flag_and_send_nothing() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "10", None).await;
    let spec = pob.spec("spec");
    let create = |extra: &[&'static str]| {
        let mut args = vec!["task", "create", "--spec", spec.as_str()];
        if !extra.contains(&"--reward") {
            args.extend(["--reward", "0.05"]);
        }
        args.extend_from_slice(extra);
        args.into_iter().map(String::from).collect::<Vec<_>>()
    };
    let cases: Vec<(Vec<String>, &str)> = vec![
        (create(&["--reward", "0.0.5"]), "--reward: expected an amount like 0.05, got \"0.0.5\""),
        (create(&["--reward", "-1"]), "unexpected argument '-1' found"),
        (create(&["--reward", "0.0000001"]), "--reward: this mint has 6 decimals; the amount has more"),
        (create(&["--stake", "1e3"]), "--stake: expected an amount like 0.05, got \"1e3\""),
        (create(&["--commit-window", "5x"]), "invalid value '5x' for '--commit-window <COMMIT_WINDOW>': expected a duration like 90s, 30m, 1h or 2d, got \"5x\""),
        (create(&["--reveal-window", "0s"]), "invalid value '0s' for '--reveal-window <REVEAL_WINDOW>': expected a positive duration"),
        (create(&["--no-quorum-pay", "150%"]), "invalid value '150%' for '--no-quorum-pay <NO_QUORUM_PAY>': expected at most 100%"),
        (create(&["--quorum", "1", "--answers", "4"]), "--quorum: expected more than half of --answers (4) and at most it, got 1"),
        (create(&["--answers", "40"]), "--answers: expected 1 to 32, got 40"),
        (create(&["--mint", "not-an-address"]), "invalid value 'not-an-address' for '--mint <MINT>'"),
        (create(&["--reward", "100"]), "but the deposit needs 512.500000 (rewards + fee)"),
        (vec!["task".into(), "show".into(), "xyz".into()], "invalid value 'xyz' for '<TASK>'"),
        (vec!["embedded".into(), "warp".into(), "soon".into()], "invalid value 'soon' for '<DURATION>'"),
        (vec!["worker".into(), "stake".into(), "1,5".into()], "amount: expected an amount like 0.05, got \"1,5\""),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = pob.fails("requester", &args).await;
        assert!(err.contains(expected), "pob {args:?}:\n  got      {err}\n  expected {expected}");
        assert!(!err.trim_end().contains("\n\n\n"), "short: {err}");
    }
}

#[tokio::test]
async fn unknown_things_and_missing_secrets_are_explained() {
    let pob = Pob::with_protocol().await;
    let nowhere = solana_sdk::pubkey::Pubkey::new_unique().to_string();
    let err = pob.fails("admin", &["task", "show", &nowhere]).await;
    assert_eq!(err, format!("no task {nowhere} on embedded"));
    let err = pob.fails("admin", &["task", "commit", &nowhere, "--answer", "yes"]).await;
    assert_eq!(err, format!("no task {nowhere} on embedded"));
    let err = pob.fails("admin", &["dispute", "show", &nowhere]).await;
    assert_eq!(err, format!("no task {nowhere} on embedded"));
    let err = pob.fails("admin", &["mint", "show", "--", &nowhere]).await;
    assert_eq!(err, format!("no mint {nowhere} on embedded"));

    pob.funded("requester", "10", None).await;
    let spec = pob.spec("spec");
    let task = pob.run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05"]).await;
    let task = text(&task["task"]).to_string();
    let err = pob.fails("w1", &["task", "commit", &task, "--answer", "yes"]).await;
    assert!(err.contains("is not a registered worker: stake first"), "{err}");
    pob.funded("w1", "1", Some("0.05")).await;
    let err = pob.fails("w1", &["task", "commit", &task, "--answer", "yes"]).await;
    assert_eq!(
        err,
        "the task locks 0.100000 of stake per answer; you have 0.050000 free (`pob worker stake`)"
    );
    pob.run("w1", &["worker", "stake", "0.05"]).await;
    let err = pob.fails("w1", &["task", "reveal", &task]).await;
    assert!(err.starts_with("no stored salt for task"), "{err}");
    pob.run("w1", &["task", "commit", &task, "--answer", "yes"]).await;
    std::fs::remove_file(pob.secrets()).unwrap();
    let err = pob.fails("w1", &["task", "reveal", &task]).await;
    assert!(err.starts_with(&format!("no stored salt for task {task} and wallet")), "{err}");
    assert!(err.contains("was the answer committed from this machine"), "{err}");

    let err = pob.fails("w1", &["worker", "stake", "5"]).await;
    assert!(err.starts_with("the wallet holds 0.900000 of "), "1 minted, 0.1 staked: {err}");
    let err = pob.fails("w1", &["worker", "unstake", "0.05"]).await;
    assert!(err.contains("UnstakeExceedsFreeStake"), "the committed answer holds all of it: {err}");
    let err = pob.fails("w1", &["worker", "register"]).await;
    assert!(err.contains("is already registered"), "{err}");
    let err = pob.fails("w1", &["dispute", "open", &task, "--reason", "x"]).await;
    assert!(err.starts_with("opening a dispute posts a bond"), "{err}");
}

#[tokio::test]
async fn keypairs_and_clusters_that_cannot_work_are_refused() {
    let pob = Pob::with_protocol().await;
    let before = pob.accounts();
    let missing = pob.path("nope.json").display().to_string();
    let err = pob.run_raw(&["-k", &missing, "worker", "register"]).await.unwrap_err();
    assert_eq!(
        err,
        format!("keypair file {missing} not found (create one with `solana-keygen new`, or pass -k)")
    );
    let garbage = pob.path("garbage.json");
    std::fs::write(&garbage, "[1, 2, 3]").unwrap();
    let garbage = garbage.display().to_string();
    let err = pob.run_raw(&["-k", &garbage, "worker", "register"]).await.unwrap_err();
    assert!(err.starts_with(&format!("{garbage} is not a readable keypair file")), "{err}");
    let err = pob
        .run_raw(&["--program-id", "11111111111111111111111111111111", "protocol", "show"])
        .await
        .unwrap_err();
    assert!(err.starts_with("--program-id: the embedded ledger runs the built-in program"), "{err}");
    let err = pob_cli::app::run(["pob", "-u", "mainnet", "protocol", "show"]).await.unwrap_err().to_string();
    assert!(err.starts_with("--url: expected embedded, localhost"), "{err}");
    let err = pob_cli::app::run(["pob", "-u", "devnet", "--ledger", "x.json", "protocol", "show"])
        .await
        .unwrap_err();
    assert_eq!(err.to_string(), "--ledger: only used with --url embedded");
    let err = pob.run_raw(&["-k", &missing, "embedded", "airdrop", "lots"]).await.unwrap_err();
    assert_eq!(err, "SOL: expected an amount like 0.05, got \"lots\"");
    assert_eq!(pob.accounts(), before, "nothing was sent");
}
