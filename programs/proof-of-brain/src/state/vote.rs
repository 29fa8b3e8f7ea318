use anchor_lang::prelude::*;

/// One member's vote on one dispute, at `["vote", dispute, member wallet]`: its existence is what
/// stops a second vote.
#[account]
#[derive(InitSpace)]
pub struct Vote {
    pub dispute: Pubkey,
    pub member: Pubkey,
    pub choice: u8,
    pub weight: u64,
    pub bump: u8,
}
