use anchor_lang::prelude::*;

use crate::constants::TASK_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskFinalized;
use crate::logic::tally::quorum_answer;
use crate::state::{Task, TaskState};

#[derive(Accounts)]
pub struct FinalizeTask<'info> {
    #[account(mut, seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,
}

impl FinalizeTask<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        require!(self.task.state == TaskState::Open, PobError::TaskNotOpen);
        require!(self.task.reveals_complete(now), PobError::FinalizeTooEarly);
        Ok(())
    }

    /// Permissionless. Fixes the outcome (the answer revealed by at least `quorum` workers, else
    /// no quorum) and opens the dispute window.
    pub fn finalize_task(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        ctx.accounts.validate(now)?;
        let task = &mut ctx.accounts.task;
        task.outcome = quorum_answer(&task.tally, task.quorum);
        task.dispute_deadline =
            now.checked_add(i64::from(task.dispute_window_secs)).ok_or(PobError::MathOverflow)?;
        task.state = TaskState::Finalized;
        emit_event!(TaskFinalized {
            task: task.key(),
            outcome: task.outcome,
            dispute_deadline: task.dispute_deadline
        });
        Ok(())
    }
}
