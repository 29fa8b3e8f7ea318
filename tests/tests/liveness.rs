//! Nobody can block anybody else's money. Each payee here does what a payee can do to its own
//! accounts (hand its token account to someone else, close it, have the issuer freeze it, assign
//! its wallet to another program, or turn its wallet into a program account) and every other party
//! is still settled to the base unit, every task still closes, and the payee itself can still
//! withdraw elsewhere.
use pob_cli::ix::{self, Opener, TaskRef};
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

/// `how`, done to `victim`'s own associated token account or wallet; it must happen.
async fn sabotage(env: &mut TestEnv, victim: &Keypair, how: Sabotage) {
    let (key, usdc) = (victim.pubkey(), env.usdc);
    env.mint_to(usdc, &key, 0).await; // make sure the token account exists
    let ata = usdc.ata(&key);
    let done = env.sabotage(victim, ata, how, None).await;
    assert!(matches!(done, Some(Ok(()))), "{how:?}: {done:?}");
    match how {
        Sabotage::CloseTokenAccount => assert!(!env.exists(ata).await),
        Sabotage::AssignWallet => {
            assert_ne!(env.raw_account(key).await.unwrap().owner, anchor_lang::system_program::ID)
        }
        _ => {}
    }
}

/// `victim`'s free balance out to a token account it still controls (its wallet may no longer be
/// able to pay fees or even sign usefully as a fee payer, but it still signs).
async fn withdraw_elsewhere(env: &mut TestEnv, victim: &Keypair, how: Sabotage) {
    let key = victim.pubkey();
    let free = env.free(&key).await;
    if free == 0 {
        return;
    }
    let usdc = env.usdc;
    let destination = match how {
        Sabotage::ReassignTokenAccount | Sabotage::CloseTokenAccount | Sabotage::FrozenByIssuer => {
            env.fresh_token_account(&key).await
        }
        // The wallet itself is the problem, not its token account.
        Sabotage::AssignWallet | Sabotage::ExecutableWallet => usdc.ata(&key),
    };
    env.execute(&[ix::withdraw(&key, usdc, &destination, free)], &[victim]).await;
    assert_eq!(env.token_balance(destination).await, free, "{how:?}: withdrew elsewhere");
    assert_eq!(env.free(&key).await, 0);
}

#[tokio::test]
async fn workers_who_sabotage_themselves_block_nobody() {
    let mut env = TestEnv::new().await;
    let requester = env.requester(10 * USDC).await;
    let mut args = env.task_args();
    args.answers_required = 6; // five saboteurs and one honest worker
    args.quorum = 4;
    let task = env.create_task(&requester, args).await;
    let mut workers = Vec::new();
    for _ in 0..6 {
        let worker = env.worker(USDC).await;
        env.commit(&worker, &task, b"yes").await;
        workers.push(worker);
    }
    for worker in &workers {
        env.reveal(worker, &task, b"yes").await;
    }
    env.finalize(&task).await;
    let lamports_before = env.lamports(workers[5].pubkey()).await;
    for (worker, how) in workers.iter().zip(SABOTAGES) {
        sabotage(&mut env, worker, how).await;
    }
    env.warp_by(DISPUTE_WINDOW).await;
    for worker in &workers {
        env.claim(&task, &worker.pubkey()).await;
    }
    env.close(&task).await;
    env.assert_books_balance().await;

    // Every worker credited exactly; the requester refunded exactly (6 x 0.05 + 2.5% fee paid).
    for (i, worker) in workers.iter().enumerate() {
        assert_eq!(env.free(&worker.pubkey()).await, USDC + 50_000, "worker {i}");
    }
    assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - 300_000 - 7_500);
    assert_eq!(env.fees().await.accrued, 7_500);
    // The honest worker got its submission rent back; so did the saboteurs' wallets, of whatever
    // kind they now are.
    assert!(env.lamports(workers[5].pubkey()).await > lamports_before);
    assert!(!env.exists(task.address).await);

    for (worker, how) in workers.iter().zip(SABOTAGES) {
        withdraw_elsewhere(&mut env, worker, how).await;
    }
    env.withdraw(&workers[5], USDC + 50_000).await;
    env.assert_books_balance().await;
}

/// A task with a dispute open, opened by `opener` (a worker or the requester).
async fn disputed(env: &mut TestEnv, opener_is_requester: bool) -> (Keypair, TaskRef, Vec<Keypair>, Keypair) {
    let (requester, task, workers) = env.finalized_task(&[b"cat", b"cat", b"dog"]).await;
    let opener = if opener_is_requester { requester.insecure_clone() } else { workers[2].insecure_clone() };
    let usdc = env.usdc;
    env.mint_to(usdc, &opener.pubkey(), DISPUTE_BOND).await;
    env.deposit(&opener, DISPUTE_BOND).await;
    env.execute(&[ix::open_dispute(Opener::of(&task, opener.pubkey()), &task, [1; 32])], &[&opener]).await;
    (requester, task, workers, opener)
}

