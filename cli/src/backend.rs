//! Where `pob` reads accounts and sends transactions: a JSON-RPC cluster, or the embedded ledger
//! (the in-process bank, loaded from and saved back to a file around each invocation).
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{anyhow, Context, Result};
use base64::Engine;
use solana_account_decoder_client_types::UiAccountEncoding;
use solana_client::client_error::ClientError;
use solana_client::nonblocking::rpc_client::RpcClient;
use solana_client::rpc_client::GetConfirmedSignaturesForAddress2Config;
use solana_client::rpc_config::{RpcAccountInfoConfig, RpcProgramAccountsConfig, RpcTransactionConfig};
use solana_client::rpc_filter::{Memcmp, RpcFilterType};
use solana_client::rpc_response::RpcConfirmedTransactionStatusWithSignature;
use solana_commitment_config::CommitmentConfig;
use solana_program_test::BanksClientError;
use solana_sdk::account::Account;
use solana_sdk::signature::{Keypair, Signature, Signer};
use solana_sdk::transaction::{Transaction, TransactionError};
use solana_transaction_status_client_types::UiTransactionEncoding;

use crate::embedded::EmbeddedBank;
use crate::program_error;

const CLOCK_SYSVAR: Pubkey = anchor_lang::pubkey!("SysvarC1ock11111111111111111111111111111111");

/// Seconds since the unix epoch by the wall clock.
pub fn wall_clock() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs() as i64)
}

/// A failed transaction: the program's (or runtime's) reason, readable.
#[derive(Debug)]
pub struct TransactionFailed {
    pub error: Option<TransactionError>,
    pub message: String,
}

impl std::fmt::Display for TransactionFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TransactionFailed {}

impl TransactionFailed {
    fn new(error: Option<TransactionError>, fallback: impl FnOnce() -> String) -> Self {
        let message = error.as_ref().map_or_else(fallback, program_error::describe);
        Self { error, message }
    }
}

/// The most signatures an RPC node lists per `getSignaturesForAddress`: `history` reads pages of
/// this many, each continuing before the last.
pub const HISTORY_PAGE: usize = 1_000;

/// A landed transaction and the program events it emitted.
#[derive(Clone, Debug)]
pub struct HistoryTx {
    pub signature: String,
    pub unix_timestamp: Option<i64>,
    /// Raw events: discriminator + borsh.
    pub events: Vec<Vec<u8>>,
    /// The texts of its SPL Memo instructions.
    pub memos: Vec<String>,
}

impl From<crate::embedded::HistoryEntry> for HistoryTx {
    fn from(entry: crate::embedded::HistoryEntry) -> Self {
        HistoryTx {
            signature: entry.signature,
            unix_timestamp: Some(entry.unix_timestamp),
            events: entry
                .events
                .iter()
                .filter_map(|b64| base64::engine::general_purpose::STANDARD.decode(b64).ok())
                .collect(),
            memos: entry.memos,
        }
    }
}

/// One landed transaction's program events and memos from an RPC node (None if it emitted no
/// event of this program).
async fn landed_transaction(client: &RpcClient, signature: &Signature) -> Result<Option<HistoryTx>> {
    let config = RpcTransactionConfig {
        encoding: Some(UiTransactionEncoding::Base64),
        commitment: Some(client.commitment()),
        max_supported_transaction_version: Some(0),
    };
    let tx = client
        .get_transaction_with_config(signature, config)
        .await
        .map_err(|err| rpc_error(client, format!("cannot read transaction {signature}"), err))?;
    let memos = tx
        .transaction
        .transaction
        .decode()
        .map(|decoded| crate::ix::memos_of(&decoded.message))
        .unwrap_or_default();
    let logs: Vec<String> = tx.transaction.meta.and_then(|meta| meta.log_messages.into()).unwrap_or_default();
    let events = crate::events::program_events(&logs, &crate::pda::program_id());
    Ok((!events.is_empty()).then(|| HistoryTx {
        signature: signature.to_string(),
        unix_timestamp: tx.block_time,
        events,
        memos,
    }))
}

