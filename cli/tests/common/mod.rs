//! Drives `pob` through the library (`pob_cli::app::run`, the binary's own code path) against an
//! embedded ledger in a temporary directory, and reads that ledger back to check on-chain state.
#![allow(dead_code)] // each test file uses part of this

pub mod schema;

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anchor_lang::{Discriminator, ZeroCopy};
use pob_cli::embedded::EmbeddedBank;
use serde_json::Value;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

pub struct Pob {
    pub dir: tempfile::TempDir,
}

impl Pob {
    pub fn new() -> Self {
        Self { dir: tempfile::tempdir().expect("temp dir") }
    }

    pub fn ledger(&self) -> PathBuf {
        self.dir.path().join("ledger.json")
    }

    pub fn secrets(&self) -> PathBuf {
        self.dir.path().join("secrets.json")
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A keypair file named `name` (created once) and its address.
    pub fn wallet(&self, name: &str) -> (PathBuf, Pubkey) {
        let path = self.path(&format!("{name}.json"));
        if !path.exists() {
            write_keypair_file(&Keypair::new(), &path).expect("write keypair");
        }
        let keypair = solana_sdk::signature::read_keypair_file(&path).expect("read keypair");
        (path, keypair.pubkey())
    }

    fn args(&self, wallet: &str, args: &[&str]) -> Vec<String> {
        let (keypair, _) = self.wallet(wallet);
        let mut all: Vec<String> =
            ["pob", "-u", "embedded", "--output", "json-compact"].iter().map(|s| s.to_string()).collect();
        for (flag, value) in
            [("--ledger", self.ledger()), ("--secrets-file", self.secrets()), ("-k", keypair)]
        {
            all.push(flag.into());
            all.push(value.display().to_string());
        }
        all.extend(args.iter().map(|s| s.to_string()));
        all
    }

    /// Runs `pob ARGS` on this ledger with no `-k` added; JSON or the error's text.
    pub async fn run_raw(&self, args: &[&str]) -> Result<Value, String> {
        let mut all: Vec<String> =
            vec!["pob".into(), "-u".into(), "embedded".into(), "--output".into(), "json".into()];
        all.extend(["--ledger".into(), self.ledger().display().to_string()]);
        all.extend(["--secrets-file".into(), self.secrets().display().to_string()]);
        all.extend(args.iter().map(|s| s.to_string()));
        match pob_cli::app::run(all).await {
            Ok(text) => Ok(serde_json::from_str(&text).expect("one JSON object")),
            Err(err) => Err(format!("{err:#}")),
        }
    }

    /// Runs `pob ARGS` as `wallet`; the JSON object it printed (checked against the command's
    /// schema in docs/schemas/cli/), or the error's text.
    pub async fn try_run(&self, wallet: &str, args: &[&str]) -> Result<Value, String> {
        match pob_cli::app::run(self.args(wallet, args)).await {
            Ok(text) => {
                let value: Value = serde_json::from_str(&text)
                    .unwrap_or_else(|err| panic!("not one JSON object ({err}): {text}"));
                conforms(args, &value);
                Ok(value)
            }
            Err(err) => Err(format!("{err:#}")),
        }
    }

    pub async fn run(&self, wallet: &str, args: &[&str]) -> Value {
        self.try_run(wallet, args).await.unwrap_or_else(|err| panic!("pob {args:?} failed: {err}"))
    }

    /// Runs a command that must fail, and proves it changed nothing on the ledger.
    pub async fn fails(&self, wallet: &str, args: &[&str]) -> String {
        let before = self.accounts();
        let err = self.try_run(wallet, args).await.err().unwrap_or_else(|| panic!("pob {args:?} succeeded"));
        let after = self.accounts();
        if after != before {
            let changed: Vec<&String> = after
                .as_object()
                .into_iter()
                .flatten()
                .filter(|(address, account)| before.get(address.as_str()) != Some(*account))
                .map(|(address, _)| address)
                .collect();
            panic!("pob {args:?} failed ({err}) but changed accounts {changed:?}");
        }
        err
    }

    /// Every account saved in the ledger file (the clock and save time excluded).
    pub fn accounts(&self) -> Value {
        let Ok(bytes) = std::fs::read(self.ledger()) else { return Value::Null };
        let file: Value = serde_json::from_slice(&bytes).expect("ledger JSON");
        file["accounts"].clone()
    }

    /// The ledger as a bank, to read program accounts and balances.
    pub async fn bank(&self) -> EmbeddedBank {
        EmbeddedBank::load(&self.ledger(), |saved| saved.ledger).await.expect("ledger loads")
    }

    pub async fn account<T: ZeroCopy + Discriminator>(&self, address: &Pubkey) -> Option<T> {
        let account = self.bank().await.account(*address).await?;
        pob_cli::accounts::read_state(&account.data)
    }

    /// The task at `address`, if open.
    pub async fn task(&self, address: &Pubkey) -> Option<pob_cli::accounts::OwnedTask> {
        let account = self.bank().await.account(*address).await?;
        pob_cli::accounts::OwnedTask::parse(&account.data)
    }

    /// A protocol with the test mint allowed, administered by wallet "admin" (also the treasury).
    pub async fn with_protocol() -> Self {
        let pob = Self::new();
        pob.run("admin", &["embedded", "airdrop", "10"]).await;
        pob.run("admin", &["protocol", "init"]).await;
        pob.run("admin", &["mint", "allow"]).await;
        pob
    }

    /// A wallet with SOL and `usdc` test USDC in its token account.
    pub async fn funded(&self, name: &str, usdc: &str) -> Pubkey {
        self.run(name, &["embedded", "airdrop", "1"]).await;
        self.run(name, &["embedded", "mint", usdc]).await;
        self.wallet(name).1
    }

    /// A choice spec with these labels, written to `name`; returns its path.
    pub fn choice_spec(&self, name: &str, labels: &[&str]) -> String {
        let spec = serde_json::json!({
            "version": 1,
            "prompt": "What is in the picture?",
            "item": {"uri": "https://example.org/items/1.jpg", "media_type": "image/jpeg"},
            "answer": {"kind": "choice", "labels": labels},
        });
        self.write(name, &spec.to_string())
    }

    /// A spec of another answer kind (`{"kind": "text"}`, `{"kind": "number", "precision": 2}`).
    pub fn spec_of(&self, name: &str, answer: Value) -> String {
        let spec = serde_json::json!({
            "version": 1,
            "prompt": "Transcribe the clip",
            "item": {"text": "a clip"},
            "answer": answer,
        });
        self.write(name, &spec.to_string())
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.path(name);
        std::fs::write(&path, text).expect("write file");
        path.display().to_string()
    }
}

/// The command a command line names, as docs/schemas/cli/ keys it: `task create`, `balance`.
pub fn command_name(args: &[&str]) -> String {
    const GROUPS: [&str; 10] =
        ["protocol", "mint", "fees", "worker", "requester", "task", "dispute", "dao", "wallet", "embedded"];
    let words: Vec<&str> = args.iter().copied().filter(|arg| !arg.starts_with('-')).collect();
    match words.first() {
        Some(group) if GROUPS.contains(group) => format!("{group} {}", words.get(1).copied().unwrap_or("")),
        Some(command) => command.to_string(),
        None => String::new(),
    }
}

/// Holds a command's JSON output to its schema (docs/schemas/cli/pob.schema.json); with
/// `POB_RECORD_JSON=DIR` also keeps every output, to write the schemas from.
pub fn conforms(args: &[&str], value: &Value) {
    let command = command_name(args);
    if let Some(dir) = std::env::var_os("POB_RECORD_JSON") {
        use std::io::Write;
        let path = std::path::Path::new(&dir).join(format!("{}.jsonl", command.replace(' ', "-")));
        let mut file = std::fs::OpenOptions::new().create(true).append(true).open(path).unwrap();
        file.write_all(format!("{value}\n").as_bytes()).unwrap(); // one append: tests run in parallel
        return;
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/schemas/cli/pob.schema.json");
    let Ok(text) = std::fs::read_to_string(&path) else { return };
    let root: Value = serde_json::from_str(&text).expect("the CLI schema is JSON");
    let schema = root["$defs"]["commands"]["properties"]
        .get(&command)
        .unwrap_or_else(|| panic!("docs/schemas/cli/pob.schema.json documents no `pob {command}`"));
    let problems = schema::violations(&root, schema, value, &format!("pob {command}"));
    assert!(
        problems.is_empty(),
        "the JSON of `pob {command}` breaks its contract:\n{}\n{value:#}",
        problems.join("\n")
    );
}

/// The decimal amount of a money field (`{"amount": "0.05", "base_units": "50000"}`).
pub fn amount(value: &Value) -> &str {
    value["amount"].as_str().unwrap_or_else(|| panic!("not money: {value}"))
}

pub fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value}"))
}

pub fn key(value: &Value) -> Pubkey {
    text(value).parse().expect("an address")
}
