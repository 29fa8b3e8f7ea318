use anchor_lang::prelude::*;

/// A worker's stake in one mint, at `["stake", wallet, mint]`. The tokens sit in the mint's stake
/// vault; `locked` is bookkeeping for the answers still open.
#[account]
#[derive(InitSpace)]
pub struct Stake {
    pub wallet: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    /// Part of `amount` backing committed, unsettled answers.
    pub locked: u64,
    pub bump: u8,
}

impl Stake {
    pub fn free(&self) -> u64 {
        // locked <= amount is kept by every instruction that touches either
        self.amount.saturating_sub(self.locked)
    }
}
