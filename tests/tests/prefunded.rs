//! Anyone can send lamports to an account's predictable address before it is created. On a
//! cluster without SIMD-0312 (like this bank), Anchor's `init` then fails, and the system
//! program refuses `CreateAccount(WithSeed)`: a stranger could block a wallet, a mint or the
//! protocol for a few lamports. Each account must still be created, the creator paying only the
//! rent the address lacks.
use pob_cli::ix::{self, OwnAccount};
use pob_cli::pda;
use proof_of_brain::state::{Balance, MintConfig, Submission, Task, Vote, Worker};
use proof_of_brain_tests::*;
use solana_sdk::signature::Signer;

/// Less than any of our accounts' rent, more than a data-less account's (890_880 lamports).
const SMALL_GIFT: u64 = 1_000_000;
/// More than any of our accounts' rent.
const LARGE_GIFT: u64 = 100_000_000;

/// Lamports `address` must hold once its account exists after a `gift`.
async fn expected_lamports(env: &mut TestEnv, address: anchor_lang::prelude::Pubkey, gift: u64) -> u64 {
    let space = env.raw_account(address).await.expect("created").data.len();
    env.bank.rent_exempt_minimum(space).await.max(gift)
}

#[tokio::test]
async fn protocol_mint_config_fee_balance_and_vault_are_created_at_prefunded_addresses() {
    let mut env = TestEnv::bare().await;
    env.airdrop(&pda::protocol(), SMALL_GIFT).await;
    let (payer, authority, treasury) = (env.payer(), env.authority.pubkey(), env.treasury.pubkey());
    env.execute(&[ix::initialize_protocol(&payer, authority, default_params(treasury))], &[]).await;
    assert_eq!(env.protocol().await.authority, authority);
    let expected = expected_lamports(&mut env, pda::protocol(), SMALL_GIFT).await;
    assert_eq!(env.lamports(pda::protocol()).await, expected);

    let usdc = env.usdc;
    env.airdrop(&pda::mint_config(&usdc.mint), LARGE_GIFT).await;
    env.airdrop(&pda::fee_balance(&usdc.mint), SMALL_GIFT).await;
    env.airdrop(&usdc.vault(), SMALL_GIFT).await;
    let authority = env.authority.insecure_clone();
    env.execute(&[ix::allow_mint(&payer, &authority.pubkey(), usdc, default_limits())], &[&authority]).await;
    let config: MintConfig = env.state(pda::mint_config(&usdc.mint)).await;
    assert_eq!(config.enabled, 1);
    assert_eq!(env.lamports(pda::mint_config(&usdc.mint)).await, LARGE_GIFT, "nothing added to a surplus");
    assert_eq!(env.token_balance(usdc.vault()).await, 0);
}

#[tokio::test]
async fn worker_record_and_balance_are_created_at_prefunded_addresses_and_the_worker_pays_only_the_gap() {
    let mut env = TestEnv::new().await;
    let worker = env.user(USDC).await;
    let key = worker.pubkey();
    let usdc = env.usdc;
    env.airdrop(&pda::worker(&key), SMALL_GIFT).await;
    env.airdrop(&pda::balance(&key, &usdc.mint), SMALL_GIFT).await;

    let before = env.lamports(key).await;
    // The record's address holds lamports: the client tops it up, allocates and assigns it.
    let mut ixs = env.create_own_account_if_needed(&key, OwnAccount::Worker).await;
    assert_eq!(ixs.len(), 3, "transfer, allocate, assign");
    ixs.extend([
        ix::register_worker(&key),
        ix::open_balance(&key, &usdc.mint),
        ix::deposit(&key, usdc, &usdc.ata(&key), USDC),
    ]);
    env.execute(&ixs, &[&worker]).await;
    let record: Worker = env.state(pda::worker(&key)).await;
    let balance: Balance = env.state(pda::balance(&key, &usdc.mint)).await;
    assert_eq!((record.wallet, balance.wallet, balance.free), (key, key, USDC));

    let worker_rent = expected_lamports(&mut env, pda::worker(&key), 0).await;
    let balance_rent = expected_lamports(&mut env, pda::balance(&key, &usdc.mint), 0).await;
    assert_eq!(before - env.lamports(key).await, (worker_rent - SMALL_GIFT) + (balance_rent - SMALL_GIFT));
    assert_eq!(env.lamports(pda::worker(&key)).await, worker_rent);
}

#[tokio::test]
async fn task_submission_requester_record_and_vote_are_created_at_prefunded_addresses() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 1;
    args.quorum = 1;
    let task = env.task_ref(&requester.pubkey(), &args);
    env.airdrop(&task.address, LARGE_GIFT).await;
    env.airdrop(&pda::requester(&requester.pubkey()), LARGE_GIFT).await;
    env.create_task(&requester, args).await;
    let stored: Task = env.state(task.address).await;
    assert_eq!(stored.requester, requester.pubkey());
    assert_eq!(env.lamports(task.address).await, LARGE_GIFT);
    assert_eq!(env.requester_record(&requester.pubkey()).await.tasks_posted, 1);

    let worker = env.worker(USDC).await;
    let submission = pda::submission(&task.address, &worker.pubkey());
    env.airdrop(&submission, SMALL_GIFT).await;
    env.commit(&worker, &task, b"yes").await;
    let stored: Submission = env.state(submission).await;
    assert_eq!(stored.worker, worker.pubkey());

    // A member's vote account, pre-funded.
    env.reveal(&worker, &task, b"yes").await;
    env.finalize(&task).await;
    let member = env.member(MEMBER_WEIGHT).await;
    env.warp_by(1).await;
    env.execute(
        &[ix::open_dispute(ix::Opener::Requester(requester.pubkey()), &task, [0; 32])],
        &[&requester],
    )
    .await;
    let vote = pda::vote(&pda::dispute(&task.address), &member.pubkey());
    env.airdrop(&vote, SMALL_GIFT).await;
    env.vote(&member, &task, 0).await;
    let stored: Vote = env.state(vote).await;
    assert_eq!(stored.member, member.pubkey());

    // The gifts end up with whoever the account's rent goes back to: the requester at close and
    // the worker at claim. The task settles normally.
    let deadline =
        env.state::<proof_of_brain::state::Dispute>(pda::dispute(&task.address)).await.vote_deadline;
    env.warp_to(deadline).await;
    env.resolve(&task, &requester.pubkey()).await;
    let requester_lamports = env.lamports(requester.pubkey()).await;
    env.claim(&task, &worker.pubkey()).await;
    env.close(&task).await;
    assert_eq!(env.free(&worker.pubkey()).await, USDC + 50_000);
    assert!(env.lamports(requester.pubkey()).await >= requester_lamports + LARGE_GIFT);
}
