use anchor_lang::prelude::*;

/// What the program holds for one wallet in one mint, at `["balance", wallet, mint]`. The tokens
/// sit in the mint's vault; this is the owner's claim on them. Settlement only ever credits it,
/// and only its owner takes tokens out (`withdraw`), so no payee can block anyone else's money.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Balance {
    pub wallet: Pubkey,
    pub mint: Pubkey,
    /// Withdrawable, and usable as stake for new answers or to fund new tasks.
    pub free: u64,
    /// Stake behind committed, unsettled answers.
    pub locked: u64,
    /// Stake behind a worker-chamber membership.
    pub chamber_locked: u64,
    /// After leaving the chamber, `chamber_locked` can be released from this time on.
    pub chamber_unlocks_at: i64,
    /// Rewards earned in this mint, ever (worker-chamber eligibility).
    pub rewards_earned: u64,
    /// Stake slashed in this mint, ever.
    pub slashed: u64,
    /// 1 while the wallet is a chamber member whose stake is locked here.
    pub chamber_member: u8,
    pub bump: u8,
    pub _reserved: [u8; 6],
}

impl Balance {
    /// Everything the program holds for this wallet in this mint.
    pub fn total(&self) -> Option<u64> {
        self.free.checked_add(self.locked)?.checked_add(self.chamber_locked)
    }
}
