//! Full task lifecycles, every balance checked to the base unit.
use anchor_lang::solana_program::instruction::Instruction;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Stake, TaskState, Worker};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

const STAKE: u64 = USDC; // each worker stakes 1 USDC

struct Balances {
    requester_usdc: u64,
    requester_lamports: u64,
    worker_lamports: Vec<u64>,
}

async fn snapshot(env: &mut TestEnv, requester: &Keypair, workers: &[Keypair]) -> Balances {
    let mut worker_lamports = Vec::new();
    for worker in workers {
        worker_lamports.push(env.lamports(worker.pubkey()).await);
    }
    Balances {
        requester_usdc: env.usdc_of(&requester.pubkey()).await,
        requester_lamports: env.lamports(requester.pubkey()).await,
        worker_lamports,
    }
}

async fn workers(env: &mut TestEnv, count: usize) -> Vec<Keypair> {
    let mut workers = Vec::new();
    for _ in 0..count {
        workers.push(env.worker(STAKE).await);
    }
    workers
}

async fn claim_all(env: &mut TestEnv, task: &TaskRef, workers: &[Keypair]) {
    for worker in workers {
        env.claim(task, &worker.pubkey()).await;
    }
}

async fn stake_of(env: &mut TestEnv, worker: &Keypair) -> Stake {
    let usdc = env.usdc.mint;
    env.account(pda::stake(&worker.pubkey(), &usdc)).await
}

async fn reputation(env: &mut TestEnv, worker: &Keypair) -> Worker {
    env.account(pda::worker(&worker.pubkey())).await
}

#[tokio::test]
async fn quorum_pays_the_majority_releases_the_minority_and_slashes_the_silent() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let workers = workers(&mut env, 5).await;
    let before = snapshot(&mut env, &requester, &workers).await;

    let args = env.task_args(); // n=5, k=3, reward 0.05, stake 0.5, fee 2.5%
    let reveal_deadline = args.reveal_deadline;
    let task = env.create_task(&requester, args).await;
    let deposit = 256_250; // ceil(5 * 50_000 * 1.025)
    assert_eq!(env.balance(task.vault()).await, deposit);
    assert_eq!(env.usdc_of(&requester.pubkey()).await, before.requester_usdc - deposit);

    let answers: [&[u8]; 5] = [b"yes", b"yes", b"yes", b"no", b"yes"];
    for (worker, answer) in workers.iter().zip(answers) {
        env.commit(worker, &task, answer).await;
    }
    assert_eq!(stake_of(&mut env, &workers[0]).await.locked, 500_000);
    // All five slots taken: reveals open before the commit deadline.
    for (worker, answer) in workers.iter().zip(answers).take(4) {
        env.reveal(worker, &task, answer).await;
    }
    env.warp_to(reveal_deadline).await;
    env.finalize(&task).await;
    let finalized = env.task(&task).await;
    assert_eq!(finalized.state, TaskState::Finalized);
    assert_eq!(finalized.outcome, Some(answer_hash(b"yes")));
    assert_eq!(finalized.dispute_deadline, reveal_deadline + DISPUTE_WINDOW);

    env.warp_by(DISPUTE_WINDOW).await;
    claim_all(&mut env, &task, &workers).await;
    env.close(&task).await;

    // Workers: three paid 0.05 each; the minority gets nothing but keeps its stake; the silent one
    // loses 0.5 of stake. Every submission's rent went back to its worker.
    for (i, worker) in workers.iter().enumerate() {
        let paid = if i < 3 { 50_000 } else { 0 };
        assert_eq!(env.usdc_of(&worker.pubkey()).await, paid, "worker {i} wallet");
        let stake = stake_of(&mut env, worker).await;
        assert_eq!(stake.amount, if i == 4 { STAKE - 500_000 } else { STAKE }, "worker {i} stake");
        assert_eq!(stake.locked, 0, "worker {i} locked");
        assert_eq!(env.lamports(worker.pubkey()).await, before.worker_lamports[i], "worker {i} lamports");
    }
    let (agreed, disagreed, silent) = (
        reputation(&mut env, &workers[0]).await,
        reputation(&mut env, &workers[3]).await,
        reputation(&mut env, &workers[4]).await,
    );
    assert_eq!((agreed.answers_committed, agreed.answers_agreed), (1, 1));
    assert_eq!(disagreed.answers_disagreed, 1);
    assert_eq!((silent.answers_unrevealed, silent.stake_slashed), (1, 500_000));

    // Treasury: ceil(150_000 * 2.5%) = 3_750. Requester: deposit back less rewards and fee, plus
    // the slashed stake. Stake vault: 5 USDC less the slashed 0.5.
    let treasury = env.treasury;
    assert_eq!(env.usdc_of(&treasury).await, 3_750);
    let refund = deposit - 150_000 - 3_750 + 500_000;
    assert_eq!(env.usdc_of(&requester.pubkey()).await, before.requester_usdc - deposit + refund);
    let stake_vault = pda::stake_vault(&env.usdc.mint, &env.usdc.token_program);
    assert_eq!(env.balance(stake_vault).await, 5 * STAKE - 500_000);

    // Task and vault closed, their rent back with the requester.
    assert!(!env.exists(task.address).await);
    assert!(!env.exists(task.vault()).await);
    assert_eq!(env.lamports(requester.pubkey()).await, before.requester_lamports);
    for worker in &workers {
        assert!(!env.exists(pda::submission(&task.address, &worker.pubkey())).await);
    }
}

