//! Balances: registration, open, deposit, withdraw and the treasury's fee withdrawal. Tokens leave
//! the program only through `withdraw` and `withdraw_fees`, each signed by the owner of the
//! balance, to any token account of the mint they choose.
use anchor_lang::error::ErrorCode as AnchorError;
use pob_cli::ix::{self, OwnAccount};
use pob_cli::pda;
use proof_of_brain::ProtocolUpdate;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

/// SPL Token's `MintMismatch` error: "Account not associated with this Mint".
const TOKEN_MINT_MISMATCH: u32 = 3;

#[tokio::test]
async fn deposit_and_withdraw_move_tokens_through_the_mints_vault() {
    let mut env = TestEnv::new().await;
    let owner = env.user(3 * USDC).await;
    let key = owner.pubkey();
    let usdc = env.usdc;

    env.execute(&[ix::open_balance(&key, &usdc.mint)], &[&owner]).await;
    let balance = env.balance_of(&key).await;
    assert_eq!((balance.wallet, balance.mint, balance.free), (key, usdc.mint, 0));
    env.execute(&[ix::deposit(&key, usdc, &usdc.ata(&key), 2 * USDC)], &[&owner]).await;
    env.execute(&[ix::deposit(&key, usdc, &usdc.ata(&key), USDC / 2)], &[&owner]).await;
    assert_eq!(env.free(&key).await, 2 * USDC + USDC / 2);
    assert_eq!(env.token_balance(usdc.vault()).await, 2 * USDC + USDC / 2);
    assert_eq!(env.usdc_of(&key).await, USDC / 2);

    env.withdraw(&owner, 2 * USDC).await;
    assert_eq!(env.free(&key).await, USDC / 2);
    assert_eq!(env.token_balance(usdc.vault()).await, USDC / 2);
    assert_eq!(env.usdc_of(&key).await, 2 * USDC + USDC / 2);
    // All of the free balance.
    env.withdraw(&owner, USDC / 2).await;
    assert_eq!((env.free(&key).await, env.usdc_of(&key).await), (0, 3 * USDC));
    env.assert_books_balance().await;
}

#[tokio::test]
async fn a_withdrawal_can_go_to_any_token_account_of_the_mint() {
    // A worker whose own USDC account is frozen or closed takes their money elsewhere.
    let mut env = TestEnv::new().await;
    let owner = env.requester(USDC).await;
    let friend = env.user(0).await;
    let usdc = env.usdc;
    env.execute(&[ix::withdraw(&owner.pubkey(), usdc, &usdc.ata(&friend.pubkey()), USDC)], &[&owner]).await;
    assert_eq!(env.usdc_of(&friend.pubkey()).await, USDC);
    assert_eq!(env.free(&owner.pubkey()).await, 0);
}

