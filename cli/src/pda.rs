//! Every program address, derived with the program's own seeds.
use anchor_lang::prelude::Pubkey;
use anchor_spl::associated_token::get_associated_token_address_with_program_id;
use proof_of_brain::constants::{
    DISPUTE_SEED, MEMBER_SEED, MINT_CONFIG_SEED, PROTOCOL_SEED, STAKE_SEED, SUBMISSION_SEED, TASK_SEED,
    VOTE_SEED, WORKER_SEED,
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

pub fn worker(wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[WORKER_SEED, wallet.as_ref()], &program_id()).0
}

pub fn stake(wallet: &Pubkey, mint: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[STAKE_SEED, wallet.as_ref(), mint.as_ref()], &program_id()).0
}

pub fn task(requester: &Pubkey, task_id: u64) -> Pubkey {
    Pubkey::find_program_address(&[TASK_SEED, requester.as_ref(), &task_id.to_le_bytes()], &program_id()).0
}

pub fn submission(task: &Pubkey, worker: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[SUBMISSION_SEED, task.as_ref(), worker.as_ref()], &program_id()).0
}

pub fn member(wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[MEMBER_SEED, wallet.as_ref()], &program_id()).0
}

pub fn dispute(task: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[DISPUTE_SEED, task.as_ref()], &program_id()).0
}

pub fn vote(dispute: &Pubkey, member_wallet: &Pubkey) -> Pubkey {
    Pubkey::find_program_address(&[VOTE_SEED, dispute.as_ref(), member_wallet.as_ref()], &program_id()).0
}

/// The associated token account of `owner` for `mint` under `token_program`.
pub fn ata(owner: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    get_associated_token_address_with_program_id(owner, mint, token_program)
}

/// The escrow of a task.
pub fn task_vault(task: &Pubkey, mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    ata(task, mint, token_program)
}

/// The vault holding every worker's stake in `mint`.
pub fn stake_vault(mint: &Pubkey, token_program: &Pubkey) -> Pubkey {
    ata(&mint_config(mint), mint, token_program)
}
