//! The built `pob` binary end to end: separate invocations sharing one ledger file, the default
//! embedded setup on a fresh machine, exit codes, and a stdout that holds only the result.
use std::path::Path;
use std::process::{Command, Output};

fn pob(home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pob"))
        .args(args)
        .env("HOME", home)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env_remove("RUST_LOG")
        .output()
        .expect("run pob")
}

fn json(output: &Output) -> serde_json::Value {
    assert!(output.status.success(), "pob failed: {}", String::from_utf8_lossy(&output.stderr));
    serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
        panic!("stdout is not one JSON object ({err}): {}", String::from_utf8_lossy(&output.stdout))
    })
}

#[test]
fn two_invocations_share_one_ledger_file() {
    let home = tempfile::tempdir().unwrap();
    let ledger = home.path().join("shared-ledger.json");
    let ledger = ledger.to_str().unwrap();
    let first =
        json(&pob(home.path(), &["--ledger", ledger, "--output", "json", "embedded", "airdrop", "3"]));
    let address = first["to"].as_str().unwrap().to_string();
    json(&pob(home.path(), &["--ledger", ledger, "--output", "json", "protocol", "init"]));

    let second = json(&pob(home.path(), &["--ledger", ledger, "--output", "json", "protocol", "show"]));
    assert_eq!(second["authority"], address, "the second process sees what the first one did");
    let balance = json(&pob(home.path(), &["--ledger", ledger, "--output", "json", "wallet", "balance"]));
    assert_eq!(balance["address"], address, "the same embedded wallet in both");
    assert!(
        balance["sol"]["amount"].as_str().unwrap().starts_with("2.99"),
        "3 SOL less the rent and fees: {balance}"
    );
    let address_only = pob(home.path(), &["--ledger", ledger, "wallet", "address"]);
    assert_eq!(
        String::from_utf8_lossy(&address_only.stdout),
        format!("{address}\n"),
        "for R=$(pob wallet address)"
    );
}

