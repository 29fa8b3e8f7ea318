//! The known Solana attack classes, aimed at this program's own instructions. Every forged
//! transaction must fail with the exact error below and leave every account it names unchanged
//! (`expect_error` snapshots them all).
use anchor_lang::error::ErrorCode as AnchorError;
use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_lang::solana_program::system_instruction;
use anchor_spl::token::spl_token;
use pob_cli::ix::{self, TaskRef};
use pob_cli::pda;
use proof_of_brain::state::{MintConfig, Protocol, Stake, Submission, Task, Worker};
use proof_of_brain_tests::dao::DAO_PROGRAM_ID;
use proof_of_brain_tests::*;
use solana_sdk::signature::{Keypair, Signer};

/// Two finalized tasks past their dispute window (claims valid), and a thief with 1 USDC.
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
    let thief = env.user(USDC).await;
    Arena { env, requester, a, a_workers, b, b_workers, thief }
}

impl Arena {
    /// An honest claim of task A's first worker, as a template to forge.
    fn claim_a0(&self) -> Instruction {
        ix::claim(&self.env.payer(), &self.a, &self.a_workers[0].pubkey())
    }
}

#[tokio::test]
async fn missing_signer() {
    let mut s = arena().await;
    let usdc = s.env.usdc;
    let worker = s.a_workers[0].pubkey();
    let unstake = without_signature(ix::unstake(&worker, usdc, &usdc.ata(&worker), 1), &worker);
    s.env.expect_error(&[unstake], &[], AnchorError::AccountNotSigner).await;

    let requester = s.requester.pubkey();
    let open = ix::open_dispute(&requester, &s.a, &usdc.ata(&requester), [0; 32]);
    s.env.expect_error(&[without_signature(open, &requester)], &[], AnchorError::AccountNotSigner).await;

    let args = s.env.task_args();
    let open_task = s.env.create_task(&s.requester.insecure_clone(), args).await;
    let cancel = ix::cancel_task(&open_task, &usdc.ata(&requester));
    s.env.expect_error(&[without_signature(cancel, &requester)], &[], AnchorError::AccountNotSigner).await;
}

#[tokio::test]
async fn account_data_mismatch_between_tasks_and_workers() {
    let mut s = arena().await;
    let (a0, a1, b0) = (s.a_workers[0].pubkey(), s.a_workers[1].pubkey(), s.b_workers[0].pubkey());
    let mint = s.env.usdc.mint;

    // Task B's vault paying task A's claim.
    let forged = with_account(s.claim_a0(), &s.a.vault(), &s.b.vault());
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintTokenOwner).await;
    // Task B's submission settled as task A's.
    let forged =
        with_account(s.claim_a0(), &pda::submission(&s.a.address, &a0), &pda::submission(&s.b.address, &b0));
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintSeeds).await;
    // Another worker's stake unlocked (or slashed) by this claim.
    let forged = with_account(s.claim_a0(), &pda::stake(&a0, &mint), &pda::stake(&a1, &mint));
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintSeeds).await;
    // Another worker's reputation credited.
    let forged = with_account(s.claim_a0(), &pda::worker(&a0), &pda::worker(&a1));
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintSeeds).await;
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

    // A copy of task A's vault, owned by another program instead of the token program.
    let mut fake_vault = s.env.raw_account(s.a.vault()).await.unwrap();
    fake_vault.owner = DAO_PROGRAM_ID;
    let fake = Pubkey::new_unique();
    s.env.plant(&fake, fake_vault);
    let forged = with_account(s.claim_a0(), &s.a.vault(), &fake);
    s.env.expect_error(&[forged], &[], AnchorError::AccountOwnedByWrongProgram).await;
}

#[tokio::test]
async fn type_cosplay_is_caught_by_discriminators() {
    let mut s = arena().await;
    let (a0, a1) = (s.a_workers[0].pubkey(), s.a_workers[1].pubkey());
    // A Submission passed as a Task.
    let submission = pda::submission(&s.a.address, &a0);
    s.env
        .expect_error(&[ix::finalize_task(&submission)], &[], AnchorError::AccountDiscriminatorMismatch)
        .await;
    // A Stake passed as a Worker record.
    let forged = with_account(s.claim_a0(), &pda::worker(&a0), &pda::stake(&a0, &s.env.usdc.mint));
    s.env.expect_error(&[forged], &[], AnchorError::AccountDiscriminatorMismatch).await;
    // Another worker's Submission passed as this worker's Submission keeps failing on its address.
    let forged = with_account(s.claim_a0(), &submission, &pda::submission(&s.a.address, &a1));
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintSeeds).await;
}

