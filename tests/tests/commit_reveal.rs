//! Commit and reveal: phases, signers, commitments, stake locking.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Stake, Submission, SubmissionState, Worker};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

async fn open_task(env: &mut TestEnv, n: u8, k: u8) -> (Keypair, TaskRef) {
    let requester = env.user(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = n;
    args.quorum = k;
    let task = env.create_task(&requester, args).await;
    (requester, task)
}

fn commit_ix(
    task: &TaskRef,
    worker: &Keypair,
    answer: &[u8],
) -> anchor_lang::solana_program::instruction::Instruction {
    ix::commit_answer(&worker.pubkey(), task, commitment_for(task, &worker.pubkey(), answer))
}

fn reveal_ix(
    task: &TaskRef,
    worker: &Keypair,
    answer: &[u8],
    salt: [u8; 32],
) -> anchor_lang::solana_program::instruction::Instruction {
    ix::reveal_answer(&worker.pubkey(), &task.address, answer_hash(answer), salt)
}

#[tokio::test]
async fn commit_records_the_hash_and_locks_stake() {
    let mut env = TestEnv::new().await;
    let (_, task) = open_task(&mut env, 5, 3).await;
    let worker = env.worker(USDC).await;
    env.commit(&worker, &task, b"yes").await;

    let submission: Submission = env.account(pda::submission(&task.address, &worker.pubkey())).await;
    assert_eq!(submission.commitment, commitment_for(&task, &worker.pubkey(), b"yes"));
    assert_eq!(
        (submission.task, submission.worker, submission.state),
        (task.address, worker.pubkey(), SubmissionState::Committed)
    );
    let stake: Stake = env.account(pda::stake(&worker.pubkey(), &env.usdc.mint)).await;
    assert_eq!((stake.amount, stake.locked), (USDC, 500_000));
    let record: Worker = env.account(pda::worker(&worker.pubkey())).await;
    assert_eq!(record.answers_committed, 1);
    assert_eq!(env.task(&task).await.committed, 1);
}

#[tokio::test]
async fn commit_rejections() {
    let mut env = TestEnv::new().await;
    let (requester, task) = open_task(&mut env, 1, 1).await;
    let worker = env.worker(USDC).await;

    // The requester cannot answer their own task (even when staked and registered).
    let usdc = env.usdc;
    env.mint_to(usdc, &requester.pubkey(), 0).await;
    env.execute(
        &[
            ix::register_worker(&requester.pubkey()),
            ix::stake(&requester.pubkey(), usdc, &usdc.ata(&requester.pubkey()), USDC),
        ],
        &[&requester],
    )
    .await;
    env.expect_error(&[commit_ix(&task, &requester, b"yes")], &[&requester], PobError::RequesterCannotAnswer)
        .await;

    // An unregistered wallet has no Worker account.
    let stranger = env.user(USDC).await;
    env.expect_error(
        &[commit_ix(&task, &stranger, b"yes")],
        &[&stranger],
        AnchorError::AccountNotInitialized,
    )
    .await;

    // Without the worker's signature.
    let unsigned = without_signature(commit_ix(&task, &worker, b"yes"), &worker.pubkey());
    env.expect_error(&[unsigned], &[], AnchorError::AccountNotSigner).await;

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
async fn commit_needs_free_stake_for_each_answer() {
    let mut env = TestEnv::new().await;
    let (_, first) = open_task(&mut env, 5, 3).await;
    let (_, second) = open_task(&mut env, 5, 3).await;
    let worker = env.worker(700_000).await; // covers one 0.5 stake, not two
    env.commit(&worker, &first, b"yes").await;
    env.expect_error(&[commit_ix(&second, &worker, b"yes")], &[&worker], PobError::InsufficientFreeStake)
        .await;

    // A wallet that never staked in this mint has no Stake account.
    let unstaked = env.user(USDC).await;
    env.execute(&[ix::register_worker(&unstaked.pubkey())], &[&unstaked]).await;
    env.expect_error(
        &[commit_ix(&second, &unstaked, b"yes")],
        &[&unstaked],
        AnchorError::AccountNotInitialized,
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
    // Nor reveal for her by naming her as the worker without her signature.
    let forged = without_signature(reveal_ix(&task, &alice, b"yes", salt), &alice.pubkey());
    env.expect_error(&[forged], &[], AnchorError::AccountNotSigner).await;

    env.reveal(&alice, &task, b"yes").await;
    env.expect_error(&[reveal_ix(&task, &alice, b"yes", salt)], &[&alice], PobError::AlreadyRevealed).await;
    let stored = env.task(&task).await;
    assert_eq!(stored.revealed, 1);
    assert_eq!((stored.tally[0].answer_hash, stored.tally[0].count), (answer_hash(b"yes"), 1));

    let reveal_deadline = stored.reveal_deadline;
    env.warp_to(reveal_deadline).await;
    let bob_salt = salt_for(&task, &bob.pubkey());
    env.expect_error(&[reveal_ix(&task, &bob, b"no", bob_salt)], &[&bob], PobError::RevealPhaseOver).await;

    // A worker with no submission on this task.
    let outsider = env.worker(USDC).await;
    env.expect_error(
        &[reveal_ix(&task, &outsider, b"yes", salt)],
        &[&outsider],
        AnchorError::AccountNotInitialized,
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
