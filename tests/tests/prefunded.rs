//! Anyone can send lamports to a PDA's address before the program creates it. On a cluster
//! without SIMD-0312 (like this bank), Anchor's `init` then fails, which would let a stranger
//! block a wallet, a mint or the protocol for a few lamports. Each account the program creates
//! must still be created, with the creator paying only the rent the address lacks.
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::state::{MintConfig, Stake, Submission, Task, Worker};
use proof_of_brain_tests::*;
use solana_sdk::signature::Signer;

/// Less than any of our accounts' rent, more than a data-less account's (890_880 lamports).
const SMALL_GIFT: u64 = 1_000_000;
/// More than any of our accounts' rent.
const LARGE_GIFT: u64 = 100_000_000;

/// Lamports `address` must hold once its account of `space` bytes exists after a `gift`.
async fn expected_lamports(env: &mut TestEnv, address: anchor_lang::prelude::Pubkey, gift: u64) -> u64 {
    let space = env.raw_account(address).await.expect("created").data.len();
    env.bank.rent_exempt_minimum(space).await.max(gift)
}

#[tokio::test]
async fn protocol_and_mint_config_are_created_at_prefunded_addresses() {
    let mut env = TestEnv::bare().await;
    env.airdrop(&pda::protocol(), SMALL_GIFT).await;
    let (payer, authority, treasury) = (env.payer(), env.authority.pubkey(), env.treasury);
    env.execute(&[ix::initialize_protocol(&payer, authority, default_params(treasury))], &[]).await;
    assert_eq!(env.protocol().await.authority, authority);
    let expected = expected_lamports(&mut env, pda::protocol(), SMALL_GIFT).await;
    assert_eq!(env.lamports(pda::protocol()).await, expected);

    let usdc = env.usdc;
    env.airdrop(&pda::mint_config(&usdc.mint), LARGE_GIFT).await;
    let authority = env.authority.insecure_clone();
    env.execute(
        &[ix::allow_mint(&payer, &authority.pubkey(), usdc, MIN_REWARD, MIN_STAKE, DISPUTE_BOND)],
        &[&authority],
    )
    .await;
    let config: MintConfig = env.account(pda::mint_config(&usdc.mint)).await;
    assert!(config.enabled);
    assert_eq!(env.lamports(pda::mint_config(&usdc.mint)).await, LARGE_GIFT, "nothing added to a surplus");
}

#[tokio::test]
async fn worker_and_stake_are_created_at_prefunded_addresses_and_the_worker_pays_only_the_gap() {
    let mut env = TestEnv::new().await;
    let worker = env.user(USDC).await;
    let key = worker.pubkey();
    let usdc = env.usdc;
    env.airdrop(&pda::worker(&key), SMALL_GIFT).await;
    env.airdrop(&pda::stake(&key, &usdc.mint), SMALL_GIFT).await;

    let before = env.lamports(key).await;
    env.execute(&[ix::register_worker(&key), ix::stake(&key, usdc, &usdc.ata(&key), USDC)], &[&worker]).await;
    let record: Worker = env.account(pda::worker(&key)).await;
    let stake: Stake = env.account(pda::stake(&key, &usdc.mint)).await;
    assert_eq!((record.wallet, stake.wallet, stake.amount), (key, key, USDC));

    let worker_rent = expected_lamports(&mut env, pda::worker(&key), 0).await;
    let stake_rent = expected_lamports(&mut env, pda::stake(&key, &usdc.mint), 0).await;
    assert_eq!(before - env.lamports(key).await, (worker_rent - SMALL_GIFT) + (stake_rent - SMALL_GIFT));
    assert_eq!(env.lamports(pda::worker(&key)).await, worker_rent);
}

#[tokio::test]
async fn task_and_submission_are_created_at_prefunded_addresses() {
    let mut env = TestEnv::new().await;
    let requester = env.user(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    let task = TaskRef::new(requester.pubkey(), args.task_id, env.usdc);
    env.airdrop(&task.address, LARGE_GIFT).await;
    env.create_task(&requester, args).await;
    let stored: Task = env.account(task.address).await;
    assert_eq!(stored.requester, requester.pubkey());
    assert_eq!(env.lamports(task.address).await, LARGE_GIFT);

    let worker = env.worker(USDC).await;
    let submission = pda::submission(&task.address, &worker.pubkey());
    env.airdrop(&submission, SMALL_GIFT).await;
    env.commit(&worker, &task, b"yes").await;
    let stored: Submission = env.account(submission).await;
    assert_eq!(stored.worker, worker.pubkey());

    // The gifts end up with whoever the account's rent goes back to: the requester at close and
    // the worker at claim. The task settles normally.
    env.reveal(&worker, &task, b"yes").await;
    env.finalize(&task).await;
    env.warp_by(DISPUTE_WINDOW).await;
    let requester_lamports = env.lamports(requester.pubkey()).await;
    env.claim(&task, &worker.pubkey()).await;
    env.close(&task).await;
    assert_eq!(env.usdc_of(&worker.pubkey()).await, 50_000);
    assert!(env.lamports(requester.pubkey()).await >= requester_lamports + LARGE_GIFT);
}
