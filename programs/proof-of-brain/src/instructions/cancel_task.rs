use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskCancelled;
use crate::state::{Balance, Requester, Task, TASK_OPEN};

#[derive(Accounts)]
pub struct CancelTask<'info> {
    /// Gets the task's rent back.
    #[account(mut)]
    pub requester: Signer<'info>,

    /// Closed here (its requester checked by `validate`).
    #[account(mut, close = requester)]
    pub task: AccountLoader<'info, Task>,

    /// The requester's balance in the task's mint: the escrow returns to it.
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    #[account(mut)]
    pub requester_record: AccountLoader<'info, Requester>,
}

impl CancelTask<'_> {
    fn validate(&self, task: &Task, balance: &Balance, record: &Requester) -> Result<()> {
        let requester = self.requester.key();
        ensure!(task.requester == requester, PobError::NotTheRequester);
        ensure!(balance.wallet == requester && balance.mint == task.mint, PobError::WrongBalance);
        ensure!(record.wallet == requester, PobError::WrongRequesterRecord);
        ensure!(task.state == TASK_OPEN, PobError::TaskNotOpen);
        ensure!(task.committed == 0, PobError::TaskHasCommitments);
        Ok(())
    }

    /// While nobody has committed, the requester takes the task back: the whole escrow returns to
    /// their free balance and the task account is closed.
    pub fn cancel_task(ctx: Context<Self>) -> Result<()> {
        let accounts = &ctx.accounts;
        let task = *accounts.task.load()?;
        let mut balance = accounts.balance.load_mut()?;
        let mut record = accounts.requester_record.load_mut()?;
        accounts.validate(&task, &balance, &record)?;
        balance.free = balance.free.checked_add(task.deposit).ok_or(PobError::MathOverflow)?;
        record.tasks_cancelled += 1;
        emit_event!(TaskCancelled { task: accounts.task.key(), refund: task.deposit });
        Ok(())
    }
}
