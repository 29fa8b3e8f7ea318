use anchor_lang::prelude::*;

use crate::constants::{MAX_ANSWERS, MAX_SPEC_URI_LEN};
use crate::error::PobError;
use crate::logic::tally::TallyEntry;

/// One question asked of `answers_required` workers, at `["task", requester, task_id (u64 LE)]`.
/// Its escrow is bookkeeping in the mint's vault: `deposit - rewards_paid` plus slashed stake and
/// forfeited bonds, all settled at close.
///
/// Layout: the discriminator, this header, then the tally (`answers_required` [`TallyEntry`]s, of
/// which the first `tally_len` are used) and the spec URI (`spec_uri_len` bytes). The account is
/// sized to its task, so rent is paid only for what the task can use; [`TaskView`] reads it all.
/// The requester and the mint sit at fixed offsets (8 and 40) for `getProgramAccounts` filters.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Task {
    pub requester: Pubkey,
    pub mint: Pubkey,
    /// sha256 of the task specification (the question, the item, the answer kind).
    pub spec_hash: [u8; 32],
    /// `sha256("pob-gold-v1" || task || answer_hash || salt)`, or zeros: no gold answer.
    pub gold_seal: [u8; 32],
    /// The gold answer hash, once revealed (`gold_state == GOLD_REVEALED`).
    pub gold_answer: [u8; 32],
    /// The outcome answer hash, valid when `has_outcome` (else no quorum, or not finalized).
    pub outcome: [u8; 32],
    pub task_id: u64,
    pub reward_per_answer: u64,
    pub stake_per_answer: u64,
    /// Taken from the requester's free balance at creation.
    pub deposit: u64,
    /// Rewards credited to workers so far.
    pub rewards_paid: u64,
    /// Stake of unrevealed answers: goes to the fee balance at close.
    pub stake_slashed: u64,
    /// A lost dispute's bond: goes to the fee balance at close.
    pub bond_forfeited: u64,
    pub created_at: i64,
    pub commit_deadline: i64,
    pub reveal_deadline: i64,
    /// Set by finalize (and by a dispute's resolution): claims open at this time.
    pub dispute_deadline: i64,
    /// Who may commit (all zeros: anyone registered).
    pub qualification: Qualification,
    /// Dispute window, snapshotted at creation.
    pub dispute_window_secs: u32,
    /// Share of the reward paid to each revealer when no answer reaches quorum.
    pub no_quorum_bps: u16,
    /// Protocol fee, snapshotted at creation.
    pub fee_bps: u16,
    pub state: u8,
    pub answers_required: u8,
    pub quorum: u8,
    pub committed: u8,
    pub revealed: u8,
    /// Submissions claimed (settled and closed).
    pub settled: u8,
    /// Submissions paid a reward.
    pub paid_answers: u8,
    /// Distinct answers revealed: used entries of the tally.
    pub tally_len: u8,
    pub has_outcome: u8,
    pub gold_state: u8,
    pub spec_uri_len: u8,
    pub bump: u8,
    pub _reserved: [u8; 4],
}

/// What a worker must have achieved to commit to a task. All zeros: no requirement. Plain
/// `repr(C)` + Pod rather than `#[zero_copy]`: it is also an instruction argument (borsh), and
/// both derives would implement `IdlBuild` under `idl-build`.
#[derive(
    Clone,
    Copy,
    bytemuck::Pod,
    bytemuck::Zeroable,
    AnchorSerialize,
    AnchorDeserialize,
    Default,
    Debug,
    PartialEq,
    Eq,
)]
#[repr(C)]
pub struct Qualification {
    /// Least answers that agreed with an outcome.
    pub min_agreed_answers: u32,
    /// Least agreed / (agreed + disagreed), in bps.
    pub min_agreement_bps: u16,
    /// Least gold passed / (passed + failed), in bps.
    pub min_gold_accuracy_bps: u16,
}

/// Taking commitments, then reveals (the phase follows the clock and the counters).
pub const TASK_OPEN: u8 = 0;
/// Outcome fixed; disputable until `dispute_deadline`, then claimable.
pub const TASK_FINALIZED: u8 = 1;
/// A dispute is open: settlement waits for `resolve_dispute`, which returns to Finalized with
/// claims open at once.
pub const TASK_DISPUTED: u8 = 2;

pub const GOLD_NONE: u8 = 0;
pub const GOLD_SEALED: u8 = 1;
pub const GOLD_REVEALED: u8 = 2;

