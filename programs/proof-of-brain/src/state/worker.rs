use anchor_lang::prelude::*;

/// A worker's reputation, at `["worker", wallet]`. Counters only grow.
#[account]
#[derive(InitSpace)]
pub struct Worker {
    pub wallet: Pubkey,
    pub answers_committed: u32,
    /// Revealed the quorum answer.
    pub answers_agreed: u32,
    /// Revealed another answer than the quorum's.
    pub answers_disagreed: u32,
    /// Revealed on a task that reached no quorum.
    pub answers_no_quorum: u32,
    /// Committed but never revealed.
    pub answers_unrevealed: u32,
    /// Base units of stake slashed so far (summed across mints).
    pub stake_slashed: u64,
    pub disputes_won: u32,
    pub disputes_lost: u32,
    pub bump: u8,
}
