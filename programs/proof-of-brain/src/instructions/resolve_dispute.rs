use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::DisputeResolved;
use crate::logic::dispute::{can_resolve_early, winning_candidate};
use crate::state::{Balance, Dispute, Requester, Task, TaskViewMut, Worker, TASK_FINALIZED};

#[derive(Accounts)]
pub struct ResolveDispute<'info> {
    #[account(mut)]
    pub task: AccountLoader<'info, Task>,

    /// The task's dispute; closed here, its rent going back to the opener.
    #[account(mut, close = opener)]
    pub dispute: AccountLoader<'info, Dispute>,

    /// CHECK: the opener's wallet, pinned by the dispute (checked by `validate`); it only receives
    /// the dispute's rent, which any account can receive, so it may be of any kind.
    #[account(mut)]
    pub opener: UncheckedAccount<'info>,

    /// The opener's balance in the task's mint: gets the bond back if the outcome changes.
    #[account(mut)]
    pub opener_balance: AccountLoader<'info, Balance>,

    /// The opener's record (the requester's when the requester opened, else the worker's), where
    /// the dispute is counted won or lost. Checked by `validate`.
    #[account(mut)]
    pub opener_requester_record: Option<AccountLoader<'info, Requester>>,

    #[account(mut)]
    pub opener_worker_record: Option<AccountLoader<'info, Worker>>,
}

impl ResolveDispute<'_> {
    fn validate(&self, now: i64, task: &Task, dispute: &Dispute, balance: &Balance) -> Result<()> {
        let opener = self.opener.key();
        ensure!(dispute.task == self.task.key(), PobError::WrongDispute);
        ensure!(dispute.opener == opener, PobError::WrongRecipient);
        ensure!(balance.wallet == opener && balance.mint == task.mint, PobError::WrongBalance);
        let early = can_resolve_early(
            dispute.weights(),
            dispute.weight_cast,
            dispute.total_weight_snapshot,
            dispute.min_vote_weight_snapshot,
        );
        ensure!(now >= dispute.vote_deadline || early, PobError::VotingStillOpen);
        if dispute.opener_is_requester != 0 {
            let record = self.opener_requester_record.as_ref().ok_or(PobError::OpenerRecordMissing)?;
            ensure!(record.load()?.wallet == opener, PobError::WrongRequesterRecord);
        } else {
            let record = self.opener_worker_record.as_ref().ok_or(PobError::OpenerRecordMissing)?;
            ensure!(record.load()?.wallet == opener, PobError::WrongWorkerRecord);
        }
        Ok(())
    }

    /// Permissionless, after the vote deadline or early once one candidate holds a majority of
    /// the snapshotted member weight with the minimum weight cast. If enough weight voted and one
    /// candidate leads, it becomes the outcome (Void = no quorum). The bond returns to the
    /// opener's balance if the outcome changed, else it is forfeited to the fee balance (at
    /// close). Claims open at once.
    pub fn resolve_dispute(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let dispute = *accounts.dispute.load()?;
        let mut balance = accounts.opener_balance.load_mut()?;
        let mut data = accounts.task.as_ref().try_borrow_mut_data()?;
        let task = TaskViewMut::parse(&mut data)?;
        accounts.validate(now, task.header, &dispute, &balance)?;

        let original = task.header.outcome();
        let winner =
            winning_candidate(dispute.weights(), dispute.weight_cast, dispute.min_vote_weight_snapshot);
        let outcome = match winner {
            // Candidates are the tally entries in order, then Void.
            Some(index) => task.tally().get(index).map(|entry| entry.answer_hash),
            None => original,
        };
        let changed = outcome != original;
        let header = task.header;
        header.set_outcome(outcome);
        header.state = TASK_FINALIZED;
        header.dispute_deadline = now;
        if changed {
            balance.free = balance.free.checked_add(dispute.bond).ok_or(PobError::MathOverflow)?;
        } else {
            header.bond_forfeited =
                header.bond_forfeited.checked_add(dispute.bond).ok_or(PobError::MathOverflow)?;
        }
        // validate() made sure the opener's record of the right kind is there.
        if dispute.opener_is_requester != 0 {
            if let Some(record) = accounts.opener_requester_record.as_ref() {
                let mut record = record.load_mut()?;
                *(if changed { &mut record.disputes_won } else { &mut record.disputes_lost }) += 1;
            }
        } else if let Some(record) = accounts.opener_worker_record.as_ref() {
            let mut record = record.load_mut()?;
            *(if changed { &mut record.disputes_won } else { &mut record.disputes_lost }) += 1;
        }
        emit_event!(DisputeResolved {
            task: accounts.task.key(),
            number: dispute.number,
            outcome,
            changed,
            weight_cast: dispute.weight_cast,
            bond: dispute.bond,
            bond_returned: changed,
        });
        Ok(())
    }
}
