//! Creating and opening program accounts at PDAs that anyone can predict.
//!
//! Anyone may send lamports to an address before it exists. The system program's `CreateAccount`
//! then refuses it, and Anchor 1.2's `init` relies on `CreateAccountAllowPrefund` (SIMD-0312),
//! which clusters without that feature refuse too: a few lamports would block a worker's record,
//! a balance, a mint's config or the protocol itself for good. [`create`] makes the account either
//! way: `CreateAccount` when the address is empty, otherwise top up the rent, `Allocate` and
//! `Assign` (all three accept a funded, data-less, system-owned account).
//!
//! Every account here is zero-copy: [`init`] writes the discriminator of a freshly created
//! account and hands back its zeroed body; [`read`] copies an existing one out after checking
//! owner and discriminator.
use core::cell::RefMut;

use anchor_lang::prelude::*;

use anchor_lang::solana_program::instruction::AccountMeta;
use anchor_lang::{Discriminator, ZeroCopy};

use crate::cpi;

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
    create_owned_by(payer, account, system_program, space, &crate::ID, signer_seeds)
}

/// Like [`create`], for an account owned by `owner` (the vault: a token account).
pub fn create_owned_by<'info>(
    payer: &AccountInfo<'info>,
    account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    space: usize,
    owner: &Pubkey,
    signer_seeds: &[&[u8]],
) -> Result<()> {
    let rent = rent_exempt_minimum(&Rent::get()?, space);
    let held = account.lamports();
    let program = system_program.key;
    let signer = &[signer_seeds];
    let (from, to) = (AccountMeta::new(*payer.key, true), AccountMeta::new(*account.key, true));
    if held == 0 {
        let data = system_data(
            CREATE_ACCOUNT,
            &[&rent.to_le_bytes(), &(space as u64).to_le_bytes(), owner.as_ref()],
        );
        return cpi::invoke_signed(program, &[from, to], &data, &[payer, account], signer, true);
    }
    if rent > held {
        let data = system_data(TRANSFER, &[&(rent - held).to_le_bytes()]);
        let to = AccountMeta::new(*account.key, false);
        cpi::invoke_signed(program, &[from, to], &data, &[payer, account], &[], false)?;
    }
    let data = system_data(ALLOCATE, &[&(space as u64).to_le_bytes()]);
    cpi::invoke_signed(program, std::slice::from_ref(&to), &data, &[account], signer, true)?;
    let data = system_data(ASSIGN, &[owner.as_ref()]);
    cpi::invoke_signed(program, &[to], &data, &[account], signer, false)
}

/// The system program's instructions used here, by their (bincode, u32) tag.
const CREATE_ACCOUNT: u32 = 0;
const ASSIGN: u32 = 1;
const TRANSFER: u32 = 2;
const ALLOCATE: u32 = 8;

/// A system instruction's data: its tag, then its fields, on the stack (at most 52 bytes).
fn system_data(tag: u32, fields: &[&[u8]]) -> SystemData {
    let mut data = SystemData { bytes: [0; 52], len: 4 };
    data.bytes[..4].copy_from_slice(&tag.to_le_bytes());
    for field in fields {
        data.bytes[data.len..data.len + field.len()].copy_from_slice(field);
        data.len += field.len();
    }
    data
}

struct SystemData {
    bytes: [u8; 52],
    len: usize,
}

impl core::ops::Deref for SystemData {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

/// `Rent::minimum_balance` without its floating point (soft-float on SBF costs hundreds of CU):
/// for the thresholds clusters use (2 years today, 1 after SIMD-0194), the same value in integers.
#[allow(deprecated)] // the fields are the sysvar's layout; their replacements arrive with solana v4
pub fn rent_exempt_minimum(rent: &Rent, space: usize) -> u64 {
    const ACCOUNT_STORAGE_OVERHEAD: u64 = 128;
    let per_year = (ACCOUNT_STORAGE_OVERHEAD + space as u64) * rent.lamports_per_byte_year;
    match rent.exemption_threshold.to_bits() {
        bits if bits == 2.0f64.to_bits() => per_year * 2,
        bits if bits == 1.0f64.to_bits() => per_year,
        _ => rent.minimum_balance(space),
    }
}

/// Creates a zero-copy account of type `T` (exactly its size) and returns its zeroed body, the
/// discriminator written.
pub fn create_zero_copy<'a, 'info, T: ZeroCopy + Discriminator>(
    payer: &AccountInfo<'info>,
    account: &'a AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    signer_seeds: &[&[u8]],
) -> Result<RefMut<'a, T>> {
    create(payer, account, system_program, 8 + core::mem::size_of::<T>(), signer_seeds)?;
    init(account)
}

