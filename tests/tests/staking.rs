//! Worker registration, stake and unstake.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix;
use pob_cli::pda;
use proof_of_brain::state::{Stake, Worker};
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::*;
use solana_sdk::signature::Signer;

#[tokio::test]
async fn stake_and_unstake_move_tokens_through_the_stake_vault() {
    let mut env = TestEnv::new().await;
    let worker = env.user(3 * USDC).await;
    let key = worker.pubkey();
    let usdc = env.usdc;
    let stake_vault = pda::stake_vault(&usdc.mint, &usdc.token_program);

    env.execute(&[ix::register_worker(&key)], &[&worker]).await;
    let record: Worker = env.account(pda::worker(&key)).await;
    assert_eq!((record.wallet, record.answers_committed), (key, 0));

    env.execute(&[ix::stake(&key, usdc, &usdc.ata(&key), 2 * USDC)], &[&worker]).await;
    env.execute(&[ix::stake(&key, usdc, &usdc.ata(&key), USDC / 2)], &[&worker]).await;
    let stake: Stake = env.account(pda::stake(&key, &usdc.mint)).await;
    assert_eq!(
        (stake.wallet, stake.mint, stake.amount, stake.locked),
        (key, usdc.mint, 2 * USDC + USDC / 2, 0)
    );
    assert_eq!(env.balance(stake_vault).await, 2 * USDC + USDC / 2);
    assert_eq!(env.usdc_of(&key).await, USDC / 2);

    env.execute(&[ix::unstake(&key, usdc, &usdc.ata(&key), 2 * USDC)], &[&worker]).await;
    assert_eq!(env.account::<Stake>(pda::stake(&key, &usdc.mint)).await.amount, USDC / 2);
    assert_eq!(env.balance(stake_vault).await, USDC / 2);
    assert_eq!(env.usdc_of(&key).await, 2 * USDC + USDC / 2);
}

#[tokio::test]
async fn stake_rejections() {
    let mut env = TestEnv::new().await;
    let worker = env.user(USDC).await;
    let key = worker.pubkey();
    let usdc = env.usdc;

    env.expect_error(&[ix::stake(&key, usdc, &usdc.ata(&key), 0)], &[&worker], PobError::ZeroAmount).await;

    // A mint the protocol never allowed has no MintConfig.
    let other = env.create_mint(6).await;
    env.mint_to(other, &key, USDC).await;
    env.expect_error(
        &[ix::stake(&key, other, &other.ata(&key), USDC)],
        &[&worker],
        AnchorError::AccountNotInitialized,
    )
    .await;

    // A disabled mint takes no new stake.
    let authority = env.authority.insecure_clone();
    env.execute(&[ix::disable_mint(&authority.pubkey(), &usdc.mint)], &[&authority]).await;
    env.expect_error(&[ix::stake(&key, usdc, &usdc.ata(&key), USDC)], &[&worker], PobError::MintDisabled)
        .await;

    // Staking from someone else's token account is refused by the token-owner check.
    let victim = env.user(USDC).await;
    let payer = env.payer();
    env.execute(
        &[ix::allow_mint(&payer, &authority.pubkey(), usdc, MIN_REWARD, MIN_STAKE, DISPUTE_BOND)],
        &[&authority],
    )
    .await;
    env.expect_error(
        &[ix::stake(&key, usdc, &usdc.ata(&victim.pubkey()), USDC)],
        &[&worker],
        AnchorError::ConstraintTokenOwner,
    )
    .await;
}

#[tokio::test]
async fn unstake_only_free_stake_and_only_your_own() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let worker = env.worker(USDC).await;
    let key = worker.pubkey();
    let usdc = env.usdc;

    // Lock 0.5 of the 1 USDC stake in an answer.
    let args = env.task_args();
    let task = env.create_task(&requester, args).await;
    env.commit(&worker, &task, b"yes").await;
    assert_eq!(env.account::<Stake>(pda::stake(&key, &usdc.mint)).await.locked, 500_000);

    env.expect_error(
        &[ix::unstake(&key, usdc, &usdc.ata(&key), 500_001)],
        &[&worker],
        PobError::UnstakeExceedsFreeStake,
    )
    .await;
    env.expect_error(&[ix::unstake(&key, usdc, &usdc.ata(&key), 0)], &[&worker], PobError::ZeroAmount).await;

    // Someone else's stake account: its address does not derive from the signer.
    let thief = env.user(0).await;
    let steal = ix::unstake(&thief.pubkey(), usdc, &usdc.ata(&thief.pubkey()), 100_000);
    let steal = with_account(steal, &pda::stake(&thief.pubkey(), &usdc.mint), &pda::stake(&key, &usdc.mint));
    env.expect_error(&[steal], &[&thief], AnchorError::ConstraintSeeds).await;

    // Unstaking works while paused: workers can always leave with their free stake.
    let authority = env.authority.insecure_clone();
    let pause = ProtocolUpdate { paused: Some(true), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), pause)], &[&authority]).await;
    env.execute(&[ix::unstake(&key, usdc, &usdc.ata(&key), 500_000)], &[&worker]).await;
    assert_eq!(env.usdc_of(&key).await, 500_000);
    let stake: Stake = env.account(pda::stake(&key, &usdc.mint)).await;
    assert_eq!((stake.amount, stake.locked), (500_000, 500_000));
}

#[tokio::test]
async fn a_worker_registers_once() {
    let mut env = TestEnv::new().await;
    let worker = env.worker(USDC).await;
    let again = ix::register_worker(&worker.pubkey());
    env.expect_error(&[again], &[&worker], PobError::WorkerAlreadyRegistered).await;
}