#[tokio::test]
async fn re_initialisation_is_refused() {
    let mut s = arena().await;
    let (payer, requester) = (s.env.payer(), s.requester.insecure_clone());
    let treasury = s.env.treasury;
    let attacker = Keypair::new();
    let reinit = ix::initialize_protocol(&payer, attacker.pubkey(), default_params(treasury));
    s.env.expect_error(&[reinit], &[], PobError::ProtocolAlreadyInitialized).await;

    let worker = s.a_workers[0].insecure_clone();
    let again = ix::register_worker(&worker.pubkey());
    s.env.expect_error(&[again], &[&worker], PobError::WorkerAlreadyRegistered).await;

    let task_id = s.env.task(&s.a).await.task_id;
    let mut args = s.env.task_args();
    args.task_id = task_id;
    let usdc = s.env.usdc;
    let reuse = ix::create_task(&requester.pubkey(), usdc, &usdc.ata(&requester.pubkey()), args);
    s.env.expect_error(&[reuse], &[&requester], PobError::TaskIdInUse).await;
}

#[tokio::test]
async fn arbitrary_cpi_to_a_fake_token_program_is_refused() {
    let mut s = arena().await;
    let forged = with_account(s.claim_a0(), &spl_token::ID, &DAO_PROGRAM_ID);
    s.env.expect_error(&[forged], &[], AnchorError::InvalidProgramId).await;
    let usdc = s.env.usdc;
    let worker = s.a_workers[0].insecure_clone();
    let unstake = ix::unstake(&worker.pubkey(), usdc, &usdc.ata(&worker.pubkey()), 1);
    let forged = with_account(unstake, &spl_token::ID, &DAO_PROGRAM_ID);
    s.env.expect_error(&[forged], &[&worker], AnchorError::InvalidProgramId).await;
}

#[tokio::test]
async fn duplicate_mutable_accounts_are_refused() {
    let mut s = arena().await;
    let stake_vault = pda::stake_vault(&s.env.usdc.mint, &s.env.usdc.token_program);
    // The stake vault passed again as the task vault: a slash would move tokens onto themselves.
    let forged = with_account(s.claim_a0(), &s.a.vault(), &stake_vault);
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintDuplicateMutableAccount).await;
}

#[tokio::test]
async fn bumps_are_canonical_and_pdas_are_not_shared() {
    let mut s = arena().await;
    let usdc = s.env.usdc.mint;
    let a0 = s.a_workers[0].pubkey();
    let protocol: Protocol = s.env.protocol().await;
    assert_eq!(protocol.bump, Pubkey::find_program_address(&[b"protocol"], &proof_of_brain::ID).1);
    let config: MintConfig = s.env.account(pda::mint_config(&usdc)).await;
    assert_eq!(config.bump, Pubkey::find_program_address(&[b"mint", usdc.as_ref()], &proof_of_brain::ID).1);
    let worker: Worker = s.env.account(pda::worker(&a0)).await;
    assert_eq!(worker.bump, Pubkey::find_program_address(&[b"worker", a0.as_ref()], &proof_of_brain::ID).1);
    let stake: Stake = s.env.account(pda::stake(&a0, &usdc)).await;
    let seeds: &[&[u8]] = &[b"stake", a0.as_ref(), usdc.as_ref()];
    assert_eq!(stake.bump, Pubkey::find_program_address(seeds, &proof_of_brain::ID).1);
    let task: Task = s.env.task(&s.a).await;
    let id = task.task_id.to_le_bytes();
    let seeds: &[&[u8]] = &[b"task", task.requester.as_ref(), &id];
    assert_eq!(task.bump, Pubkey::find_program_address(seeds, &proof_of_brain::ID).1);
    let submission: Submission = s.env.account(pda::submission(&s.a.address, &a0)).await;
    let seeds: &[&[u8]] = &[b"submission", s.a.address.as_ref(), a0.as_ref()];
    assert_eq!(submission.bump, Pubkey::find_program_address(seeds, &proof_of_brain::ID).1);

    // Task A's PDA signs only for task A's vault: closing task B through task A's vault fails.
    for worker in &s.b_workers {
        let key = worker.pubkey();
        s.env.claim(&s.b.clone(), &key).await;
    }
    let (payer, treasury) = (s.env.payer(), s.env.treasury);
    let forged = with_account(ix::close_task(&payer, &s.b, &treasury), &s.b.vault(), &s.a.vault());
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintTokenOwner).await;
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
    s.env.expect_error(&[s.claim_a0(), s.claim_a0()], &[], AnchorError::AccountNotInitialized).await;
    s.env.claim(&s.a.clone(), &a0).await;
    assert_eq!(s.env.usdc_of(&a0).await, 50_000);
}

