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

/// What `pob serve` offers beside JSON-RPC: the web app's files, the embedded ledger's facts the
/// app needs (`/pob/config.json`), a faucet of test SOL and test USDC, and a store of task specs.
pub struct Site {
    /// The built app (`app/dist`), if there is one.
    pub app_dir: Option<std::path::PathBuf>,
    /// Where specs posted to `/pob/specs` are kept (the CLI's own spec store, so both see them).
    pub specs: crate::spec_store::SpecStore,
    /// The base URL clients reach this server at (`http://127.0.0.1:8899`): spec URIs use it.
    pub origin: String,
}

/// What the faucet gives per request: enough to post a few tasks or stake on many answers.
pub const FAUCET_LAMPORTS: u64 = 2_000_000_000;
pub const FAUCET_TEST_USDC: u64 = 100_000_000;

#[derive(Clone)]
struct SiteState {
    node: SharedNode,
    site: Arc<Site>,
}

/// JSON-RPC on `POST /`, the `/pob/*` endpoints and the app's files on every other `GET`.
/// CORS is open, as on a local validator: a dev server (`npm run dev`) on another port calls it;
/// the `/pob/*` endpoints answer pages served from this machine only (`local_pages_only`).
pub fn site_router(node: SharedNode, site: Site) -> Router {
    use axum::routing::get;
    let app_dir = site.app_dir.clone();
    let state = SiteState { node: node.clone(), site: Arc::new(site) };
    let pob = Router::new()
        .route("/pob/config.json", get(config))
        .route("/pob/faucet", post(faucet))
        .route("/pob/warp", post(warp))
        .route("/pob/specs", post(put_spec))
        .route("/pob/specs/{file}", get(get_spec))
        .layer(axum::middleware::from_fn(local_pages_only))
        .with_state(state);
    // `/` answers JSON-RPC on POST and is the app's page on GET, like every path the app routes.
    let site = match app_dir {
        Some(dir) => {
            let files = tower_http::services::ServeDir::new(&dir)
                .fallback(tower_http::services::ServeFile::new(dir.join("index.html")));
            Router::new().route("/", post(handle).get_service(files.clone())).fallback_service(files)
        }
        None => Router::new().route("/", post(handle).get(app_not_built)).fallback(app_not_built),
    };
    site.with_state(node).merge(pob).layer(tower_http::cors::CorsLayer::permissive())
}

async fn app_not_built() -> (axum::http::StatusCode, &'static str) {
    (
        axum::http::StatusCode::NOT_FOUND,
        "The web app is not built: run `npm --prefix app ci && npm --prefix app run build`, then \
         restart `pob serve` (or pass --app DIR).\n",
    )
}

type Reply = (axum::http::StatusCode, Json<Value>);

/// The most addresses one `getMultipleAccounts` may name, as on a validator's RPC.
pub const MAX_MULTIPLE_ACCOUNTS: usize = 100;

/// The faucet, the clock warp and the spec store change the local test ledger, so only pages
/// served from this machine may call them. A browser sends `Origin` with every cross-site request
/// and no page can forge it: a site the user happens to visit cannot drain the faucet or move the
/// clock. Tools outside a browser send no `Origin` and pass.
async fn local_pages_only(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    match request.headers().get(axum::http::header::ORIGIN) {
        Some(origin) if !is_loopback_origin(origin.as_bytes()) => (
            axum::http::StatusCode::FORBIDDEN,
            Json(json!({"error": "pob serve's test endpoints answer pages served from this machine only"})),
        )
            .into_response(),
        _ => next.run(request).await,
    }
}

/// Whether a browser's `Origin` (`scheme://host[:port]`) is a page on this machine.
pub fn is_loopback_origin(origin: &[u8]) -> bool {
    let Ok(origin) = std::str::from_utf8(origin) else { return false };
    let Some(authority) = origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) else {
        return false;
    };
    // The port follows the last colon, unless that colon is inside an IPv6 host (`[::1]`).
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, Some(port)),
        _ => (authority, None),
    };
    matches!(host, "localhost" | "127.0.0.1" | "[::1]") && port.is_none_or(|port| port.parse::<u16>().is_ok())
}

