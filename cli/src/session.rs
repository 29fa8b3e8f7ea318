//! One `pob` invocation: the cluster, the wallet that signs and pays, and the reads and sends
//! every command shares.
use std::collections::VecDeque;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::{Discriminator, ZeroCopy};
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use anyhow::{anyhow, bail, Context, Result};
use proof_of_brain::state::{Balance, MintConfig, Protocol, Task};
use solana_sdk::instruction::InstructionError;
use solana_sdk::signature::{write_keypair_file, Keypair, Signature, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};

use crate::accounts::{read_state, OwnedTask};
use crate::backend::{Ledger, TransactionFailed};
use crate::cluster::{self, Cluster};
use crate::ix::{MintRef, OwnAccount, TaskRef};
use crate::pda;
use crate::secrets::SecretStore;

/// A transaction's size limit (bytes on the wire) and account limit.
pub const MAX_TX_BYTES: usize = 1232;
pub const MAX_TX_ACCOUNTS: usize = 64;

/// Circle's USDC, the default mint on the public clusters.
pub const USDC_MAINNET: &str = "EPjFWdd5AufqSSqeM2qN1xzybapC8G4wEGGkZwyTDt1v";
pub const USDC_DEVNET: &str = "4zMMC9srt5Ri5X14GAgXhaHii3GnPAEERYPJgZJDncDU";
/// The embedded ledger's test USDC has the same 6 decimals.
pub const TEST_MINT_DECIMALS: u8 = 6;

/// The options every command takes.
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub url: Option<String>,
    pub keypair: Option<PathBuf>,
    pub config_file: Option<PathBuf>,
    pub compute_unit_price: Option<u64>,
    pub program_id: Option<Pubkey>,
    pub ledger: Option<PathBuf>,
    pub secrets_file: Option<PathBuf>,
}

impl Options {
    /// The flags that choose the cluster, the wallet and the files, as the user gave them: every
    /// command `pob` suggests carries them, so it works when pasted.
    pub fn hint_flags(&self) -> Vec<(&'static str, String)> {
        let path = |path: &PathBuf| path.display().to_string();
        [
            ("-u", self.url.clone()),
            ("-k", self.keypair.as_ref().map(path)),
            ("-C", self.config_file.as_ref().map(path)),
            ("--ledger", self.ledger.as_ref().map(path)),
            ("--program-id", self.program_id.map(|id| id.to_string())),
            ("--secrets-file", self.secrets_file.as_ref().map(path)),
        ]
        .into_iter()
        .filter_map(|(flag, value)| Some((flag, value?)))
        .collect()
    }
}

/// `text` as one shell word.
fn shell_quote(text: &str) -> String {
    let plain =
        !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:=@,+%".contains(c));
    if plain {
        text.to_string()
    } else {
        format!("'{}'", text.replace('\'', "'\\''"))
    }
}

/// A mint as the CLI needs it: its token program and decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MintInfo {
    pub mint: MintRef,
    pub decimals: u8,
}

pub struct Session {
    pub ledger: Ledger,
    pub cluster: Cluster,
    pub secrets: SecretStore,
    keypair_path: Option<PathBuf>,
    /// The keypair file is the embedded ledger's own wallet, to create if it is missing.
    own_embedded_wallet: bool,
    wallet: Option<Keypair>,
    compute_unit_price: Option<u64>,
    /// Mints never change program or decimals: read each once per invocation.
    mints: std::collections::HashMap<Pubkey, MintInfo>,
    hint_flags: Vec<(&'static str, String)>,
}

/// `$XDG_DATA_HOME/pob`, else `~/.local/share/pob`.
pub fn data_dir() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".local/share")))
        .context("cannot find a data directory: set HOME or XDG_DATA_HOME, or pass --ledger and -k")?;
    Ok(base.join("pob"))
}