impl HistoryTx {
    /// This transaction's events of type `E`.
    pub fn decode<E: anchor_lang::Event>(&self) -> Vec<E> {
        crate::events::decode_all(&self.events)
    }
}

/// The cluster behind a `pob` invocation.
pub enum Ledger {
    /// `_lock` holds the ledger file's lock for the whole invocation.
    Embedded {
        bank: Box<EmbeddedBank>,
        path: PathBuf,
        _lock: Option<std::fs::File>,
    },
    Rpc {
        client: Box<RpcClient>,
    },
}

impl Ledger {
    /// Opens the embedded ledger at `path`: loads it, its clock moved on by the wall time since it
    /// was saved (warps are kept), or starts a fresh one at the wall clock.
    pub async fn open_embedded(path: &Path) -> Result<Self> {
        let lock = lock_ledger(path)?;
        let bank = if path.exists() {
            let now = wall_clock();
            EmbeddedBank::load(path, |saved| saved.ledger + saved.wall.map_or(0, |wall| (now - wall).max(0)))
                .await?
        } else {
            EmbeddedBank::start(wall_clock()).await
        };
        Ok(Ledger::Embedded { bank: Box::new(bank), path: path.to_path_buf(), _lock: lock })
    }

    pub fn rpc(url: &str, commitment: &str) -> Result<Self> {
        let commitment: CommitmentConfig = commitment
            .parse()
            .map_err(|_| anyhow!("unknown commitment {commitment:?} in the solana config"))?;
        Ok(Ledger::Rpc { client: Box::new(RpcClient::new_with_commitment(url.to_string(), commitment)) })
    }

    pub fn is_embedded(&self) -> bool {
        matches!(self, Ledger::Embedded { .. })
    }

    /// The embedded bank, or an error naming the command that needs it.
    pub fn bank(&mut self, command: &str) -> Result<&mut EmbeddedBank> {
        match self {
            Ledger::Embedded { bank, .. } => Ok(bank),
            Ledger::Rpc { .. } => {
                Err(anyhow!("`{command}` only works on the embedded ledger (--url embedded)"))
            }
        }
    }

    /// Saves the embedded ledger (nothing to do on a real cluster).
    pub async fn finish(&mut self) -> Result<()> {
        match self {
            Ledger::Embedded { bank, path, .. } => bank.save(path).await,
            Ledger::Rpc { .. } => Ok(()),
        }
    }

    pub async fn account(&mut self, address: &Pubkey) -> Result<Option<Account>> {
        match self {
            Ledger::Embedded { bank, .. } => Ok(bank.account(*address).await),
            Ledger::Rpc { client } => Ok(client
                .get_account_with_commitment(address, client.commitment())
                .await
                .map_err(|err| rpc_error(client, format!("cannot read account {address}"), err))?
                .value),
        }
    }

    /// Accounts owned by `program` whose data holds `bytes` at `offset`, for every filter.
    pub async fn program_accounts(
        &mut self,
        program: &Pubkey,
        filters: &[(usize, Vec<u8>)],
    ) -> Result<Vec<(Pubkey, Account)>> {
        let matches = |data: &[u8]| {
            filters.iter().all(|(offset, bytes)| data.get(*offset..offset + bytes.len()) == Some(bytes))
        };
        match self {
            Ledger::Embedded { bank, .. } => {
                let owned = bank.accounts_owned_by(program).await;
                Ok(owned.into_iter().filter(|(_, account)| matches(&account.data)).collect())
            }
            Ledger::Rpc { client } => {
                let config = RpcProgramAccountsConfig {
                    filters: Some(
                        filters
                            .iter()
                            .map(|(offset, bytes)| {
                                RpcFilterType::Memcmp(Memcmp::new_base58_encoded(*offset, bytes))
                            })
                            .collect(),
                    ),
                    account_config: RpcAccountInfoConfig {
                        encoding: Some(UiAccountEncoding::Base64),
                        ..RpcAccountInfoConfig::default()
                    },
                    ..RpcProgramAccountsConfig::default()
                };
                #[allow(deprecated)] // the replacement returns UI accounts we would decode back
                let accounts = client.get_program_accounts_with_config(program, config).await.map_err(|err| {
                    let unreachable = is_unreachable(&err);
                    let what = if unreachable {
                        "cannot list the program's accounts".to_string()
                    } else {
                        "cannot list the program's accounts (the RPC node may not allow getProgramAccounts; \
                         use one that does, e.g. a provider's or your own)"
                            .to_string()
                    };
                    rpc_error(client, what, err)
                })?;
                Ok(accounts)
            }
        }
    }