fn bad_request(message: impl Into<String>) -> Reply {
    (axum::http::StatusCode::BAD_REQUEST, Json(json!({"error": message.into()})))
}

async fn config(State(state): State<SiteState>) -> Reply {
    let node = state.node.lock().await;
    let mint = node.bank.test_mint().ok().flatten().map(|(mint, _)| mint.mint.to_string());
    (
        axum::http::StatusCode::OK,
        Json(json!({
            "cluster": "embedded",
            "programId": crate::pda::program_id().to_string(),
            "testMint": mint,
            "testMintDecimals": crate::session::TEST_MINT_DECIMALS,
            "tokenProgram": anchor_spl::token::ID.to_string(),
            "faucet": mint.is_some(),
        })),
    )
}

/// `POST /pob/faucet {"address": WALLET}`: 2 SOL and 100 test USDC (in its associated token
/// account), what `pob embedded airdrop 2` and `pob embedded mint 100` give.
async fn faucet(State(state): State<SiteState>, Json(body): Json<Value>) -> Reply {
    let Some(to) = body["address"].as_str().and_then(|text| text.parse::<Pubkey>().ok()) else {
        return bad_request("address: expected a base58 wallet address");
    };
    let mut node = state.node.lock().await;
    node.tick().await;
    let (mint, authority) = match node.bank.test_mint() {
        Ok(Some(test_mint)) => test_mint,
        Ok(None) => return bad_request("this ledger has no test mint (run `pob embedded mint 0` once)"),
        Err(err) => return bad_request(format!("{err:#}")),
    };
    if let Err(err) = node.bank.airdrop(&to, FAUCET_LAMPORTS).await {
        return bad_request(format!("airdrop failed: {err}"));
    }
    if let Err(err) = node.bank.mint_to(mint, &authority, &to, FAUCET_TEST_USDC).await {
        return bad_request(format!("mint failed: {err}"));
    }
    if let Err(err) = node.save().await {
        return bad_request(format!("cannot save the ledger: {err:#}"));
    }
    let token_account = mint.ata(&to);
    (
        axum::http::StatusCode::OK,
        Json(json!({
            "address": to.to_string(),
            "lamports": node.bank.lamports(to).await.to_string(),
            "tokenAccount": token_account.to_string(),
            "testUsdc": node.bank.token_balance(token_account).await.to_string(),
        })),
    )
}

/// `POST /pob/warp {"seconds": N}`: moves the ledger's clock forward, as `pob embedded warp`
/// does; the clock keeps following the wall clock from there.
async fn warp(State(state): State<SiteState>, Json(body): Json<Value>) -> Reply {
    let Some(seconds) = body["seconds"].as_i64().filter(|s| (1..=MAX_WARP_SECS).contains(s)) else {
        return bad_request(format!("seconds: expected 1 to {MAX_WARP_SECS}"));
    };
    let mut node = state.node.lock().await;
    node.tick().await;
    let to = node.bank.now() + seconds;
    node.bank.warp_to(to).await;
    node.started.1 += seconds;
    if let Err(err) = node.save().await {
        return bad_request(format!("cannot save the ledger: {err:#}"));
    }
    (axum::http::StatusCode::OK, Json(json!({"now": to})))
}

/// At most a year per move: enough for any window, far from overflowing the clock.
pub const MAX_WARP_SECS: i64 = 365 * 24 * 3600;