impl Session {
    pub async fn open(options: &Options) -> Result<Self> {
        let settings = cluster::resolve(
            options.url.as_deref(),
            options.keypair.as_deref(),
            options.config_file.as_deref(),
        )?;
        if let Some(id) = options.program_id {
            if settings.cluster == Cluster::Embedded && id != proof_of_brain::ID {
                bail!("--program-id: the embedded ledger runs the built-in program {}", proof_of_brain::ID);
            }
            pda::use_program_id(id)?;
        }
        let ledger = match &settings.cluster {
            Cluster::Embedded => {
                let path = match &options.ledger {
                    Some(path) => path.clone(),
                    None => data_dir()?.join("embedded-ledger.json"),
                };
                Ledger::open_embedded(&path).await?
            }
            Cluster::Rpc { url } => {
                if options.ledger.is_some() {
                    bail!("--ledger: only used with --url embedded");
                }
                Ledger::rpc(url, &settings.commitment)?
            }
        };
        // A fresh machine can try everything locally: the embedded ledger gets its own wallet.
        let own_embedded_wallet = settings.keypair_path.is_none() && settings.cluster == Cluster::Embedded;
        let keypair_path = match settings.keypair_path {
            Some(path) => Some(path),
            None if own_embedded_wallet => Some(data_dir()?.join("embedded-wallet.json")),
            None => None,
        };
        let secrets = match &options.secrets_file {
            Some(path) => SecretStore::open(path),
            None => SecretStore::open(
                SecretStore::default_path().context("cannot find a config directory for the secrets file")?,
            ),
        };
        Ok(Self {
            ledger,
            cluster: settings.cluster,
            secrets,
            keypair_path,
            own_embedded_wallet,
            wallet: None,
            compute_unit_price: options.compute_unit_price,
            mints: std::collections::HashMap::new(),
            hint_flags: options.hint_flags(),
        })
    }

    /// A `pob` command line to suggest, with the user's cluster, wallet and file flags.
    /// The ledger, for commands that take it over (`pob serve`).
    pub fn into_ledger(self) -> Ledger {
        self.ledger
    }

    pub fn hint(&self, command: &str) -> String {
        self.hint_line(None, command)
    }

    /// Like [`Self::hint`] for another wallet's keypair file (e.g. `WORKER.json`).
    pub fn hint_as(&self, keypair: &str, command: &str) -> String {
        self.hint_line(Some(keypair), command)
    }

    fn hint_line(&self, keypair: Option<&str>, command: &str) -> String {
        let mut line = vec!["pob".to_string()];
        for (flag, value) in &self.hint_flags {
            match (*flag, keypair) {
                ("-k", Some(_)) => {}
                _ => line.push(format!("{flag} {}", shell_quote(value))),
            }
        }
        if let Some(keypair) = keypair {
            line.push(format!("-k {keypair}"));
        }
        line.push(command.to_string());
        line.join(" ")
    }

    /// The local store of task specs (`specs/` in the data directory).
    pub fn specs(&self) -> crate::spec_store::SpecStore {
        let dir = data_dir().unwrap_or_else(|_| PathBuf::from(".pob"));
        crate::spec_store::SpecStore::open(dir.join("specs"))
    }

    /// What keys this cluster's entries in the secrets file: the cluster's name, and for the
    /// embedded ledger its file too (two ledgers can hold tasks at the same address).
    pub fn secrets_scope(&self) -> String {
        match &self.ledger {
            Ledger::Embedded { path, .. } => {
                let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
                format!("embedded:{}", path.display())
            }
            Ledger::Rpc { .. } => self.cluster.name(),
        }
    }

    /// Saves the embedded ledger.
    pub async fn finish(&mut self) -> Result<()> {
        self.ledger.finish().await
    }

    /// The signing wallet (`-k`, else the solana config's keypair; on the embedded ledger a
    /// wallet of its own, created on first use).
    pub fn wallet(&mut self) -> Result<Keypair> {
        if let Some(wallet) = &self.wallet {
            return Ok(wallet.insecure_clone());
        }
        let path = self.keypair_path.clone().context(
            "no keypair: pass -k/--keypair FILE or set one with `solana config set --keypair FILE`",
        )?;
        if self.own_embedded_wallet && !path.exists() {
            std::fs::create_dir_all(path.parent().unwrap_or(Path::new(".")))?;
            write_keypair_file(&Keypair::new(), &path)
                .map_err(|err| anyhow!("cannot create the embedded wallet {}: {err}", path.display()))?;
        }
        let wallet = cluster::read_keypair(&path)?;
        self.wallet = Some(wallet.insecure_clone());
        Ok(wallet)
    }

