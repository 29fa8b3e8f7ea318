use anchor_lang::prelude::*;

/// One worker's answer to one task, at `["submission", task, worker]`. Closed at claim, its rent
/// going back to the worker.
#[account]
#[derive(InitSpace)]
pub struct Submission {
    pub task: Pubkey,
    pub worker: Pubkey,
    pub commitment: [u8; 32],
    /// Set at reveal.
    pub answer_hash: [u8; 32],
    pub state: SubmissionState,
    pub bump: u8,
}

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubmissionState {
    Committed,
    Revealed,
}

impl Submission {
    /// The revealed answer, if any.
    pub fn revealed_answer(&self) -> Option<&[u8; 32]> {
        (self.state == SubmissionState::Revealed).then_some(&self.answer_hash)
    }
}
