use anchor_lang::prelude::*;

use crate::constants::MAX_DISPUTE_CANDIDATES;

/// A dispute over a task's outcome, at `["dispute", task]`. Closed at resolution (rent back to
/// the opener). The candidates are the task's revealed answers, in tally order, then Void.
#[account]
#[derive(InitSpace)]
pub struct Dispute {
    pub task: Pubkey,
    /// Unique across all disputes (a task id, and so this address, can be used again after the
    /// task closed).
    pub number: u64,
    pub opener: Pubkey,
    /// Held in the task vault until resolution.
    pub bond: u64,
    /// sha256 of the evidence (kept off-chain).
    pub reason_hash: [u8; 32],
    pub vote_deadline: i64,
    /// Total weight of the votes cast.
    pub weight_cast: u64,
    pub bump: u8,
    /// Vote weight per candidate: index `i < tally.len()` is the task's tally entry `i`, the last
    /// index is Void (settles like no quorum).
    #[max_len(MAX_DISPUTE_CANDIDATES)]
    pub candidate_weights: Vec<u64>,
}

impl Dispute {
    /// Account size for `candidates` candidates (revealed answers + Void).
    pub fn space(candidates: usize) -> usize {
        let unused = MAX_DISPUTE_CANDIDATES.saturating_sub(candidates) * 8;
        Self::DISCRIMINATOR.len() + Self::INIT_SPACE - unused
    }
}
