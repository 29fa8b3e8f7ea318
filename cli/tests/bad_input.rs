//! Bad input: a one-line error naming the flag or thing that is wrong, and nothing sent (every
//! case runs through `Pob::fails`, which proves the ledger unchanged).

use crate::common::*;

#[tokio::test]
async fn malformed_flags_name_the_flag_and_send_nothing() {
    let pob = Pob::with_protocol().await;
    pob.funded("requester", "10").await;
    let spec = pob.choice_spec("spec.json", &["yes", "no"]);
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
        (create(&["--reward", "100"]), "the task (rewards + fee) needs 512.500000"),
        (create(&["--gold", "maybe"]), "--gold: "),
        (create(&["--min-agreement", "101%"]), "expected at most 100%"),
        (create(&["--commit-window", "1m"]), "--commit-window: "),
        (create(&["--commit-window", "60d"]), "--commit-window: "),
        (vec!["task".into(), "show".into(), "xyz".into()], "invalid value 'xyz' for '<TASK>'"),
        (vec!["embedded".into(), "warp".into(), "soon".into()], "invalid value 'soon' for '<DURATION>'"),
        (vec!["deposit".into(), "1,5".into()], "AMOUNT: expected an amount like 0.05, got \"1,5\""),
        (vec!["withdraw".into(), "0".into()], "AMOUNT: "),
        (vec!["dao".into(), "set-weight".into(), "11111111111111111111111111111111".into(), "3".into()], "unexpected argument '3'"),
    ];
    for (args, expected) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let err = pob.fails("requester", &args).await;
        assert!(err.contains(expected), "pob {args:?}:\n  got      {err}\n  expected {expected}");
        assert!(!err.trim_end().contains("\n\n\n"), "short: {err}");
    }
}

#[tokio::test]
async fn unknown_things_and_bad_specs_are_explained() {
    let pob = Pob::with_protocol().await;
    let nowhere = solana_sdk::pubkey::Pubkey::new_unique().to_string();
    let err = pob.fails("admin", &["task", "show", &nowhere]).await;
    assert!(err.starts_with(&format!("no task {nowhere} on embedded")), "{err}");
    let err = pob.fails("admin", &["task", "commit", &nowhere, "--answer", "yes"]).await;
    assert!(err.starts_with(&format!("no open task {nowhere} on embedded")), "{err}");
    let err = pob.fails("admin", &["dispute", "show", &nowhere]).await;
    assert!(err.contains("has no dispute on record"), "{err}");
    let err = pob.fails("admin", &["mint", "show", "--", &nowhere]).await;
    assert_eq!(err, format!("no mint {nowhere} on embedded"));

    pob.funded("requester", "10").await;
    // Every problem of a spec, each with its field.
    let bad_spec = pob.write(
        "bad.json",
        r#"{"version": 2, "prompt": "", "item": {}, "answer": {"kind": "choice", "labels": ["Cat", "cat "]}, "extra": 1}"#,
    );
    let err = pob.fails("requester", &["task", "create", "--spec", &bad_spec, "--reward", "0.05"]).await;
    for field in ["version", "prompt", "item", "labels", "extra"] {
        assert!(err.contains(field), "names {field}: {err}");
    }
    assert!(err.lines().count() >= 5, "one line per problem: {err}");
    let not_json = pob.write("text.txt", "Is there a cat?");
    let err = pob.fails("requester", &["task", "create", "--spec", &not_json, "--reward", "0.05"]).await;
    assert!(err.starts_with(&format!("--spec {not_json}: ")), "{err}");

    let spec = pob.choice_spec("spec.json", &["yes", "no"]);
    let task = pob.run("requester", &["task", "create", "--spec", &spec, "--reward", "0.05"]).await;
    let task = text(&task["task"]).to_string();
    pob.funded("w1", "0.05").await;
    let err = pob.fails("w1", &["task", "commit", &task, "--answer", "yes"]).await;
    assert!(
        err.starts_with("the stake needs 0.100000 in ") && err.contains("get 0.050000 more tokens"),
        "{err}"
    );
    let err = pob.fails("w1", &["task", "commit", &task, "--answer", "maybe"]).await;
    assert!(err.starts_with("--answer: ") && err.contains("\"yes\", \"no\""), "{err}");
    let err = pob.fails("w1", &["task", "reveal", &task]).await;
    assert!(err.contains("has no commitment on task"), "{err}");
    let err = pob.fails("w1", &["dispute", "open", &task, "--reason", "x"]).await;
    assert!(err.starts_with("the dispute bond needs 1.000000"), "{err}");
    let err = pob.fails("w1", &["withdraw", "1"]).await;
    assert!(err.contains("has no balance in"), "{err}");
    let err = pob.fails("w1", &["dispute", "vote", &task, "--void"]).await;
    assert!(err.contains("has no open dispute"), "{err}");
    let err = pob.fails("requester", &["task", "finalize", &task]).await;
    assert!(
        err.contains("can be finalized once every committed answer is revealed or the reveal phase ends"),
        "{err}"
    );
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

/// Every argument and option of every command says what it is in `--help`.
#[test]
fn every_argument_has_help() {
    use clap::CommandFactory;
    fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
        for arg in command.get_arguments() {
            let builtin = matches!(arg.get_id().as_str(), "help" | "version");
            if !builtin && arg.get_help().is_none() && arg.get_long_help().is_none() {
                missing.push(format!("{path} {}", arg.get_id()));
            }
        }
        for sub in command.get_subcommands() {
            if sub.get_about().is_none() {
                missing.push(format!("{path} {} (no description)", sub.get_name()));
            }
            walk(sub, &format!("{path} {}", sub.get_name()), missing);
        }
    }
    let mut missing = Vec::new();
    walk(&pob_cli::app::Cli::command(), "pob", &mut missing);
    assert!(missing.is_empty(), "without help text: {missing:#?}");
}

/// A node that cannot be reached is named, with the way to try pob without one.
#[tokio::test]
async fn an_unreachable_node_is_named_with_the_way_out() {
    let err = pob_cli::app::run(["pob", "-u", "http://127.0.0.1:9", "protocol", "show"]).await.unwrap_err();
    let err = format!("{err:#}");
    assert!(err.contains("cannot reach the RPC node at http://127.0.0.1:9"), "{err}");
    assert!(err.contains("-u embedded"), "{err}");
}
