//! The known Solana attack classes, aimed at this program's own instructions. Every forged
//! transaction must fail with the exact error below and leave every account it names unchanged
//! (`expect_error` snapshots them all).
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::token::spl_token;
use pob_cli::ix::{self, Opener, TaskRef};
use pob_cli::pda;
use proof_of_brain::constants::{PROTOCOL_ADDRESS, PROTOCOL_BUMP};
use proof_of_brain::state::{Balance, MintConfig, Submission, Task};
use proof_of_brain_tests::dao::DAO_PROGRAM_ID;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

/// Two finalized tasks past their dispute window (claims valid), and a thief with 1 USDC deposited.
struct Arena {
    env: TestEnv,
    requester: Keypair,
    a: TaskRef,
    a_workers: Vec<Keypair>,
    b: TaskRef,
    b_workers: Vec<Keypair>,
    thief: Keypair,
}

async fn arena() -> Arena {
    let mut env = TestEnv::new().await;
    let (requester, a, a_workers) = env.finalized_task(&[b"yes", b"yes", b"yes"]).await;
    let (_, b, b_workers) = env.finalized_task(&[b"no", b"no", b"no"]).await;
    env.warp_by(DISPUTE_WINDOW).await;
    let thief = env.worker(USDC).await;
    Arena { env, requester, a, a_workers, b, b_workers, thief }
}

impl Arena {
    /// An honest claim of task A's first worker, as a template to forge.
    fn claim_a0(&self) -> Instruction {
        ix::claim(&self.a, &self.a_workers[0].pubkey())
    }
}

#[tokio::test]
async fn missing_signer() {
    let mut s = arena().await;
    let usdc = s.env.usdc;
    let worker = s.a_workers[0].pubkey();
    let withdraw = without_signature(ix::withdraw(&worker, usdc, &usdc.ata(&s.thief.pubkey()), 1), &worker);
    s.env.expect_error(&[withdraw], &[], AnchorError::AccountNotSigner).await;

    let requester = s.requester.pubkey();
    let open = ix::open_dispute(Opener::Requester(requester), &s.a, [0; 32]);
    s.env.expect_error(&[without_signature(open, &requester)], &[], AnchorError::AccountNotSigner).await;

    let args = s.env.task_args();
    let open_task = s.env.create_task(&s.requester.insecure_clone(), args).await;
    let cancel = ix::cancel_task(&open_task);
    s.env.expect_error(&[without_signature(cancel, &requester)], &[], AnchorError::AccountNotSigner).await;
    let treasury = s.env.treasury.pubkey();
    let fees =
        without_signature(ix::withdraw_fees(&treasury, usdc, &usdc.ata(&s.thief.pubkey()), 1), &treasury);
    s.env.expect_error(&[fees], &[], AnchorError::AccountNotSigner).await;
}

#[tokio::test]
async fn account_data_mismatch_between_tasks_and_workers() {
    let mut s = arena().await;
    let (a0, a1, b0) = (s.a_workers[0].pubkey(), s.a_workers[1].pubkey(), s.b_workers[0].pubkey());
    let mint = s.env.usdc.mint;

    // Task B's submission settled as task A's.
    let forged =
        with_account(s.claim_a0(), &pda::submission(&s.a.address, &a0), &pda::submission(&s.b.address, &b0));
    s.env.expect_error(&[forged], &[], PobError::WrongSubmission).await;
    // Another worker's balance unlocked (or slashed) by this claim.
    let forged = with_account(s.claim_a0(), &pda::balance(&a0, &mint), &pda::balance(&a1, &mint));
    s.env.expect_error(&[forged], &[], PobError::WrongBalance).await;
    // Another worker's reputation credited.
    let forged = with_account(s.claim_a0(), &pda::worker(&a0), &pda::worker(&a1));
    s.env.expect_error(&[forged], &[], PobError::WrongWorkerRecord).await;
    // Task B settled through task A's claim (its submission, task A's address).
    let forged = with_account(s.claim_a0(), &s.a.address, &s.b.address);
    s.env.expect_error(&[forged], &[], PobError::WrongSubmission).await;
}

