use anchor_lang::prelude::*;

/// One member's vote on one dispute, at `create_with_seed(member, vote_seed(dispute), program)`
/// (see `constants::vote_seed`): it is what stops a second vote. A task id can be reused after its
/// task closed, and so can the Dispute address: `dispute_number` tells which dispute the vote
/// belongs to.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Vote {
    pub dispute: Pubkey,
    pub member: Pubkey,
    /// The number of the dispute voted on.
    pub dispute_number: u64,
    pub weight: u64,
    pub choice: u8,
    pub _reserved: [u8; 7],
}
