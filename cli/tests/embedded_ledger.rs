//! The embedded ledger survives between processes: a bank saved to a file and a new bank loaded
//! from it hold the same accounts, and work goes on where it stopped.
use anchor_lang::AccountDeserialize;
use pob_cli::embedded::EmbeddedBank;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Protocol, Submission, Task};
use proof_of_brain::{CreateTaskArgs, ProtocolParams};
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
    let params = ProtocolParams {
        treasury: authority.pubkey(),
        fee_bps: 250,
        dispute_window_secs: 86_400,
        vote_window_secs: 86_400,
        min_vote_weight: 1,
        chamber_min_agreed_answers: 1,
        chamber_min_stake: 1,
        chamber_member_weight: 1,
    };
    let setup = [
        ix::initialize_protocol(&payer, authority.pubkey(), params),
        ix::allow_mint(&payer, &authority.pubkey(), mint, 10_000, 100_000, USDC),
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
        commit_deadline: T0 + 3_600,
        reveal_deadline: T0 + 7_200,
    };
    let task = TaskRef::new(requester.pubkey(), 7, mint);
    bank.send(
        &[ix::create_task(&requester.pubkey(), mint, &mint.ata(&requester.pubkey()), args)],
        &[&requester],
    )
    .await
    .unwrap();
    let task_before = bank.account(task.address).await.unwrap();
    bank.save(&ledger).await.unwrap();
    drop(bank);

    // Second "invocation", a minute later: same accounts, clock moved on, work continues.
    let mut bank = EmbeddedBank::load(&ledger, |saved| saved.ledger + 60).await.unwrap();
    assert_eq!(bank.now(), T0 + 60);
    assert_eq!(bank.account(task.address).await.unwrap(), task_before);
    let protocol =
        Protocol::try_deserialize(&mut bank.account(pda::protocol()).await.unwrap().data.as_slice()).unwrap();
    assert_eq!(protocol.authority, authority.pubkey());
    assert_eq!(bank.token_balance(task.vault()).await, 51_250);
    assert_eq!(bank.token_balance(mint.ata(&requester.pubkey())).await, 10 * USDC - 51_250);

    let key = worker.pubkey();
    let commitment =
        answer_commitment(&task.address.to_bytes(), &key.to_bytes(), &answer_hash(b"yes"), &[3; 32]);
    let work = [
        ix::register_worker(&key),
        ix::stake(&key, mint, &mint.ata(&key), USDC),
        ix::commit_answer(&key, &task, commitment),
    ];
    bank.send(&work, &[&worker]).await.unwrap();
    bank.save(&ledger).await.unwrap();
    drop(bank);

    // Third: the commit is there, and the worker can reveal.
    let mut bank = EmbeddedBank::load(&ledger, |saved| saved.ledger).await.unwrap();
    let submission = pda::submission(&task.address, &key);
    let stored =
        Submission::try_deserialize(&mut bank.account(submission).await.unwrap().data.as_slice()).unwrap();
    assert_eq!(stored.commitment, commitment);
    bank.send(&[ix::reveal_answer(&key, &task.address, answer_hash(b"yes"), [3; 32])], &[&worker])
        .await
        .unwrap();
    let task_now =
        Task::try_deserialize(&mut bank.account(task.address).await.unwrap().data.as_slice()).unwrap();
    assert_eq!(task_now.revealed, 1);
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