#[tokio::test]
async fn withdraw_rejections_move_nothing() {
    let mut env = TestEnv::new().await;
    let owner = env.requester(USDC).await;
    let thief = env.requester(0).await;
    let (key, usdc) = (owner.pubkey(), env.usdc);
    let to_owner = usdc.ata(&key);

    // More than the free balance, zero, and stake locked behind an answer.
    env.expect_error(
        &[ix::withdraw(&key, usdc, &to_owner, USDC + 1)],
        &[&owner],
        PobError::InsufficientFreeBalance,
    )
    .await;
    env.expect_error(&[ix::withdraw(&key, usdc, &to_owner, 0)], &[&owner], PobError::ZeroAmount).await;

    // Someone else's balance: naming it with one's own signature, or without the owner's.
    let stolen = with_account(
        ix::withdraw(&thief.pubkey(), usdc, &usdc.ata(&thief.pubkey()), USDC),
        &pda::balance(&thief.pubkey(), &usdc.mint),
        &pda::balance(&key, &usdc.mint),
    );
    env.expect_error(&[stolen], &[&thief], PobError::WrongBalance).await;
    let unsigned = without_signature(ix::withdraw(&key, usdc, &usdc.ata(&thief.pubkey()), USDC), &key);
    env.expect_error(&[unsigned], &[], AnchorError::AccountNotSigner).await;

    // To a token account of another mint: the token program refuses it (MintMismatch).
    let other = env.create_mint(6).await;
    env.mint_to(other, &key, 0).await;
    env.expect_error(&[ix::withdraw(&key, usdc, &other.ata(&key), USDC)], &[&owner], TOKEN_MINT_MISMATCH)
        .await;

    // Another mint's vault, or a vault-looking account, in place of the mint's vault.
    let (payer, authority) = (env.payer(), env.authority.insecure_clone());
    env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), other, default_limits())], &[&authority]).await;
    let crossed = with_account(ix::withdraw(&key, usdc, &to_owner, USDC), &usdc.vault(), &other.vault());
    env.expect_error(&[crossed], &[&owner], PobError::WrongVault).await;
    // Another mint's config, to sign for a vault it does not own.
    let crossed = with_account(
        ix::withdraw(&key, usdc, &to_owner, USDC),
        &pda::mint_config(&usdc.mint),
        &pda::mint_config(&other.mint),
    );
    env.expect_error(&[crossed], &[&owner], PobError::WrongBalance).await;
    env.assert_books_balance().await;
    assert_eq!(env.free(&key).await, USDC);
}

#[tokio::test]
async fn withdrawals_work_while_paused_and_after_the_mint_is_disabled() {
    let mut env = TestEnv::new().await;
    let owner = env.requester(2 * USDC).await;
    let authority = env.authority.insecure_clone();
    let pause = ProtocolUpdate { paused: Some(true), ..Default::default() };
    env.execute(&[ix::update_protocol(&authority.pubkey(), pause)], &[&authority]).await;
    env.withdraw(&owner, USDC).await;
    let usdc = env.usdc;
    env.execute(&[ix::disable_mint(&authority.pubkey(), &usdc.mint)], &[&authority]).await;
    env.withdraw(&owner, USDC).await;
    assert_eq!(env.usdc_of(&owner.pubkey()).await, 2 * USDC);
}

#[tokio::test]
async fn deposit_rejections_move_nothing() {
    let mut env = TestEnv::new().await;
    let owner = env.requester(0).await;
    let (key, usdc) = (owner.pubkey(), env.usdc);
    env.mint_to(usdc, &key, USDC).await;
    env.expect_error(&[ix::deposit(&key, usdc, &usdc.ata(&key), 0)], &[&owner], PobError::ZeroAmount).await;
    // More than the token account holds: the token program refuses (insufficient funds).
    env.expect_error(&[ix::deposit(&key, usdc, &usdc.ata(&key), USDC + 1)], &[&owner], 1u32).await;
    // From someone else's token account.
    let victim = env.user(USDC).await;
    env.expect_error(
        &[ix::deposit(&key, usdc, &usdc.ata(&victim.pubkey()), USDC)],
        &[&owner],
        4u32, /* OwnerMismatch */
    )
    .await;
    // Into someone else's balance (the depositor would lose nothing, but it is refused all the
    // same: a balance moves only with its owner's signature).
    let stranger = env.requester(0).await;
    let gift = with_account(
        ix::deposit(&key, usdc, &usdc.ata(&key), USDC),
        &pda::balance(&key, &usdc.mint),
        &pda::balance(&stranger.pubkey(), &usdc.mint),
    );
    env.expect_error(&[gift], &[&owner], PobError::WrongBalance).await;
    // A mint the protocol never allowed has no MintConfig.
    let other = env.create_mint(6).await;
    env.mint_to(other, &key, USDC).await;
    env.expect_error(
        &[ix::deposit(&key, other, &other.ata(&key), USDC)],
        &[&owner],
        AnchorError::AccountOwnedByWrongProgram,
    )
    .await;
    // A disabled mint takes no new deposits.
    let authority = env.authority.insecure_clone();
    env.execute(&[ix::disable_mint(&authority.pubkey(), &usdc.mint)], &[&authority]).await;
    env.expect_error(&[ix::deposit(&key, usdc, &usdc.ata(&key), USDC)], &[&owner], PobError::MintDisabled)
        .await;
    env.assert_books_balance().await;
}

