//! The RPC backend (solana-client's nonblocking RpcClient over HTTP) against `pob serve`'s
//! JSON-RPC node on 127.0.0.1, which answers the way a validator does (preflight simulation on
//! sendTransaction, signature statuses, base64 accounts, memcmp filters, transaction history).
//! These machines have no network, so this is how the devnet path is exercised end to end.

use crate::common::*;
use anchor_lang::prelude::Pubkey;
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::MintRef;
use serde_json::{json, Value};
use solana_sdk::signature::{Keypair, Signer};

/// Serves `bank` with `pob serve`'s node on an unused port; returns its URL and the node.
async fn serve(bank: EmbeddedBank) -> (String, pob_cli::serve::SharedNode) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let node = pob_cli::serve::Node::new(bank, None);
    tokio::spawn(pob_cli::serve::run(pob_cli::serve::router(node.clone()), listener, std::future::pending()));
    (url, node)
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
    let task_address: Pubkey = task.parse().unwrap();
    assert!(node.lock().await.bank.account(task_address).await.is_none(), "closed on the node");

    // The task's history, paged as a validator pages it: `before` continues, `until` stops.
    let client = solana_client::nonblocking::rpc_client::RpcClient::new(url.clone());
    let page = |before: Option<&str>, until: Option<&str>, limit: usize| {
        let config = solana_client::rpc_client::GetConfirmedSignaturesForAddress2Config {
            before: before.map(|s| s.parse().unwrap()),
            until: until.map(|s| s.parse().unwrap()),
            limit: Some(limit),
            ..Default::default()
        };
        let client = &client;
        async move {
            let found = client.get_signatures_for_address_with_config(&task_address, config).await.unwrap();
            found.into_iter().map(|status| status.signature).collect::<Vec<String>>()
        }
    };
    let all = page(None, None, 1_000).await;
    assert!(all.len() >= 8, "create, 2 commits, 2 reveals, finalize, claim, close: {all:?}");
    let mut paged = page(None, None, 3).await;
    while let Some(last) = paged.last().cloned() {
        let next = page(Some(&last), None, 3).await;
        if next.is_empty() {
            break;
        }
        paged.extend(next);
    }
    assert_eq!(paged, all, "pages of 3 make the whole list, in order, once");
    assert_eq!(page(None, Some(&all[2]), 1_000).await, all[..2]);
    let too_many = client
        .get_signatures_for_address_with_config(
            &task_address,
            solana_client::rpc_client::GetConfirmedSignaturesForAddress2Config {
                limit: Some(1_001),
                ..Default::default()
            },
        )
        .await
        .unwrap_err()
        .to_string();
    assert!(too_many.contains("Invalid limit; max 1000"), "{too_many}");
}

/// The methods a browser client (@solana/kit) calls that `pob` does not, answered like a validator.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_node_answers_what_web_clients_ask() {
    let bank = EmbeddedBank::start(pob_cli::backend::wall_clock()).await;
    let (url, _node) = serve(bank).await;
    let client = solana_client::nonblocking::rpc_client::RpcClient::new(url.clone());
    let wallet = Pubkey::new_unique();
    client.request_airdrop(&wallet, 2_000_000_000).await.expect("requestAirdrop");
    assert_eq!(client.get_balance(&wallet).await.unwrap(), 2_000_000_000);
    let accounts = client.get_multiple_accounts(&[wallet, Pubkey::new_unique()]).await.unwrap();
    assert_eq!(
        (accounts[0].as_ref().map(|a| a.lamports), accounts[1].is_none()),
        (Some(2_000_000_000), true)
    );
    // More than a validator takes in one call is refused as a validator refuses it.
    let too_many: Vec<Pubkey> =
        (0..=pob_cli::serve::MAX_MULTIPLE_ACCOUNTS).map(|_| Pubkey::new_unique()).collect();
    let refused = client.get_multiple_accounts(&too_many).await.unwrap_err().to_string();
    assert!(refused.contains("Too many inputs provided; max 100"), "{refused}");
    assert_eq!(client.get_multiple_accounts(&too_many[1..]).await.unwrap().len(), 100);
    assert_eq!(client.get_minimum_balance_for_rent_exemption(165).await.unwrap(), 2_039_280);
    assert!(client.get_slot().await.is_ok() && client.get_epoch_info().await.is_ok());
    // An unknown method is a JSON-RPC error, not a hang or a crash.
    let request = json!({"jsonrpc": "2.0", "id": 1, "method": "getInflationReward", "params": []});
    let response = reqwest::Client::new()
        .post(&url)
        .header("content-type", "application/json")
        .body(request.to_string())
        .send()
        .await
        .unwrap();
    let raw: Value = serde_json::from_str(&response.text().await.unwrap()).unwrap();
    assert_eq!(raw["error"]["code"], -32601, "{raw}");
}