#[tokio::test]
async fn owner_check_refuses_look_alike_accounts() {
    let mut s = arena().await;
    // A byte-for-byte copy of task A, owned by another program.
    let mut fake_task = s.env.raw_account(s.a.address).await.unwrap();
    fake_task.owner = DAO_PROGRAM_ID;
    let fake = Pubkey::new_unique();
    s.env.plant(&fake, fake_task);
    s.env.expect_error(&[ix::finalize_task(&fake)], &[], AnchorError::AccountOwnedByWrongProgram).await;

    // A copy of a worker's balance, with a rich free balance, owned by another program.
    let a0 = s.a_workers[0].pubkey();
    let usdc = s.env.usdc;
    let mut fake_balance = s.env.raw_account(pda::balance(&a0, &usdc.mint)).await.unwrap();
    fake_balance.owner = DAO_PROGRAM_ID;
    let fake = Pubkey::new_unique();
    s.env.plant(&fake, fake_balance);
    let forged =
        with_account(ix::withdraw(&a0, usdc, &usdc.ata(&a0), 1), &pda::balance(&a0, &usdc.mint), &fake);
    s.env.expect_error(&[forged], &[&s.a_workers[0]], AnchorError::AccountOwnedByWrongProgram).await;

    // A copy of the vault owned by another program: the token program refuses it.
    let mut fake_vault = s.env.raw_account(usdc.vault()).await.unwrap();
    fake_vault.owner = DAO_PROGRAM_ID;
    let fake = Pubkey::new_unique();
    s.env.plant(&fake, fake_vault);
    let forged = with_account(ix::withdraw(&a0, usdc, &usdc.ata(&a0), 1), &usdc.vault(), &fake);
    s.env.expect_error(&[forged], &[&s.a_workers[0]], PobError::WrongVault).await;
}

#[tokio::test]
async fn a_forged_balance_with_a_valid_layout_is_still_not_a_balance() {
    // Planting a Balance-shaped account owned by the program is impossible on a real cluster
    // (only the program writes its accounts); on this bank we can, and the wallet and mint checks
    // hold regardless of how it got there.
    let mut s = arena().await;
    let usdc = s.env.usdc;
    let a0 = s.a_workers[0].pubkey();
    let real = s.env.raw_account(pda::balance(&a0, &usdc.mint)).await.unwrap();
    let thief = s.thief.pubkey();
    let forged = with_account(
        ix::withdraw(&thief, usdc, &usdc.ata(&thief), 1),
        &pda::balance(&thief, &usdc.mint),
        &pda::balance(&a0, &usdc.mint),
    );
    s.env.expect_error(&[forged], &[&s.thief], PobError::WrongBalance).await;
    let balance: Balance = read_state(&real.data).unwrap();
    assert_eq!(balance.wallet, a0);
}

#[tokio::test]
async fn type_cosplay_is_caught_by_discriminators() {
    let mut s = arena().await;
    let (a0, mint) = (s.a_workers[0].pubkey(), s.env.usdc.mint);
    // A Submission passed as a Task.
    let submission = pda::submission(&s.a.address, &a0);
    s.env
        .expect_error(&[ix::finalize_task(&submission)], &[], AnchorError::AccountDiscriminatorMismatch)
        .await;
    // A Balance passed as a Worker record.
    let forged = with_account(s.claim_a0(), &pda::worker(&a0), &pda::balance(&a0, &mint));
    s.env.expect_error(&[forged], &[], AnchorError::AccountDiscriminatorMismatch).await;
    // The MintConfig passed as the fee balance.
    for worker in &s.a_workers {
        s.env.claim(&s.a.clone(), &worker.pubkey()).await;
    }
    let forged = with_account(ix::close_task(&s.a), &pda::fee_balance(&mint), &pda::mint_config(&mint));
    s.env.expect_error(&[forged], &[], AnchorError::AccountDiscriminatorMismatch).await;
}

