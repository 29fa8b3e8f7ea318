//! Drives `pob` through the library (`pob_cli::app::run`, the binary's own code path) against an
//! embedded ledger in a temporary directory, and reads that ledger back to check on-chain state.
#![allow(dead_code)] // each test file uses part of this

use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anchor_lang::AccountDeserialize;
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

    /// Runs `pob ARGS` as `wallet`; the JSON object it printed, or the error's text.
    pub async fn try_run(&self, wallet: &str, args: &[&str]) -> Result<Value, String> {
        match pob_cli::app::run(self.args(wallet, args)).await {
            Ok(text) => Ok(serde_json::from_str(&text)
                .unwrap_or_else(|err| panic!("not one JSON object ({err}): {text}"))),
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

    pub async fn account<T: AccountDeserialize>(&self, address: &Pubkey) -> Option<T> {
        self.bank().await.program_account(*address).await
    }

    /// A protocol with the test mint allowed, administered by wallet "admin" (also the treasury).
    pub async fn with_protocol() -> Self {
        let pob = Self::new();
        pob.run("admin", &["embedded", "airdrop", "10"]).await;
        pob.run("admin", &["protocol", "init"]).await;
        pob.run("admin", &["mint", "allow"]).await;
        pob
    }

    /// A wallet with SOL, `usdc` test USDC and, if `stake` is set, that much staked.
    pub async fn funded(&self, name: &str, usdc: &str, stake: Option<&str>) -> Pubkey {
        self.run(name, &["embedded", "airdrop", "1"]).await;
        self.run(name, &["embedded", "mint", usdc]).await;
        if let Some(stake) = stake {
            self.run(name, &["worker", "stake", stake]).await;
        }
        self.wallet(name).1
    }

    pub fn spec(&self, text: &str) -> String {
        let path = self.path("spec.txt");
        std::fs::write(&path, text).expect("write spec");
        path.display().to_string()
    }
}

pub fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_else(|| panic!("not a string: {value}"))
}

pub fn key(value: &Value) -> Pubkey {
    text(value).parse().expect("an address")
}
