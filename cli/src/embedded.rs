//! The embedded ledger: the real program, compiled for this machine, inside solana-program-test's
//! bank with the real SPL Token, Token-2022 and ATA programs. Used by `pob demo` and the tests.
#![allow(deprecated)] // program-test 3.1 marks its API agave-unstable-api

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use anchor_lang::prelude::{AccountInfo, Pubkey};
use anchor_lang::solana_program::clock::Clock;
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_lang::AccountDeserialize;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use anchor_spl::token::spl_token;
use anchor_spl::token_2022::spl_token_2022;
use solana_program_test::{processor, BanksClientError, ProgramTest, ProgramTestContext};
use solana_sdk::account::Account;
use solana_sdk::message::{v0, AddressLookupTableAccount, VersionedMessage};
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::{Transaction, TransactionError, VersionedTransaction};

use crate::ix::MintRef;

/// Anchor's `entry` ties all inputs to one lifetime; program-test wants an unconstrained fn
/// pointer. The leaks keep one instruction's inputs alive for the process: fine for a local bank.
fn entry_for_host<'a, 'b, 'c, 'd>(
    program_id: &'a Pubkey,
    accounts: &'b [AccountInfo<'c>],
    data: &'d [u8],
) -> ProgramResult {
    proof_of_brain::entry(
        Box::leak(Box::new(*program_id)),
        Box::leak(accounts.to_vec().into_boxed_slice()),
        Box::leak(data.to_vec().into_boxed_slice()),
    )
}

/// How the bank runs the program: compiled for this machine (the default, fast to build), or the
/// real SBF binary `proof_of_brain.so` (built by `scripts/build-sbf.sh`) when `SBF_OUT_DIR` names
/// the directory holding it, as Solana's own test tools do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProgramRuntime {
    Native,
    Sbf { so: std::path::PathBuf },
}

impl ProgramRuntime {
    /// `Sbf` when `SBF_OUT_DIR` (or `BPF_OUT_DIR`) is set; panics if the .so is not there, so a
    /// test run meant for SBF never silently runs natively.
    pub fn from_env() -> Self {
        let Some(dir) = std::env::var_os("SBF_OUT_DIR").or_else(|| std::env::var_os("BPF_OUT_DIR")) else {
            return Self::Native;
        };
        let so = std::path::Path::new(&dir).join("proof_of_brain.so");
        assert!(
            so.is_file(),
            "SBF_OUT_DIR is set but {} does not exist: run scripts/build-sbf.sh first",
            so.display()
        );
        Self::Sbf { so }
    }
}

/// One processed transaction as the bank reported it.
#[derive(Clone, Debug)]
pub struct Processed {
    pub result: Result<(), TransactionError>,
    pub logs: Vec<String>,
    pub compute_units: u64,
}

/// The names of the program's top-level instructions in `tx`, in order.
fn program_instruction_names(tx: &VersionedTransaction) -> Vec<&'static str> {
    let keys = tx.message.static_account_keys();
    tx.message
        .instructions()
        .iter()
        .filter(|ix| keys.get(usize::from(ix.program_id_index)) == Some(&proof_of_brain::ID))
        .map(|ix| crate::ix::instruction_name(&ix.data).unwrap_or("unknown"))
        .collect()
}