/// `POST /pob/specs` with a spec file's bytes: validated like `pob task create --spec`, kept
/// under its sha256, and published at the URI returned (which a task stores on-chain).
async fn put_spec(State(state): State<SiteState>, body: axum::body::Bytes) -> Reply {
    if let Err(errors) = crate::spec::TaskSpec::parse(&body) {
        let errors: Vec<Value> =
            errors.0.iter().map(|e| json!({"field": e.field, "message": e.message})).collect();
        return (axum::http::StatusCode::UNPROCESSABLE_ENTITY, Json(json!({"errors": errors})));
    }
    match state.site.specs.put(&body) {
        Ok(hash) => {
            let hash = crate::hex::encode(&hash);
            let uri = format!("{}/pob/specs/{hash}.json", state.site.origin);
            (axum::http::StatusCode::OK, Json(json!({"hash": hash, "uri": uri})))
        }
        Err(err) => {
            (axum::http::StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": format!("{err:#}")})))
        }
    }
}

async fn get_spec(
    State(state): State<SiteState>,
    axum::extract::Path(file): axum::extract::Path<String>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let hash = file
        .strip_suffix(".json")
        .and_then(|hex| crate::hex::decode(hex).ok())
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok());
    let Some(hash) = hash else {
        return (axum::http::StatusCode::NOT_FOUND, "expected /pob/specs/<sha256 hex>.json").into_response();
    };
    match std::fs::read(state.site.specs.path_of(&hash)) {
        Ok(bytes) => ([(axum::http::header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(_) => (axum::http::StatusCode::NOT_FOUND, "no spec with this hash here").into_response(),
    }
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn run(
    router: Router,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await.context("the RPC server failed")
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

/// The `memo` of a `getSignaturesForAddress` row as a validator writes it (agave's
/// `extract_and_fmt_memos`): `[<length in bytes>] <text>` per memo instruction, joined by `"; "`,
/// or null. The app reads a task's published answers this way, one call for all of them.
fn memo_field(memos: &[String]) -> Value {
    if memos.is_empty() {
        return Value::Null;
    }
    let listed: Vec<String> = memos.iter().map(|memo| format!("[{}] {memo}", memo.len())).collect();
    Value::String(listed.join("; "))
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
            // A validator's limit, so that a client which works here works against it too.
            if keys.len() > MAX_MULTIPLE_ACCOUNTS {
                return Err(invalid(format!("Too many inputs provided; max {MAX_MULTIPLE_ACCOUNTS}")));
            }
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
            let options = &params[1];
            // A validator's paging: at most 1,000 per call, newest first, each page continuing
            // `before` the last one's oldest signature and stopping at `until`.
            let page = crate::backend::HISTORY_PAGE as u64;
            let limit = options["limit"].as_u64().unwrap_or(page);
            if !(1..=page).contains(&limit) {
                return Err(invalid(format!("Invalid limit; max {page}")));
            }
            let (before, until) = (options["before"].as_str(), options["until"].as_str());
            let rows: Vec<Value> = node
                .bank
                .history_of(&key)
                .iter()
                .rev() // newest first, as a validator lists them
                .skip_while(|entry| before.is_some_and(|before| entry.signature != before))
                .skip(usize::from(before.is_some()))
                .take_while(|entry| until.is_none_or(|until| entry.signature != until))
                .take(limit as usize)
                .map(|entry| {
                    json!({"signature": entry.signature, "slot": entry.slot, "err": null,
                           "memo": memo_field(&entry.memos),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memos_are_listed_as_a_validator_lists_them() {
        assert_eq!(memo_field(&[]), Value::Null);
        // Lengths in bytes ("é" is two), and "; " inside a memo stays inside it.
        let memos = ["pob-answer-v1 T café".to_string(), "a; b".to_string()];
        assert_eq!(memo_field(&memos), json!("[21] pob-answer-v1 T café; [4] a; b"));
    }

    #[test]
    fn only_pages_on_this_machine_are_local() {
        for local in [
            "http://localhost:5173",
            "http://127.0.0.1:8899",
            "https://localhost",
            "http://[::1]:3000",
            "http://[::1]",
        ] {
            assert!(is_loopback_origin(local.as_bytes()), "{local}");
        }
        for foreign in [
            "https://example.com",
            "http://localhost.example.com",
            "http://127.0.0.1.example.com:80",
            "http://localhost:80x",
            "null",
            "file://",
            "http://[::2]:80",
        ] {
            assert!(!is_loopback_origin(foreign.as_bytes()), "{foreign}");
        }
    }
}
