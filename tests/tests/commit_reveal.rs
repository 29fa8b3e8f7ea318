//! Commit and reveal: phases, signers, commitments, stake locked from the free balance.
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::solana_program::instruction::Instruction;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::logic::tally::TallyEntry;
use proof_of_brain::state::{Submission, SUBMISSION_COMMITTED, SUBMISSION_REVEALED};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

async fn open_task(env: &mut TestEnv, n: u8, k: u8) -> (Keypair, TaskRef) {
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = n;
    args.quorum = k;
    let task = env.create_task(&requester, args).await;
    (requester, task)
}

fn commit_ix(task: &TaskRef, worker: &Keypair, answer: &[u8]) -> Instruction {
    ix::commit_answer(&worker.pubkey(), task, commitment_for(task, &worker.pubkey(), answer))
}

fn reveal_ix(task: &TaskRef, worker: &Keypair, answer: &[u8], salt: [u8; 32]) -> Instruction {
    ix::reveal_answer(&worker.pubkey(), &task.address, answer_hash(answer), salt)
}

#[tokio::test]
async fn commit_records_the_hash_and_locks_stake_from_the_free_balance() {
    let mut env = TestEnv::new().await;
    let (_, task) = open_task(&mut env, 5, 3).await;
    let worker = env.worker(USDC).await;
    let start = env.now();
    env.commit(&worker, &task, b"yes").await;

    let submission: Submission = env.state(pda::submission(&task.address, &worker.pubkey())).await;
    assert_eq!(submission.commitment, commitment_for(&task, &worker.pubkey(), b"yes"));
    assert_eq!(
        (submission.task, submission.worker, submission.state, submission.committed_at),
        (task.address, worker.pubkey(), SUBMISSION_COMMITTED, start)
    );
    let balance = env.balance_of(&worker.pubkey()).await;
    assert_eq!((balance.free, balance.locked), (USDC - 500_000, 500_000));
    assert_eq!(env.worker_record(&worker.pubkey()).await.answers_committed, 1);
    assert_eq!(env.task(&task).await.committed, 1);
    env.assert_books_balance().await;
}

#[tokio::test]
async fn commit_rejections() {
    let mut env = TestEnv::new().await;
    let (requester, task) = open_task(&mut env, 1, 1).await;
    let worker = env.worker(USDC).await;

    // The requester cannot answer their own task (even when registered, with free balance).
    let mut register = env.create_own_account_if_needed(&requester.pubkey(), ix::OwnAccount::Worker).await;
    register.push(ix::register_worker(&requester.pubkey()));
    env.execute(&register, &[&requester]).await;
    env.expect_error(&[commit_ix(&task, &requester, b"yes")], &[&requester], PobError::RequesterCannotAnswer)
        .await;

    // An unregistered wallet has no Worker record.
    let stranger = env.requester(USDC).await;
    env.expect_error(
        &[commit_ix(&task, &stranger, b"yes")],
        &[&stranger],
        AnchorError::AccountOwnedByWrongProgram,
    )
    .await;

    // Without the worker's signature.
    let unsigned = without_signature(commit_ix(&task, &worker, b"yes"), &worker.pubkey());
    env.expect_error(&[unsigned], &[], AnchorError::AccountNotSigner).await;

    // Someone else's balance or record.
    let other = env.worker(USDC).await;
    let mint = env.usdc.mint;
    let forged = with_account(
        commit_ix(&task, &worker, b"yes"),
        &pda::balance(&worker.pubkey(), &mint),
        &pda::balance(&other.pubkey(), &mint),
    );
    env.expect_error(&[forged], &[&worker], PobError::WrongBalance).await;
    let forged = with_account(
        commit_ix(&task, &worker, b"yes"),
        &pda::worker(&worker.pubkey()),
        &pda::worker(&other.pubkey()),
    );
    env.expect_error(&[forged], &[&worker], PobError::WrongWorkerRecord).await;

    env.commit(&worker, &task, b"yes").await;
    env.expect_error(&[commit_ix(&task, &worker, b"no")], &[&worker], PobError::AlreadyCommitted).await;

    // The only slot is taken.
    let late = env.worker(USDC).await;
    env.expect_error(&[commit_ix(&task, &late, b"yes")], &[&late], PobError::TaskFull).await;

    // After the commit deadline.
    let (_, second) = open_task(&mut env, 5, 3).await;
    let deadline = env.task(&second).await.commit_deadline;
    env.warp_to(deadline).await;
    env.expect_error(&[commit_ix(&second, &late, b"yes")], &[&late], PobError::CommitPhaseOver).await;
}

#[tokio::test]
async fn commit_needs_free_balance_for_each_answer() {
    let mut env = TestEnv::new().await;
    let (_, first) = open_task(&mut env, 5, 3).await;
    let (_, second) = open_task(&mut env, 5, 3).await;
    let worker = env.worker(700_000).await; // covers one 0.5 stake, not two
    env.commit(&worker, &first, b"yes").await;
    env.expect_error(&[commit_ix(&second, &worker, b"yes")], &[&worker], PobError::InsufficientFreeStake)
        .await;

    // A registered worker without a balance in this mint.
    let unfunded = env.user(USDC).await;
    let mut register = env.create_own_account_if_needed(&unfunded.pubkey(), ix::OwnAccount::Worker).await;
    register.push(ix::register_worker(&unfunded.pubkey()));
    env.execute(&register, &[&unfunded]).await;
    env.expect_error(
        &[commit_ix(&second, &unfunded, b"yes")],
        &[&unfunded],
        AnchorError::AccountOwnedByWrongProgram,
    )
    .await;
}