#[test]
fn a_fresh_machine_gets_a_default_ledger_and_wallet() {
    let home = tempfile::tempdir().unwrap();
    let out = pob(home.path(), &["embedded", "airdrop"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Airdropped 10.000000000 SOL\n"));
    assert!(home.path().join("data/pob/embedded-ledger.json").exists());
    assert!(home.path().join("data/pob/embedded-wallet.json").exists());
    let balance = json(&pob(home.path(), &["wallet", "balance", "--output", "json-compact"]));
    assert_eq!(balance["sol"]["amount"], "10.000000000");
}

#[test]
fn failures_exit_non_zero_with_one_message_and_a_clean_stdout() {
    let home = tempfile::tempdir().unwrap();
    json(&pob(home.path(), &["embedded", "airdrop", "--output", "json"]));
    json(&pob(home.path(), &["protocol", "init", "--output", "json"]));
    json(&pob(home.path(), &["mint", "allow", "--output", "json"]));
    // Runs the program (which logs the failure on stdout in a host build) and fails.
    let out = pob(home.path(), &["withdraw", "1", "--output", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let error: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("one JSON error object on stdout");
    let message = error["error"]["message"].as_str().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.trim_end(), format!("error: {message}"), "the same sentence for people");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // A program refusal carries its name for scripts.
    let out =
        pob(home.path(), &["dao", "add-member", "11111111111111111111111111111112", "--output", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let out = pob(home.path(), &["task", "create", "--spec", "missing.txt", "--reward", "0.05"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: --spec: cannot read missing.txt: No such file or directory (os error 2)\n",
        "--spec names the flag and the file"
    );
    let out = pob(
        home.path(),
        &["task", "create", "--spec", "x", "--reward", "0.05", "--commit-window", "forever"],
    );
    assert_eq!(out.status.code(), Some(2), "clap's usage errors");
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid value 'forever' for '--commit-window"));
}

#[test]
fn concurrent_invocations_on_one_ledger_all_land() {
    let home = tempfile::tempdir().unwrap();
    json(&pob(home.path(), &["embedded", "airdrop", "1", "--output", "json"]));
    let children: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_pob"))
                .args(["embedded", "airdrop", "1"])
                .env("HOME", home.path())
                .env("XDG_DATA_HOME", home.path().join("data"))
                .env("XDG_CONFIG_HOME", home.path().join("config"))
                .stdout(std::process::Stdio::null())
                .spawn()
                .expect("spawn pob")
        })
        .collect();
    for mut child in children {
        assert!(child.wait().unwrap().success());
    }
    let balance = json(&pob(home.path(), &["wallet", "balance", "--output", "json"]));
    assert_eq!(balance["sol"]["amount"], "5.000000000", "each process waited for the ledger lock; none lost");
}

#[test]
fn the_deploy_script_initialises_and_allows_usdc() {
    let home = tempfile::tempdir().unwrap();
    json(&pob(home.path(), &["embedded", "airdrop", "--output", "json"]));
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../migrations/deploy.sh");
    let out = Command::new("bash")
        .arg(script)
        .arg("embedded")
        .env("POB", env!("CARGO_BIN_EXE_pob"))
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .output()
        .expect("run deploy.sh");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let protocol = json(&pob(home.path(), &["protocol", "show", "--output", "json"]));
    assert_eq!(protocol["fee_bps"], 250);
    let mint = json(&pob(home.path(), &["mint", "show", "--output", "json"]));
    assert_eq!(
        (&mint["enabled"], &mint["dispute_bond"]["amount"]),
        (&serde_json::json!(true), &serde_json::json!("1.000000"))
    );
}

/// Salts come from the wallet and specs from their URI: a worker reveals from another machine
/// (a fresh HOME: no secrets file, no spec store) with nothing but its keypair.
#[test]
fn a_worker_reveals_from_a_fresh_home_with_only_its_keypair() {
    let (first, second, shared) =
        (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let ledger = shared.path().join("ledger.json");
    let ledger = ledger.to_str().unwrap();
    let spec = shared.path().join("spec.json");
    std::fs::write(&spec, r#"{"version": 1, "prompt": "Animal?", "item": {"text": "meow"}, "answer": {"kind": "choice", "labels": ["cat", "dog"]}}"#).unwrap();
    let worker = shared.path().join("worker.json");
    let worker = worker.to_str().unwrap();
    let at = |home: &Path, args: &[&str]| {
        let mut all = vec!["--ledger", ledger, "--output", "json"];
        all.extend_from_slice(args);
        json(&pob(home, &all))
    };
    at(first.path(), &["embedded", "airdrop"]);
    at(first.path(), &["protocol", "init"]);
    at(first.path(), &["mint", "allow"]);
    at(first.path(), &["embedded", "mint", "5"]);
    let created = at(
        first.path(),
        &["task", "create", "--spec", spec.to_str().unwrap(), "--answers", "1", "--reward", "0.05"],
    );
    let task = created["task"].as_str().unwrap().to_string();
    at(first.path(), &["wallet", "new", worker]);
    at(first.path(), &["-k", worker, "embedded", "airdrop", "1"]);
    at(first.path(), &["-k", worker, "embedded", "mint", "1"]);
    at(first.path(), &["-k", worker, "task", "commit", &task, "--answer", "CAT"]);
    assert!(!first.path().join("config/pob/secrets.json").exists(), "nothing kept for a choice answer");

    let revealed = at(second.path(), &["-k", worker, "task", "reveal", &task]);
    assert_eq!(revealed["answer"], "cat");
    assert!(second.path().join("data/pob/specs").exists(), "the spec was fetched from its URI and verified");
}

/// `pob serve` answers `pob -u URL` (and any Solana client); Ctrl-C stops it with the ledger saved.
#[test]
fn pob_serve_runs_the_embedded_ledger_as_a_node() {
    let home = tempfile::tempdir().unwrap();
    let ledger = home.path().join("served.json");
    let ledger = ledger.to_str().unwrap();
    let wallet = home.path().join("wallet.json");
    let wallet = wallet.to_str().unwrap();
    json(&pob(home.path(), &["wallet", "new", wallet, "--output", "json"]));
    json(&pob(
        home.path(),
        &["--ledger", ledger, "-k", wallet, "embedded", "airdrop", "5", "--output", "json"],
    ));
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let server = Command::new(env!("CARGO_BIN_EXE_pob"))
        .args(["--ledger", ledger, "serve", "--port", &port])
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start pob serve");
    let url = format!("http://127.0.0.1:{port}");
    let through_node = |args: &[&str]| {
        let mut all = vec!["-u", url.as_str(), "-k", wallet, "--output", "json"];
        all.extend_from_slice(args);
        pob(home.path(), &all)
    };
    // A fresh ledger is served ready to use: the protocol initialised, the test mint allowed.
    let mut protocol = None;
    for _ in 0..100 {
        let out = through_node(&["protocol", "show"]);
        if out.status.success() {
            protocol = Some(json(&out));
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let protocol = protocol.expect("pob serve answers within 10 s");
    let authority = protocol["authority"].as_str().unwrap().to_string();
    // The authority is the ledger's own wallet; it appoints a member through the node.
    let served_wallet = home.path().join("data/pob/embedded-wallet.json");
    let member = json(&pob(home.path(), &["wallet", "address", "-k", wallet, "--output", "json"]));
    let member = member["address"].as_str().unwrap().to_string();
    let appointed = json(&pob(
        home.path(),
        &[
            "-u",
            url.as_str(),
            "-k",
            served_wallet.to_str().unwrap(),
            "--output",
            "json",
            "dao",
            "add-member",
            &member,
            "--weight",
            "100",
        ],
    ));
    assert!(appointed["signature"].is_string(), "{appointed}");

    unsafe { libc::kill(server.id() as i32, libc::SIGINT) };
    let output = server.wait_with_output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(&format!("at {url}")), "prints its URL");
    assert!(
        stderr.contains(&format!("Initialised the protocol: authority and treasury {authority}")),
        "{stderr}"
    );
    assert!(stderr.contains("Allowed the test USDC mint"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).starts_with("Stopped; the ledger is saved"));
    let saved = json(&pob(home.path(), &["--ledger", ledger, "protocol", "show", "--output", "json"]));
    assert_eq!(saved["authority"], authority, "what the node did is in the ledger file");
    assert_eq!(saved["total_member_weight"], "100", "the member appointed through the node is saved");
}