    /// The program events of the transactions that named `address`, oldest first (on an RPC
    /// node, every page of its history that the node still keeps).
    pub async fn history(&mut self, address: &Pubkey) -> Result<Vec<HistoryTx>> {
        match self {
            Ledger::Embedded { bank, .. } => {
                Ok(bank.history_of(address).into_iter().map(HistoryTx::from).collect())
            }
            Ledger::Rpc { client } => {
                let mut signatures: Vec<RpcConfirmedTransactionStatusWithSignature> = Vec::new();
                loop {
                    let before = match signatures.last() {
                        Some(last) => Some(last.signature.parse::<Signature>()?),
                        None => None,
                    };
                    let config = GetConfirmedSignaturesForAddress2Config {
                        before,
                        limit: Some(HISTORY_PAGE),
                        commitment: Some(client.commitment()),
                        ..Default::default()
                    };
                    let page = client.get_signatures_for_address_with_config(address, config).await.map_err(
                        |err| {
                            rpc_error(
                                client,
                                format!("cannot read the transaction history of {address}"),
                                err,
                            )
                        },
                    )?;
                    let full = page.len() == HISTORY_PAGE;
                    // A page that repeats the last one means the node ignores `before`: stop.
                    let repeated = before.is_some()
                        && page.first().map(|first| &first.signature)
                            == signatures.first().map(|s| &s.signature);
                    if repeated {
                        break;
                    }
                    signatures.extend(page);
                    if !full {
                        break;
                    }
                }
                signatures.reverse(); // the node lists newest first
                let mut history = Vec::new();
                for status in signatures.into_iter().filter(|status| status.err.is_none()) {
                    let signature: Signature = status.signature.parse()?;
                    history.extend(landed_transaction(client, &signature).await?);
                }
                Ok(history)
            }
        }
    }

    /// The program events of these landed transactions (those that emitted any), in the order
    /// given: what a command just sent did, without reading a whole history.
    pub async fn transactions(&mut self, signatures: &[Signature]) -> Result<Vec<HistoryTx>> {
        let mut found = Vec::new();
        for signature in signatures {
            match self {
                Ledger::Embedded { bank, .. } => {
                    found.extend(bank.history_entry(&signature.to_string()).map(HistoryTx::from))
                }
                Ledger::Rpc { client } => found.extend(landed_transaction(client, signature).await?),
            }
        }
        Ok(found)
    }

    /// The cluster's clock (unix seconds), as programs see it.
    pub async fn now(&mut self) -> Result<i64> {
        match self {
            Ledger::Embedded { bank, .. } => Ok(bank.now()),
            Ledger::Rpc { client } => {
                let clock = client
                    .get_account(&CLOCK_SYSVAR)
                    .await
                    .map_err(|err| rpc_error(client, "cannot read the clock".into(), err))?;
                // Clock: slot, epoch_start_timestamp, epoch, leader_schedule_epoch, unix_timestamp.
                let bytes = clock.data.get(32..40).context("the clock sysvar is too short")?;
                Ok(i64::from_le_bytes(bytes.try_into()?))
            }
        }
    }

