//! Nobody can block anybody else's money. Each payee here does what a payee can do to its own
//! accounts (hand its token account to someone else, close it, have the issuer freeze it, assign
//! its wallet to another program, or turn its wallet into a program account) and every other party
//! is still settled to the base unit, every task still closes, and the payee itself can still
//! withdraw elsewhere.
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::token::spl_token;
use pob_cli::ix::{self, Opener, TaskRef};
use proof_of_brain_tests::*;
use solana_sdk::account::Account;
use solana_sdk::signature::{Keypair, Signer};

/// What a payee does to itself.
#[derive(Clone, Copy, Debug)]
enum Sabotage {
    /// SPL Token `SetAuthority(AccountOwner)`: the token account now belongs to someone else.
    ReassignTokenAccount,
    /// Empties and closes its token account.
    CloseTokenAccount,
    /// The issuer freezes its token account (no malice needed).
    FrozenByIssuer,
    /// `system_instruction::assign`: the wallet now belongs to another program.
    AssignWallet,
    /// The wallet's address becomes a program account (a keypair reused as a program id).
    ExecutableWallet,
}

const ALL: [Sabotage; 5] = [
    Sabotage::ReassignTokenAccount,
    Sabotage::CloseTokenAccount,
    Sabotage::FrozenByIssuer,
    Sabotage::AssignWallet,
    Sabotage::ExecutableWallet,
];

async fn sabotage(env: &mut TestEnv, victim: &Keypair, how: Sabotage) {
    let (key, usdc) = (victim.pubkey(), env.usdc);
    let ata = usdc.ata(&key);
    env.mint_to(usdc, &key, 0).await; // make sure the token account exists
    match how {
        Sabotage::ReassignTokenAccount => {
            let elsewhere = Pubkey::new_unique();
            let ix = spl_token::instruction::set_authority(
                &usdc.token_program,
                &ata,
                Some(&elsewhere),
                spl_token::instruction::AuthorityType::AccountOwner,
                &key,
                &[],
            )
            .unwrap();
            env.execute(&[ix], &[victim]).await;
        }
        Sabotage::CloseTokenAccount => {
            let held = env.token_balance(ata).await;
            let mut ixs: Vec<Instruction> = Vec::new();
            if held > 0 {
                ixs.push(
                    spl_token::instruction::burn(&usdc.token_program, &ata, &usdc.mint, &key, &[], held)
                        .unwrap(),
                );
            }
            ixs.push(
                spl_token::instruction::close_account(&usdc.token_program, &ata, &key, &key, &[]).unwrap(),
            );
            env.execute(&ixs, &[victim]).await;
            assert!(!env.exists(ata).await);
        }
        Sabotage::FrozenByIssuer => {
            let issuer = env.mint_authority.insecure_clone();
            let ix = spl_token::instruction::freeze_account(
                &usdc.token_program,
                &ata,
                &usdc.mint,
                &issuer.pubkey(),
                &[],
            )
            .unwrap();
            env.execute(&[ix], &[&issuer]).await;
        }
        Sabotage::AssignWallet => {
            let program = Pubkey::new_unique();
            env.execute(&[system_instruction::assign(&key, &program)], &[victim]).await;
            assert_eq!(env.raw_account(key).await.unwrap().owner, program);
        }
        Sabotage::ExecutableWallet => {
            let lamports = env.lamports(key).await;
            let program = Account {
                lamports,
                data: vec![0; 36],
                owner: anchor_lang::solana_program::bpf_loader_upgradeable::ID,
                executable: true,
                rent_epoch: 0,
            };
            env.plant(&key, program);
        }
    }
}

/// A token account of the mint that `owner` controls, other than its (possibly sabotaged) ATA.
async fn fresh_token_account(env: &mut TestEnv, owner: &Pubkey) -> Pubkey {
    let account = Keypair::new();
    let payer = env.payer();
    let usdc = env.usdc;
    let rent = env.bank.rent_exempt_minimum(spl_token::state::Account::LEN).await;
    env.execute(
        &[
            system_instruction::create_account(
                &payer,
                &account.pubkey(),
                rent,
                spl_token::state::Account::LEN as u64,
                &usdc.token_program,
            ),
            spl_token::instruction::initialize_account3(
                &usdc.token_program,
                &account.pubkey(),
                &usdc.mint,
                owner,
            )
            .unwrap(),
        ],
        &[&account],
    )
    .await;
    account.pubkey()
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
            fresh_token_account(env, &key).await
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
    for (worker, how) in workers.iter().zip(ALL) {
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

    for (worker, how) in workers.iter().zip(ALL) {
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
    for how in ALL {
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
    for how in ALL {
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
        let destination = fresh_token_account(&mut env, &treasury.pubkey()).await;
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