#[tokio::test]
async fn no_instruction_reads_a_sysvar_account() {
    // The program reads the clock and rent through syscalls, so there is no sysvar account for a
    // caller to spoof: no instruction built by the client takes one.
    let mut s = arena().await;
    let task_args = s.env.task_args();
    let (payer, treasury, usdc) = (s.env.payer(), s.env.treasury, s.env.usdc);
    let key = Pubkey::new_unique();
    let all = [
        ix::initialize_protocol(&payer, key, default_params(treasury)),
        ix::allow_mint(&payer, &key, usdc, 1, 1, 1),
        ix::stake(&key, usdc, &key, 1),
        ix::unstake(&key, usdc, &key, 1),
        ix::create_task(&key, usdc, &key, task_args),
        ix::cancel_task(&s.a, &key),
        ix::commit_answer(&key, &s.a, [0; 32]),
        ix::reveal_answer(&key, &s.a.address, [0; 32], [0; 32]),
        ix::finalize_task(&s.a.address),
        ix::claim(&payer, &s.a, &key),
        ix::close_task(&payer, &s.a, &treasury),
        ix::open_dispute(&key, &s.a, &key, [0; 32]),
        ix::cast_vote(&key, &s.a.address, 0),
        ix::resolve_dispute(&payer, &s.a, &key, &treasury),
    ];
    for instruction in all {
        for meta in &instruction.accounts {
            assert!(
                !meta.pubkey.to_string().starts_with("Sysvar"),
                "{:?} takes a sysvar",
                instruction.data[..8].to_vec()
            );
        }
    }
}

#[tokio::test]
async fn wrong_mint_and_wrong_token_program_are_refused() {
    let mut s = arena().await;
    let other = s.env.create_mint(6).await;
    let (payer, authority) = (s.env.payer(), s.env.authority.insecure_clone());
    let allow = ix::allow_mint(&payer, &authority.pubkey(), other, MIN_REWARD, MIN_STAKE, DISPUTE_BOND);
    s.env.execute(&[allow], &[&authority]).await;

    // A task in the other mint funded from a USDC account.
    let requester = s.requester.insecure_clone();
    let args = s.env.task_args();
    let usdc_ata = s.env.usdc.ata(&requester.pubkey());
    let forged = ix::create_task(&requester.pubkey(), other, &usdc_ata, args);
    s.env.expect_error(&[forged], &[&requester], AnchorError::ConstraintTokenMint).await;
    // Task A's claim settled in the other mint: the task's vault holds USDC, not that mint.
    let forged = with_account(s.claim_a0(), &s.env.usdc.mint, &other.mint);
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintTokenMint).await;
    // Task A's claim through Token-2022 instead of the mint's own token program.
    let forged = with_account(s.claim_a0(), &spl_token::ID, &anchor_spl::token_2022::ID);
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintAssociatedTokenTokenProgram).await;
}

#[tokio::test]
async fn a_vault_that_is_not_the_tasks_ata_is_refused() {
    let mut s = arena().await;
    // A token account owned by task A's PDA, but not its associated token account.
    let impostor = Keypair::new();
    let payer = s.env.payer();
    let len = spl_token::state::Account::LEN;
    let rent = s.env.bank.rent_exempt_minimum(len).await;
    let usdc = s.env.usdc;
    let create = [
        system_instruction::create_account(&payer, &impostor.pubkey(), rent, len as u64, &spl_token::ID),
        spl_token::instruction::initialize_account3(
            &spl_token::ID,
            &impostor.pubkey(),
            &usdc.mint,
            &s.a.address,
        )
        .unwrap(),
    ];
    s.env.execute(&create, &[&impostor]).await;
    let forged = with_account(s.claim_a0(), &s.a.vault(), &impostor.pubkey());
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintAssociated).await;
}

#[tokio::test]
async fn a_worker_cannot_be_paid_into_someone_elses_account() {
    let mut s = arena().await;
    let (a0, usdc) = (s.a_workers[0].pubkey(), s.env.usdc);
    let forged = with_account(s.claim_a0(), &usdc.ata(&a0), &usdc.ata(&s.thief.pubkey()));
    s.env.expect_error(&[forged], &[], AnchorError::ConstraintTokenOwner).await;
}