#[tokio::test]
async fn no_quorum_pays_every_revealer_the_no_quorum_share_and_refunds_the_rest() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let workers = workers(&mut env, 5).await;
    let before = snapshot(&mut env, &requester, &workers).await;

    let args = env.task_args(); // no_quorum_bps = 5_000
    let task = env.create_task(&requester, args).await;
    let answers: [&[u8]; 5] = [b"cat", b"cat", b"dog", b"dog", b"fox"];
    for (worker, answer) in workers.iter().zip(answers) {
        env.commit(worker, &task, answer).await;
    }
    for (worker, answer) in workers.iter().zip(answers) {
        env.reveal(worker, &task, answer).await;
    }
    // Every committed answer revealed: finalize needs no waiting.
    env.finalize(&task).await;
    assert_eq!(env.task(&task).await.outcome, None);

    env.warp_by(DISPUTE_WINDOW).await;
    claim_all(&mut env, &task, &workers).await;
    env.close(&task).await;

    for (i, worker) in workers.iter().enumerate() {
        assert_eq!(env.usdc_of(&worker.pubkey()).await, 25_000, "worker {i} gets 50% of 0.05");
        assert_eq!(stake_of(&mut env, worker).await.amount, STAKE, "worker {i} keeps all stake");
        assert_eq!(reputation(&mut env, worker).await.answers_no_quorum, 1);
        assert_eq!(env.lamports(worker.pubkey()).await, before.worker_lamports[i]);
    }
    let paid = 5 * 25_000;
    let fee = 3_125; // ceil(125_000 * 2.5%)
    let treasury = env.treasury;
    assert_eq!(env.usdc_of(&treasury).await, fee);
    assert_eq!(env.usdc_of(&requester.pubkey()).await, before.requester_usdc - paid - fee);
    assert_eq!(env.lamports(requester.pubkey()).await, before.requester_lamports);
}

