//! A minimal governance program for tests: it executes any instruction with its PDA
//! `["governance"]` as a signer, as a Squads vault or a Realms governance account does once a
//! proposal passes. It lets the tests make that PDA the protocol authority.
use anchor_lang::prelude::{AccountInfo, AccountMeta, Pubkey};
use anchor_lang::solana_program::entrypoint::ProgramResult;
use anchor_lang::solana_program::instruction::Instruction;
use anchor_lang::solana_program::program::invoke_signed;

/// The governance program's id (any fixed key: it is registered natively in the bank).
pub const DAO_PROGRAM_ID: Pubkey = Pubkey::new_from_array([7; 32]);
const GOVERNANCE_SEED: &[u8] = b"governance";

/// The governance PDA: the authority the protocol is handed to.
pub fn governance_pda() -> Pubkey {
    Pubkey::find_program_address(&[GOVERNANCE_SEED], &DAO_PROGRAM_ID).0
}

/// Accounts: the target program, then the target instruction's accounts. Data: the target
/// instruction's data. The governance PDA signs by seeds.
pub fn process(program_id: &Pubkey, accounts: &[AccountInfo], data: &[u8]) -> ProgramResult {
    let (governance, bump) = Pubkey::find_program_address(&[GOVERNANCE_SEED], program_id);
    let (target, inner) = accounts.split_first().expect("target program account");
    let metas = inner
        .iter()
        .map(|account| AccountMeta {
            pubkey: *account.key,
            is_signer: account.is_signer || *account.key == governance,
            is_writable: account.is_writable,
        })
        .collect();
    let instruction = Instruction { program_id: *target.key, accounts: metas, data: data.to_vec() };
    invoke_signed(&instruction, accounts, &[&[GOVERNANCE_SEED, &[bump]]])
}

/// Wraps `ix` (whose authority is the governance PDA, not signing) into an instruction of the
/// governance program that executes it.
pub fn execute(ix: Instruction) -> Instruction {
    let governance = governance_pda();
    let mut accounts = vec![AccountMeta::new_readonly(ix.program_id, false)];
    accounts.extend(
        ix.accounts
            .into_iter()
            .map(|meta| AccountMeta { is_signer: meta.is_signer && meta.pubkey != governance, ..meta }),
    );
    Instruction { program_id: DAO_PROGRAM_ID, accounts, data: ix.data }
}
