//! Cross-program invocation without heap allocations or account-info clones.
use anchor_lang::prelude::*;

use anchor_lang::solana_program::instruction::AccountMeta;
#[cfg(not(target_os = "solana"))]
use anchor_lang::solana_program::instruction::Instruction;

/// A CPI without heap allocations or account-info clones: on SBF it calls the runtime's C-ABI
/// entry (`sol_invoke_signed_c`) with structures built on the stack (about 600 CU less than
/// `solana_program::program::invoke_signed` for a token transfer, measured); on the host it goes
/// through the usual `invoke_signed`, which solana-program-test serves.
///
/// `resizes`: the callee may change the data length of an account (the system program creating or
/// allocating one); the caller's view of the data then follows.
pub fn invoke_signed(
    program_id: &Pubkey,
    metas: &[AccountMeta],
    data: &[u8],
    accounts: &[&AccountInfo],
    signer_seeds: &[&[&[u8]]],
    resizes: bool,
) -> Result<()> {
    #[cfg(target_os = "solana")]
    {
        c_abi::invoke_signed(program_id, metas, data, accounts, signer_seeds, resizes)
    }
    #[cfg(not(target_os = "solana"))]
    {
        let _ = resizes; // the host's invoke keeps the views in step itself
        let instruction =
            Instruction { program_id: *program_id, accounts: metas.to_vec(), data: data.to_vec() };
        let infos: Vec<AccountInfo> = accounts.iter().map(|info| (*info).clone()).collect();
        anchor_lang::solana_program::program::invoke_signed(&instruction, &infos, signer_seeds)?;
        Ok(())
    }
}

#[cfg(target_os = "solana")]
mod c_abi {
    //! The runtime's C representation of a CPI (agave's `SolInstruction`, `SolAccountMeta`,
    //! `SolAccountInfo`, `SolSignerSeedsC`), built on the stack.
    use super::*;

    #[repr(C)]
    struct CInstruction {
        program_id: *const Pubkey,
        accounts: *const CAccountMeta,
        accounts_len: u64,
        data: *const u8,
        data_len: u64,
    }

    #[repr(C)]
    struct CAccountMeta {
        pubkey: *const Pubkey,
        is_writable: bool,
        is_signer: bool,
    }

    #[repr(C)]
    struct CAccountInfo {
        key: *const Pubkey,
        lamports: *mut u64,
        data_len: u64,
        data: *mut u8,
        owner: *const Pubkey,
        rent_epoch: u64,
        is_signer: bool,
        is_writable: bool,
        executable: bool,
    }

    #[repr(C)]
    struct CSlice {
        addr: *const u8,
        len: u64,
    }

    /// Enough for every CPI of the program: a token transfer (4 accounts) or a system instruction
    /// (at most 2); signer seeds of at most 5 parts (the longest PDA seeds and the bump).
    const MAX_ACCOUNTS: usize = 4;
    const MAX_SEEDS: usize = 5;

    extern "C" {
        fn sol_invoke_signed_c(
            instruction: *const u8,
            account_infos: *const u8,
            account_infos_len: u64,
            signers_seeds: *const u8,
            signers_seeds_len: u64,
        ) -> u64;
    }

    pub(super) fn invoke_signed(
        program_id: &Pubkey,
        metas: &[AccountMeta],
        data: &[u8],
        accounts: &[&AccountInfo],
        signer_seeds: &[&[&[u8]]],
        resizes: bool,
    ) -> Result<()> {
        ensure!(
            metas.len() <= MAX_ACCOUNTS && accounts.len() <= MAX_ACCOUNTS,
            ErrorCode::AccountNotEnoughKeys
        );
        ensure!(
            signer_seeds.len() <= 1 && signer_seeds.iter().all(|seeds| seeds.len() <= MAX_SEEDS),
            ErrorCode::ConstraintSeeds
        );
        let c_metas: [CAccountMeta; MAX_ACCOUNTS] = core::array::from_fn(|i| match metas.get(i) {
            Some(meta) => CAccountMeta {
                pubkey: &meta.pubkey,
                is_writable: meta.is_writable,
                is_signer: meta.is_signer,
            },
            None => CAccountMeta { pubkey: core::ptr::null(), is_writable: false, is_signer: false },
        });
        // SAFETY: the lamports and data pointers are those the entrypoint deserialized from the
        // input region (where the runtime checks they point); nothing else borrows these accounts
        // during the call (the caller holds no `RefMut` on them; a live one fails `borrow_mut`
        // below instead of aliasing).
        let c_infos: [CAccountInfo; MAX_ACCOUNTS] = core::array::from_fn(|i| match accounts.get(i) {
            Some(info) => unsafe {
                let data: &mut [u8] = &mut **info.data.as_ptr();
                CAccountInfo {
                    key: info.key,
                    lamports: *info.lamports.as_ptr(),
                    data_len: data.len() as u64,
                    data: data.as_mut_ptr(),
                    owner: info.owner,
                    rent_epoch: u64::MAX,
                    is_signer: info.is_signer,
                    is_writable: info.is_writable,
                    executable: info.executable,
                }
            },
            None => CAccountInfo {
                key: core::ptr::null(),
                lamports: core::ptr::null_mut(),
                data_len: 0,
                data: core::ptr::null_mut(),
                owner: core::ptr::null(),
                rent_epoch: 0,
                is_signer: false,
                is_writable: false,
                executable: false,
            },
        });
        let seeds: [CSlice; MAX_SEEDS] =
            core::array::from_fn(|i| match signer_seeds.first().and_then(|seeds| seeds.get(i)) {
                Some(seed) => CSlice { addr: seed.as_ptr(), len: seed.len() as u64 },
                None => CSlice { addr: core::ptr::null(), len: 0 },
            });
        let signer = CSlice {
            addr: seeds.as_ptr().cast(),
            len: signer_seeds.first().map_or(0, |seeds| seeds.len()) as u64,
        };
        let instruction = CInstruction {
            program_id,
            accounts: c_metas.as_ptr(),
            accounts_len: metas.len() as u64,
            data: data.as_ptr(),
            data_len: data.len() as u64,
        };
        // SAFETY: every pointer above is valid for the duration of the call.
        let result = unsafe {
            sol_invoke_signed_c(
                (&instruction as *const CInstruction).cast(),
                c_infos.as_ptr().cast(),
                accounts.len() as u64,
                (&signer as *const CSlice).cast(),
                signer_seeds.len() as u64,
            )
        };
        if result != 0 {
            return Err(ProgramError::from(result).into());
        }
        if resizes {
            for info in accounts {
                // The runtime wrote the account's new data length (a system program
                // `CreateAccount` or `Allocate`) into the input region, just before the data; the
                // Rust view of the data must follow, as `solana_program`'s own invoke does. Owners
                // are read from the input region and need nothing.
                // SAFETY: on SBF an account's data is preceded in the input region by its length
                // (u64), and the region has room for the data to grow in place by up to 10 KiB
                // (MAX_PERMITTED_DATA_INCREASE), which is where the runtime put the new bytes.
                unsafe {
                    let mut data = info.data.borrow_mut();
                    let start = data.as_mut_ptr();
                    let new_len = *(start.sub(core::mem::size_of::<u64>()) as *const u64) as usize;
                    if new_len != data.len() {
                        *data = core::slice::from_raw_parts_mut(start, new_len);
                    }
                }
            }
        }
        Ok(())
    }
}
