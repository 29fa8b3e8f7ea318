//! Claim and close: timing, double settlement, and where the money may go.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix::{self, TaskRef};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

/// A 3-answer task (k = 2) answered "yes" by all three workers and finalized.
async fn finalized_task(env: &mut TestEnv) -> (Keypair, TaskRef, Vec<Keypair>) {
    let requester = env.user(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 3;
    args.quorum = 2;
    let task = env.create_task(&requester, args).await;
    let mut workers = Vec::new();
    for _ in 0..3 {
        let worker = env.worker(USDC).await;
        env.commit(&worker, &task, b"yes").await;
        workers.push(worker);
    }
    for worker in &workers {
        env.reveal(worker, &task, b"yes").await;
    }
    env.finalize(&task).await;
    (requester, task, workers)
}

#[tokio::test]
async fn claim_and_close_wait_for_finalization_and_the_dispute_window() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let args = env.task_args();
    let open = env.create_task(&requester, args).await;
    let worker = env.worker(USDC).await;
    env.commit(&worker, &open, b"yes").await;
    let (payer, treasury) = (env.payer(), env.treasury);
    env.expect_error(&[ix::claim(&payer, &open, &worker.pubkey())], &[], PobError::TaskNotFinalized).await;
    env.expect_error(&[ix::close_task(&payer, &open, &treasury)], &[], PobError::TaskNotFinalized).await;

    let (_, task, workers) = finalized_task(&mut env).await;
    env.expect_error(&[ix::claim(&payer, &task, &workers[0].pubkey())], &[], PobError::DisputeWindowOpen)
        .await;
    env.expect_error(&[ix::close_task(&payer, &task, &treasury)], &[], PobError::DisputeWindowOpen).await;
    env.warp_by(DISPUTE_WINDOW - 1).await;
    env.expect_error(&[ix::claim(&payer, &task, &workers[0].pubkey())], &[], PobError::DisputeWindowOpen)
        .await;
    env.warp_by(1).await;
    env.claim(&task, &workers[0].pubkey()).await;
    assert_eq!(env.usdc_of(&workers[0].pubkey()).await, 50_000);
}

#[tokio::test]
async fn a_submission_settles_once_and_the_task_closes_after_all() {
    let mut env = TestEnv::new().await;
    let (_, task, workers) = finalized_task(&mut env).await;
    env.warp_by(DISPUTE_WINDOW).await;
    let (payer, treasury) = (env.payer(), env.treasury);

    env.claim(&task, &workers[0].pubkey()).await;
    // The submission is closed: a second claim finds nothing to settle.
    env.expect_error(
        &[ix::claim(&payer, &task, &workers[0].pubkey())],
        &[],
        AnchorError::AccountNotInitialized,
    )
    .await;
    assert_eq!(env.usdc_of(&workers[0].pubkey()).await, 50_000, "paid exactly once");

    env.claim(&task, &workers[1].pubkey()).await;
    env.expect_error(&[ix::close_task(&payer, &task, &treasury)], &[], PobError::SubmissionsOutstanding)
        .await;
    env.claim(&task, &workers[2].pubkey()).await;
    env.close(&task).await;
    assert!(!env.exists(task.address).await);
    // Claims after close find no task.
    env.expect_error(
        &[ix::claim(&payer, &task, &workers[2].pubkey())],
        &[],
        AnchorError::AccountNotInitialized,
    )
    .await;
}

#[tokio::test]
async fn rewards_go_only_to_the_worker_and_fees_only_to_the_treasury() {
    let mut env = TestEnv::new().await;
    let (_, task, workers) = finalized_task(&mut env).await;
    env.warp_by(DISPUTE_WINDOW).await;
    let (payer, treasury) = (env.payer(), env.treasury);
    let thief = env.user(0).await;

    // Worker's reward redirected to the thief's token account.
    let (worker, usdc) = (workers[0].pubkey(), env.usdc);
    let redirected =
        with_account(ix::claim(&payer, &task, &worker), &usdc.ata(&worker), &usdc.ata(&thief.pubkey()));
    env.expect_error(&[redirected], &[], AnchorError::ConstraintTokenOwner).await;

    // The worker wallet and its token account swapped for the thief's: the submission address no
    // longer derives from the wallet named.
    let swapped = with_account(ix::claim(&payer, &task, &worker), &worker, &thief.pubkey());
    let swapped = with_account(swapped, &usdc.ata(&worker), &usdc.ata(&thief.pubkey()));
    env.expect_error(&[swapped], &[], AnchorError::ConstraintSeeds).await;

    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    // The fee sent to someone other than the protocol's treasury.
    let fake_treasury = ix::close_task(&payer, &task, &thief.pubkey());
    env.expect_error(&[fake_treasury], &[], AnchorError::ConstraintAddress).await;
    // The refund sent to someone other than the requester.
    let close = ix::close_task(&payer, &task, &treasury);
    let close = with_account(close, &usdc.ata(&task.requester), &usdc.ata(&thief.pubkey()));
    let fake_requester = with_account(close, &task.requester, &thief.pubkey());
    env.expect_error(&[fake_requester], &[], AnchorError::ConstraintHasOne).await;

    env.close(&task).await;
    assert_eq!(env.usdc_of(&treasury).await, 3_750);
    assert_eq!(env.usdc_of(&thief.pubkey()).await, 0);
}

#[tokio::test]
async fn cancel_refunds_everything_before_any_commit() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let (usdc_before, lamports_before) =
        (env.usdc_of(&requester.pubkey()).await, env.lamports(requester.pubkey()).await);
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    let ata = env.usdc.ata(&requester.pubkey());

    let intruder = env.user(0).await;
    // The task address derives from the signing requester: anyone else fails the seeds check.
    let by_intruder = with_account(ix::cancel_task(&task, &ata), &task.requester, &intruder.pubkey());
    env.expect_error(&[by_intruder], &[&intruder], AnchorError::ConstraintSeeds).await;

    env.execute(&[ix::cancel_task(&task, &ata)], &[&requester]).await;
    assert_eq!(env.usdc_of(&requester.pubkey()).await, usdc_before);
    assert_eq!(env.lamports(requester.pubkey()).await, lamports_before, "task and vault rent returned");
    assert!(!env.exists(task.address).await);
    assert!(!env.exists(task.vault()).await);
}

#[tokio::test]
async fn cancel_is_refused_once_a_worker_committed() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    let worker = env.worker(USDC).await;
    env.commit(&worker, &task, b"yes").await;
    let ata = env.usdc.ata(&requester.pubkey());
    env.expect_error(&[ix::cancel_task(&task, &ata)], &[&requester], PobError::TaskHasCommitments).await;
}

#[tokio::test]
async fn a_finalized_task_is_not_cancelled() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let args = env.task_args();
    let commit_deadline = args.commit_deadline;
    let task = env.create_task(&requester, args).await;
    env.warp_to(commit_deadline).await;
    env.finalize(&task).await; // nobody committed: finalizes at once
    let ata = env.usdc.ata(&requester.pubkey());
    env.expect_error(&[ix::cancel_task(&task, &ata)], &[&requester], PobError::TaskNotOpen).await;
}
