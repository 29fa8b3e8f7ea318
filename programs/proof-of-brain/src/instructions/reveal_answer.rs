use anchor_lang::prelude::*;

use crate::constants::{SUBMISSION_SEED, TASK_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AnswerRevealed;
use crate::logic::{commitment::answer_commitment, tally};
use crate::state::{Submission, SubmissionState, Task, TaskState};

#[derive(Accounts)]
pub struct RevealAnswer<'info> {
    pub worker: Signer<'info>,

    #[account(mut, seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    #[account(mut, seeds = [SUBMISSION_SEED, task.key().as_ref(), worker.key().as_ref()], bump = submission.bump)]
    pub submission: Box<Account<'info, Submission>>,
}

impl RevealAnswer<'_> {
    fn validate(&self, now: i64, answer_hash: &[u8; 32], salt: &[u8; 32]) -> Result<()> {
        let task = &self.task;
        require!(task.state == TaskState::Open, PobError::TaskNotOpen);
        require!(task.commit_phase_over(now), PobError::RevealPhaseNotStarted);
        require!(now < task.reveal_deadline, PobError::RevealPhaseOver);
        require!(self.submission.state == SubmissionState::Committed, PobError::AlreadyRevealed);
        let expected =
            answer_commitment(&task.key().to_bytes(), &self.worker.key().to_bytes(), answer_hash, salt);
        require!(expected == self.submission.commitment, PobError::CommitmentMismatch);
        Ok(())
    }

    /// Opens a commitment: allowed once the commit phase is over (deadline passed or every slot
    /// taken) and before the reveal deadline.
    pub fn reveal_answer(ctx: Context<Self>, answer_hash: [u8; 32], salt: [u8; 32]) -> Result<()> {
        ctx.accounts.validate(Clock::get()?.unix_timestamp, &answer_hash, &salt)?;
        let accounts = &mut *ctx.accounts;
        let task = &mut accounts.task;
        accounts.submission.answer_hash = answer_hash;
        accounts.submission.state = SubmissionState::Revealed;
        task.revealed += 1; // <= committed
        tally::record(&mut task.tally, &answer_hash);
        emit_event!(AnswerRevealed {
            task: task.key(),
            worker: accounts.worker.key(),
            answer_hash,
            revealed: task.revealed,
        });
        Ok(())
    }
}
