//! The RPC backend (solana-client's nonblocking RpcClient over HTTP) against a real bank: a small
//! JSON-RPC front-end serves an `EmbeddedBank` on 127.0.0.1, answering the methods `pob` uses the
//! way a validator does (preflight simulation on sendTransaction, signature statuses, base64
//! accounts, memcmp filters). These machines have no network, so this is how the devnet path is
//! exercised end to end.
mod common;

use std::collections::HashMap;
use std::sync::Arc;

use anchor_lang::prelude::Pubkey;
use base64::Engine;
use common::*;
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::MintRef;
use serde_json::{json, Value};
use solana_sdk::account::Account;
use solana_sdk::signature::{Keypair, Signer};
use solana_sdk::transaction::{TransactionError, VersionedTransaction};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

struct Node {
    bank: EmbeddedBank,
    statuses: HashMap<String, Option<TransactionError>>,
    /// Landed transactions by signature: (base64 transaction, logs, slot, block time).
    landed: HashMap<String, (String, Vec<String>, u64, i64)>,
    /// Signatures by account address, oldest first.
    by_address: HashMap<String, Vec<String>>,
}

type Shared = Arc<Mutex<Node>>;

/// Serves `bank` over JSON-RPC; returns its URL and a handle to move its clock.
async fn serve(bank: EmbeddedBank) -> (String, Shared) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let node = Arc::new(Mutex::new(Node {
        bank,
        statuses: HashMap::new(),
        landed: HashMap::new(),
        by_address: HashMap::new(),
    }));
    let shared = node.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let node = node.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut read = BufReader::new(read);
                loop {
                    let mut length = 0;
                    loop {
                        let mut line = String::new();
                        if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                            return; // connection closed
                        }
                        let line = line.trim_end();
                        if line.is_empty() {
                            break;
                        }
                        if let Some((name, value)) = line.split_once(':') {
                            if name.eq_ignore_ascii_case("content-length") {
                                length = value.trim().parse().unwrap();
                            }
                        }
                    }
                    let mut body = vec![0; length];
                    read.read_exact(&mut body).await.unwrap();
                    let request: Value = serde_json::from_slice(&body).unwrap();
                    let response = answer(&node, &request).await.to_string();
                    let head = format!(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                        response.len()
                    );
                    write.write_all(head.as_bytes()).await.unwrap();
                    write.write_all(response.as_bytes()).await.unwrap();
                }
            });
        }
    });
    (url, shared)
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

