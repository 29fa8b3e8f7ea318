//! Every program address, derived with the program's own seeds.
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use proof_of_brain::constants::{
    vote_seed, vote_seed_str, BALANCE_SEED, DISPUTE_SEED, FEE_BALANCE_SEED, MEMBER_SEED, MINT_CONFIG_SEED,
    PROTOCOL_SEED, REQUESTER_RECORD_SEED, SUBMISSION_SEED, TASK_SEED, VAULT_SEED, WORKER_RECORD_SEED,
};
use std::sync::OnceLock;

static PROGRAM_ID: OnceLock<Pubkey> = OnceLock::new();

/// The program every address and instruction refers to: the built-in id unless
/// [`use_program_id`] chose another deployment (`pob --program-id`).
pub fn program_id() -> Pubkey {
    *PROGRAM_ID.get_or_init(|| proof_of_brain::ID)
}

/// Points this process at a deployment of the program under another address. Only possible
/// before the first address is derived; fails if another id is already in use.
pub fn use_program_id(id: Pubkey) -> anyhow::Result<()> {
    let current = *PROGRAM_ID.get_or_init(|| id);
    anyhow::ensure!(current == id, "the program id is already {current} in this process");
    Ok(())
}

pub fn protocol() -> Pubkey {
    Pubkey::find_program_address(&[PROTOCOL_SEED], &program_id()).0
}

pub fn mint_config(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MINT_CONFIG_SEED, mint.as_ref()], &program_id()).0
}

pub fn fee_balance(mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[FEE_BALANCE_SEED, mint.as_ref()], &program_id()).0
}

/// A wallet's Worker record: `create_with_seed(wallet, "pob-worker-v1", program)` (not a PDA: the
/// wallet creates it, see `ix::create_record`).
pub fn worker(wallet: &Pubkey) -> Pubkey {
    Pubkey::create_with_seed(wallet, WORKER_RECORD_SEED, &program_id()).expect("a valid seed")
}

/// A wallet's Requester record: `create_with_seed(wallet, "pob-requester-v1", program)`.
pub fn requester(wallet: &Pubkey) -> Pubkey {
    Pubkey::create_with_seed(wallet, REQUESTER_RECORD_SEED, &program_id()).expect("a valid seed")
}

pub fn balance(wallet: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[BALANCE_SEED, wallet.as_ref(), mint.as_ref()], &program_id()).0
}

pub fn task(requester: &Pubkey, task_id: u64) -> Pubkey {
    Pubkey::find_program_address(&[TASK_SEED, requester.as_ref(), &task_id.to_le_bytes()], &program_id()).0
}

pub fn submission(task: &Pubkey, worker: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SUBMISSION_SEED, task.as_ref(), worker.as_ref()], &program_id()).0
}

pub fn member(wallet: &Pubkey) -> Pubkey {
    member_with_bump(wallet).0
}

pub fn member_with_bump(wallet: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[MEMBER_SEED, wallet.as_ref()], &program_id())
}

pub fn dispute(task: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DISPUTE_SEED, task.as_ref()], &program_id()).0
}

/// A member's Vote on a dispute: `create_with_seed(member, vote_seed(dispute), program)` (the
/// member creates it, see `ix::create_own_account`).
pub fn vote(dispute: &Pubkey, member_wallet: &Pubkey) -> Pubkey {
    let seed = vote_seed(dispute);
    Pubkey::create_with_seed(member_wallet, vote_seed_str(&seed), &program_id()).expect("a valid seed")
}

/// The associated token account of `owner` for `mint` under `token_program`.
pub fn ata(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, mint, token_program)
}

/// The vault holding everything the program holds in `mint` (a token account owned by the
/// MintConfig), and its bump.
pub fn vault_with_bump(mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[VAULT_SEED, mint.as_ref()], &program_id())
}

pub fn vault(mint: &Pubkey) -> Pubkey {
    vault_with_bump(mint).0
}

pub fn fee_balance_with_bump(mint: &Pubkey) -> (Pubkey, u8) {
    Pubkey::find_program_address(&[FEE_BALANCE_SEED, mint.as_ref()], &program_id())
}