    pub fn wallet_address(&mut self) -> Result<Pubkey> {
        Ok(self.wallet()?.pubkey())
    }

    /// `address` if given, else the wallet's (what `[ADDRESS]` and `--to` default to).
    pub fn address_or_wallet(&mut self, address: Option<Pubkey>) -> Result<Pubkey> {
        match address {
            Some(address) => Ok(address),
            None => self.wallet_address(),
        }
    }

    fn with_compute_unit_price(&self, ixs: &[Instruction]) -> Vec<Instruction> {
        let mut all = Vec::with_capacity(ixs.len() + 1);
        if let Some(price) = self.compute_unit_price {
            all.push(solana_compute_budget_interface::ComputeBudgetInstruction::set_compute_unit_price(
                price,
            ));
        }
        all.extend_from_slice(ixs);
        all
    }

    /// Sends `ixs` in one transaction paid by the wallet and signed by it and `signers`.
    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<Signature> {
        self.wallet()?;
        self.send_checked(ixs, signers).await.map_err(|failed| self.explain(failed))
    }

    /// Like [`Self::send`], keeping the failure's cause for callers that act on it.
    pub async fn send_checked(
        &mut self,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Signature, TransactionFailed> {
        let payer =
            self.wallet().map_err(|err| TransactionFailed { error: None, message: format!("{err:#}") })?;
        let ixs = self.with_compute_unit_price(ixs);
        self.ledger.send(&payer, &ixs, signers).await
    }

    /// A failed transaction as the user should read it, with a hint when the wallet is broke.
    pub fn explain(&self, failed: TransactionFailed) -> anyhow::Error {
        let broke = matches!(
            failed.error,
            Some(TransactionError::AccountNotFound | TransactionError::InsufficientFundsForFee)
        );
        if broke && self.ledger.is_embedded() {
            let hint = format!("the wallet needs SOL: run `{}`", self.hint("embedded airdrop"));
            return anyhow::Error::new(failed).context(hint);
        }
        if broke {
            return anyhow::Error::new(failed).context("the wallet needs SOL for fees and rent");
        }
        anyhow::Error::new(failed)
    }

    /// Sends instructions that need only the wallet's signature in as few transactions as fit:
    /// packed up to the size and account limits, then sent one batch at a time. Every send is
    /// preflighted (simulated by the RPC node, or by the embedded ledger), so a batch that would
    /// fail is never committed: one that overflows the runtime's 64-entry instruction trace
    /// (instructions and their CPIs) is split in half and retried, any other failure stops the
    /// run. `progress` is called with the number of instructions sent so far.
    pub async fn send_batched(
        &mut self,
        ixs: Vec<Instruction>,
        progress: impl FnMut(usize),
    ) -> Result<Vec<Signature>> {
        self.send_grouped(ixs.into_iter().map(|ix| vec![ix]).collect(), progress).await
    }

    /// Like [`send_batched`](Self::send_batched), for groups of instructions that must land in
    /// the same transaction (a reveal and the memo publishing its answer); `progress` counts
    /// groups.
    pub async fn send_grouped(
        &mut self,
        groups: Vec<Vec<Instruction>>,
        mut progress: impl FnMut(usize),
    ) -> Result<Vec<Signature>> {
        let payer = self.wallet()?.pubkey();
        let mut batches: VecDeque<Vec<Vec<Instruction>>> = VecDeque::new();
        for group in groups {
            match batches.back_mut() {
                Some(batch) => {
                    batch.push(group);
                    if !fits(&payer, &self.with_compute_unit_price(&batch.concat())) {
                        let overflow = batch.pop().expect("just pushed");
                        batches.push_back(vec![overflow]);
                    }
                }
                None => batches.push_back(vec![group]),
            }
        }
        let mut signatures = Vec::new();
        let mut sent = 0;
        while let Some(batch) = batches.pop_front() {
            match self.send_checked(&batch.concat(), &[]).await {
                Ok(signature) => {
                    signatures.push(signature);
                    sent += batch.len();
                    progress(sent);
                }
                Err(TransactionFailed {
                    error:
                        Some(TransactionError::InstructionError(
                            _,
                            InstructionError::MaxInstructionTraceLengthExceeded,
                        )),
                    ..
                }) if batch.len() > 1 => {
                    let (first, second) = batch.split_at(batch.len() / 2);
                    batches.push_front(second.to_vec());
                    batches.push_front(first.to_vec());
                }
                Err(failed) => {
                    let progress = match sent {
                        0 => "nothing was sent".to_string(),
                        _ => format!("the first {sent} were sent, in {} transaction(s)", signatures.len()),
                    };
                    let fate = match failed.error {
                        Some(_) => "stopped before sending it",
                        None => "that batch may or may not have landed",
                    };
                    return Err(anyhow!("{}; {fate} ({progress})", self.explain(failed)));
                }
            }
        }
        Ok(signatures)
    }

    /// A program account of type `T`, or `None` if absent (or not a `T` of this program).
    pub async fn fetch<T: ZeroCopy + Discriminator>(&mut self, address: &Pubkey) -> Result<Option<T>> {
        let Some(account) = self.ledger.account(address).await? else { return Ok(None) };
        if account.owner != pda::program_id() {
            return Ok(None);
        }
        Ok(read_state(&account.data))
    }

    /// Every `T` of the program whose data holds each `(offset, bytes)` filter (offsets count
    /// the 8-byte discriminator).
    pub async fn list<T: ZeroCopy + Discriminator>(
        &mut self,
        filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, T)>> {
        let accounts = self.list_raw(T::DISCRIMINATOR, filters).await?;
        Ok(accounts.into_iter().filter_map(|(address, data)| Some((address, read_state(&data)?))).collect())
    }

    /// Every Task of the program matching `filters`.
    pub async fn list_tasks(&mut self, filters: &[(usize, Vec<u8>)]) -> Result<Vec<(Pubkey, OwnedTask)>> {
        let accounts = self.list_raw(Task::DISCRIMINATOR, filters).await?;
        Ok(accounts
            .into_iter()
            .filter_map(|(address, data)| Some((address, OwnedTask::parse(&data)?)))
            .collect())
    }

    async fn list_raw(
        &mut self,
        discriminator: &[u8],
        filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, Vec<u8>)>> {
        let mut all_filters = vec![(0, discriminator.to_vec())];
        all_filters.extend_from_slice(filters);
        let accounts = self.ledger.program_accounts(&pda::program_id(), &all_filters).await?;
        Ok(accounts.into_iter().map(|(address, account)| (address, account.data)).collect())
    }

    pub async fn protocol(&mut self) -> Result<Protocol> {
        let cluster = self.cluster.name();
        let init = self.hint("protocol init");
        self.fetch(&pda::protocol()).await?.with_context(|| {
            format!("the protocol is not initialised on {cluster}: its authority runs `{init}` first")
        })
    }

    /// The Task at `address`, if there is one (open or not yet closed).
    pub async fn fetch_task(&mut self, address: &Pubkey) -> Result<Option<OwnedTask>> {
        Ok(match self.ledger.account(address).await? {
            Some(account) if account.owner == pda::program_id() => OwnedTask::parse(&account.data),
            _ => None,
        })
    }

    /// A task and the keys its instructions need; a clear error if there is none at `address`
    /// (saying so when it existed and was closed).
    pub async fn task(&mut self, address: &Pubkey) -> Result<(TaskRef, OwnedTask)> {
        let cluster = self.cluster.name();
        let Some(task) = self.fetch_task(address).await? else {
            let show = self.hint(&format!("task show {address}"));
            bail!("no open task {address} on {cluster} (if it was closed, `{show}` shows its history)");
        };
        let mint = self.mint(&task.mint).await?.mint;
        Ok((TaskRef { address: *address, requester: task.requester, mint }, task))
    }

    /// What creating `wallet`'s own `account` takes (nothing if it exists): the system program
    /// creates it top-level, paid and signed by `wallet`, before the program initializes it.
    pub async fn own_account_ixs(
        &mut self,
        wallet: &Pubkey,
        account: OwnAccount,
    ) -> Result<Vec<Instruction>> {
        let address = account.address(wallet);
        Ok(match self.ledger.account(&address).await? {
            Some(existing) if existing.owner == pda::program_id() => Vec::new(),
            held => {
                let rent = solana_sdk::rent::Rent::default().minimum_balance(account.space());
                crate::ix::create_own_account(wallet, account, rent, held.map_or(0, |held| held.lamports))
            }
        })
    }

    /// `wallet`'s Balance in `mint`, if opened.
    pub async fn balance(&mut self, wallet: &Pubkey, mint: &Pubkey) -> Result<Option<Balance>> {
        self.fetch(&pda::balance(wallet, mint)).await
    }

    /// A token mint's program and decimals.
    pub async fn mint(&mut self, address: &Pubkey) -> Result<MintInfo> {
        if let Some(info) = self.mints.get(address) {
            return Ok(*info);
        }
        let cluster = self.cluster.name();
        let account =
            self.ledger.account(address).await?.with_context(|| format!("no mint {address} on {cluster}"))?;
        if account.owner != spl_token::ID && account.owner != spl_token_2022::ID {
            bail!("{address} is not a token mint (owned by {})", account.owner);
        }
        // Both token programs lay the mint out alike: decimals at byte 44.
        let decimals = *account.data.get(44).with_context(|| format!("{address} is not a token mint"))?;
        let info = MintInfo { mint: MintRef { mint: *address, token_program: account.owner }, decimals };
        self.mints.insert(*address, info);
        Ok(info)
    }

    /// `--mint`, else the cluster's USDC (the test USDC on the embedded ledger).
    pub async fn mint_or_default(&mut self, flag: Option<Pubkey>) -> Result<MintInfo> {
        let address = match flag {
            Some(address) => address,
            None => match &self.cluster {
                Cluster::Embedded => self.embedded_test_mint().await?.0.mint,
                Cluster::Rpc { .. } => match self.cluster.name().as_str() {
                    "mainnet-beta" => USDC_MAINNET.parse()?,
                    "devnet" => USDC_DEVNET.parse()?,
                    other => bail!("--mint: {other} has no default USDC mint; pass --mint ADDRESS"),
                },
            },
        };
        self.mint(&address).await
    }

    /// The mint's settings in the protocol; an error if it was never allowed.
    pub async fn mint_config(&mut self, mint: &Pubkey) -> Result<MintConfig> {
        let allow = self.hint(&format!("mint allow {mint}"));
        self.fetch(&pda::mint_config(mint)).await?.with_context(|| {
            format!("mint {mint} is not allowed by the protocol (its authority runs `{allow}`)")
        })
    }

    /// The embedded ledger's test USDC and its mint authority, created on first use.
    pub async fn embedded_test_mint(&mut self) -> Result<(MintRef, Keypair)> {
        let bank = self.ledger.bank("the test mint")?;
        if let Some(existing) = bank.test_mint()? {
            return Ok(existing);
        }
        let authority = Keypair::new();
        let mint = bank
            .create_mint(&authority.pubkey(), TEST_MINT_DECIMALS, &spl_token::ID)
            .await
            .map_err(|err| anyhow!("cannot create the test mint: {err}"))?;
        bank.set_test_mint(&mint, &authority);
        Ok((mint, authority))
    }

    /// A token balance, 0 if the account does not exist.
    pub async fn token_balance(&mut self, token_account: &Pubkey) -> Result<u64> {
        let Some(account) = self.ledger.account(token_account).await? else { return Ok(0) };
        let amount = account.data.get(64..72).context("not a token account")?;
        Ok(u64::from_le_bytes(amount.try_into()?))
    }

    pub async fn now(&mut self) -> Result<i64> {
        self.ledger.now().await
    }
}

/// Wire size and account count of a legacy transaction: signature count, signatures, message.
pub fn legacy_shape(tx: &Transaction) -> (usize, usize) {
    let signatures = usize::from(tx.message.header.num_required_signatures);
    (1 + 64 * signatures + tx.message.serialize().len(), tx.message.account_keys.len())
}

/// Whether a transaction of `ixs` paid by `payer` stays within the size and account limits.
pub fn fits(payer: &Pubkey, ixs: &[Instruction]) -> bool {
    let (bytes, accounts) = legacy_shape(&Transaction::new_with_payer(ixs, Some(payer)));
    bytes <= MAX_TX_BYTES && accounts <= MAX_TX_ACCOUNTS
}
