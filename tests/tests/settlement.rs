//! Claim, close and cancel: timing, double settlement, and whose balance is credited.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

/// A 3-answer task (k = 2) answered "yes" by all three workers and finalized.
async fn finalized_task(env: &mut TestEnv) -> (Keypair, TaskRef, Vec<Keypair>) {
    env.finalized_task(&[b"yes", b"yes", b"yes"]).await
}

#[tokio::test]
async fn claim_and_close_wait_for_finalization_and_the_dispute_window() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let open = env.create_task(&requester, args).await;
    let worker = env.worker(USDC).await;
    env.commit(&worker, &open, b"yes").await;
    env.expect_error(&[ix::claim(&open, &worker.pubkey())], &[], PobError::TaskNotFinalized).await;
    env.expect_error(&[ix::close_task(&open)], &[], PobError::TaskNotFinalized).await;

    let (_, task, workers) = finalized_task(&mut env).await;
    env.expect_error(&[ix::claim(&task, &workers[0].pubkey())], &[], PobError::DisputeWindowOpen).await;
    env.expect_error(&[ix::close_task(&task)], &[], PobError::DisputeWindowOpen).await;
    env.warp_by(DISPUTE_WINDOW - 1).await;
    env.expect_error(&[ix::claim(&task, &workers[0].pubkey())], &[], PobError::DisputeWindowOpen).await;
    env.warp_by(1).await;
    env.claim(&task, &workers[0].pubkey()).await;
    assert_eq!(env.free(&workers[0].pubkey()).await, USDC + 50_000);
}

#[tokio::test]
async fn a_submission_settles_once_and_the_task_closes_after_all() {
    let mut env = TestEnv::new().await;
    let (_, task, workers) = finalized_task(&mut env).await;
    env.warp_by(DISPUTE_WINDOW).await;

    env.claim(&task, &workers[0].pubkey()).await;
    // The submission is closed: a second claim finds nothing to settle.
    env.expect_error(&[ix::claim(&task, &workers[0].pubkey())], &[], AnchorError::AccountOwnedByWrongProgram)
        .await;
    assert_eq!(env.free(&workers[0].pubkey()).await, USDC + 50_000, "paid exactly once");

    env.claim(&task, &workers[1].pubkey()).await;
    env.expect_error(&[ix::close_task(&task)], &[], PobError::SubmissionsOutstanding).await;
    env.claim(&task, &workers[2].pubkey()).await;
    env.close(&task).await;
    assert!(!env.exists(task.address).await);
    // Claims and closes after close find no task.
    env.expect_error(&[ix::claim(&task, &workers[2].pubkey())], &[], AnchorError::AccountOwnedByWrongProgram)
        .await;
    env.expect_error(&[ix::close_task(&task)], &[], AnchorError::AccountOwnedByWrongProgram).await;
    env.assert_books_balance().await;
}