#[tokio::test]
async fn reveal_checks_phase_and_commitment() {
    let mut env = TestEnv::new().await;
    let (_, task) = open_task(&mut env, 5, 3).await;
    let (alice, bob) = (env.worker(USDC).await, env.worker(USDC).await);
    env.commit(&alice, &task, b"yes").await;
    env.commit(&bob, &task, b"no").await;
    let salt = salt_for(&task, &alice.pubkey());

    // 2 of 5 committed and the commit deadline not reached: too early.
    env.expect_error(&[reveal_ix(&task, &alice, b"yes", salt)], &[&alice], PobError::RevealPhaseNotStarted)
        .await;

    let deadline = env.task(&task).await.commit_deadline;
    env.warp_to(deadline).await;
    env.expect_error(&[reveal_ix(&task, &alice, b"no", salt)], &[&alice], PobError::CommitmentMismatch).await;
    env.expect_error(&[reveal_ix(&task, &alice, b"yes", [7; 32])], &[&alice], PobError::CommitmentMismatch)
        .await;
    // Bob cannot open Alice's commitment with her answer and salt: it is bound to her key, and
    // his signature selects his own submission.
    env.expect_error(&[reveal_ix(&task, &bob, b"yes", salt)], &[&bob], PobError::CommitmentMismatch).await;
    // Nor name her submission while signing himself.
    let forged = with_account(
        reveal_ix(&task, &bob, b"yes", salt),
        &pda::submission(&task.address, &bob.pubkey()),
        &pda::submission(&task.address, &alice.pubkey()),
    );
    env.expect_error(&[forged], &[&bob], PobError::WrongSubmission).await;
    // Nor reveal for her by naming her as the worker without her signature.
    let forged = without_signature(reveal_ix(&task, &alice, b"yes", salt), &alice.pubkey());
    env.expect_error(&[forged], &[], AnchorError::AccountNotSigner).await;

    env.reveal(&alice, &task, b"yes").await;
    env.expect_error(&[reveal_ix(&task, &alice, b"yes", salt)], &[&alice], PobError::AlreadyRevealed).await;
    let view = env.task_view(&task).await;
    assert_eq!(view.header.revealed, 1);
    assert_eq!(view.tally, vec![TallyEntry { answer_hash: answer_hash(b"yes"), count: 1 }]);
    let submission: Submission = env.state(pda::submission(&task.address, &alice.pubkey())).await;
    assert_eq!(
        (submission.state, submission.answer_hash, submission.revealed_at),
        (SUBMISSION_REVEALED, answer_hash(b"yes"), deadline)
    );

    env.warp_to(view.header.reveal_deadline).await;
    let bob_salt = salt_for(&task, &bob.pubkey());
    env.expect_error(&[reveal_ix(&task, &bob, b"no", bob_salt)], &[&bob], PobError::RevealPhaseOver).await;

    // A worker with no submission on this task.
    let outsider = env.worker(USDC).await;
    env.expect_error(
        &[reveal_ix(&task, &outsider, b"yes", salt)],
        &[&outsider],
        AnchorError::AccountOwnedByWrongProgram,
    )
    .await;
}

#[tokio::test]
async fn finalize_waits_for_the_reveal_phase_and_runs_once() {
    let mut env = TestEnv::new().await;
    let (_, task) = open_task(&mut env, 5, 3).await;
    let workers = [env.worker(USDC).await, env.worker(USDC).await];
    for worker in &workers {
        env.commit(worker, &task, b"yes").await;
    }
    env.expect_error(&[ix::finalize_task(&task.address)], &[], PobError::FinalizeTooEarly).await;
    let deadline = env.task(&task).await.commit_deadline;
    env.warp_to(deadline).await;
    env.reveal(&workers[0], &task, b"yes").await;
    // One of two committed answers still unrevealed, reveal deadline ahead.
    env.expect_error(&[ix::finalize_task(&task.address)], &[], PobError::FinalizeTooEarly).await;

    env.reveal(&workers[1], &task, b"yes").await;
    env.finalize(&task).await;
    env.expect_error(&[ix::finalize_task(&task.address)], &[], PobError::TaskNotOpen).await;
    // Nothing more can be committed or revealed once finalized.
    let late = env.worker(USDC).await;
    env.expect_error(&[commit_ix(&task, &late, b"yes")], &[&late], PobError::TaskNotOpen).await;
}

#[tokio::test]
async fn thirty_two_distinct_answers_fill_the_tally_exactly() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 32;
    args.quorum = 17;
    args.reward_per_answer = MIN_REWARD;
    args.stake_per_answer = MIN_STAKE;
    let task = env.create_task(&requester, args).await;
    let mut workers = Vec::new();
    for _ in 0..32 {
        let worker = env.worker(MIN_STAKE).await;
        workers.push(worker);
    }
    for (i, worker) in workers.iter().enumerate() {
        env.commit(worker, &task, format!("answer {i}").as_bytes()).await;
    }
    for (i, worker) in workers.iter().enumerate() {
        env.reveal(worker, &task, format!("answer {i}").as_bytes()).await;
    }
    let view = env.task_view(&task).await;
    assert_eq!(view.tally.len(), 32);
    assert!(view.tally.iter().all(|entry| entry.count == 1));
    env.finalize(&task).await;
    assert_eq!(env.task(&task).await.outcome(), None);
}
