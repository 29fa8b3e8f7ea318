//! `pob serve`: the embedded ledger as a Solana JSON-RPC node on 127.0.0.1, so that any Solana
//! client (`pob -u http://127.0.0.1:8899`, `@solana/kit`, the web app) can use it. HTTP is axum's
//! (hyper underneath); this module answers the JSON-RPC 2.0 methods those clients call, the way a
//! validator does: base64 accounts, memcmp filters, preflight simulation on send, signature
//! statuses, and the transaction history the ledger file keeps.
use std::collections::HashMap;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use anyhow::{Context, Result};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use base64::Engine;
use serde_json::{json, Value};
use solana_sdk::account::Account;
use solana_sdk::transaction::{TransactionError, VersionedTransaction};
use tokio::sync::Mutex;

use crate::backend::wall_clock;
use crate::embedded::EmbeddedBank;

/// The node's state: the bank and what it remembers of the transactions sent to it.
pub struct Node {
    pub bank: EmbeddedBank,
    /// The ledger file, saved after every change (a killed server loses nothing).
    path: Option<std::path::PathBuf>,
    /// Outcomes of the transactions sent since the node started, for getSignatureStatuses.
    statuses: HashMap<String, Option<TransactionError>>,
    /// The wall clock and the ledger's clock when the node started: the ledger's clock follows
    /// the wall clock from there (warps made by `pob embedded warp` in between are kept).
    started: (i64, i64),
}

pub type SharedNode = Arc<Mutex<Node>>;

impl Node {
    /// A node on `bank`, saving it to `path` after every transaction if given.
    pub fn new(bank: EmbeddedBank, path: Option<std::path::PathBuf>) -> SharedNode {
        let started = (wall_clock(), bank.now());
        Arc::new(Mutex::new(Node { bank, path, statuses: HashMap::new(), started }))
    }

    pub async fn save(&mut self) -> Result<()> {
        match &self.path {
            Some(path) => self.bank.save(path).await,
            None => Ok(()),
        }
    }

    /// Moves the ledger's clock to follow the wall clock.
    async fn tick(&mut self) {
        let (wall, ledger) = self.started;
        let target = ledger + (wall_clock() - wall).max(0);
        if target > self.bank.now() {
            self.bank.warp_to(target).await;
        }
    }
}

/// The JSON-RPC endpoint (POST /), for [`axum::serve`].
pub fn router(node: SharedNode) -> Router {
    Router::new().route("/", post(handle)).with_state(node)
}

/// Serves `node` on `address` until `shutdown` completes.
pub async fn run(
    node: SharedNode,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(listener, router(node))
        .with_graceful_shutdown(shutdown)
        .await
        .context("the RPC server failed")
}

async fn handle(State(node): State<SharedNode>, Json(request): Json<Value>) -> Json<Value> {
    let mut node = node.lock().await;
    node.tick().await;
    Json(match request {
        Value::Array(batch) => {
            let mut answers = Vec::new();
            for request in &batch {
                answers.push(answer(&mut node, request).await);
            }
            Value::Array(answers)
        }
        request => answer(&mut node, &request).await,
    })
}

/// A JSON-RPC error: `code` as a validator uses them (-32602 invalid params, -32601 no method).
struct RpcError {
    code: i64,
    message: String,
    data: Option<Value>,
}

fn invalid(message: impl Into<String>) -> RpcError {
    RpcError { code: -32602, message: message.into(), data: None }
}

async fn answer(node: &mut Node, request: &Value) -> Value {
    let id = request.get("id").cloned().unwrap_or(Value::Null);
    let method = request["method"].as_str().unwrap_or_default().to_string();
    let params = request.get("params").cloned().unwrap_or_else(|| json!([]));
    match call(node, &method, &params).await {
        Ok(result) => json!({"jsonrpc": "2.0", "id": id, "result": result}),
        Err(RpcError { code, message, data }) => {
            let mut error = json!({"code": code, "message": message});
            if let Some(data) = data {
                error["data"] = data;
            }
            json!({"jsonrpc": "2.0", "id": id, "error": error})
        }
    }
}

fn address(params: &Value, index: usize) -> Result<Pubkey, RpcError> {
    params[index]
        .as_str()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| invalid(format!("param {index}: expected a base58 address")))
}

fn ui_account(account: &Account) -> Value {
    json!({
        "lamports": account.lamports,
        "data": [base64::engine::general_purpose::STANDARD.encode(&account.data), "base64"],
        "owner": account.owner.to_string(),
        "executable": account.executable,
        "rentEpoch": account.rent_epoch,
        "space": account.data.len(),
    })
}