#[tokio::test]
async fn rewards_go_only_to_the_worker_and_refunds_only_to_the_requester() {
    let mut env = TestEnv::new().await;
    let (_, task, workers) = finalized_task(&mut env).await;
    env.warp_by(DISPUTE_WINDOW).await;
    let thief = env.worker(USDC).await;
    let (worker, mint) = (workers[0].pubkey(), env.usdc.mint);

    // The reward credited to the thief's balance instead.
    let redirected = with_account(
        ix::claim(&task, &worker),
        &pda::balance(&worker, &mint),
        &pda::balance(&thief.pubkey(), &mint),
    );
    env.expect_error(&[redirected], &[], PobError::WrongBalance).await;
    // The thief's record credited with the worker's reputation.
    let redirected =
        with_account(ix::claim(&task, &worker), &pda::worker(&worker), &pda::worker(&thief.pubkey()));
    env.expect_error(&[redirected], &[], PobError::WrongWorkerRecord).await;
    // The submission's rent sent to the thief's wallet.
    let redirected = with_account(ix::claim(&task, &worker), &worker, &thief.pubkey());
    env.expect_error(&[redirected], &[], PobError::WrongSubmission).await;
    // Another task's submission.
    let (_, other, other_workers) = finalized_task(&mut env).await;
    let crossed = with_account(
        ix::claim(&task, &worker),
        &pda::submission(&task.address, &worker),
        &pda::submission(&other.address, &other_workers[0].pubkey()),
    );
    env.expect_error(&[crossed], &[], PobError::WrongSubmission).await;

    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    // The refund credited to the thief, or the task's rent sent to them.
    let requester = task.requester;
    let fake = with_account(
        ix::close_task(&task),
        &pda::balance(&requester, &mint),
        &pda::balance(&thief.pubkey(), &mint),
    );
    env.expect_error(&[fake], &[], PobError::WrongBalance).await;
    let fake = with_account(ix::close_task(&task), &requester, &thief.pubkey());
    env.expect_error(&[fake], &[], PobError::WrongRecipient).await;
    let fake =
        with_account(ix::close_task(&task), &pda::requester(&requester), &pda::requester(&other.requester));
    env.expect_error(&[fake], &[], PobError::WrongRequesterRecord).await;

    env.close(&task).await;
    assert_eq!(env.fees().await.accrued, 3_750);
    assert_eq!(env.free(&thief.pubkey()).await, USDC);
    env.assert_books_balance().await;
}

#[tokio::test]
async fn fees_go_only_to_the_fee_balance_of_the_tasks_mint() {
    let mut env = TestEnv::new().await;
    let (_, task, workers) = finalized_task(&mut env).await;
    env.warp_by(DISPUTE_WINDOW).await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    // A second mint's fee balance in place of the task's.
    let other = env.create_mint(6).await;
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), other, default_limits())], &[&authority]).await;
    let (usdc, other_fees) = (env.usdc.mint, pda::fee_balance(&other.mint));
    let crossed = with_account(ix::close_task(&task), &pda::fee_balance(&usdc), &other_fees);
    env.expect_error(&[crossed], &[], PobError::WrongMint).await;
}

#[tokio::test]
async fn cancel_refunds_everything_before_any_commit() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let first = env.create_task(&requester, args).await; // creates the requester's record
    env.execute(&[ix::cancel_task(&first)], &[&requester]).await;
    let lamports_before = env.lamports(requester.pubkey()).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - 256_250);

    let intruder = env.requester(0).await;
    let by_intruder = with_account(ix::cancel_task(&task), &task.requester, &intruder.pubkey());
    let by_intruder = with_account(
        by_intruder,
        &pda::balance(&task.requester, &env.usdc.mint),
        &pda::balance(&intruder.pubkey(), &env.usdc.mint),
    );
    env.expect_error(&[by_intruder], &[&intruder], PobError::NotTheRequester).await;

    env.execute(&[ix::cancel_task(&task)], &[&requester]).await;
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC, "the whole escrow back in the free balance");
    assert_eq!(env.lamports(requester.pubkey()).await, lamports_before, "the task's rent returned");
    assert!(!env.exists(task.address).await);
    let record = env.requester_record(&requester.pubkey()).await;
    assert_eq!((record.tasks_posted, record.tasks_cancelled), (2, 2));
    env.assert_books_balance().await;
}

#[tokio::test]
async fn cancel_is_refused_once_a_worker_committed() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    let worker = env.worker(USDC).await;
    env.commit(&worker, &task, b"yes").await;
    env.expect_error(&[ix::cancel_task(&task)], &[&requester], PobError::TaskHasCommitments).await;
}

#[tokio::test]
async fn a_finalized_task_is_not_cancelled() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    let commit_deadline = env.task(&task).await.commit_deadline;
    env.warp_to(commit_deadline).await;
    env.finalize(&task).await; // nobody committed: finalizes at once
    env.expect_error(&[ix::cancel_task(&task)], &[&requester], PobError::TaskNotOpen).await;
}