/// Bytes before the tally: discriminator and header.
pub const TASK_HEADER_LEN: usize = 8 + core::mem::size_of::<Task>();

impl Task {
    /// Account size for a task of `answers_required` answers and a spec URI of `spec_uri_len`
    /// bytes.
    pub fn space(answers_required: u8, spec_uri_len: usize) -> usize {
        TASK_HEADER_LEN + usize::from(answers_required) * core::mem::size_of::<TallyEntry>() + spec_uri_len
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

    pub fn outcome(&self) -> Option<[u8; 32]> {
        (self.has_outcome != 0).then_some(self.outcome)
    }

    pub fn set_outcome(&mut self, outcome: Option<[u8; 32]>) {
        self.has_outcome = u8::from(outcome.is_some());
        self.outcome = outcome.unwrap_or_default();
    }

    pub fn gold_answer(&self) -> Option<[u8; 32]> {
        (self.gold_state == GOLD_REVEALED).then_some(self.gold_answer)
    }

    /// Whether claims may settle submissions now.
    pub fn claims_open(&self, now: i64) -> Result<()> {
        ensure!(self.state != TASK_DISPUTED, PobError::DisputeOpen);
        ensure!(self.state == TASK_FINALIZED, PobError::TaskNotFinalized);
        ensure!(now >= self.dispute_deadline, PobError::DisputeWindowOpen);
        Ok(())
    }
}

/// A whole Task account: header, tally and spec URI, borrowed from its data.
pub struct TaskView<'a> {
    pub header: &'a Task,
    /// The used tally entries, in reveal order.
    pub tally: &'a [TallyEntry],
    pub spec_uri: &'a [u8],
}

/// The mutable parts of a Task account.
pub struct TaskViewMut<'a> {
    pub header: &'a mut Task,
    /// Every tally slot (`answers_required` of them), used or not.
    pub tally_slots: &'a mut [TallyEntry],
}

impl<'a> TaskView<'a> {
    /// Parses account data (discriminator checked).
    pub fn parse(data: &'a [u8]) -> Result<Self> {
        ensure!(data.len() >= TASK_HEADER_LEN, ErrorCode::AccountDidNotDeserialize);
        let (discriminator, rest) = data.split_at(8);
        ensure!(discriminator == Task::DISCRIMINATOR, ErrorCode::AccountDiscriminatorMismatch);
        let (header, rest) = rest.split_at(core::mem::size_of::<Task>());
        let header: &Task =
            bytemuck::try_from_bytes(header).map_err(|_| ErrorCode::AccountDidNotDeserialize)?;
        let slots = usize::from(header.answers_required).min(usize::from(MAX_ANSWERS));
        let tally_bytes = slots * core::mem::size_of::<TallyEntry>();
        ensure!(
            rest.len() >= tally_bytes + usize::from(header.spec_uri_len),
            ErrorCode::AccountDidNotDeserialize
        );
        let (tally, rest) = rest.split_at(tally_bytes);
        let tally: &[TallyEntry] = bytemuck::cast_slice(tally);
        let used = usize::from(header.tally_len).min(tally.len());
        let spec_uri = &rest[..usize::from(header.spec_uri_len).min(MAX_SPEC_URI_LEN)];
        Ok(Self { header, tally: &tally[..used], spec_uri })
    }

    pub fn spec_uri(&self) -> &str {
        core::str::from_utf8(self.spec_uri).unwrap_or_default()
    }
}

impl<'a> TaskViewMut<'a> {
    /// Borrows the header and the tally of account data already checked by an `AccountLoader`.
    pub fn parse(data: &'a mut [u8]) -> Result<Self> {
        ensure!(data.len() >= TASK_HEADER_LEN, ErrorCode::AccountDidNotDeserialize);
        let (_, rest) = data.split_at_mut(8);
        let (header, rest) = rest.split_at_mut(core::mem::size_of::<Task>());
        let header: &mut Task =
            bytemuck::try_from_bytes_mut(header).map_err(|_| ErrorCode::AccountDidNotDeserialize)?;
        let tally_bytes = usize::from(header.answers_required) * core::mem::size_of::<TallyEntry>();
        ensure!(rest.len() >= tally_bytes, ErrorCode::AccountDidNotDeserialize);
        let tally_slots = bytemuck::cast_slice_mut(&mut rest[..tally_bytes]);
        Ok(Self { header, tally_slots })
    }

    /// The used tally entries.
    pub fn tally(&self) -> &[TallyEntry] {
        &self.tally_slots[..usize::from(self.header.tally_len)]
    }
}
