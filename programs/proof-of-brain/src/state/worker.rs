use anchor_lang::prelude::*;

/// A worker's reputation, at `create_with_seed(wallet, "pob-worker-v1", program)`. Counters only
/// grow. Amounts (rewards earned, stake slashed) are kept per mint, in the worker's Balance.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Worker {
    pub wallet: Pubkey,
    pub answers_committed: u32,
    /// Revealed the outcome.
    pub answers_agreed: u32,
    /// Revealed another answer than the outcome.
    pub answers_disagreed: u32,
    /// Revealed on a task that reached no quorum.
    pub answers_no_quorum: u32,
    /// Committed but never revealed.
    pub answers_unrevealed: u32,
    /// Revealed answers that matched / missed the requester's revealed gold answer.
    pub gold_passed: u32,
    pub gold_failed: u32,
    pub disputes_won: u32,
    pub disputes_lost: u32,
    pub bump: u8,
    pub _reserved: [u8; 3],
}
