use anchor_lang::prelude::*;

/// One member's vote on one dispute, at `["vote", dispute, member wallet]`: it is what stops a
/// second vote. A task id can be reused after its task closed, and so can the Dispute address:
/// `dispute_number` tells which dispute the vote belongs to.
#[account]
#[derive(InitSpace)]
pub struct Vote {
    pub dispute: Pubkey,
    pub member: Pubkey,
    pub choice: u8,
    pub weight: u64,
    /// The number of the dispute voted on.
    pub dispute_number: u64,
    pub bump: u8,
}