    /// Signs with `fee_payer` and `signers`, sends and waits for confirmation.
    pub async fn send(
        &mut self,
        fee_payer: &Keypair,
        ixs: &[Instruction],
        signers: &[&Keypair],
    ) -> Result<Signature, TransactionFailed> {
        match self {
            Ledger::Embedded { bank, .. } => {
                // The bank would retry a payer without SOL until the request times out.
                if bank.lamports(fee_payer.pubkey()).await == 0 {
                    return Err(TransactionFailed {
                        error: Some(TransactionError::AccountNotFound),
                        message: format!("the fee payer {} has no SOL", fee_payer.pubkey()),
                    });
                }
                let tx = bank.sign_paid_by(fee_payer, ixs, signers).await;
                let signature = tx.signatures[0];
                // Like an RPC node's preflight check: a transaction that would fail is not
                // sent, so it costs no fee and changes nothing.
                if let Some(error) = bank.simulate(tx.clone()).await {
                    return Err(TransactionFailed::new(Some(error), String::new));
                }
                bank.process(tx).await.map_err(banks_failure)?;
                Ok(signature)
            }
            Ledger::Rpc { client } => {
                let tx = rpc_transaction(client, fee_payer, ixs, signers).await?;
                client.send_and_confirm_transaction(&tx).await.map_err(rpc_failure)
            }
        }
    }
}

/// Two `pob` processes on one ledger file would each save their own copy and lose the other's
/// transactions: the second waits for the first (an exclusive lock on `PATH.lock`).
#[cfg(unix)]
fn lock_ledger(path: &Path) -> Result<Option<std::fs::File>> {
    use std::os::fd::AsRawFd;
    if let Some(dir) = path.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let lock_path = path.with_extension("lock");
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .with_context(|| format!("cannot open {}", lock_path.display()))?;
    // SAFETY: flock on a descriptor this function owns; released when the File is dropped.
    if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
        anyhow::bail!("cannot lock {}", lock_path.display());
    }
    Ok(Some(file))
}

#[cfg(not(unix))]
fn lock_ledger(_path: &Path) -> Result<Option<std::fs::File>> {
    Ok(None)
}

async fn rpc_transaction(
    client: &RpcClient,
    fee_payer: &Keypair,
    ixs: &[Instruction],
    signers: &[&Keypair],
) -> Result<Transaction, TransactionFailed> {
    let blockhash = client.get_latest_blockhash().await.map_err(rpc_failure)?;
    let mut all_signers: Vec<&Keypair> = vec![fee_payer];
    all_signers.extend(signers.iter().copied().filter(|s| s.pubkey() != fee_payer.pubkey()));
    Ok(Transaction::new_signed_with_payer(ixs, Some(&fee_payer.pubkey()), &all_signers, blockhash))
}

fn banks_failure(err: BanksClientError) -> TransactionFailed {
    let error = match &err {
        BanksClientError::TransactionError(error) => Some(error.clone()),
        BanksClientError::SimulationError { err, .. } => Some(err.clone()),
        _ => None,
    };
    TransactionFailed::new(error, || format!("transaction failed: {err}"))
}

/// Whether the RPC node could not be reached at all (rather than answering with an error).
fn is_unreachable(err: &ClientError) -> bool {
    use solana_client::client_error::ClientErrorKind;
    match err.kind() {
        ClientErrorKind::Io(_) => true,
        ClientErrorKind::Reqwest(err) => err.is_connect() || err.is_timeout() || err.is_request(),
        ClientErrorKind::Middleware(_) => true,
        // get_account_with_commitment folds the transport error into a message.
        ClientErrorKind::RpcError(solana_client::rpc_request::RpcError::ForUser(message)) => {
            message.contains("error sending request")
        }
        _ => false,
    }
}

/// An RPC failure for people: an unreachable node is named with its URL and the way to try pob
/// without one.
fn rpc_error(client: &RpcClient, what: String, err: ClientError) -> anyhow::Error {
    if is_unreachable(&err) {
        return anyhow!(
            "{what}: cannot reach the RPC node at {} (is it running, and is this the cluster you meant? \
             Choose one with -u devnet|mainnet-beta|URL, or try everything locally with -u embedded)",
            client.url()
        );
    }
    anyhow!("{what}: {err}")
}

fn rpc_failure(err: ClientError) -> TransactionFailed {
    if is_unreachable(&err) {
        return TransactionFailed {
            error: None,
            message: format!(
                "cannot reach the RPC node ({err}). Check the URL (-u), or try everything locally with \
                 -u embedded"
            ),
        };
    }
    TransactionFailed::new(err.get_transaction_error(), || format!("RPC request failed: {err}"))
}
