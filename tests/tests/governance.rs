//! Protocol set-up and governance: initialise, update, two-step authority transfer, mints. Governed
//! terms never reach into an open task.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix;
use pob_cli::pda;
use proof_of_brain::state::MintConfig;
use proof_of_brain::{MintLimits, ProtocolParams, ProtocolUpdate};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn initialize_validates_params_and_runs_once() {
    let mut env = TestEnv::bare().await;
    let (payer, authority, treasury) = (env.payer(), env.authority.pubkey(), env.treasury.pubkey());
    let (base, day) = (default_params(treasury), 24 * 3600);
    for (params, code) in [
        (ProtocolParams { fee_bps: 1_001, ..base }, PobError::FeeAboveCap),
        (ProtocolParams { dispute_window_secs: 0, ..base }, PobError::InvalidWindow),
        (ProtocolParams { vote_window_secs: 30 * day + 1, ..base }, PobError::InvalidWindow),
        (ProtocolParams { min_task_window_secs: 59, ..base }, PobError::InvalidTaskWindowBounds),
        (
            ProtocolParams { min_task_window_secs: base.max_task_window_secs + 1, ..base },
            PobError::InvalidTaskWindowBounds,
        ),
        (ProtocolParams { max_task_window_secs: 30 * day + 1, ..base }, PobError::InvalidTaskWindowBounds),
        (ProtocolParams { min_no_quorum_bps: 10_001, ..base }, PobError::InvalidNoQuorumBps),
        (ProtocolParams { min_vote_weight: 0, ..base }, PobError::InvalidMinVoteWeight),
    ] {
        env.expect_error(&[ix::initialize_protocol(&payer, authority, params)], &[], code).await;
    }

    let mut params = default_params(treasury);
    params.fee_bps = 1_000; // exactly the cap is allowed
    env.execute(&[ix::initialize_protocol(&payer, authority, params)], &[]).await;
    let protocol = env.protocol().await;
    assert_eq!((protocol.authority, protocol.params(), protocol.is_paused()), (authority, params, false));
    assert_eq!(pda::protocol(), proof_of_brain::constants::PROTOCOL_ADDRESS);

    let intruder = Keypair::new();
    let again = ix::initialize_protocol(&payer, intruder.pubkey(), default_params(treasury));
    env.expect_error(&[again], &[], PobError::ProtocolAlreadyInitialized).await;
    assert_eq!(env.protocol().await.authority, authority);
}