/// Writes the discriminator of a just-created (zeroed) account and returns its body.
pub fn init<'a, T: ZeroCopy + Discriminator>(account: &'a AccountInfo) -> Result<RefMut<'a, T>> {
    let mut data = account.try_borrow_mut_data()?;
    ensure!(data.len() >= 8 + core::mem::size_of::<T>(), ErrorCode::AccountDidNotDeserialize);
    data[..8].copy_from_slice(T::DISCRIMINATOR);
    Ok(RefMut::map(data, |data| bytemuck::from_bytes_mut(&mut data[8..8 + core::mem::size_of::<T>()])))
}

/// Opens an existing account of type `T` for writing (owner and discriminator checked).
pub fn open_mut<'a, T: ZeroCopy + Discriminator>(account: &'a AccountInfo) -> Result<RefMut<'a, T>> {
    ensure!(*account.owner == crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    let data = account.try_borrow_mut_data()?;
    ensure!(data.len() >= 8 + core::mem::size_of::<T>(), ErrorCode::AccountDidNotDeserialize);
    ensure!(&data[..8] == T::DISCRIMINATOR, ErrorCode::AccountDiscriminatorMismatch);
    Ok(RefMut::map(data, |data| bytemuck::from_bytes_mut(&mut data[8..8 + core::mem::size_of::<T>()])))
}

/// Reads one of this program's zero-copy accounts (owner and discriminator checked).
pub fn read<T: ZeroCopy + Discriminator>(account: &AccountInfo) -> Result<T> {
    ensure!(*account.owner == crate::ID, ErrorCode::AccountOwnedByWrongProgram);
    let data = account.try_borrow_data()?;
    ensure!(data.len() >= 8 + core::mem::size_of::<T>(), ErrorCode::AccountDidNotDeserialize);
    ensure!(&data[..8] == T::DISCRIMINATOR, ErrorCode::AccountDiscriminatorMismatch);
    Ok(*bytemuck::from_bytes(&data[8..8 + core::mem::size_of::<T>()]))
}

/// Whether `account` is one of this program's accounts of type `T` (owner and discriminator).
pub fn is_initialized<T: Discriminator>(account: &AccountInfo) -> bool {
    exists(account) && account.try_borrow_data().is_ok_and(|data| data.get(..8) == Some(T::DISCRIMINATOR))
}

/// Initializes a wallet's record at `create_with_seed(base, seed, program)`: the wallet created it
/// in this transaction with the system program (owner: this program, zeroed data). Returns its
/// body, the discriminator written; `Ok(None)` if it is already initialized.
pub fn init_with_seed<'a, T: ZeroCopy + Discriminator>(
    account: &'a AccountInfo,
    base: &Pubkey,
    seed: &str,
) -> Result<Option<RefMut<'a, T>>> {
    let expected =
        Pubkey::create_with_seed(base, seed, &crate::ID).map_err(|_| ErrorCode::ConstraintSeeds)?;
    ensure!(account.key() == expected, ErrorCode::ConstraintSeeds);
    ensure!(*account.owner == crate::ID, ErrorCode::AccountNotInitialized);
    {
        let data = account.try_borrow_data()?;
        ensure!(data.len() == 8 + core::mem::size_of::<T>(), ErrorCode::AccountDidNotDeserialize);
        if data[..8] != [0; 8] {
            return Ok(None);
        }
    }
    init(account).map(Some)
}