/// An in-process bank with the program deployed and a clock the caller controls.
pub struct EmbeddedBank {
    pub ctx: ProgramTestContext,
    pub runtime: ProgramRuntime,
    /// The program's events from every successful transaction, oldest first (Anchor event bytes:
    /// discriminator, then borsh).
    events: Vec<Vec<u8>>,
    compute_units: Vec<(&'static str, u64)>,
    now: i64,
    slot: u64,
    sent: HashSet<Signature>,
    /// Every account a transaction of this bank named (or that was loaded): what `save` keeps.
    known: BTreeSet<Pubkey>,
    /// Settings of whoever drives the bank (e.g. the CLI's test mint), saved with the ledger.
    pub meta: BTreeMap<String, String>,
    /// Every successful transaction that emitted program events, oldest first: the embedded
    /// answer to `getSignaturesForAddress` + `getTransaction`, saved with the ledger.
    history: Vec<HistoryEntry>,
}

/// Where [`EmbeddedBank::test_mint`] keeps the test mint in `meta`.
const TEST_MINT: &str = "test_mint";
const TEST_MINT_AUTHORITY: &str = "test_mint_authority";

/// One transaction in the embedded ledger's history.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct HistoryEntry {
    pub signature: String,
    pub slot: u64,
    pub unix_timestamp: i64,
    /// The transaction's account keys.
    pub accounts: Vec<String>,
    /// The program's events (discriminator + borsh), base64.
    pub events: Vec<String>,
    /// The texts of the transaction's SPL Memo instructions (published answers).
    #[serde(default)]
    pub memos: Vec<String>,
    /// The transaction itself (bincode, base64) and its logs, as an RPC node's getTransaction
    /// returns them (`pob serve`).
    #[serde(default)]
    pub transaction: String,
    #[serde(default)]
    pub logs: Vec<String>,
}

/// The times a ledger file was saved at.
#[derive(Clone, Copy, Debug)]
pub struct SavedTimes {
    /// The ledger's clock.
    pub ledger: i64,
    /// The wall clock (unix seconds), if the file recorded it.
    pub wall: Option<i64>,
}

/// The saved state of an embedded ledger: the clock and every account transactions touched.
#[derive(Serialize, Deserialize)]
struct LedgerFile {
    version: u32,
    unix_timestamp: i64,
    #[serde(default)]
    saved_at: Option<i64>,
    #[serde(default)]
    meta: BTreeMap<String, String>,
    accounts: BTreeMap<String, StoredAccount>,
    #[serde(default)]
    history: Vec<HistoryEntry>,
}

#[derive(Serialize, Deserialize)]
struct StoredAccount {
    lamports: u64,
    owner: String,
    executable: bool,
    rent_epoch: u64,
    /// Account data, hex-encoded.
    data: String,
}

/// 2: program v2 accounts (balances, zero-copy) and the transaction history.
const LEDGER_VERSION: u32 = 2;

impl EmbeddedBank {
    /// Starts a fresh bank whose clock reads `unix_timestamp`.
    pub async fn start(unix_timestamp: i64) -> Self {
        Self::start_with(unix_timestamp, |_| {}).await
    }

    /// Like [`Self::start`], letting `configure` add programs or accounts before the bank starts.
    pub async fn start_with(unix_timestamp: i64, configure: impl FnOnce(&mut ProgramTest)) -> Self {
        let runtime = ProgramRuntime::from_env();
        let mut program_test = ProgramTest::default();
        match &runtime {
            ProgramRuntime::Native => {
                program_test.prefer_bpf(false);
                program_test.add_program("proof_of_brain", proof_of_brain::ID, processor!(entry_for_host));
            }
            ProgramRuntime::Sbf { .. } => {
                // program-test finds proof_of_brain.so in SBF_OUT_DIR.
                program_test.prefer_bpf(true);
                program_test.add_program("proof_of_brain", proof_of_brain::ID, None);
            }
        }
        // Whatever `configure` adds (test helper programs) runs natively.
        program_test.prefer_bpf(false);
        configure(&mut program_test);
        let ctx = program_test.start_with_context().await;
        let slot = ctx.banks_client.clone().get_sysvar::<Clock>().await.expect("clock sysvar").slot;
        let mut bank = Self {
            ctx,
            runtime,
            events: Vec::new(),
            compute_units: Vec::new(),
            now: unix_timestamp,
            slot,
            sent: HashSet::new(),
            known: BTreeSet::new(),
            meta: BTreeMap::new(),
            history: Vec::new(),
        };
        bank.set_clock().await;
        bank
    }

