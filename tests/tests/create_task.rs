//! Task creation: every rule of PROTOCOL.md's create_task, each rejection leaving funds in place.
use pob_cli::ix::{self, TaskRef};
use proof_of_brain::state::TaskState;
use proof_of_brain::{CreateTaskArgs, ProtocolUpdate};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

async fn expect_create_error(
    env: &mut TestEnv,
    requester: &Keypair,
    args: CreateTaskArgs,
    code: impl Into<u32>,
) {
    let usdc = env.usdc;
    let key = requester.pubkey();
    env.expect_error(&[ix::create_task(&key, usdc, &usdc.ata(&key), args)], &[requester], code).await;
}

#[tokio::test]
async fn create_task_locks_the_deposit_and_records_the_terms() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args.clone()).await;
    let stored = env.task(&task).await;
    assert_eq!(stored.requester, requester.pubkey());
    assert_eq!(stored.mint, env.usdc.mint);
    assert_eq!(
        (stored.task_id, stored.spec_hash, stored.spec_uri.as_str()),
        (args.task_id, args.spec_hash, args.spec_uri.as_str())
    );
    assert_eq!((stored.answers_required, stored.quorum, stored.state), (5, 3, TaskState::Open));
    assert_eq!((stored.fee_bps, stored.dispute_window_secs), (FEE_BPS, DISPUTE_WINDOW as u32));
    assert_eq!(stored.deposit, 256_250);
    assert_eq!(env.balance(task.vault()).await, 256_250);
    assert_eq!(env.usdc_of(&requester.pubkey()).await, 10 * USDC - 256_250);
}

#[tokio::test]
async fn the_task_account_is_sized_to_its_answers_and_uri() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let mut small = env.task_args();
    small.answers_required = 1;
    small.quorum = 1;
    small.spec_uri = String::new();
    let mut large = env.task_args();
    large.answers_required = 32;
    large.quorum = 17;
    large.spec_uri = "u".repeat(200);
    let (small, large) = (env.create_task(&requester, small).await, env.create_task(&requester, large).await);
    let small_len = env.raw_account(small.address).await.unwrap().data.len();
    let large_len = env.raw_account(large.address).await.unwrap().data.len();
    assert_eq!(large_len - small_len, 31 * 33 + 200, "31 more tally entries of 33 bytes and 200 URI bytes");
}

#[tokio::test]
async fn amounts_below_the_mint_limits_are_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let mut args = env.task_args();
    args.reward_per_answer = MIN_REWARD - 1;
    expect_create_error(&mut env, &requester, args, PobError::RewardBelowFloor).await;
    let mut args = env.task_args();
    args.stake_per_answer = MIN_STAKE - 1;
    expect_create_error(&mut env, &requester, args, PobError::StakeBelowMinimum).await;

    // Exactly at the limits is fine.
    let mut args = env.task_args();
    args.reward_per_answer = MIN_REWARD;
    args.stake_per_answer = MIN_STAKE;
    env.create_task(&requester, args).await;
}

#[tokio::test]
async fn answer_count_and_quorum_out_of_range_are_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    for (n, k, code) in [
        (0, 0, PobError::InvalidAnswerCount),
        (33, 17, PobError::InvalidAnswerCount),
        (5, 6, PobError::InvalidQuorum),
        (5, 2, PobError::InvalidQuorum), // 2k = n - 1: two answers could both win
        (4, 2, PobError::InvalidQuorum), // 2k = n: a 2-2 split would have two winners
        (1, 0, PobError::InvalidQuorum),
    ] {
        let mut args = env.task_args();
        args.answers_required = n;
        args.quorum = k;
        expect_create_error(&mut env, &requester, args, code).await;
    }
    for (n, k) in [(1, 1), (4, 3), (32, 17), (32, 32)] {
        let mut args = env.task_args();
        args.answers_required = n;
        args.quorum = k;
        env.create_task(&requester, args).await;
    }
}

#[tokio::test]
async fn bad_deadlines_bps_and_uri_are_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let now = env.now();
    for (commit, reveal) in [(now, now + 10), (now - 1, now + 10), (now + 10, now + 10), (now + 10, now + 9)]
    {
        let mut args = env.task_args();
        args.commit_deadline = commit;
        args.reveal_deadline = reveal;
        expect_create_error(&mut env, &requester, args, PobError::InvalidDeadlines).await;
    }
    let mut args = env.task_args();
    args.no_quorum_bps = 10_001;
    expect_create_error(&mut env, &requester, args, PobError::InvalidNoQuorumBps).await;
    let mut args = env.task_args();
    args.spec_uri = "u".repeat(201);
    expect_create_error(&mut env, &requester, args, PobError::SpecUriTooLong).await;
}

#[tokio::test]
async fn a_deposit_that_overflows_is_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 32;
    args.quorum = 17;
    args.reward_per_answer = u64::MAX / 16;
    expect_create_error(&mut env, &requester, args, PobError::MathOverflow).await;
}

#[tokio::test]
async fn paused_protocol_disabled_mint_and_reused_ids_are_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let authority = env.authority.insecure_clone();

    let pause = ProtocolUpdate { paused: Some(true), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), pause)], &[&authority]).await;
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, PobError::ProtocolPaused).await;
    let resume = ProtocolUpdate { paused: Some(false), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), resume)], &[&authority]).await;

    let args = env.task_args();
    let task = env.create_task(&requester, args.clone()).await;
    let usdc = env.usdc;
    let key = requester.pubkey();
    env.expect_error(
        &[ix::create_task(&key, usdc, &usdc.ata(&key), args)],
        &[&requester],
        PobError::TaskIdInUse,
    )
    .await;
    assert_eq!(env.balance(task.vault()).await, 256_250);

    let usdc = env.usdc;
    env.execute(&[ix::disable_mint(&authority.pubkey(), &usdc.mint)], &[&authority]).await;
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, PobError::MintDisabled).await;
}

#[tokio::test]
async fn a_requester_without_the_funds_moves_nothing() {
    let mut env = TestEnv::new().await;
    let requester = env.user(256_249).await; // one base unit short of the deposit
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, 1u32 /* SPL Token: insufficient funds */).await;
}

#[tokio::test]
async fn a_pre_created_vault_does_not_block_the_task() {
    // Anyone can create the ATA of a predictable Task address before the requester posts it.
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let args = env.task_args();
    let task = TaskRef::new(requester.pubkey(), args.task_id, env.usdc);
    let usdc = env.usdc;
    env.mint_to(usdc, &task.address, 7).await; // griefer creates the vault and drops 7 units in it
    env.create_task(&requester, args).await;
    assert_eq!(env.balance(task.vault()).await, 256_250 + 7);
}
