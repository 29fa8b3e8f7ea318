use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AnswerRevealed;
use crate::logic::{commitment::answer_commitment, tally};
use crate::state::{Submission, Task, TaskViewMut, SUBMISSION_COMMITTED, SUBMISSION_REVEALED, TASK_OPEN};

#[derive(Accounts)]
pub struct RevealAnswer<'info> {
    pub worker: Signer<'info>,

    #[account(mut)]
    pub task: AccountLoader<'info, Task>,

    /// The worker's submission on this task (checked by `validate`).
    #[account(mut)]
    pub submission: AccountLoader<'info, Submission>,
}

impl RevealAnswer<'_> {
    fn validate(
        &self,
        now: i64,
        task: &Task,
        submission: &Submission,
        answer_hash: &[u8; 32],
        salt: &[u8; 32],
    ) -> Result<()> {
        ensure!(
            submission.task == self.task.key() && submission.worker == self.worker.key(),
            PobError::WrongSubmission
        );
        ensure!(task.state == TASK_OPEN, PobError::TaskNotOpen);
        ensure!(task.commit_phase_over(now), PobError::RevealPhaseNotStarted);
        ensure!(now < task.reveal_deadline, PobError::RevealPhaseOver);
        ensure!(submission.state == SUBMISSION_COMMITTED, PobError::AlreadyRevealed);
        let expected =
            answer_commitment(&self.task.key().to_bytes(), &self.worker.key().to_bytes(), answer_hash, salt);
        ensure!(expected == submission.commitment, PobError::CommitmentMismatch);
        Ok(())
    }

    /// Opens a commitment: allowed once the commit phase is over (deadline passed or every slot
    /// taken) and before the reveal deadline.
    pub fn reveal_answer(ctx: Context<Self>, answer_hash: [u8; 32], salt: [u8; 32]) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let mut submission = accounts.submission.load_mut()?;
        let mut data = accounts.task.as_ref().try_borrow_mut_data()?;
        let task = TaskViewMut::parse(&mut data)?;
        accounts.validate(now, task.header, &submission, &answer_hash, &salt)?;
        submission.answer_hash = answer_hash;
        submission.state = SUBMISSION_REVEALED;
        submission.revealed_at = now;
        task.header.revealed += 1; // <= committed
        tally::record(task.tally_slots, &mut task.header.tally_len, &answer_hash)
            .ok_or(PobError::MathOverflow)?;
        emit_event!(AnswerRevealed {
            task: accounts.task.key(),
            worker: accounts.worker.key(),
            answer_hash,
            revealed: task.header.revealed,
        });
        Ok(())
    }
}