async fn answer(node: &Shared, request: &Value) -> Value {
    let mut node = node.lock().await;
    let params = &request["params"];
    let slot = node.bank.slot();
    let context = json!({"slot": slot, "apiVersion": "3.1.12"});
    let result = match request["method"].as_str().unwrap() {
        "getAccountInfo" => {
            let address: Pubkey = params[0].as_str().unwrap().parse().unwrap();
            let value = node.bank.account(address).await.as_ref().map(ui_account);
            json!({"context": context, "value": value})
        }
        "getProgramAccounts" => {
            let program: Pubkey = params[0].as_str().unwrap().parse().unwrap();
            let filters: Vec<(usize, Vec<u8>)> = params[1]["filters"]
                .as_array()
                .unwrap()
                .iter()
                .map(|filter| {
                    let memcmp = &filter["memcmp"];
                    let bytes = bs58::decode(memcmp["bytes"].as_str().unwrap()).into_vec().unwrap();
                    (memcmp["offset"].as_u64().unwrap() as usize, bytes)
                })
                .collect();
            let accounts = node.bank.accounts_owned_by(&program).await;
            let matching: Vec<Value> = accounts
                .iter()
                .filter(|(_, account)| {
                    filters.iter().all(|(offset, bytes)| account.data.get(*offset..offset + bytes.len()) == Some(bytes))
                })
                .map(|(address, account)| json!({"pubkey": address.to_string(), "account": ui_account(account)}))
                .collect();
            json!(matching)
        }
        "getLatestBlockhash" => {
            let blockhash = node.bank.latest_blockhash().await;
            json!({"context": context, "value": {"blockhash": blockhash.to_string(), "lastValidBlockHeight": slot + 150}})
        }
        "isBlockhashValid" => json!({"context": context, "value": true}),
        "getSignatureStatuses" => {
            let statuses: Vec<Value> = params[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|signature| match node.statuses.get(signature.as_str().unwrap()) {
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
        "sendTransaction" => {
            let bytes =
                base64::engine::general_purpose::STANDARD.decode(params[0].as_str().unwrap()).unwrap();
            let tx: VersionedTransaction = bincode::deserialize(&bytes).unwrap();
            if let Some(error) = node.bank.simulate(tx.clone()).await {
                // A validator's preflight failure: a JSON-RPC error carrying the simulation.
                let simulation = json!({"err": error, "logs": [], "accounts": null, "unitsConsumed": 0});
                return json!({"jsonrpc": "2.0", "id": request["id"], "error": {
                    "code": -32002, "message": "Transaction simulation failed", "data": simulation}});
            }
            let signature = tx.signatures[0].to_string();
            let keys: Vec<String> = tx.message.static_account_keys().iter().map(Pubkey::to_string).collect();
            let processed = node.bank.process_with_logs(tx).await.unwrap();
            if processed.result.is_ok() {
                let (slot, now) = (node.bank.slot(), node.bank.now());
                node.landed.insert(
                    signature.clone(),
                    (params[0].as_str().unwrap().to_string(), processed.logs, slot, now),
                );
                for key in keys {
                    node.by_address.entry(key).or_default().push(signature.clone());
                }
            }
            node.statuses.insert(signature.clone(), processed.result.err());
            json!(signature)
        }
        "getSignaturesForAddress" => {
            let address = params[0].as_str().unwrap();
            let signatures = node.by_address.get(address).cloned().unwrap_or_default();
            let rows: Vec<Value> = signatures
                .iter()
                .rev() // newest first, as a validator lists them
                .map(|signature| {
                    let (_, _, slot, time) = &node.landed[signature];
                    json!({"signature": signature, "slot": slot, "err": null, "memo": null,
                           "blockTime": time, "confirmationStatus": "finalized"})
                })
                .collect();
            json!(rows)
        }
        "getTransaction" => {
            let (tx, logs, slot, time) = node.landed[params[0].as_str().unwrap()].clone();
            json!({
                "slot": slot, "blockTime": time, "version": "legacy",
                "transaction": [tx, "base64"],
                "meta": {"err": null, "status": {"Ok": null}, "fee": 5000, "preBalances": [], "postBalances": [],
                         "innerInstructions": [], "logMessages": logs, "preTokenBalances": [], "postTokenBalances": [],
                         "rewards": [], "loadedAddresses": {"writable": [], "readonly": []}, "computeUnitsConsumed": 0},
            })
        }
        other => panic!("the test node does not serve {other}"),
    };
    json!({"jsonrpc": "2.0", "id": request["id"], "result": result})
}

/// `pob -u URL -k WALLET --output json ARGS`.
async fn pob(pob: &Pob, url: &str, wallet: &str, args: &[&str]) -> Result<Value, String> {
    let (keypair, _) = pob.wallet(wallet);
    let mut all: Vec<String> = vec!["pob".into(), "-u".into(), url.into(), "--output".into(), "json".into()];
    all.extend(["-k".into(), keypair.display().to_string()]);
    all.extend(["--secrets-file".into(), pob.secrets().display().to_string()]);
    all.extend(args.iter().map(|s| s.to_string()));
    match pob_cli::app::run(all).await {
        Ok(text) => {
            let value: Value = serde_json::from_str(&text).expect("one JSON object");
            conforms(args, &value);
            Ok(value)
        }
        Err(err) => Err(format!("{err:#}")),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_task_through_json_rpc() {
    let files = Pob::new();
    let mut bank = EmbeddedBank::start(pob_cli::backend::wall_clock()).await;
    let mint_authority = Keypair::new();
    let usdc: MintRef = bank.create_mint(&mint_authority.pubkey(), 6, &anchor_spl::token::ID).await.unwrap();
    for (name, usdc_units) in [("admin", 0), ("requester", 10_000_000), ("w1", 2_000_000), ("w2", 2_000_000)]
    {
        let (_, wallet) = files.wallet(name);
        bank.airdrop(&wallet, 1_000_000_000).await.unwrap();
        bank.mint_to(usdc, &mint_authority, &wallet, usdc_units).await.unwrap();
    }
    let (url, node) = serve(bank).await;
    let mint = usdc.mint.to_string();
    let run = |wallet: &'static str, args: Vec<&str>| {
        let (files, url) = (&files, url.clone());
        let args: Vec<String> = args.into_iter().map(String::from).collect();
        async move {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            pob(files, &url, wallet, &args).await
        }
    };

    let init = run("admin", vec!["protocol", "init"]).await.unwrap();
    assert_eq!(init["fee"], "2.5%");
    let no_default = run("admin", vec!["mint", "allow"]).await.unwrap_err();
    assert!(no_default.contains("has no default USDC mint; pass --mint"), "{no_default}");
    run("admin", vec!["mint", "allow", &mint]).await.unwrap();
    let spec = files.choice_spec("spec.json", &["cat", "dog"]);
    let spec_uri = format!("file://{spec}");
    let missing_uri =
        run("requester", vec!["task", "create", "--mint", &mint, "--spec", &spec, "--reward", "0.5"])
            .await
            .unwrap_err();
    assert!(missing_uri.contains("--spec-uri"), "off the embedded ledger workers need a URI: {missing_uri}");
    let created = run(
        "requester",
        vec![
            "task",
            "create",
            "--mint",
            &mint,
            "--spec",
            &spec,
            "--spec-uri",
            &spec_uri,
            "--answers",
            "2",
            "--quorum",
            "2",
            "--reward",
            "0.5",
        ],
    )
    .await
    .unwrap();
    let task = text(&created["task"]).to_string();
    let answerable = run("w1", vec!["task", "list", "--answerable"]).await.unwrap();
    assert_eq!(answerable["tasks"][0]["task"], task, "getProgramAccounts with memcmp filters");
    run("w1", vec!["task", "commit", &task, "--answer", "Cat"]).await.unwrap();
    let early = run("w1", vec!["task", "reveal", &task]).await.unwrap_err();
    assert!(early.contains("takes reveals once its commit phase is over"), "{early}");
    run("w2", vec!["task", "commit", &task, "--answer", "cat"]).await.unwrap();
    let revealed = run("w1", vec!["task", "reveal", &task]).await.unwrap();
    assert_eq!(revealed["answer"], "cat", "recovered from the wallet's salt, nothing kept");
    run("w2", vec!["task", "reveal", "--all"]).await.unwrap();
    run("admin", vec!["task", "finalize", &task]).await.unwrap();
    let early = run("admin", vec!["task", "claim", &task, "--all"]).await.unwrap_err();
    assert!(early.starts_with("claims open when the dispute window ends"), "{early}");

    {
        let mut node = node.lock().await;
        let later = node.bank.now() + 86_400;
        node.bank.warp_to(later).await;
    }
    let claimed = run("admin", vec!["task", "claim", &task, "--all"]).await.unwrap();
    let settlements = claimed["settlements"].as_array().unwrap();
    assert_eq!(settlements.len(), 2, "read back from getTransaction logs: {claimed}");
    assert!(settlements
        .iter()
        .all(|row| row["settlement"] == "agreed" && amount(&row["paid"]) == "0.500000"));
    let closed = run("admin", vec!["task", "close", &task]).await.unwrap();
    assert_eq!(amount(&closed["refund_to_requester"]), "0.000000", "both answers paid");
    assert_eq!(amount(&closed["fee"]), "0.025000");
    let shown = run("admin", vec!["task", "show", &task]).await.unwrap();
    assert_eq!(shown["state"], "closed");
    assert_eq!(shown["outcome"]["label"], "cat", "the history of a closed task, over RPC");
    for worker in ["w1", "w2"] {
        let withdrawn = run(worker, vec!["withdraw", "--all", "--mint", &mint]).await.unwrap();
        assert_eq!(amount(&withdrawn["withdrawn"]), "0.600000", "stake 0.1 back + reward 0.5");
        let balance = run(worker, vec!["wallet", "balance", "--mint", &mint]).await.unwrap();
        assert_eq!(amount(&balance["tokens"]), "2.500000", "2 minted + 0.5 earned");
    }
    let node = node.lock().await;
    assert!(node.landed.len() > 10);
    drop(node);
    let task_address: Pubkey = task.parse().unwrap();
    let _ = task_address;
}
