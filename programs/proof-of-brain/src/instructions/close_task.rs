use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskClosed;
use crate::logic::settlement::close_split;
use crate::state::{Balance, FeeBalance, Requester, Task, GOLD_SEALED};

#[derive(Accounts)]
pub struct CloseTask<'info> {
    /// Closed here; its rent goes back to the requester.
    #[account(mut, close = requester)]
    pub task: AccountLoader<'info, Task>,

    /// CHECK: the requester's wallet, pinned by the task (checked by `validate`); it only receives
    /// the task's rent, which any account can receive, so it may be of any kind.
    #[account(mut)]
    pub requester: UncheckedAccount<'info>,

    /// The requester's balance in the task's mint: credited with the refund.
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    #[account(mut)]
    pub requester_record: AccountLoader<'info, Requester>,

    /// The fee balance of the task's mint: the fee, slashed stake and a forfeited bond go there.
    #[account(mut)]
    pub fee_balance: AccountLoader<'info, FeeBalance>,
}

impl CloseTask<'_> {
    fn validate(
        &self,
        now: i64,
        task: &Task,
        balance: &Balance,
        record: &Requester,
        fees: &FeeBalance,
    ) -> Result<()> {
        let requester = self.requester.key();
        ensure!(task.requester == requester, PobError::WrongRecipient);
        ensure!(balance.wallet == requester && balance.mint == task.mint, PobError::WrongBalance);
        ensure!(record.wallet == requester, PobError::WrongRequesterRecord);
        ensure!(fees.mint == task.mint, PobError::WrongMint);
        task.claims_open(now)?;
        ensure!(task.settled == task.committed, PobError::SubmissionsOutstanding);
        Ok(())
    }

    /// Permissionless, once every submission is settled: the fee on the rewards paid, the
    /// slashed stake and any forfeited bond go to the fee balance, the rest of the escrow to the
    /// requester's free balance; the task is closed, its rent going to the requester.
    pub fn close_task(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let task = *accounts.task.load()?;
        let mut balance = accounts.balance.load_mut()?;
        let mut fees = accounts.fee_balance.load_mut()?;
        let mut record = accounts.requester_record.load_mut()?;
        accounts.validate(now, &task, &balance, &record, &fees)?;
        let (fee, refund) =
            close_split(task.deposit, task.rewards_paid, task.fee_bps).ok_or(PobError::MathOverflow)?;
        let to_fees = fee
            .checked_add(task.stake_slashed)
            .and_then(|total| total.checked_add(task.bond_forfeited))
            .ok_or(PobError::MathOverflow)?;
        balance.free = balance.free.checked_add(refund).ok_or(PobError::MathOverflow)?;
        fees.accrued = fees.accrued.checked_add(to_fees).ok_or(PobError::MathOverflow)?;
        fees.collected = fees.collected.checked_add(to_fees).ok_or(PobError::MathOverflow)?;
        record.tasks_closed += 1;
        record.answers_paid += u32::from(task.paid_answers);
        record.gold_unrevealed += u32::from(task.gold_state == GOLD_SEALED);
        emit_event!(TaskClosed {
            task: accounts.task.key(),
            rewards_paid: task.rewards_paid,
            fee,
            refund,
            stake_slashed: task.stake_slashed,
            bond_forfeited: task.bond_forfeited,
        });
        Ok(())
    }
}
