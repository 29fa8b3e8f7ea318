//! Task creation: every rule of create_task, each rejection leaving every account unchanged.
use pob_cli::ix;
use proof_of_brain::state::{Qualification, GOLD_NONE, GOLD_SEALED, TASK_OPEN};
use proof_of_brain::{CreateTaskArgs, ProtocolUpdate};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

async fn expect_create_error(
    env: &mut TestEnv,
    requester: &Keypair,
    args: CreateTaskArgs,
    code: impl Into<u32>,
) {
    let ixs = env.create_task_ixs(&requester.pubkey(), args).await;
    env.expect_error(&ixs, &[requester], code).await;
}

#[tokio::test]
async fn create_task_locks_the_deposit_and_records_the_terms() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.qualification =
        Qualification { min_agreed_answers: 3, min_agreement_bps: 8_000, min_gold_accuracy_bps: 0 };
    let start = env.now();
    let task = env.create_task(&requester, args.clone()).await;
    let view = env.task_view(&task).await;
    let stored = view.header;
    assert_eq!((stored.requester, stored.mint), (requester.pubkey(), env.usdc.mint));
    assert_eq!(
        (stored.task_id, stored.spec_hash, view.spec_uri.as_str()),
        (args.task_id, args.spec_hash, args.spec_uri.as_str())
    );
    assert_eq!((stored.answers_required, stored.quorum, stored.state), (5, 3, TASK_OPEN));
    assert_eq!((stored.fee_bps, stored.dispute_window_secs), (FEE_BPS, DISPUTE_WINDOW as u32));
    assert_eq!(
        (stored.created_at, stored.commit_deadline, stored.reveal_deadline),
        (start, start + 3600, start + 7200)
    );
    assert_eq!(stored.qualification, args.qualification);
    assert_eq!((stored.gold_state, stored.deposit), (GOLD_NONE, 256_250));
    assert!(view.tally.is_empty());
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - 256_250);
    let record = env.requester_record(&requester.pubkey()).await;
    assert_eq!((record.wallet, record.tasks_posted, record.gold_sealed), (requester.pubkey(), 1, 0));
    env.assert_books_balance().await;
}

#[tokio::test]
async fn the_task_account_is_sized_to_its_answers_and_uri() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
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
    let requester = env.requester(10 * USDC).await;
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
    let requester = env.requester(10 * USDC).await;
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
async fn windows_outside_the_protocol_bounds_are_refused() {
    // The defaults: each window at least 10 minutes, at most 30 days.
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let (min, max) = (pob_cli::defaults::MIN_TASK_WINDOW_SECS, pob_cli::defaults::MAX_TASK_WINDOW_SECS);
    for (commit, reveal, code) in [
        (1, 3600, PobError::CommitWindowOutOfBounds), // a 1-second commit phase
        (min - 1, 3600, PobError::CommitWindowOutOfBounds),
        (max + 1, 3600, PobError::CommitWindowOutOfBounds), // stake locked for longer than 30 days
        (3600, 1, PobError::RevealWindowOutOfBounds),       // a 1-second reveal phase slashes honest workers
        (3600, min - 1, PobError::RevealWindowOutOfBounds),
        (3600, max + 1, PobError::RevealWindowOutOfBounds),
    ] {
        let mut args = env.task_args();
        args.commit_window_secs = commit;
        args.reveal_window_secs = reveal;
        expect_create_error(&mut env, &requester, args, code).await;
    }
    for (commit, reveal) in [(min, min), (max, max)] {
        let mut args = env.task_args();
        args.commit_window_secs = commit;
        args.reveal_window_secs = reveal;
        env.create_task(&requester, args).await;
    }
}