#[tokio::test]
async fn re_initialisation_is_refused() {
    let mut s = arena().await;
    let (payer, requester) = (s.env.payer(), s.requester.insecure_clone());
    let treasury = s.env.treasury.pubkey();
    let attacker = Keypair::new();
    let reinit = ix::initialize_protocol(&payer, attacker.pubkey(), default_params(treasury));
    s.env.expect_error(&[reinit], &[], PobError::ProtocolAlreadyInitialized).await;

    let worker = s.a_workers[0].insecure_clone();
    let again = ix::register_worker(&worker.pubkey());
    s.env.expect_error(&[again], &[&worker], PobError::WorkerAlreadyRegistered).await;
    let open = ix::open_balance(&worker.pubkey(), &s.env.usdc.mint);
    s.env.expect_error(&[open], &[&worker], PobError::BalanceAlreadyOpen).await;

    let task_id = s.env.task(&s.a).await.task_id;
    let mut args = s.env.task_args();
    args.task_id = task_id;
    let reuse = s.env.create_task_ixs(&requester.pubkey(), args).await;
    s.env.expect_error(&reuse, &[&requester], PobError::TaskIdInUse).await;

    // The protocol can only ever live at its one address.
    let elsewhere = with_account(
        ix::initialize_protocol(&payer, attacker.pubkey(), default_params(treasury)),
        &PROTOCOL_ADDRESS,
        &Pubkey::new_unique(),
    );
    s.env.expect_error(&[elsewhere], &[], AnchorError::ConstraintAddress).await;
}

#[tokio::test]
async fn arbitrary_cpi_to_a_fake_token_program_is_refused() {
    let mut s = arena().await;
    let usdc = s.env.usdc;
    let worker = s.a_workers[0].insecure_clone();
    let withdraw = ix::withdraw(&worker.pubkey(), usdc, &usdc.ata(&worker.pubkey()), 1);
    let forged = with_account(withdraw, &spl_token::ID, &DAO_PROGRAM_ID);
    s.env.expect_error(&[forged], &[&worker], PobError::WrongTokenProgram).await;
    let deposit = ix::deposit(&s.thief.pubkey(), usdc, &usdc.ata(&s.thief.pubkey()), 1);
    let forged = with_account(deposit, &spl_token::ID, &anchor_spl::token_2022::ID);
    s.env.expect_error(&[forged], &[&s.thief], PobError::WrongTokenProgram).await;
}

#[tokio::test]
async fn bumps_are_canonical_and_addresses_are_not_shared() {
    let mut s = arena().await;
    let usdc = s.env.usdc.mint;
    let a0 = s.a_workers[0].pubkey();
    let id = proof_of_brain::ID;
    let protocol = s.env.protocol().await;
    assert_eq!(
        (protocol.bump, PROTOCOL_BUMP),
        (Pubkey::find_program_address(&[b"protocol"], &id).1, protocol.bump)
    );
    let config: MintConfig = s.env.state(pda::mint_config(&usdc)).await;
    assert_eq!(config.bump, Pubkey::find_program_address(&[b"mint", usdc.as_ref()], &id).1);
    let balance: Balance = s.env.state(pda::balance(&a0, &usdc)).await;
    assert_eq!(balance.bump, Pubkey::find_program_address(&[b"balance", a0.as_ref(), usdc.as_ref()], &id).1);
    let task: Task = s.env.task(&s.a).await;
    let task_id = task.task_id.to_le_bytes();
    assert_eq!(task.bump, Pubkey::find_program_address(&[b"task", task.requester.as_ref(), &task_id], &id).1);
    let submission: Submission = s.env.state(pda::submission(&s.a.address, &a0)).await;
    let seeds: &[&[u8]] = &[b"submission", s.a.address.as_ref(), a0.as_ref()];
    assert_eq!(submission.bump, Pubkey::find_program_address(seeds, &id).1);
    // A wallet's record lives at one address only, which no other wallet can create.
    assert_eq!(pda::worker(&a0), Pubkey::create_with_seed(&a0, "pob-worker-v1", &id).unwrap());
}

