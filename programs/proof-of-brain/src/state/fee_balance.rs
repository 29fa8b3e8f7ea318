use anchor_lang::prelude::*;

/// The protocol's fees in one mint, at `["fees", mint]`: the fee on rewards paid, slashed stake and
/// forfeited dispute bonds. Only the treasury withdraws it (`withdraw_fees`). Kept apart from the
/// MintConfig so closing tasks never write-locks what creating tasks reads.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct FeeBalance {
    pub mint: Pubkey,
    /// Withdrawable now.
    pub accrued: u64,
    /// Ever credited (statistics).
    pub collected: u64,
    /// Ever withdrawn (statistics).
    pub withdrawn: u64,
    pub bump: u8,
    pub _reserved: [u8; 7],
}
