use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskFinalized;
use crate::logic::tally::quorum_answer;
use crate::state::{Task, TaskViewMut, TASK_FINALIZED, TASK_OPEN};

#[derive(Accounts)]
pub struct FinalizeTask<'info> {
    #[account(mut)]
    pub task: AccountLoader<'info, Task>,
}

impl FinalizeTask<'_> {
    fn validate(&self, now: i64, task: &Task) -> Result<()> {
        ensure!(task.state == TASK_OPEN, PobError::TaskNotOpen);
        ensure!(task.reveals_complete(now), PobError::FinalizeTooEarly);
        Ok(())
    }

    /// Permissionless. Fixes the outcome (the answer revealed by at least `quorum` workers, else
    /// no quorum) and opens the dispute window.
    pub fn finalize_task(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let mut data = accounts.task.as_ref().try_borrow_mut_data()?;
        let task = TaskViewMut::parse(&mut data)?;
        accounts.validate(now, task.header)?;
        let outcome = quorum_answer(task.tally(), task.header.quorum);
        let header = task.header;
        header.set_outcome(outcome);
        header.dispute_deadline = now + i64::from(header.dispute_window_secs);
        header.state = TASK_FINALIZED;
        emit_event!(TaskFinalized {
            task: accounts.task.key(),
            outcome,
            dispute_deadline: header.dispute_deadline
        });
        Ok(())
    }
}
