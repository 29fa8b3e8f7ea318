//! Full task lifecycles, every balance checked to the base unit: settlement credits balances, and
//! owners withdraw.
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{TASK_FINALIZED, TASK_OPEN};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

const STAKE: u64 = USDC; // each worker deposits 1 USDC

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

async fn lamports_of(env: &mut TestEnv, wallets: &[&Keypair]) -> Vec<u64> {
    let mut lamports = Vec::new();
    for wallet in wallets {
        lamports.push(env.lamports(wallet.pubkey()).await);
    }
    lamports
}

#[tokio::test]
async fn quorum_pays_the_majority_releases_the_minority_and_slashes_the_silent() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let workers = workers(&mut env, 5).await;
    let requester_lamports = env.lamports(requester.pubkey()).await;
    let worker_lamports = lamports_of(&mut env, &workers.iter().collect::<Vec<_>>()).await;

    let args = env.task_args(); // n=5, k=3, reward 0.05, stake 0.5, fee 2.5%
    let start = env.now();
    let task = env.create_task(&requester, args).await;
    let deposit = 256_250; // ceil(5 * 50_000 * 1.025)
    let created = env.task(&task).await;
    assert_eq!(created.deposit, deposit);
    assert_eq!((created.commit_deadline, created.reveal_deadline), (start + 3600, start + 7200));
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - deposit);
    env.assert_books_balance().await;

    let answers: [&[u8]; 5] = [b"yes", b"yes", b"yes", b"no", b"yes"];
    for (worker, answer) in workers.iter().zip(answers) {
        env.commit(worker, &task, answer).await;
    }
    let locked = env.balance_of(&workers[0].pubkey()).await;
    assert_eq!((locked.free, locked.locked), (STAKE - 500_000, 500_000));
    // All five slots taken: reveals open before the commit deadline.
    for (worker, answer) in workers.iter().zip(answers).take(4) {
        env.reveal(worker, &task, answer).await;
    }
    env.warp_to(start + 7200).await;
    env.finalize(&task).await;
    let finalized = env.task(&task).await;
    assert_eq!(finalized.state, TASK_FINALIZED);
    assert_eq!(finalized.outcome(), Some(answer_hash(b"yes")));
    assert_eq!(finalized.dispute_deadline, start + 7200 + DISPUTE_WINDOW);

    env.warp_by(DISPUTE_WINDOW).await;
    claim_all(&mut env, &task, &workers).await;
    env.assert_books_balance().await;
    env.close(&task).await;
    env.assert_books_balance().await;

    // Workers: three credited 0.05 each; the minority keeps its stake and gets nothing; the silent
    // one loses its 0.5 of stake. Every submission's rent went back to its worker.
    for (i, worker) in workers.iter().enumerate() {
        let balance = env.balance_of(&worker.pubkey()).await;
        let expected = match i {
            0..=2 => STAKE + 50_000,
            3 => STAKE,
            _ => STAKE - 500_000,
        };
        assert_eq!((balance.free, balance.locked), (expected, 0), "worker {i} balance");
        assert_eq!(env.usdc_of(&worker.pubkey()).await, 0, "worker {i} wallet untouched until they withdraw");
        assert_eq!(env.lamports(worker.pubkey()).await, worker_lamports[i], "worker {i} lamports");
    }
    let (agreed, disagreed, silent) = (
        env.worker_record(&workers[0].pubkey()).await,
        env.worker_record(&workers[3].pubkey()).await,
        env.worker_record(&workers[4].pubkey()).await,
    );
    assert_eq!((agreed.answers_committed, agreed.answers_agreed), (1, 1));
    assert_eq!(disagreed.answers_disagreed, 1);
    assert_eq!(silent.answers_unrevealed, 1);
    let silent_balance = env.balance_of(&workers[4].pubkey()).await;
    assert_eq!((silent_balance.slashed, silent_balance.rewards_earned), (500_000, 0));
    assert_eq!(env.balance_of(&workers[0].pubkey()).await.rewards_earned, 50_000);

    // Fee balance: ceil(150_000 * 2.5%) = 3_750, plus the slashed stake: the requester never
    // profits from a worker failing to reveal. Requester: deposit back less rewards and fee.
    let fees = env.fees().await;
    assert_eq!((fees.accrued, fees.collected), (3_750 + 500_000, 3_750 + 500_000));
    let refund = deposit - 150_000 - 3_750;
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - deposit + refund);
    let record = env.requester_record(&requester.pubkey()).await;
    assert_eq!((record.tasks_posted, record.tasks_closed, record.answers_paid), (1, 1, 3));

    // Task closed, its rent back with the requester (who keeps paying for their record, created
    // with their first task); submissions closed.
    assert!(!env.exists(task.address).await);
    let record_rent = env.lamports(pda::requester(&requester.pubkey())).await;
    assert_eq!(env.lamports(requester.pubkey()).await, requester_lamports - record_rent);
    for worker in &workers {
        assert!(!env.exists(pda::submission(&task.address, &worker.pubkey())).await);
    }

    // Everyone withdraws to their wallet; the treasury takes the fees; the vault is empty.
    for (i, worker) in workers.iter().enumerate() {
        let free = env.free(&worker.pubkey()).await;
        env.withdraw(worker, free).await;
        assert_eq!(env.usdc_of(&worker.pubkey()).await, free, "worker {i} withdrew");
    }
    let free = env.free(&requester.pubkey()).await;
    env.withdraw(&requester, free).await;
    let (treasury, usdc) = (env.treasury.insecure_clone(), env.usdc);
    env.mint_to(usdc, &treasury.pubkey(), 0).await;
    env.execute(
        &[ix::withdraw_fees(&treasury.pubkey(), usdc, &usdc.ata(&treasury.pubkey()), 503_750)],
        &[&treasury],
    )
    .await;
    assert_eq!(env.usdc_of(&treasury.pubkey()).await, 503_750);
    assert_eq!(env.token_balance(usdc.vault()).await, 0);
    env.assert_books_balance().await;
}