/// `pob serve` beside JSON-RPC: the web app's files (unknown paths get index.html), the facts the
/// app reads, the faucet, the spec store (validated by the CLI's own spec checker), the clock
/// warp, CORS for a dev server on another port, and no test endpoint for pages of other sites.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_site_serves_the_app_and_what_it_needs() {
    let mut bank = EmbeddedBank::start(pob_cli::backend::wall_clock()).await;
    let mint_authority = Keypair::new();
    let usdc = bank.create_mint(&mint_authority.pubkey(), 6, &anchor_spl::token::ID).await.unwrap();
    bank.set_test_mint(&usdc, &mint_authority);
    let start = bank.now();
    let app = tempfile::tempdir().unwrap();
    std::fs::write(app.path().join("index.html"), "<!doctype html><title>app</title>").unwrap();
    std::fs::create_dir(app.path().join("assets")).unwrap();
    std::fs::write(app.path().join("assets/app.js"), "console.log(1)").unwrap();
    let specs = tempfile::tempdir().unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let node = pob_cli::serve::Node::new(bank, None);
    let site = pob_cli::serve::Site {
        app_dir: Some(app.path().to_path_buf()),
        specs: pob_cli::spec_store::SpecStore::open(specs.path()),
        origin: url.clone(),
    };
    tokio::spawn(pob_cli::serve::run(
        pob_cli::serve::site_router(node.clone(), site),
        listener,
        std::future::pending(),
    ));
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let request = http.get(format!("{url}{path}"));
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let post = |path: &str, body: String| {
        let request = http.post(format!("{url}{path}")).header("content-type", "application/json").body(body);
        async move {
            let response = request.send().await.unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };

    assert_eq!(get("/").await, (200, "<!doctype html><title>app</title>".to_string()));
    assert_eq!(get("/assets/app.js").await, (200, "console.log(1)".to_string()));
    assert_eq!(get("/some/route").await.1, "<!doctype html><title>app</title>");
    let (status, health) =
        post("/", json!({"jsonrpc": "2.0", "id": 1, "method": "getHealth"}).to_string()).await;
    assert_eq!(
        (status, serde_json::from_str::<Value>(&health).unwrap()["result"].clone()),
        (200, json!("ok"))
    );

    let config: Value = serde_json::from_str(&get("/pob/config.json").await.1).unwrap();
    assert_eq!(config["testMint"], json!(usdc.mint.to_string()));
    assert_eq!(config["programId"], json!(pob_cli::pda::program_id().to_string()));
    assert_eq!((config["testMintDecimals"].clone(), config["faucet"].clone()), (json!(6), json!(true)));

    let visitor = Keypair::new().pubkey();
    let (status, funded) = post("/pob/faucet", json!({"address": visitor.to_string()}).to_string()).await;
    let funded: Value = serde_json::from_str(&funded).unwrap();
    assert_eq!(status, 200, "{funded}");
    assert_eq!(funded["lamports"], json!(pob_cli::serve::FAUCET_LAMPORTS.to_string()));
    assert_eq!(funded["testUsdc"], json!(pob_cli::serve::FAUCET_TEST_USDC.to_string()));
    assert_eq!(
        node.lock().await.bank.token_balance(usdc.ata(&visitor)).await,
        pob_cli::serve::FAUCET_TEST_USDC
    );
    // A page from another site (the browser says so in `Origin`) gets nothing from the faucet;
    // a dev server on this machine does.
    let from = |origin: &'static str| {
        let request = http
            .post(format!("{url}/pob/faucet"))
            .header("content-type", "application/json")
            .header("origin", origin)
            .body(json!({"address": visitor.to_string()}).to_string());
        async move { request.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(from("https://example.com").await, 403);
    assert_eq!(
        node.lock().await.bank.token_balance(usdc.ata(&visitor)).await,
        pob_cli::serve::FAUCET_TEST_USDC,
        "a refused faucet call moves nothing"
    );
    assert_eq!(from("http://localhost:5173").await, 200);
    assert_eq!(
        node.lock().await.bank.token_balance(usdc.ata(&visitor)).await,
        2 * pob_cli::serve::FAUCET_TEST_USDC
    );
    let (status, refused) = post("/pob/faucet", json!({"address": "nobody"}).to_string()).await;
    assert_eq!((status, refused.contains("address: expected a base58 wallet address")), (400, true));

    let bad =
        json!({"version": 1, "item": {"text": "x"}, "answer": {"kind": "choice", "labels": ["a", "A"]}});
    let (status, errors) = post("/pob/specs", bad.to_string()).await;
    let errors: Value = serde_json::from_str(&errors).unwrap();
    assert_eq!(status, 422);
    let fields: Vec<&str> =
        errors["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap()).collect();
    assert_eq!(fields, ["prompt", "answer.labels[1]"]);
    let good = json!({"version": 1, "prompt": "Which?", "item": {"text": "x"}, "answer": {"kind": "choice", "labels": ["a", "b"]}}).to_string();
    let (status, stored) = post("/pob/specs", good.clone()).await;
    let stored: Value = serde_json::from_str(&stored).unwrap();
    let hash = pob_cli::hex::encode(&pob_cli::spec::spec_hash(good.as_bytes()));
    assert_eq!((status, stored["hash"].as_str()), (200, Some(hash.as_str())));
    assert_eq!(stored["uri"], json!(format!("{url}/pob/specs/{hash}.json")));
    assert_eq!(get(&format!("/pob/specs/{hash}.json")).await, (200, good));
    assert_eq!(get(&format!("/pob/specs/{}.json", "0".repeat(64))).await.0, 404);

    // The ledger's clock follows the wall clock (the Clock sysvar's unix_timestamp, at byte 32).
    let ledger_now = || {
        let body = json!({"jsonrpc": "2.0", "id": 1, "method": "getAccountInfo",
                          "params": ["SysvarC1ock11111111111111111111111111111111", {"encoding": "base64"}]});
        let request = post("/", body.to_string());
        async move {
            let reply: Value = serde_json::from_str(&request.await.1).unwrap();
            let data = reply["result"]["value"]["data"][0].as_str().unwrap().to_string();
            let bytes = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).unwrap();
            i64::from_le_bytes(bytes[32..40].try_into().unwrap())
        }
    };
    let before = ledger_now().await;
    tokio::time::sleep(std::time::Duration::from_millis(2_100)).await;
    let elapsed = ledger_now().await - before;
    assert!((2..=4).contains(&elapsed), "the ledger clock moved {elapsed} s in 2.1 s of wall time");

    let (status, moved) = post("/pob/warp", json!({"seconds": 86_400}).to_string()).await;
    assert_eq!(status, 200, "{moved}");
    assert!(node.lock().await.bank.now() >= start + 86_400);
    assert_eq!(post("/pob/warp", json!({"seconds": -5}).to_string()).await.0, 400);

    let preflight = http
        .request(reqwest::Method::OPTIONS, format!("{url}/"))
        .header("origin", "http://localhost:5173")
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.headers()["access-control-allow-origin"], "*");
}