/// A transaction in `params[0]`, base64 (the default of current clients) or base58.
fn transaction(params: &Value) -> Result<VersionedTransaction, RpcError> {
    let text = params[0].as_str().ok_or_else(|| invalid("param 0: expected an encoded transaction"))?;
    let bytes = match params[1]["encoding"].as_str() {
        Some("base58") => bs58::decode(text).into_vec().map_err(|_| invalid("param 0: invalid base58"))?,
        _ => base64::engine::general_purpose::STANDARD
            .decode(text)
            .map_err(|_| invalid("param 0: invalid base64"))?,
    };
    bincode::deserialize(&bytes).map_err(|_| invalid("param 0: not a transaction"))
}

async fn call(node: &mut Node, method: &str, params: &Value) -> Result<Value, RpcError> {
    let slot = node.bank.slot();
    let context = json!({"slot": slot, "apiVersion": "3.1.12"});
    Ok(match method {
        "getHealth" => json!("ok"),
        "getVersion" => json!({"solana-core": "3.1.12", "feature-set": 0}),
        "getSlot" | "getBlockHeight" => json!(slot),
        "getEpochInfo" => {
            json!({"absoluteSlot": slot, "blockHeight": slot, "epoch": 0, "slotIndex": slot, "slotsInEpoch": 432_000, "transactionCount": null})
        }
        "getGenesisHash" => json!(solana_sdk::hash::Hash::default().to_string()),
        "getAccountInfo" => {
            let account = node.bank.account(address(params, 0)?).await;
            json!({"context": context, "value": account.as_ref().map(ui_account)})
        }
        "getMultipleAccounts" => {
            let keys =
                params[0].as_array().ok_or_else(|| invalid("param 0: expected an array of addresses"))?;
            let mut values = Vec::new();
            for (index, key) in keys.iter().enumerate() {
                let key: Pubkey = key
                    .as_str()
                    .and_then(|k| k.parse().ok())
                    .ok_or_else(|| invalid(format!("address {index}")))?;
                values.push(node.bank.account(key).await.as_ref().map(ui_account));
            }
            json!({"context": context, "value": values})
        }
        "getBalance" => {
            let lamports = node.bank.lamports(address(params, 0)?).await;
            json!({"context": context, "value": lamports})
        }
        "getTokenAccountBalance" => {
            let key = address(params, 0)?;
            let account = node.bank.account(key).await.ok_or_else(|| invalid("could not find account"))?;
            let (mint, amount) = (
                account.data.get(..32).and_then(|b| Pubkey::try_from(b).ok()),
                account.data.get(64..72).map(|b| u64::from_le_bytes(b.try_into().expect("8 bytes"))),
            );
            let (Some(mint), Some(amount)) = (mint, amount) else {
                return Err(invalid("not a token account"));
            };
            let decimals = match node.bank.account(mint).await {
                Some(mint) => mint.data.get(44).copied().unwrap_or(0),
                None => 0,
            };
            let ui = crate::amount::format_amount(amount, decimals);
            json!({"context": context, "value": {"amount": amount.to_string(), "decimals": decimals, "uiAmountString": ui}})
        }
        "getProgramAccounts" => {
            let program = address(params, 0)?;
            let mut memcmps = Vec::new();
            let mut size = None;
            for filter in params[1]["filters"].as_array().into_iter().flatten() {
                if let Some(bytes) = filter["dataSize"].as_u64() {
                    size = Some(bytes as usize);
                    continue;
                }
                let memcmp = &filter["memcmp"];
                let offset = memcmp["offset"].as_u64().ok_or_else(|| invalid("memcmp: offset"))? as usize;
                let text = memcmp["bytes"].as_str().ok_or_else(|| invalid("memcmp: bytes"))?;
                let bytes = match memcmp["encoding"].as_str() {
                    Some("base64") => base64::engine::general_purpose::STANDARD
                        .decode(text)
                        .map_err(|_| invalid("memcmp: base64"))?,
                    _ => bs58::decode(text).into_vec().map_err(|_| invalid("memcmp: base58"))?,
                };
                memcmps.push((offset, bytes));
            }
            let matching: Vec<Value> = node
                .bank
                .accounts_owned_by(&program)
                .await
                .iter()
                .filter(|(_, account)| size.is_none_or(|size| account.data.len() == size))
                .filter(|(_, account)| {
                    memcmps.iter().all(|(offset, bytes)| account.data.get(*offset..offset + bytes.len()) == Some(bytes))
                })
                .map(|(address, account)| json!({"pubkey": address.to_string(), "account": ui_account(account)}))
                .collect();
            if params[1]["withContext"].as_bool() == Some(true) {
                json!({"context": context, "value": matching})
            } else {
                json!(matching)
            }
        }
        "getMinimumBalanceForRentExemption" => {
            let bytes = params[0].as_u64().ok_or_else(|| invalid("param 0: expected a data length"))?;
            json!(node.bank.rent_exempt_minimum(bytes as usize).await)
        }
        "getLatestBlockhash" => {
            let blockhash = node.bank.latest_blockhash().await;
            json!({"context": context, "value": {"blockhash": blockhash.to_string(), "lastValidBlockHeight": slot + 150}})
        }
        "isBlockhashValid" => json!({"context": context, "value": true}),
        "getFeeForMessage" => json!({"context": context, "value": 5_000}),
        "requestAirdrop" => {
            let to = address(params, 0)?;
            let lamports = params[1].as_u64().ok_or_else(|| invalid("param 1: expected lamports"))?;
            node.bank
                .airdrop(&to, lamports)
                .await
                .map_err(|err| invalid(format!("airdrop failed: {err}")))?;
            // The bank's own transfer: no signature a client could look up, so report one that is
            // already final.
            let signature = solana_sdk::signature::Signature::new_unique().to_string();
            node.statuses.insert(signature.clone(), None);
            node.save().await.map_err(|err| invalid(format!("cannot save the ledger: {err:#}")))?;
            json!(signature)
        }
        "getSignatureStatuses" => {
            let signatures = params[0].as_array().ok_or_else(|| invalid("param 0: expected signatures"))?;
            let statuses: Vec<Value> = signatures
                .iter()
                .map(|signature| match node.statuses.get(signature.as_str().unwrap_or_default()) {
                    Some(error) => json!({
                        "slot": slot, "confirmations": null, "err": error,
                        "status": match error { None => json!({"Ok": null}), Some(e) => json!({"Err": e}) },
                        "confirmationStatus": "finalized",
                    }),
                    None => Value::Null,
                })
                .collect();
            json!({"context": context, "value": statuses})
        }
        "simulateTransaction" => {
            let tx = transaction(params)?;
            let processed = node.bank.simulate_with_logs(tx).await;
            json!({"context": context, "value": {"err": processed.0, "logs": processed.1, "accounts": null, "unitsConsumed": processed.2}})
        }
        "sendTransaction" => {
            let tx = transaction(params)?;
            let skip_preflight = params[1]["skipPreflight"].as_bool() == Some(true);
            if !skip_preflight {
                let (error, logs, units) = node.bank.simulate_with_logs(tx.clone()).await;
                if let Some(error) = error {
                    // A validator's preflight failure: a JSON-RPC error carrying the simulation.
                    let simulation =
                        json!({"err": error, "logs": logs, "accounts": null, "unitsConsumed": units});
                    return Err(RpcError {
                        code: -32002,
                        message: format!("Transaction simulation failed: {error}"),
                        data: Some(simulation),
                    });
                }
            }
            let signature = tx.signatures[0].to_string();
            let processed = node.bank.process_with_logs(tx).await.map_err(|err| invalid(err.to_string()))?;
            node.statuses.insert(signature.clone(), processed.result.err());
            node.save().await.map_err(|err| invalid(format!("cannot save the ledger: {err:#}")))?;
            json!(signature)
        }
        "getSignaturesForAddress" => {
            let key = address(params, 0)?;
            let limit = params[1]["limit"].as_u64().unwrap_or(1_000) as usize;
            let rows: Vec<Value> = node
                .bank
                .history_of(&key)
                .iter()
                .rev() // newest first, as a validator lists them
                .take(limit)
                .map(|entry| {
                    json!({"signature": entry.signature, "slot": entry.slot, "err": null, "memo": null,
                           "blockTime": entry.unix_timestamp, "confirmationStatus": "finalized"})
                })
                .collect();
            json!(rows)
        }
        "getTransaction" => {
            let signature = params[0].as_str().ok_or_else(|| invalid("param 0: expected a signature"))?;
            let Some(entry) = node.bank.history_entry(signature) else { return Ok(Value::Null) };
            if entry.transaction.is_empty() {
                return Ok(Value::Null);
            }
            json!({
                "slot": entry.slot, "blockTime": entry.unix_timestamp, "version": "legacy",
                "transaction": [entry.transaction, "base64"],
                "meta": {"err": null, "status": {"Ok": null}, "fee": 5000, "preBalances": [], "postBalances": [],
                         "innerInstructions": [], "logMessages": entry.logs, "preTokenBalances": [], "postTokenBalances": [],
                         "rewards": [], "loadedAddresses": {"writable": [], "readonly": []}, "computeUnitsConsumed": 0},
            })
        }
        other => {
            return Err(RpcError {
                code: -32601,
                message: format!("Method not found: pob serve does not answer {other}"),
                data: None,
            })
        }
    })
}