    /// Starts a bank holding the accounts saved in `path` by [`Self::save`]. `clock` maps the
    /// saved times to the new bank's time (e.g. advance it with wall time); it never goes back.
    pub async fn load(path: &Path, clock: impl FnOnce(SavedTimes) -> i64) -> Result<Self> {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read the ledger {}", path.display()))?;
        let file: LedgerFile = serde_json::from_slice(&bytes)
            .with_context(|| format!("{} is not an embedded ledger file", path.display()))?;
        anyhow::ensure!(
            file.version == LEDGER_VERSION,
            "{} holds a version {} ledger, written by an older pob for an older program; move it away \
             (a fresh ledger is created in its place) or pass --ledger NEW_FILE",
            path.display(),
            file.version
        );
        let mut accounts = Vec::new();
        for (address, stored) in file.accounts {
            let account = Account {
                lamports: stored.lamports,
                data: crate::hex::decode(&stored.data)
                    .with_context(|| format!("data of account {address}"))?,
                owner: stored.owner.parse().with_context(|| format!("owner of account {address}"))?,
                executable: stored.executable,
                rent_epoch: stored.rent_epoch,
            };
            accounts
                .push((address.parse::<Pubkey>().with_context(|| format!("address {address}"))?, account));
        }
        let keys: Vec<Pubkey> = accounts.iter().map(|(key, _)| *key).collect();
        let now =
            clock(SavedTimes { ledger: file.unix_timestamp, wall: file.saved_at }).max(file.unix_timestamp);
        let mut bank = Self::start_with(now, move |program_test| {
            for (address, account) in accounts {
                program_test.add_account(address, account);
            }
        })
        .await;
        bank.known.extend(keys);
        bank.meta = file.meta;
        bank.history = file.history;
        Ok(bank)
    }

