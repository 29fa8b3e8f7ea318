use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::SubmissionSettled;
use crate::logic::settlement::{classify, payout, Settlement};
use crate::state::{Balance, Submission, Task, Worker};

#[derive(Accounts)]
pub struct Claim<'info> {
    #[account(mut)]
    pub task: AccountLoader<'info, Task>,

    /// Closed here; its rent goes back to the worker who paid it.
    #[account(mut, close = worker)]
    pub submission: AccountLoader<'info, Submission>,

    /// CHECK: the worker's wallet, pinned by the submission (checked by `validate`); it only
    /// receives the submission's rent, which any account can receive, so it may be of any kind: a
    /// wallet assigned to another program still gets its rent and can never block the claim.
    #[account(mut)]
    pub worker: UncheckedAccount<'info>,

    /// The worker's balance in the task's mint: credited, never paid out here.
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    #[account(mut)]
    pub worker_record: AccountLoader<'info, Worker>,
}

impl Claim<'_> {
    fn validate(
        &self,
        now: i64,
        task: &Task,
        submission: &Submission,
        balance: &Balance,
        record: &Worker,
    ) -> Result<()> {
        let worker = self.worker.key();
        ensure!(submission.task == self.task.key() && submission.worker == worker, PobError::WrongSubmission);
        ensure!(balance.wallet == worker && balance.mint == task.mint, PobError::WrongBalance);
        ensure!(record.wallet == worker, PobError::WrongWorkerRecord);
        task.claims_open(now)
    }

    /// Permissionless. Settles one submission by crediting the worker's balance: the reward for
    /// the outcome (or the no-quorum share), stake unlocked for any revealed answer, stake slashed
    /// for an unrevealed one. Nothing the worker controls is written, so nothing they do can make
    /// it fail.
    pub fn claim(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let mut task = accounts.task.load_mut()?;
        let submission = accounts.submission.load()?;
        let mut balance = accounts.balance.load_mut()?;
        let mut record = accounts.worker_record.load_mut()?;
        accounts.validate(now, &task, &submission, &balance, &record)?;

        let settlement = classify(task.outcome().as_ref(), submission.revealed_answer());
        let amounts = payout(settlement, task.reward_per_answer, task.stake_per_answer, task.no_quorum_bps);
        let unlocked = task.stake_per_answer - amounts.slashed; // slashed is 0 or the whole stake
        balance.locked = balance.locked.checked_sub(task.stake_per_answer).ok_or(PobError::MathOverflow)?;
        balance.free = balance
            .free
            .checked_add(unlocked)
            .and_then(|free| free.checked_add(amounts.reward))
            .ok_or(PobError::MathOverflow)?;
        balance.rewards_earned =
            balance.rewards_earned.checked_add(amounts.reward).ok_or(PobError::MathOverflow)?;
        balance.slashed = balance.slashed.checked_add(amounts.slashed).ok_or(PobError::MathOverflow)?;
        match settlement {
            Settlement::Agreed => record.answers_agreed += 1,
            Settlement::Disagreed => record.answers_disagreed += 1,
            Settlement::NoQuorum => record.answers_no_quorum += 1,
            Settlement::Unrevealed => record.answers_unrevealed += 1,
        }
        // Gold grades revealers only, and never touches pay.
        let gold = task.gold_answer().zip(submission.revealed_answer().copied());
        if let Some((gold, answer)) = gold {
            if gold == answer {
                record.gold_passed += 1;
            } else {
                record.gold_failed += 1;
            }
        }
        task.settled += 1; // one per submission, <= committed
        task.paid_answers += u8::from(amounts.reward > 0);
        task.rewards_paid = task.rewards_paid.checked_add(amounts.reward).ok_or(PobError::MathOverflow)?;
        task.stake_slashed = task.stake_slashed.checked_add(amounts.slashed).ok_or(PobError::MathOverflow)?;
        emit_event!(SubmissionSettled {
            task: accounts.task.key(),
            worker: accounts.worker.key(),
            settlement,
            paid: amounts.reward,
            slashed: amounts.slashed,
            gold_passed: gold.map(|(gold, answer)| gold == answer),
        });
        Ok(())
    }
}
