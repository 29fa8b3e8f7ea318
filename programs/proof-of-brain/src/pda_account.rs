//! Creating program accounts at PDAs that anyone can predict.
//!
//! Anyone may send lamports to an address before it exists. The system program's `CreateAccount`
//! then refuses it, and Anchor 1.2's `init` relies on `CreateAccountAllowPrefund` (SIMD-0312),
//! which clusters without that feature refuse too: a few lamports would block a worker's record,
//! a stake, a mint's config or the protocol itself for good. These helpers create the account
//! either way: `CreateAccount` when the address is empty, otherwise top up the rent, `Allocate`
//! and `Assign` (all three accept a funded, data-less, system-owned account).
use anchor_lang::prelude::*;
use anchor_lang::system_program::{self, Allocate, Assign, CreateAccount, Transfer};

/// Whether `account` already is one of this program's accounts.
pub fn exists(account: &AccountInfo) -> bool {
    account.owner == &crate::ID
}

/// Creates `account` (a PDA of this program, signed for by `signer_seeds`) with `space` bytes,
/// rent-exempt, owned by this program; `payer` covers whatever rent the address does not hold.
pub fn create<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    space: usize,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let rent = Rent::get()?.minimum_balance(space);
    let held = account.lamports();
    let program = system_program.key();
    let signer = &[signer_seeds];
    if held == 0 {
        let accounts = CreateAccount { from: payer.clone(), to: account.clone() };
        return system_program::create_account(
            CpiContext::new_with_signer(program, accounts, signer),
            rent,
            space as u64,
            &crate::ID,
        );
    }
    if rent > held {
        let accounts = Transfer { from: payer.clone(), to: account.clone() };
        system_program::transfer(CpiContext::new(program, accounts), rent - held)?;
    }
    let accounts = Allocate { account_to_allocate: account.clone() };
    system_program::allocate(CpiContext::new_with_signer(program, accounts, signer), space as u64)?;
    let accounts = Assign { account_to_assign: account.clone() };
    system_program::assign(CpiContext::new_with_signer(program, accounts, signer), &crate::ID)
}

/// Writes `value` (discriminator and fields) into `account`'s data.
pub fn write<T: AccountSerialize>(account: &AccountInfo, value: &T) -> Result<()> {
    let mut data = account.try_borrow_mut_data()?;
    value.try_serialize(&mut &mut data[..])
}

/// Reads one of this program's accounts (owner and discriminator checked).
pub fn read<T: AccountDeserialize>(account: &AccountInfo) -> Result<T> {
    require_keys_eq!(*account.owner, crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    T::try_deserialize(&mut &account.try_borrow_data()?[..])
}