#[tokio::test]
async fn early_reveal_and_finalize_then_unfilled_slots_are_refunded() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let workers = workers(&mut env, 3).await;
    let before = snapshot(&mut env, &requester, &workers).await;

    // n = 3, k = 2: all three slots fill, reveal opens at once; all reveal, finalize at once.
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let start = env.now();
    let task = env.create_task(&requester, args).await;
    for worker in &workers {
        env.commit(worker, &task, b"yes").await;
    }
    for worker in &workers {
        env.reveal(worker, &task, b"yes").await;
    }
    env.finalize(&task).await;
    assert_eq!(env.task(&task).await.dispute_deadline, start + DISPUTE_WINDOW, "finalized with no wait");

    // A 5-slot task that only two workers take: after the commit deadline both reveal and the task
    // finalizes before the reveal deadline; the three unfilled slots go back to the requester.
    let args = env.task_args();
    let commit_deadline = args.commit_deadline;
    let partial = env.create_task(&requester, args).await;
    for worker in &workers[..2] {
        env.commit(worker, &partial, b"yes").await;
    }
    env.warp_to(commit_deadline).await;
    for worker in &workers[..2] {
        env.reveal(worker, &partial, b"yes").await;
    }
    env.finalize(&partial).await;
    let finalized = env.task(&partial).await;
    assert_eq!(finalized.outcome, None, "2 of 5 cannot reach a quorum of 3");
    assert_eq!(finalized.dispute_deadline, commit_deadline + DISPUTE_WINDOW);

    env.warp_by(DISPUTE_WINDOW).await;
    claim_all(&mut env, &task, &workers).await;
    env.close(&task).await;
    claim_all(&mut env, &partial, &workers[..2]).await;
    env.close(&partial).await;

    // Task one: 3 x 50_000 + fee 3_750, nothing refunded. Task two: 2 x 25_000 (no quorum, 50%)
    // + fee 1_250; the rest of its 256_250 deposit comes back.
    let spent = (150_000 + 3_750) + (50_000 + 1_250);
    assert_eq!(env.usdc_of(&requester.pubkey()).await, before.requester_usdc - spent);
    let treasury = env.treasury;
    assert_eq!(env.usdc_of(&treasury).await, 3_750 + 1_250);
    for (i, worker) in workers.iter().enumerate() {
        let expected = if i < 2 { 50_000 + 25_000 } else { 50_000 };
        assert_eq!(env.usdc_of(&worker.pubkey()).await, expected, "worker {i}");
        assert_eq!(env.lamports(worker.pubkey()).await, before.worker_lamports[i]);
    }
    assert_eq!(env.lamports(requester.pubkey()).await, before.requester_lamports);
}

#[tokio::test]
async fn a_task_nobody_answers_finalizes_after_its_deadline_and_refunds_everything() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let before_usdc = env.usdc_of(&requester.pubkey()).await;
    let args = env.task_args();
    let commit_deadline = args.commit_deadline;
    let task = env.create_task(&requester, args).await;
    env.warp_to(commit_deadline).await;
    env.finalize(&task).await;
    env.warp_by(DISPUTE_WINDOW).await;
    env.close(&task).await;
    assert_eq!(env.usdc_of(&requester.pubkey()).await, before_usdc);
    let treasury = env.treasury;
    assert_eq!(env.usdc_of(&treasury).await, 0);
    assert!(!env.exists(task.address).await);
}

#[tokio::test]
async fn a_worker_without_a_token_account_is_still_paid_into_a_new_one() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let worker = env.worker(STAKE).await;
    // The worker closes their (empty) USDC account after staking.
    let ata = env.usdc.ata(&worker.pubkey());
    let close: Instruction = anchor_spl::token::spl_token::instruction::close_account(
        &env.usdc.token_program,
        &ata,
        &worker.pubkey(),
        &worker.pubkey(),
        &[],
    )
    .unwrap();
    env.execute(&[close], &[&worker]).await;
    assert!(!env.exists(ata).await);

    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    let task = env.create_task(&requester, args).await;
    env.commit(&worker, &task, b"yes").await;
    env.reveal(&worker, &task, b"yes").await;
    env.finalize(&task).await;
    env.warp_by(DISPUTE_WINDOW).await;
    let payer = env.payer();
    env.execute(&[ix::claim(&payer, &task, &worker.pubkey())], &[]).await;
    assert_eq!(env.balance(ata).await, 50_000);
    let submission = pda::submission(&task.address, &worker.pubkey());
    assert!(!env.exists(submission).await, "submission closed");
}
