//! The embedded ledger survives between processes: a bank saved to a file and a new bank loaded
//! from it hold the same accounts and history, and work goes on where it stopped.
use pob_cli::accounts::{read_state, OwnedTask};
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::{self, OwnAccount, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Balance, Protocol, Submission};
use proof_of_brain::{CreateTaskArgs, Qualification};
use solana_sdk::signature::{Keypair, Signer};

const T0: i64 = 1_795_478_400;
const USDC: u64 = 1_000_000;

#[tokio::test]
async fn a_saved_ledger_reloads_and_carries_on() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = dir.path().join("ledger.json");
    let (authority, mint_authority, requester, worker) =
        (Keypair::new(), Keypair::new(), Keypair::new(), Keypair::new());

    // First "invocation": protocol, mint, a task.
    let mut bank = EmbeddedBank::start(T0).await;
    let payer = bank.payer();
    for key in [authority.pubkey(), requester.pubkey(), worker.pubkey()] {
        bank.airdrop(&key, 1_000_000_000).await.unwrap();
    }
    let mint = bank.create_mint(&mint_authority.pubkey(), 6, &anchor_spl::token::ID).await.unwrap();
    bank.mint_to(mint, &mint_authority, &requester.pubkey(), 10 * USDC).await.unwrap();
    bank.mint_to(mint, &mint_authority, &worker.pubkey(), USDC).await.unwrap();
    let setup = [
        ix::initialize_protocol(
            &payer,
            authority.pubkey(),
            pob_cli::defaults::protocol_params(authority.pubkey()),
        ),
        ix::allow_mint(&payer, &authority.pubkey(), mint, pob_cli::defaults::mint_limits(6)),
    ];
    bank.send(&setup, &[&authority]).await.unwrap();
    let args = CreateTaskArgs {
        task_id: 7,
        spec_hash: [1; 32],
        spec_uri: "ipfs://spec".into(),
        answers_required: 1,
        quorum: 1,
        reward_per_answer: 50_000,
        stake_per_answer: 500_000,
        no_quorum_bps: 5_000,
        commit_window_secs: 3_600,
        reveal_window_secs: 3_600,
        qualification: Qualification::default(),
        gold_seal: None,
    };
    let task = TaskRef::new(requester.pubkey(), 7, mint);
    let key = requester.pubkey();
    let rent = bank.rent_exempt_minimum(OwnAccount::Requester.space()).await;
    let mut ixs = ix::create_own_account(&key, OwnAccount::Requester, rent, 0);
    ixs.extend([ix::open_balance(&key, &mint.mint), ix::deposit(&key, mint, &mint.ata(&key), USDC)]);
    ixs.push(ix::create_task(&key, &mint.mint, args));
    bank.send(&ixs, &[&requester]).await.unwrap();
    let task_before = bank.account(task.address).await.unwrap();
    bank.save(&ledger).await.unwrap();
    drop(bank);

    // Second "invocation", a minute later: same accounts and history, clock moved on.
    let mut bank = EmbeddedBank::load(&ledger, |saved| saved.ledger + 60).await.unwrap();
    assert_eq!(bank.now(), T0 + 60);
    assert_eq!(bank.account(task.address).await.unwrap(), task_before);
    let protocol: Protocol = read_state(&bank.account(pda::protocol()).await.unwrap().data).unwrap();
    assert_eq!(protocol.authority, authority.pubkey());
    let balance: Balance =
        read_state(&bank.account(pda::balance(&key, &mint.mint)).await.unwrap().data).unwrap();
    assert_eq!(balance.free, USDC - 51_250, "the deposit less the task's rewards and fee");
    assert_eq!(bank.token_balance(mint.vault()).await, USDC);
    let history = bank.history_of(&task.address);
    assert_eq!(history.len(), 1, "the creation is remembered across invocations");

    let key = worker.pubkey();
    let commitment =
        answer_commitment(&task.address.to_bytes(), &key.to_bytes(), &answer_hash(b"yes"), &[3; 32]);
    let rent = bank.rent_exempt_minimum(OwnAccount::Worker.space()).await;
    let mut work = ix::create_own_account(&key, OwnAccount::Worker, rent, 0);
    work.extend([
        ix::register_worker(&key),
        ix::open_balance(&key, &mint.mint),
        ix::deposit(&key, mint, &mint.ata(&key), USDC),
        ix::commit_answer(&key, &task, commitment),
    ]);
    bank.send(&work, &[&worker]).await.unwrap();
    bank.save(&ledger).await.unwrap();
    drop(bank);

    // Third: the commit is there, and the worker can reveal.
    let mut bank = EmbeddedBank::load(&ledger, |saved| saved.ledger).await.unwrap();
    let submission = pda::submission(&task.address, &key);
    let stored: Submission = read_state(&bank.account(submission).await.unwrap().data).unwrap();
    assert_eq!(stored.commitment, commitment);
    bank.send(&[ix::reveal_answer(&key, &task.address, answer_hash(b"yes"), [3; 32])], &[&worker])
        .await
        .unwrap();
    let task_now = OwnedTask::parse(&bank.account(task.address).await.unwrap().data).unwrap();
    assert_eq!(task_now.revealed, 1);
    assert_eq!(bank.history_of(&task.address).len(), 3, "create, commit, reveal");
}

#[tokio::test]
async fn a_missing_or_corrupt_ledger_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing.json");
    let err = EmbeddedBank::load(&missing, |t| t.ledger).await.err().unwrap();
    assert!(err.to_string().starts_with("cannot read the ledger"), "{err}");
    let corrupt = dir.path().join("corrupt.json");
    std::fs::write(&corrupt, b"[1, 2").unwrap();
    let err = EmbeddedBank::load(&corrupt, |t| t.ledger).await.err().unwrap();
    assert!(err.to_string().ends_with("is not an embedded ledger file"), "{err}");
}

/// Between invocations the ledger's clock moves on with the wall clock (warps are kept).
#[tokio::test]
async fn the_ledger_clock_follows_the_wall_clock() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.json");
    let now = pob_cli::backend::wall_clock();
    let mut bank = EmbeddedBank::start(now).await;
    bank.warp_to(now + 86_400).await; // a warp of a day
    bank.save(&path).await.unwrap();
    // Pretend the file was saved an hour ago.
    let mut file: serde_json::Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    file["saved_at"] = serde_json::json!(file["saved_at"].as_i64().unwrap() - 3_600);
    std::fs::write(&path, serde_json::to_vec(&file).unwrap()).unwrap();

    let mut ledger = pob_cli::backend::Ledger::open_embedded(&path).await.unwrap();
    let clock = ledger.now().await.unwrap();
    assert!((now + 86_400 + 3_600..now + 86_400 + 3_600 + 60).contains(&clock), "{clock} vs {now}");
}