#[tokio::test]
async fn a_dispute_opener_who_sabotages_itself_blocks_neither_resolution_nor_claims() {
    for how in SABOTAGES {
        for opener_is_requester in [false, true] {
            let mut env = TestEnv::new().await;
            let members = [
                env.member(MEMBER_WEIGHT).await,
                env.member(MEMBER_WEIGHT).await,
                env.member(MEMBER_WEIGHT).await,
            ];
            env.warp_by(1).await; // members joined before the dispute
            let (requester, task, workers, opener) = disputed(&mut env, opener_is_requester).await;
            sabotage(&mut env, &opener, how).await;
            // The members overturn the outcome: the bond goes back to the opener's balance.
            for member in &members {
                env.vote(member, &task, 1).await;
            }
            env.resolve(&task, &opener.pubkey()).await;
            for worker in &workers {
                env.claim(&task, &worker.pubkey()).await;
            }
            env.close(&task).await;
            env.assert_books_balance().await;
            // "dog" won: worker 2 paid, workers 0 and 1 not.
            assert_eq!(
                env.free(&workers[2].pubkey()).await,
                USDC + 50_000 + if opener_is_requester { 0 } else { DISPUTE_BOND },
                "{how:?}"
            );
            assert_eq!(env.free(&workers[0].pubkey()).await, USDC, "{how:?}");
            let requester_free = env.free(&requester.pubkey()).await;
            let refund = 153_750 - 50_000 - 1_250; // deposit of 3 answers, one paid with its fee
            let expected = 10 * USDC - 153_750 + refund + if opener_is_requester { DISPUTE_BOND } else { 0 };
            assert_eq!(requester_free, expected, "{how:?}");
            withdraw_elsewhere(&mut env, &opener, how).await;
        }
    }
}

#[tokio::test]
async fn a_requester_who_sabotages_itself_blocks_no_worker() {
    for how in SABOTAGES {
        let mut env = TestEnv::new().await;
        let (requester, task, workers) = env.finalized_task(&[b"yes", b"yes", b"no"]).await;
        sabotage(&mut env, &requester, how).await;
        env.warp_by(DISPUTE_WINDOW).await;
        for worker in &workers {
            env.claim(&task, &worker.pubkey()).await;
        }
        env.close(&task).await;
        env.assert_books_balance().await;
        assert_eq!(env.free(&workers[0].pubkey()).await, USDC + 50_000, "{how:?}");
        assert_eq!(env.free(&workers[2].pubkey()).await, USDC, "{how:?}");
        assert_eq!(env.free(&requester.pubkey()).await, 10 * USDC - 100_000 - 2_500, "{how:?}");
        assert!(!env.exists(task.address).await);
        withdraw_elsewhere(&mut env, &requester, how).await;
    }
}

#[tokio::test]
async fn a_treasury_that_cannot_receive_blocks_no_task_and_still_withdraws_elsewhere() {
    for how in [Sabotage::ReassignTokenAccount, Sabotage::CloseTokenAccount, Sabotage::FrozenByIssuer] {
        let mut env = TestEnv::new().await;
        let treasury = env.treasury.insecure_clone();
        sabotage(&mut env, &treasury, how).await;
        let (_, task, workers) = env.finalized_task(&[b"yes", b"yes", b"yes"]).await;
        env.warp_by(DISPUTE_WINDOW).await;
        for worker in &workers {
            env.claim(&task, &worker.pubkey()).await;
        }
        env.close(&task).await;
        assert_eq!(env.fees().await.accrued, 3_750);
        let destination = env.fresh_token_account(&treasury.pubkey()).await;
        let usdc = env.usdc;
        env.execute(&[ix::withdraw_fees(&treasury.pubkey(), usdc, &destination, 3_750)], &[&treasury]).await;
        assert_eq!(env.token_balance(destination).await, 3_750, "{how:?}");
        env.assert_books_balance().await;
    }
}

#[tokio::test]
async fn a_frozen_or_reassigned_token_account_refuses_only_its_owners_own_withdrawal() {
    let mut env = TestEnv::new().await;
    let owner = env.requester(USDC).await;
    sabotage(&mut env, &owner, Sabotage::FrozenByIssuer).await;
    let usdc = env.usdc;
    let ata = usdc.ata(&owner.pubkey());
    // The token program refuses to credit a frozen account (TokenError::AccountFrozen = 17), and
    // nothing moves.
    env.expect_error(&[ix::withdraw(&owner.pubkey(), usdc, &ata, USDC)], &[&owner], 17u32).await;
    assert_eq!(env.free(&owner.pubkey()).await, USDC);
    withdraw_elsewhere(&mut env, &owner, Sabotage::FrozenByIssuer).await;
}