#[tokio::test]
async fn no_quorum_pays_every_revealer_the_no_quorum_share_and_refunds_the_rest() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let workers = workers(&mut env, 5).await;

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
    let view = env.task_view(&task).await;
    assert_eq!(view.header.outcome(), None);
    let counts: Vec<u8> = view.tally.iter().map(|entry| entry.count).collect();
    assert_eq!(counts, [2, 2, 1]);

    env.warp_by(DISPUTE_WINDOW).await;
    claim_all(&mut env, &task, &workers).await;
    env.close(&task).await;

    for (i, worker) in workers.iter().enumerate() {
        assert_eq!(env.free(&worker.pubkey()).await, STAKE + 25_000, "worker {i}: stake back + 50% of 0.05");
        assert_eq!(env.worker_record(&worker.pubkey()).await.answers_no_quorum, 1);
    }
    let (paid, fee) = (5 * 25_000, 3_125); // fee = ceil(125_000 * 2.5%)
    assert_eq!(env.fees().await.accrued, fee);
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - paid - fee);
    env.assert_books_balance().await;
}

#[tokio::test]
async fn early_reveal_and_finalize_then_unfilled_slots_are_refunded() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let workers = workers(&mut env, 3).await;

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
    let partial = env.create_task(&requester, args).await;
    let commit_deadline = env.task(&partial).await.commit_deadline;
    for worker in &workers[..2] {
        env.commit(worker, &partial, b"yes").await;
    }
    env.warp_to(commit_deadline).await;
    for worker in &workers[..2] {
        env.reveal(worker, &partial, b"yes").await;
    }
    env.finalize(&partial).await;
    let finalized = env.task(&partial).await;
    assert_eq!(finalized.outcome(), None, "2 of 5 cannot reach a quorum of 3");
    assert_eq!(finalized.dispute_deadline, commit_deadline + DISPUTE_WINDOW);

    env.warp_by(DISPUTE_WINDOW).await;
    claim_all(&mut env, &task, &workers).await;
    env.close(&task).await;
    claim_all(&mut env, &partial, &workers[..2]).await;
    env.close(&partial).await;

    // Task one: 3 x 50_000 + fee 3_750, nothing refunded. Task two: 2 x 25_000 (no quorum, 50%)
    // + fee 1_250; the rest of its 256_250 deposit comes back.
    let spent = (150_000 + 3_750) + (50_000 + 1_250);
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - spent);
    assert_eq!(env.fees().await.accrued, 3_750 + 1_250);
    for (i, worker) in workers.iter().enumerate() {
        let expected = if i < 2 { 50_000 + 25_000 } else { 50_000 };
        assert_eq!(env.free(&worker.pubkey()).await, STAKE + expected, "worker {i}");
    }
    env.assert_books_balance().await;
}

#[tokio::test]
async fn a_task_nobody_answers_finalizes_after_its_deadline_and_refunds_everything() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    assert_eq!(env.task(&task).await.state, TASK_OPEN);
    let commit_deadline = env.task(&task).await.commit_deadline;
    env.warp_to(commit_deadline).await;
    env.finalize(&task).await;
    env.warp_by(DISPUTE_WINDOW).await;
    env.close(&task).await;
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC);
    assert_eq!(env.fees().await.accrued, 0);
    assert!(!env.exists(task.address).await);
    env.assert_books_balance().await;
}

#[tokio::test]
async fn earnings_compound_as_stake_without_a_round_trip() {
    // A worker deposits exactly one task's stake; after being paid, the reward itself backs part
    // of the next answer's stake, with no withdrawal and no deposit in between.
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let worker = env.worker(500_000).await;
    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    let first = env.create_task(&requester, args).await;
    env.commit(&worker, &first, b"yes").await;
    env.reveal(&worker, &first, b"yes").await;
    env.finalize(&first).await;
    env.warp_by(DISPUTE_WINDOW).await;
    env.claim(&first, &worker.pubkey()).await;
    assert_eq!(env.free(&worker.pubkey()).await, 550_000);

    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    args.stake_per_answer = 550_000;
    let second = env.create_task(&requester, args).await;
    env.commit(&worker, &second, b"yes").await;
    let balance = env.balance_of(&worker.pubkey()).await;
    assert_eq!((balance.free, balance.locked), (0, 550_000));
    env.assert_books_balance().await;
}
