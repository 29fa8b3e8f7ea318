use anchor_lang::prelude::*;

use crate::constants::MAX_DISPUTE_CANDIDATES;

/// A dispute over a task's outcome, at `["dispute", task]`. Closed at resolution (rent back to
/// the opener). The candidates are the task's revealed answers, in tally order, then Void.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Dispute {
    pub task: Pubkey,
    pub opener: Pubkey,
    /// sha256 of the evidence (kept off-chain).
    pub reason_hash: [u8; 32],
    /// Unique across all disputes (a task id, and so this address, can be used again after the
    /// task closed).
    pub number: u64,
    /// Taken from the opener's free balance; back to it if the outcome changes, else forfeited
    /// to the fee balance (through the task, at close).
    pub bond: u64,
    pub opened_at: i64,
    pub vote_deadline: i64,
    /// Total weight of the votes cast.
    pub weight_cast: u64,
    /// Governance snapshots taken at opening: later changes cannot move the bar.
    pub total_weight_snapshot: u64,
    pub min_vote_weight_snapshot: u64,
    /// Vote weight per candidate: index `i < candidates - 1` is the task's tally entry `i`, index
    /// `candidates - 1` is Void (settles like no quorum).
    pub candidate_weights: [u64; MAX_DISPUTE_CANDIDATES],
    pub candidates: u8,
    pub opener_is_requester: u8,
    pub bump: u8,
    pub _reserved: [u8; 5],
}

impl Dispute {
    pub fn weights(&self) -> &[u64] {
        &self.candidate_weights[..usize::from(self.candidates)]
    }
}
