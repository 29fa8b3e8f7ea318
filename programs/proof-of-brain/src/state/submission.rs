use anchor_lang::prelude::*;

/// One worker's answer to one task, at `["submission", task, worker]`. Closed at claim, its rent
/// going back to the worker who paid it.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Submission {
    pub task: Pubkey,
    pub worker: Pubkey,
    pub commitment: [u8; 32],
    /// Set at reveal.
    pub answer_hash: [u8; 32],
    pub committed_at: i64,
    /// 0 until revealed.
    pub revealed_at: i64,
    pub state: u8,
    pub bump: u8,
    pub _reserved: [u8; 6],
}

pub const SUBMISSION_COMMITTED: u8 = 0;
pub const SUBMISSION_REVEALED: u8 = 1;

impl Submission {
    /// The revealed answer, if any.
    pub fn revealed_answer(&self) -> Option<&[u8; 32]> {
        (self.state == SUBMISSION_REVEALED).then_some(&self.answer_hash)
    }
}