    /// Saves the clock and every account the bank's transactions touched (programs, sysvars and
    /// the bank's own fee payer excluded) to `path`, replacing it atomically.
    pub async fn save(&mut self, path: &Path) -> Result<()> {
        let mut accounts = BTreeMap::new();
        let payer = self.payer();
        for address in self.known.clone() {
            if address == payer || address.to_string().starts_with("Sysvar") {
                continue;
            }
            let Some(account) = self.account(address).await else { continue };
            if account.executable {
                continue; // programs are part of every bank
            }
            let stored = StoredAccount {
                lamports: account.lamports,
                owner: account.owner.to_string(),
                executable: false,
                rent_epoch: account.rent_epoch,
                data: crate::hex::encode(&account.data),
            };
            accounts.insert(address.to_string(), stored);
        }
        let saved_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .map(|elapsed| elapsed.as_secs() as i64);
        let file = LedgerFile {
            version: LEDGER_VERSION,
            unix_timestamp: self.now,
            saved_at,
            meta: self.meta.clone(),
            accounts,
            history: self.history.clone(),
        };
        if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
        }
        let temporary = path.with_extension("tmp");
        std::fs::write(&temporary, serde_json::to_vec(&file)?)
            .with_context(|| format!("cannot write {}", temporary.display()))?;
        std::fs::rename(&temporary, path).with_context(|| format!("cannot replace {}", path.display()))
    }

    /// Every account transactions of this bank (or the loaded ledger) named that is owned by
    /// `owner`: the embedded answer to `getProgramAccounts`.
    pub async fn accounts_owned_by(&mut self, owner: &Pubkey) -> Vec<(Pubkey, Account)> {
        let mut found = Vec::new();
        for address in self.known.clone() {
            if let Some(account) = self.account(address).await.filter(|account| account.owner == *owner) {
                found.push((address, account));
            }
        }
        found
    }

    /// The blockhash new transactions are signed with.
    pub fn blockhash(&self) -> solana_sdk::hash::Hash {
        self.ctx.last_blockhash
    }

    /// The bank's funded fee payer.
    pub fn payer(&self) -> Pubkey {
        self.ctx.payer.pubkey()
    }

    pub fn now(&self) -> i64 {
        self.now
    }

    /// Moves the clock forward to `unix_timestamp`.
    pub async fn warp_to(&mut self, unix_timestamp: i64) {
        assert!(unix_timestamp >= self.now, "the clock only moves forward");
        self.now = unix_timestamp;
        self.next_bank().await;
    }

    /// Moves to a new slot (and blockhash) and reapplies the clock, which a new bank would
    /// otherwise recompute from its slot.
    async fn next_bank(&mut self) {
        self.slot += 1;
        self.ctx.warp_to_slot(self.slot).expect("warp to the next slot");
        self.set_clock().await;
        self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
    }

    /// The bank registers new blockhashes as it processes transactions; one cached for too long
    /// expires (and agave 3.1's bank panics computing its age), so sign with the latest.
    async fn refresh_blockhash(&mut self) {
        self.ctx.last_blockhash = self.ctx.banks_client.get_latest_blockhash().await.expect("blockhash");
    }

    async fn set_clock(&mut self) {
        let mut clock = self.ctx.banks_client.get_sysvar::<Clock>().await.expect("clock sysvar");
        clock.unix_timestamp = self.now;
        self.ctx.set_sysvar(&clock);
    }

    /// Signs a transaction with the bank's payer (fee payer) and `signers`. A transaction
    /// identical to one signed before gets a fresh blockhash instead of being deduplicated.
    pub async fn sign(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Transaction {
        let payer = self.ctx.payer.insecure_clone();
        self.sign_paid_by(&payer, ixs, signers).await
    }

    pub async fn send(&mut self, ixs: &[Instruction], signers: &[&Keypair]) -> Result<(), BanksClientError> {
        let tx = self.sign(ixs, signers).await;
        self.process(tx).await
    }

    /// Signs with `fee_payer` paying the fee (as a real user pays their own), plus `signers`.
    pub async fn sign_paid_by(
        &mut self,
        fee_payer: &Keypair,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Transaction {
        self.refresh_blockhash().await;
        loop {
            let mut all_signers: Vec<&Keypair> = vec![fee_payer];
            all_signers.extend(signers.iter().copied().filter(|s| s.pubkey() != fee_payer.pubkey()));
            let tx = Transaction::new_signed_with_payer(
                ixs,
                Some(&fee_payer.pubkey()),
                &all_signers,
                self.ctx.last_blockhash,
            );
            if self.sent.insert(tx.signatures[0]) {
                self.known.extend(tx.message.account_keys.iter().copied());
                return tx;
            }
            self.next_bank().await;
        }
    }

    /// Signs a v0 transaction paid by `fee_payer` that may load accounts from lookup `tables`.
    pub async fn sign_v0(
        &mut self,
        fee_payer: &Keypair,
        ixs: &[Instruction],
        tables: &[AddressLookupTableAccount],
    ) -> Result<VersionedTransaction> {
        self.refresh_blockhash().await;
        loop {
            let message = v0::Message::try_compile(&fee_payer.pubkey(), ixs, tables, self.ctx.last_blockhash)
                .context("cannot compile a v0 message")?;
            let tx = VersionedTransaction::try_new(VersionedMessage::V0(message), &[fee_payer])
                .context("cannot sign a v0 transaction")?;
            if self.sent.insert(tx.signatures[0]) {
                self.known.extend(ixs.iter().flat_map(|ix| ix.accounts.iter().map(|meta| meta.pubkey)));
                return Ok(tx);
            }
            self.next_bank().await;
        }
    }

    /// Processes a transaction signed with [`Self::sign`] (or a v0 one from [`Self::sign_v0`]).
    pub async fn process(&mut self, tx: impl Into<VersionedTransaction>) -> Result<(), BanksClientError> {
        let processed = self.process_with_logs(tx).await?;
        processed.result.map_err(BanksClientError::TransactionError)
    }

    /// Processes a transaction and returns its outcome with its logs and compute units; the
    /// program's events are kept for [`Self::events`].
    pub async fn process_with_logs(
        &mut self,
        tx: impl Into<VersionedTransaction>,
    ) -> Result<Processed, BanksClientError> {
        let tx = tx.into();
        // Transactions signed elsewhere (e.g. arriving over RPC) name accounts `save` must keep.
        self.known.extend(tx.message.static_account_keys().iter().copied());
        let names = program_instruction_names(&tx);
        let signature = tx.signatures[0];
        let accounts: Vec<String> = tx.message.static_account_keys().iter().map(Pubkey::to_string).collect();
        let memos = crate::ix::memos_of(&tx.message);
        let encoded = {
            use base64::Engine;
            bincode::serialize(&tx)
                .map(|bytes| base64::engine::general_purpose::STANDARD.encode(bytes))
                .unwrap_or_default()
        };
        let outcome = self.ctx.banks_client.process_transaction_with_metadata(tx).await?;
        let (logs, compute_units) = outcome
            .metadata
            .map(|metadata| (metadata.log_messages, metadata.compute_units_consumed))
            .unwrap_or_default();
        if outcome.result.is_ok() {
            let events = crate::events::program_events(&logs, &proof_of_brain::ID);
            if !events.is_empty() {
                use base64::Engine;
                self.history.push(HistoryEntry {
                    signature: signature.to_string(),
                    slot: self.slot,
                    unix_timestamp: self.now,
                    accounts,
                    events: events
                        .iter()
                        .map(|e| base64::engine::general_purpose::STANDARD.encode(e))
                        .collect(),
                    memos,
                    transaction: encoded,
                    logs: logs.clone(),
                });
            }
            self.events.extend(events);
            let units = crate::events::top_level_compute_units(&logs, &proof_of_brain::ID);
            if units.len() == names.len() {
                self.compute_units.extend(names.into_iter().zip(units));
            }
        }
        Ok(Processed { result: outcome.result, logs, compute_units })
    }

    /// Compute units of every successful top-level instruction of the program, by name, oldest
    /// first (SBF runs only: the host build is not metered).
    pub fn compute_units(&self) -> &[(&'static str, u64)] {
        &self.compute_units
    }

    /// The transactions that named `address` and emitted program events, oldest first.
    pub fn history_of(&self, address: &Pubkey) -> Vec<HistoryEntry> {
        let address = address.to_string();
        self.history.iter().filter(|entry| entry.accounts.contains(&address)).cloned().collect()
    }

    /// Every event of type `E` the program emitted in this bank, oldest first.
    pub fn events<E: anchor_lang::Event>(&self) -> Vec<E> {
        crate::events::decode_all(&self.events)
    }

    /// The newest blockhash of the bank, for transactions signed elsewhere.
    pub async fn latest_blockhash(&mut self) -> solana_sdk::hash::Hash {
        self.refresh_blockhash().await;
        self.ctx.last_blockhash
    }

    /// Runs a transaction without committing it; `Some(error)` if it would fail.
    pub async fn simulate(&mut self, tx: impl Into<VersionedTransaction>) -> Option<TransactionError> {
        let simulation = self.ctx.banks_client.simulate_transaction(tx).await.expect("bank simulation");
        simulation.result.and_then(Result::err)
    }

    /// Simulates a transaction: its error, logs and compute units (what an RPC node's
    /// simulateTransaction and preflight report).
    pub async fn simulate_with_logs(
        &mut self,
        tx: impl Into<VersionedTransaction>,
    ) -> (Option<TransactionError>, Vec<String>, u64) {
        let simulation = self.ctx.banks_client.simulate_transaction(tx).await.expect("bank simulation");
        let (logs, units) = simulation
            .simulation_details
            .map(|details| (details.logs, details.units_consumed))
            .unwrap_or_default();
        (simulation.result.and_then(Result::err), logs, units)
    }

    /// The recorded transaction with this signature.
    pub fn history_entry(&self, signature: &str) -> Option<HistoryEntry> {
        self.history.iter().find(|entry| entry.signature == signature).cloned()
    }

    /// The slot of the working bank.
    pub fn slot(&self) -> u64 {
        self.slot
    }

    pub async fn account(&mut self, address: Pubkey) -> Option<Account> {
        self.ctx.banks_client.get_account(address).await.expect("bank read")
    }

    /// A program account, deserialized (discriminator checked).
    pub async fn program_account<T: AccountDeserialize>(&mut self, address: Pubkey) -> Option<T> {
        let account = self.account(address).await?;
        T::try_deserialize(&mut account.data.as_slice()).ok()
    }

    pub async fn lamports(&mut self, address: Pubkey) -> u64 {
        self.account(address).await.map_or(0, |account| account.lamports)
    }

    /// Balance of a token account (SPL Token or Token-2022); 0 if it does not exist.
    pub async fn token_balance(&mut self, token_account: Pubkey) -> u64 {
        let Some(account) = self.account(token_account).await else { return 0 };
        let base = &account.data[..spl_token::state::Account::LEN];
        spl_token::state::Account::unpack_from_slice(base).expect("a token account").amount
    }

    pub async fn rent_exempt_minimum(&mut self, data_len: usize) -> u64 {
        self.ctx.banks_client.get_rent().await.expect("rent sysvar").minimum_balance(data_len)
    }

    pub async fn airdrop(&mut self, to: &Pubkey, lamports: u64) -> Result<(), BanksClientError> {
        let payer = self.payer();
        self.send(&[system_instruction::transfer(&payer, to, lamports)], &[]).await
    }

    /// A new mint without extensions, owned by `token_program` (SPL Token or Token-2022). Like
    /// USDC's issuer, `authority` both mints and can freeze token accounts.
    pub async fn create_mint(
        &mut self,
        authority: &Pubkey,
        decimals: u8,
        token_program: &Pubkey,
    ) -> Result<MintRef, BanksClientError> {
        self.create_mint_at(&Keypair::new(), authority, decimals, token_program).await
    }

    /// Like [`Self::create_mint`], at the address of `mint` (reproducible runs choose it).
    pub async fn create_mint_at(
        &mut self,
        mint: &Keypair,
        authority: &Pubkey,
        decimals: u8,
        token_program: &Pubkey,
    ) -> Result<MintRef, BanksClientError> {
        let payer = self.payer();
        let len = spl_token::state::Mint::LEN;
        let rent = self.rent_exempt_minimum(len).await;
        let ixs = [
            system_instruction::create_account(&payer, &mint.pubkey(), rent, len as u64, token_program),
            spl_token_2022::instruction::initialize_mint2(
                token_program,
                &mint.pubkey(),
                authority,
                Some(authority),
                decimals,
            )
            .expect("initialize_mint2"),
        ];
        self.send(&ixs, &[mint]).await?;
        Ok(MintRef { mint: mint.pubkey(), token_program: *token_program })
    }

    /// The CLI's test USDC mint (SPL Token) and its authority, once created (kept in `meta`).
    pub fn test_mint(&self) -> anyhow::Result<Option<(MintRef, Keypair)>> {
        let (Some(mint), Some(authority)) = (self.meta.get(TEST_MINT), self.meta.get(TEST_MINT_AUTHORITY))
        else {
            return Ok(None);
        };
        let authority = Keypair::try_from_base58_string(authority)
            .map_err(|err| anyhow::anyhow!("the ledger's test mint authority is corrupt: {err}"))?;
        let mint = mint.parse().map_err(|err| anyhow::anyhow!("the ledger's test mint is corrupt: {err}"))?;
        Ok(Some((MintRef { mint, token_program: anchor_spl::token::ID }, authority)))
    }

    /// Keeps `mint` and its `authority` as the test mint [`Self::test_mint`] returns.
    pub fn set_test_mint(&mut self, mint: &MintRef, authority: &Keypair) {
        self.meta.insert(TEST_MINT.into(), mint.mint.to_string());
        self.meta.insert(TEST_MINT_AUTHORITY.into(), authority.to_base58_string());
    }

    /// Mints `amount` into `owner`'s associated token account, creating it if needed.
    pub async fn mint_to(
        &mut self,
        mint: MintRef,
        mint_authority: &Keypair,
        owner: &Pubkey,
        amount: u64,
    ) -> Result<(), BanksClientError> {
        let payer = self.payer();
        let mut ixs =
            vec![create_associated_token_account_idempotent(&payer, owner, &mint.mint, &mint.token_program)];
        if amount == 0 {
            return self.send(&ixs, &[]).await;
        }
        ixs.push(
            spl_token_2022::instruction::mint_to(
                &mint.token_program,
                &mint.mint,
                &mint.ata(owner),
                &mint_authority.pubkey(),
                &[],
                amount,
            )
            .expect("mint_to"),
        );
        self.send(&ixs, &[mint_authority]).await
    }
}