#[tokio::test]
async fn only_the_authority_updates_and_the_bounds_hold() {
    let mut env = TestEnv::new().await;
    let intruder = env.user(0).await;
    let authority = env.authority.insecure_clone();
    let update = ProtocolUpdate { fee_bps: Some(100), ..Default::default() };
    env.expect_error(
        &[ix::update_protocol(&intruder.pubkey(), update)],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;
    for (bad, code) in [
        (ProtocolUpdate { fee_bps: Some(1_001), ..Default::default() }, PobError::FeeAboveCap),
        (ProtocolUpdate { dispute_window_secs: Some(0), ..Default::default() }, PobError::InvalidWindow),
        (ProtocolUpdate { min_vote_weight: Some(0), ..Default::default() }, PobError::InvalidMinVoteWeight),
        (
            ProtocolUpdate { min_task_window_secs: Some(1), ..Default::default() },
            PobError::InvalidTaskWindowBounds,
        ),
        (
            ProtocolUpdate { min_no_quorum_bps: Some(10_001), ..Default::default() },
            PobError::InvalidNoQuorumBps,
        ),
    ] {
        env.expect_error(&[ix::update_protocol(&authority.pubkey(), bad)], &[&authority], code).await;
    }

    let update = ProtocolUpdate { fee_bps: Some(100), paused: Some(true), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    let protocol = env.protocol().await;
    assert_eq!((protocol.fee_bps, protocol.is_paused()), (100, true));
    assert_eq!(protocol.dispute_window_secs, DISPUTE_WINDOW as u32, "unchanged fields stay");
}

#[tokio::test]
async fn a_missing_authority_signature_is_refused() {
    let mut env = TestEnv::new().await;
    let authority = env.authority.pubkey();
    let update = ix::update_protocol(&authority, ProtocolUpdate { fee_bps: Some(0), ..Default::default() });
    let update = without_signature(update, &authority); // the authority's key, unsigned
    env.expect_error(&[update], &[], AnchorError::AccountNotSigner).await;
}

#[tokio::test]
async fn authority_moves_in_two_steps() {
    let mut env = TestEnv::new().await;
    let old = env.authority.insecure_clone();
    let new = env.user(0).await;
    let intruder = env.user(0).await;

    env.expect_error(&[ix::accept_authority(&new.pubkey())], &[&new], PobError::NoPendingAuthority).await;
    env.expect_error(
        &[ix::propose_authority(&intruder.pubkey(), Some(intruder.pubkey()))],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;

    env.execute(&[ix::propose_authority(&old.pubkey(), Some(new.pubkey()))], &[&old]).await;
    assert_eq!(env.protocol().await.pending_authority(), Some(new.pubkey()));
    env.expect_error(
        &[ix::accept_authority(&intruder.pubkey())],
        &[&intruder],
        PobError::NotPendingAuthority,
    )
    .await;

    env.execute(&[ix::accept_authority(&new.pubkey())], &[&new]).await;
    let protocol = env.protocol().await;
    assert_eq!((protocol.authority, protocol.pending_authority()), (new.pubkey(), None));

    // The old authority has no power left.
    let update = ProtocolUpdate { fee_bps: Some(0), ..Default::default() };
    env.expect_error(&[ix::update_protocol(&old.pubkey(), update)], &[&old], PobError::NotProtocolAuthority)
        .await;

    // A proposal can be withdrawn.
    env.execute(&[ix::propose_authority(&new.pubkey(), Some(old.pubkey()))], &[&new]).await;
    env.execute(&[ix::propose_authority(&new.pubkey(), None)], &[&new]).await;
    env.expect_error(&[ix::accept_authority(&old.pubkey())], &[&old], PobError::NoPendingAuthority).await;
}

#[tokio::test]
async fn mints_are_allowed_and_disabled_by_the_authority_only() {
    let mut env = TestEnv::new().await;
    let authority = env.authority.insecure_clone();
    let intruder = env.user(0).await;
    let payer = env.payer();
    let mint = env.create_mint(6).await;
    let limits = default_limits();

    env.expect_error(
        &[ix::allow_mint(&payer, &intruder.pubkey(), mint, limits)],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;
    for (bad, code) in [
        (MintLimits { min_reward_per_answer: 0, ..limits }, PobError::InvalidMintLimits),
        (MintLimits { min_stake_per_answer: 0, ..limits }, PobError::InvalidMintLimits),
        (MintLimits { chamber_stake_per_weight: 0, ..limits }, PobError::InvalidMintLimits),
        (MintLimits { dispute_bond: 0, ..limits }, PobError::ZeroDisputeBond),
    ] {
        env.expect_error(&[ix::allow_mint(&payer, &authority.pubkey(), mint, bad)], &[&authority], code)
            .await;
    }

    let custom = MintLimits {
        min_reward_per_answer: 20_000,
        min_stake_per_answer: 300_000,
        dispute_bond: 5 * USDC,
        ..limits
    };
    env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), mint, custom)], &[&authority]).await;
    let config: MintConfig = env.state(pda::mint_config(&mint.mint)).await;
    assert_eq!(
        (
            config.enabled,
            config.decimals,
            config.min_reward_per_answer,
            config.min_stake_per_answer,
            config.dispute_bond
        ),
        (1, 6, 20_000, 300_000, 5 * USDC)
    );
    assert_eq!((config.vault, config.token_program), (mint.vault(), mint.token_program));
    assert_eq!(env.token_balance(mint.vault()).await, 0);
    let vault: anchor_spl::token::TokenAccount = env.account(mint.vault()).await;
    assert_eq!(
        (vault.mint, vault.owner),
        (mint.mint, pda::mint_config(&mint.mint)),
        "the MintConfig owns the vault"
    );
    assert!(env.exists(pda::fee_balance(&mint.mint)).await);

    env.expect_error(
        &[ix::disable_mint(&intruder.pubkey(), &mint.mint)],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;
    env.execute(&[ix::disable_mint(&authority.pubkey(), &mint.mint)], &[&authority]).await;
    let config: MintConfig = env.state(pda::mint_config(&mint.mint)).await;
    assert_eq!(config.enabled, 0);

    // Allowing again re-enables it with new limits; the vault is kept.
    let raised = MintLimits { min_reward_per_answer: 30_000, ..custom };
    env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), mint, raised)], &[&authority]).await;
    let config: MintConfig = env.state(pda::mint_config(&mint.mint)).await;
    assert_eq!((config.enabled, config.min_reward_per_answer, config.vault), (1, 30_000, mint.vault()));
}

#[tokio::test]
async fn a_pre_created_vault_address_does_not_block_allowing_a_mint() {
    // Anyone can send lamports to the vault's or the config's predictable address first.
    let mut env = TestEnv::new().await;
    let mint = env.create_mint(6).await;
    for address in [mint.vault(), pda::mint_config(&mint.mint), pda::fee_balance(&mint.mint)] {
        env.airdrop(&address, 1_000_000).await;
    }
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), mint, default_limits())], &[&authority]).await;
    assert_eq!(env.state::<MintConfig>(pda::mint_config(&mint.mint)).await.vault, mint.vault());
}

#[tokio::test]
async fn governance_changes_never_reach_an_open_task() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    let authority = env.authority.insecure_clone();
    let update = ProtocolUpdate {
        fee_bps: Some(1_000),
        dispute_window_secs: Some(3600),
        min_no_quorum_bps: Some(9_000),
        max_task_window_secs: Some(3600),
        ..Default::default()
    };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    let workers = [env.worker(USDC).await, env.worker(USDC).await, env.worker(USDC).await];
    for worker in &workers {
        env.commit(worker, &task, b"yes").await;
    }
    let commit_deadline = env.task(&task).await.commit_deadline;
    env.warp_to(commit_deadline).await;
    for worker in &workers {
        env.reveal(worker, &task, b"yes").await;
    }
    env.finalize(&task).await;
    let stored = env.task(&task).await;
    assert_eq!(
        (stored.fee_bps, stored.dispute_window_secs, stored.no_quorum_bps),
        (FEE_BPS, DISPUTE_WINDOW as u32, 5_000)
    );
    assert_eq!(stored.dispute_deadline, commit_deadline + DISPUTE_WINDOW, "the task's own dispute window");
    env.warp_by(DISPUTE_WINDOW).await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    env.close(&task).await;
    assert_eq!(env.fees().await.accrued, 3_750, "the task's own 2.5% fee, not the new 10%");
}