#[tokio::test]
async fn a_closed_submission_cannot_be_revived_within_one_transaction() {
    let mut s = arena().await;
    let a0 = s.a_workers[0].pubkey();
    let submission = pda::submission(&s.a.address, &a0);
    let payer = s.env.payer();
    // Claim, refund the closed account's rent to keep it alive, claim again: all in one transaction.
    let revive = system_instruction::transfer(&payer, &submission, 10_000_000);
    let twice = [s.claim_a0(), revive, s.claim_a0()];
    // Anchor's close hands the account to the system program: the revived account is not ours.
    s.env.expect_error(&twice, &[], AnchorError::AccountOwnedByWrongProgram).await;
    // Two claims back to back fail the same way; the honest single claim still works.
    s.env.expect_error(&[s.claim_a0(), s.claim_a0()], &[], AnchorError::AccountOwnedByWrongProgram).await;
    s.env.claim(&s.a.clone(), &a0).await;
    assert_eq!(s.env.free(&a0).await, USDC + 50_000);
}

#[tokio::test]
async fn no_instruction_reads_a_sysvar_account() {
    // The program reads the clock and rent through syscalls, so there is no sysvar account for a
    // caller to spoof: no instruction built by the client takes one.
    let mut s = arena().await;
    let task_args = s.env.task_args();
    let (payer, usdc) = (s.env.payer(), s.env.usdc);
    let key = Pubkey::new_unique();
    let all = [
        ix::initialize_protocol(&payer, key, default_params(key)),
        ix::allow_mint(&payer, &key, usdc, default_limits()),
        ix::open_balance(&key, &usdc.mint),
        ix::deposit(&key, usdc, &key, 1),
        ix::withdraw(&key, usdc, &key, 1),
        ix::withdraw_fees(&key, usdc, &key, 1),
        ix::register_worker(&key),
        ix::create_task(&key, &usdc.mint, task_args),
        ix::cancel_task(&s.a),
        ix::commit_answer(&key, &s.a, [0; 32]),
        ix::reveal_answer(&key, &s.a.address, [0; 32], [0; 32]),
        ix::finalize_task(&s.a.address),
        ix::reveal_gold(&s.a, [0; 32], [0; 32]),
        ix::claim(&s.a, &key),
        ix::close_task(&s.a),
        ix::open_dispute(Opener::Worker(key), &s.a, [0; 32]),
        ix::cast_vote(&key, &s.a.address, 0),
        ix::resolve_dispute(&s.a, Opener::Worker(key)),
        ix::close_vote(&s.a.address, &key),
        ix::add_member(&payer, &key, key, 1),
        ix::join_worker_chamber(&key, &usdc.mint, 1),
        ix::leave_membership(&key, &key, Some(&usdc.mint)),
        ix::release_chamber_stake(&key, &usdc.mint),
    ];
    for instruction in all {
        for meta in &instruction.accounts {
            assert!(
                !meta.pubkey.to_string().starts_with("Sysvar"),
                "{:?} takes a sysvar",
                ix::instruction_name(&instruction.data)
            );
        }
    }
}

#[tokio::test]
async fn wrong_mint_accounts_are_refused() {
    let mut s = arena().await;
    let other = s.env.create_mint(6).await;
    let (payer, authority) = (s.env.payer(), s.env.authority.insecure_clone());
    s.env
        .execute(&[ix::allow_mint(&payer, &authority.pubkey(), other, default_limits())], &[&authority])
        .await;

    // A task in the other mint funded from the USDC balance.
    let requester = s.requester.insecure_clone();
    let args = s.env.task_args();
    let mut forged = s.env.create_task_ixs(&requester.pubkey(), args).await;
    let last = forged.pop().unwrap();
    forged.push(with_account(last, &pda::mint_config(&s.env.usdc.mint), &pda::mint_config(&other.mint)));
    s.env.expect_error(&forged, &[&requester], PobError::WrongBalance).await;
    // A deposit into the USDC balance through the other mint's vault.
    let thief = s.thief.insecure_clone();
    let usdc = s.env.usdc;
    let deposit = ix::deposit(&thief.pubkey(), usdc, &usdc.ata(&thief.pubkey()), 1);
    let forged = with_account(deposit, &pda::mint_config(&usdc.mint), &pda::mint_config(&other.mint));
    s.env.expect_error(&[forged], &[&thief], PobError::WrongBalance).await;
    // A withdrawal from the USDC balance out of the other mint's vault.
    s.env.mint_to(other, &thief.pubkey(), 0).await;
    let withdraw = ix::withdraw(&thief.pubkey(), usdc, &other.ata(&thief.pubkey()), 1);
    let forged = with_account(withdraw, &usdc.vault(), &other.vault());
    let forged = with_account(forged, &usdc.mint, &other.mint);
    s.env.expect_error(&[forged], &[&thief], PobError::WrongMint).await;
}

