use anchor_lang::prelude::*;

use crate::constants::{MAX_ANSWERS, MAX_SPEC_URI_LEN, TASK_SEED};
use crate::logic::tally::TallyEntry;

/// One question asked of `answers_required` workers, at `["task", requester, task_id (u64 LE)]`.
/// Its escrow is the Task PDA's associated token account for `mint`.
///
/// Fixed-size fields come first so clients can filter tasks by offset (requester at 8, mint at 40).
#[account]
#[derive(InitSpace)]
pub struct Task {
    pub requester: Pubkey,
    pub mint: Pubkey,
    pub task_id: u64,
    pub spec_hash: [u8; 32],
    pub state: TaskState,
    pub answers_required: u8,
    pub quorum: u8,
    pub committed: u8,
    pub revealed: u8,
    /// Submissions claimed (settled and closed).
    pub settled: u8,
    /// Share of the reward paid to each revealer when no answer reaches quorum.
    pub no_quorum_bps: u16,
    /// Protocol fee, snapshotted at creation.
    pub fee_bps: u16,
    /// Dispute window, snapshotted at creation.
    pub dispute_window_secs: u32,
    pub reward_per_answer: u64,
    pub stake_per_answer: u64,
    /// Tokens locked at creation.
    pub deposit: u64,
    pub rewards_paid: u64,
    /// Stake of unrevealed answers moved into the vault (refunded to the requester at close).
    pub stake_slashed: u64,
    pub commit_deadline: i64,
    pub reveal_deadline: i64,
    /// Set by finalize: claims open at this time (unix seconds).
    pub dispute_deadline: i64,
    /// Quorum answer set by finalize; `None` = no quorum (or not finalized yet).
    pub outcome: Option<[u8; 32]>,
    pub bump: u8,
    #[max_len(MAX_SPEC_URI_LEN)]
    pub spec_uri: String,
    /// Revealed answers and their counts; at most one entry per reveal.
    #[max_len(MAX_ANSWERS)]
    pub tally: Vec<TallyEntry>,
}

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskState {
    /// Taking commitments, then reveals (the phase follows the clock and the counters).
    Open,
    /// Outcome fixed; disputable until `dispute_deadline`, then claimable.
    Finalized,
    /// A dispute is open: settlement waits for `resolve_dispute`, which returns to `Finalized`
    /// with claims open at once.
    Disputed,
}

impl Task {
    /// Account size for a task of `answers_required` answers and a spec URI of `spec_uri_len`
    /// bytes: rent is paid only for the tally entries and URI bytes the task can use.
    pub fn space(answers_required: u8, spec_uri_len: usize) -> usize {
        let unused_tally = usize::from(MAX_ANSWERS.saturating_sub(answers_required)) * TallyEntry::INIT_SPACE;
        let unused_uri = MAX_SPEC_URI_LEN.saturating_sub(spec_uri_len);
        Self::DISCRIMINATOR.len() + Self::INIT_SPACE - unused_tally - unused_uri
    }

    /// The commit phase is over once its deadline passed or every slot is taken.
    pub fn commit_phase_over(&self, now: i64) -> bool {
        now >= self.commit_deadline || self.committed == self.answers_required
    }

    /// Nothing can change the tally any more: reveal deadline passed, or the commit phase is over
    /// and every committed answer is revealed.
    pub fn reveals_complete(&self, now: i64) -> bool {
        now >= self.reveal_deadline || (self.commit_phase_over(now) && self.revealed == self.committed)
    }

    /// Runs `f` with the Task PDA's signer seeds (the task signs for its vault).
    pub fn with_signer_seeds<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        let task_id = self.task_id.to_le_bytes();
        f(&[&[TASK_SEED, self.requester.as_ref(), &task_id, &[self.bump]]])
    }
}
