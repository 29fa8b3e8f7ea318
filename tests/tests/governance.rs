//! Protocol set-up and governance: initialise, update, two-step authority transfer, mints.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix;
use pob_cli::pda;
use proof_of_brain::state::MintConfig;
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

#[tokio::test]
async fn initialize_validates_params_and_runs_once() {
    let mut env = TestEnv::bare().await;
    let (payer, authority, treasury) = (env.payer(), env.authority.pubkey(), env.treasury);

    let mut params = default_params(treasury);
    params.fee_bps = 1_001;
    env.expect_error(&[ix::initialize_protocol(&payer, authority, params)], &[], PobError::FeeAboveCap).await;
    let mut params = default_params(treasury);
    params.dispute_window_secs = 0;
    env.expect_error(&[ix::initialize_protocol(&payer, authority, params)], &[], PobError::InvalidWindow)
        .await;
    let mut params = default_params(treasury);
    params.vote_window_secs = 30 * 24 * 3600 + 1;
    env.expect_error(&[ix::initialize_protocol(&payer, authority, params)], &[], PobError::InvalidWindow)
        .await;

    let mut params = default_params(treasury);
    params.fee_bps = 1_000; // exactly the cap is allowed
    env.execute(&[ix::initialize_protocol(&payer, authority, params)], &[]).await;
    let protocol = env.protocol().await;
    assert_eq!((protocol.authority, protocol.params, protocol.paused), (authority, params, false));

    let intruder = Keypair::new();
    let again = ix::initialize_protocol(&payer, intruder.pubkey(), default_params(treasury));
    env.expect_error(&[again], &[], PobError::ProtocolAlreadyInitialized).await;
    assert_eq!(env.protocol().await.authority, authority);
}

#[tokio::test]
async fn only_the_authority_updates_and_the_fee_cap_holds() {
    let mut env = TestEnv::new().await;
    let intruder = env.user(0).await;
    let authority = env.authority.insecure_clone();
    let update = ProtocolUpdate { fee_bps: Some(100), ..Default::default() };

    env.expect_error(
        &[ix::update_protocol(&intruder.pubkey(), update.clone())],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;
    let too_high = ProtocolUpdate { fee_bps: Some(1_001), ..Default::default() };
    env.expect_error(
        &[ix::update_protocol(&authority.pubkey(), too_high)],
        &[&authority],
        PobError::FeeAboveCap,
    )
    .await;
    let bad_window = ProtocolUpdate { dispute_window_secs: Some(0), ..Default::default() };
    env.expect_error(
        &[ix::update_protocol(&authority.pubkey(), bad_window)],
        &[&authority],
        PobError::InvalidWindow,
    )
    .await;

    let update = ProtocolUpdate { fee_bps: Some(100), paused: Some(true), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), update)], &[&authority]).await;
    let protocol = env.protocol().await;
    assert_eq!((protocol.params.fee_bps, protocol.paused), (100, true));
    assert_eq!(protocol.params.dispute_window_secs, DISPUTE_WINDOW as u32, "unchanged fields stay");
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
    assert_eq!(env.protocol().await.pending_authority, Some(new.pubkey()));
    env.expect_error(
        &[ix::accept_authority(&intruder.pubkey())],
        &[&intruder],
        PobError::NotPendingAuthority,
    )
    .await;

    env.execute(&[ix::accept_authority(&new.pubkey())], &[&new]).await;
    let protocol = env.protocol().await;
    assert_eq!((protocol.authority, protocol.pending_authority), (new.pubkey(), None));

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

    env.expect_error(
        &[ix::allow_mint(&payer, &intruder.pubkey(), mint, MIN_REWARD, MIN_STAKE, DISPUTE_BOND)],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;
    env.expect_error(
        &[ix::allow_mint(&payer, &authority.pubkey(), mint, 0, MIN_STAKE, DISPUTE_BOND)],
        &[&authority],
        PobError::InvalidMintLimits,
    )
    .await;
    env.expect_error(
        &[ix::allow_mint(&payer, &authority.pubkey(), mint, MIN_REWARD, 0, DISPUTE_BOND)],
        &[&authority],
        PobError::InvalidMintLimits,
    )
    .await;

    env.execute(
        &[ix::allow_mint(&payer, &authority.pubkey(), mint, 20_000, 300_000, 5 * USDC)],
        &[&authority],
    )
    .await;
    let config: MintConfig = env.account(pda::mint_config(&mint.mint)).await;
    assert_eq!(
        (
            config.enabled,
            config.decimals,
            config.min_reward_per_answer,
            config.min_stake_per_answer,
            config.dispute_bond
        ),
        (true, 6, 20_000, 300_000, 5 * USDC)
    );
    assert!(env.exists(pda::stake_vault(&mint.mint, &mint.token_program)).await);

    env.expect_error(
        &[ix::disable_mint(&intruder.pubkey(), &mint.mint)],
        &[&intruder],
        PobError::NotProtocolAuthority,
    )
    .await;
    env.execute(&[ix::disable_mint(&authority.pubkey(), &mint.mint)], &[&authority]).await;
    let config: MintConfig = env.account(pda::mint_config(&mint.mint)).await;
    assert!(!config.enabled);

    // Allowing again re-enables it with new limits; the stake vault is kept.
    env.execute(
        &[ix::allow_mint(&payer, &authority.pubkey(), mint, 30_000, 300_000, 5 * USDC)],
        &[&authority],
    )
    .await;
    let config: MintConfig = env.account(pda::mint_config(&mint.mint)).await;
    assert_eq!((config.enabled, config.min_reward_per_answer), (true, 30_000));
}