#[tokio::test]
async fn a_worker_cannot_be_paid_into_someone_elses_balance() {
    let mut s = arena().await;
    let (a0, usdc) = (s.a_workers[0].pubkey(), s.env.usdc.mint);
    let forged =
        with_account(s.claim_a0(), &pda::balance(&a0, &usdc), &pda::balance(&s.thief.pubkey(), &usdc));
    s.env.expect_error(&[forged], &[], PobError::WrongBalance).await;
    // And a thief cannot withdraw what settlement credited to someone else.
    s.env.claim(&s.a.clone(), &a0).await;
    let thief = s.thief.insecure_clone();
    let usdc_ref = s.env.usdc;
    let stolen = with_account(
        ix::withdraw(&thief.pubkey(), usdc_ref, &usdc_ref.ata(&thief.pubkey()), 50_000),
        &pda::balance(&thief.pubkey(), &usdc),
        &pda::balance(&a0, &usdc),
    );
    s.env.expect_error(&[stolen], &[&thief], PobError::WrongBalance).await;
}

#[tokio::test]
async fn a_vote_account_of_another_member_or_dispute_is_refused() {
    let mut s = arena().await;
    let members = [s.env.member(MEMBER_WEIGHT).await, s.env.member(MEMBER_WEIGHT).await];
    s.env.warp_by(1).await;
    let (requester, task, _) = s.env.finalized_task(&[b"a", b"a", b"b"]).await;
    s.env
        .execute(&[ix::open_dispute(Opener::Requester(requester.pubkey()), &task, [0; 32])], &[&requester])
        .await;
    s.env.vote(&members[0], &task, 0).await;
    // Member 1 points at member 0's vote account.
    let mut ixs = s.env.vote_ixs(&members[1].pubkey(), &task, 1).await;
    let cast = ixs.pop().unwrap();
    let dispute = pda::dispute(&task.address);
    let forged = with_account(
        cast,
        &pda::vote(&dispute, &members[1].pubkey()),
        &pda::vote(&dispute, &members[0].pubkey()),
    );
    ixs.push(forged);
    s.env.expect_error(&ixs, &[&members[1]], PobError::WrongDispute).await;
    // Or at an account of theirs created under another seed (their worker record, still empty).
    let member = members[1].pubkey();
    let create = s.env.create_own_account_if_needed(&member, ix::OwnAccount::Worker).await;
    s.env.execute(&create, &[&members[1]]).await;
    let cast = with_account(
        ix::cast_vote(&member, &task.address, 1),
        &pda::vote(&dispute, &member),
        &pda::worker(&member),
    );
    s.env.expect_error(&[cast], &[&members[1]], AnchorError::ConstraintSeeds).await;
    s.env.vote(&members[1], &task, 1).await;
}

#[tokio::test]
async fn duplicate_accounts_cannot_double_count() {
    // The same balance as requester and worker: the requester cannot answer their own task.
    let mut s = arena().await;
    let requester = s.requester.insecure_clone();
    let args = s.env.task_args();
    let task = s.env.create_task(&requester, args).await;
    let mut register = s.env.create_own_account_if_needed(&requester.pubkey(), ix::OwnAccount::Worker).await;
    register.push(ix::register_worker(&requester.pubkey()));
    s.env.execute(&register, &[&requester]).await;
    let commit =
        ix::commit_answer(&requester.pubkey(), &task, commitment_for(&task, &requester.pubkey(), b"x"));
    s.env.expect_error(&[commit], &[&requester], PobError::RequesterCannotAnswer).await;
}