#[tokio::test]
async fn no_quorum_share_bps_and_uri_out_of_range_are_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let minimum = pob_cli::defaults::MIN_NO_QUORUM_BPS;
    let mut args = env.task_args();
    args.no_quorum_bps = minimum - 1;
    expect_create_error(&mut env, &requester, args, PobError::NoQuorumShareTooLow).await;
    let mut args = env.task_args();
    args.no_quorum_bps = 0;
    expect_create_error(&mut env, &requester, args, PobError::NoQuorumShareTooLow).await;
    let mut args = env.task_args();
    args.no_quorum_bps = 10_001;
    expect_create_error(&mut env, &requester, args, PobError::InvalidNoQuorumBps).await;
    let mut args = env.task_args();
    args.spec_uri = "u".repeat(201);
    expect_create_error(&mut env, &requester, args, PobError::SpecUriTooLong).await;
    let mut args = env.task_args();
    args.qualification.min_agreement_bps = 10_001;
    expect_create_error(&mut env, &requester, args, PobError::InvalidQualification).await;
    let mut args = env.task_args();
    args.qualification.min_gold_accuracy_bps = 10_001;
    expect_create_error(&mut env, &requester, args, PobError::InvalidQualification).await;
    let mut args = env.task_args();
    args.no_quorum_bps = minimum;
    env.create_task(&requester, args).await;
}

#[tokio::test]
async fn a_deposit_that_overflows_is_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 32;
    args.quorum = 17;
    args.reward_per_answer = u64::MAX / 16;
    expect_create_error(&mut env, &requester, args, PobError::MathOverflow).await;
}

#[tokio::test]
async fn paused_protocol_disabled_mint_and_reused_ids_are_refused() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let authority = env.authority.insecure_clone();

    let pause = ProtocolUpdate { paused: Some(true), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), pause)], &[&authority]).await;
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, PobError::ProtocolPaused).await;
    let resume = ProtocolUpdate { paused: Some(false), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), resume)], &[&authority]).await;

    let args = env.task_args();
    env.create_task(&requester, args.clone()).await;
    expect_create_error(&mut env, &requester, args, PobError::TaskIdInUse).await;

    let usdc = env.usdc;
    env.execute(&[ix::disable_mint(&authority.pubkey(), &usdc.mint)], &[&authority]).await;
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, PobError::MintDisabled).await;
    env.assert_books_balance().await;
}

#[tokio::test]
async fn a_requester_without_enough_free_balance_moves_nothing() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(256_249).await; // one base unit short of the deposit
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, PobError::InsufficientFreeBalance).await;
    // Tokens in the wallet do not count: only what was deposited funds tasks.
    let usdc = env.usdc;
    env.mint_to(usdc, &requester.pubkey(), 10 * USDC).await;
    let args = env.task_args();
    expect_create_error(&mut env, &requester, args, PobError::InsufficientFreeBalance).await;
}

#[tokio::test]
async fn someone_elses_balance_cannot_fund_a_task() {
    let mut env = TestEnv::new().await;
    let (requester, victim) = (env.requester(0).await, env.requester(10 * USDC).await);
    let args = env.task_args();
    let mut ixs = env.create_task_ixs(&requester.pubkey(), args).await;
    let usdc = env.usdc.mint;
    let last = ixs.pop().unwrap();
    ixs.push(with_account(
        last,
        &pob_cli::pda::balance(&requester.pubkey(), &usdc),
        &pob_cli::pda::balance(&victim.pubkey(), &usdc),
    ));
    env.expect_error(&ixs, &[&requester], PobError::WrongBalance).await;
}

#[tokio::test]
async fn a_sealed_gold_answer_is_recorded_and_counted() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.gold_seal = Some([7; 32]);
    let task = env.create_task(&requester, args).await;
    let stored = env.task(&task).await;
    assert_eq!((stored.gold_state, stored.gold_seal), (GOLD_SEALED, [7; 32]));
    assert_eq!(env.requester_record(&requester.pubkey()).await.gold_sealed, 1);
}

#[tokio::test]
async fn a_pre_funded_task_address_does_not_block_the_task() {
    // Anyone can send lamports to a predictable Task address before the requester posts it.
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let task = env.task_ref(&requester.pubkey(), &args);
    env.airdrop(&task.address, 1_000_000).await;
    env.create_task(&requester, args).await;
    assert_eq!(env.task(&task).await.deposit, 256_250);
}