#[tokio::test]
async fn a_balance_and_a_worker_record_are_opened_once() {
    let mut env = TestEnv::new().await;
    let worker = env.worker(USDC).await;
    let key = worker.pubkey();
    let usdc = env.usdc.mint;
    env.expect_error(&[ix::open_balance(&key, &usdc)], &[&worker], PobError::BalanceAlreadyOpen).await;
    env.expect_error(&[ix::register_worker(&key)], &[&worker], PobError::WorkerAlreadyRegistered).await;
    let record = env.worker_record(&key).await;
    assert_eq!((record.wallet, record.answers_committed), (key, 0));
}

#[tokio::test]
async fn a_worker_record_lives_only_at_its_wallets_address() {
    // The record's address derives from the wallet: an account created for another wallet, or
    // under another seed, is not its record.
    let mut env = TestEnv::new().await;
    let (alice, bob) = (env.user(0).await, env.user(0).await);
    let rent = env.bank.rent_exempt_minimum(OwnAccount::Worker.space()).await;
    let create = ix::create_own_account(&bob.pubkey(), OwnAccount::Worker, rent, 0);
    env.execute(&create, &[&bob]).await;
    let foreign = with_account(
        ix::register_worker(&alice.pubkey()),
        &pda::worker(&alice.pubkey()),
        &pda::worker(&bob.pubkey()),
    );
    env.expect_error(&[foreign], &[&alice], AnchorError::ConstraintSeeds).await;
    // Bob's record, initialized by Bob.
    env.execute(&[ix::register_worker(&bob.pubkey())], &[&bob]).await;
    // Registering without creating the account first.
    env.expect_error(&[ix::register_worker(&alice.pubkey())], &[&alice], AnchorError::AccountNotInitialized)
        .await;
}

#[tokio::test]
async fn fees_are_withdrawn_by_the_treasury_only() {
    let mut env = TestEnv::new().await;
    let (_, task, workers) = env.finalized_task(&[b"yes", b"yes", b"yes"]).await;
    env.warp_by(DISPUTE_WINDOW).await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    env.close(&task).await;
    let accrued = env.fees().await.accrued;
    assert_eq!(accrued, 3_750);

    let (treasury, usdc) = (env.treasury.insecure_clone(), env.usdc);
    let outsider: Keypair = env.user(0).await;
    let to = usdc.ata(&outsider.pubkey());
    env.expect_error(
        &[ix::withdraw_fees(&outsider.pubkey(), usdc, &to, 1)],
        &[&outsider],
        PobError::NotTreasury,
    )
    .await;
    env.expect_error(
        &[ix::withdraw_fees(&treasury.pubkey(), usdc, &to, accrued + 1)],
        &[&treasury],
        PobError::InsufficientFees,
    )
    .await;
    env.expect_error(
        &[ix::withdraw_fees(&treasury.pubkey(), usdc, &to, 0)],
        &[&treasury],
        PobError::ZeroAmount,
    )
    .await;
    // The treasury may send the fees anywhere in the mint (a DAO's own token account, say).
    env.execute(&[ix::withdraw_fees(&treasury.pubkey(), usdc, &to, 3_000)], &[&treasury]).await;
    assert_eq!(env.usdc_of(&outsider.pubkey()).await, 3_000);
    let fees = env.fees().await;
    assert_eq!((fees.accrued, fees.collected, fees.withdrawn), (750, 3_750, 3_000));
    env.assert_books_balance().await;
}
