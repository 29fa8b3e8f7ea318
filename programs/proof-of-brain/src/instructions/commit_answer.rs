use anchor_lang::prelude::*;

use crate::constants::SUBMISSION_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AnswerCommitted;
use crate::logic::qualification::{self, Record, Shortfall};
use crate::pda_account;
use crate::state::{Balance, Submission, Task, Worker, SUBMISSION_COMMITTED, TASK_OPEN};

#[derive(Accounts)]
pub struct CommitAnswer<'info> {
    /// The worker answers with their own wallet (nobody can answer in their name) and pays the
    /// submission's rent, which comes back at claim.
    #[account(mut)]
    pub worker: Signer<'info>,

    /// The worker's record (checked by `validate`): its history meets the task's qualification.
    #[account(mut)]
    pub worker_record: AccountLoader<'info, Worker>,

    #[account(mut)]
    pub task: AccountLoader<'info, Task>,

    /// The worker's balance in the task's mint: `stake_per_answer` of it gets locked.
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    /// CHECK: the Submission PDA for (task, worker) (address checked by seeds); the handler
    /// refuses an existing one (`AlreadyCommitted`) and creates it, even if someone sent lamports
    /// to the address first.
    #[account(mut, seeds = [SUBMISSION_SEED, task.key().as_ref(), worker.key().as_ref()], bump)]
    pub submission: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl CommitAnswer<'_> {
    fn validate(&self, now: i64, task: &Task, balance: &Balance, record: &Worker) -> Result<()> {
        ensure!(task.state == TASK_OPEN, PobError::TaskNotOpen);
        ensure!(task.requester != self.worker.key(), PobError::RequesterCannotAnswer);
        ensure!(!pda_account::exists(&self.submission), PobError::AlreadyCommitted);
        ensure!(now < task.commit_deadline, PobError::CommitPhaseOver);
        ensure!(task.committed < task.answers_required, PobError::TaskFull);
        let worker = self.worker.key();
        ensure!(balance.wallet == worker && balance.mint == task.mint, PobError::WrongBalance);
        ensure!(record.wallet == worker, PobError::WrongWorkerRecord);
        ensure!(balance.free >= task.stake_per_answer, PobError::InsufficientFreeStake);
        let q = &task.qualification;
        let history = Record {
            agreed: record.answers_agreed,
            disagreed: record.answers_disagreed,
            gold_passed: record.gold_passed,
            gold_failed: record.gold_failed,
        };
        match qualification::check(
            history,
            q.min_agreed_answers,
            q.min_agreement_bps,
            q.min_gold_accuracy_bps,
        ) {
            Ok(()) => Ok(()),
            Err(Shortfall::AgreedAnswers) => err!(PobError::BelowMinAgreedAnswers),
            Err(Shortfall::AgreementRate) => err!(PobError::BelowMinAgreementRate),
            Err(Shortfall::GoldAccuracy) => err!(PobError::BelowMinGoldAccuracy),
        }
    }

    /// Records `sha256("pob-commit-v1" || task || worker || answer_hash || salt)` and locks
    /// `stake_per_answer` of the worker's free balance.
    pub fn commit_answer(ctx: Context<Self>, commitment: [u8; 32]) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let mut task = accounts.task.load_mut()?;
        let mut balance = accounts.balance.load_mut()?;
        let mut record = accounts.worker_record.load_mut()?;
        accounts.validate(now, &task, &balance, &record)?;

        let (task_key, worker) = (accounts.task.key(), accounts.worker.key());
        let bump = ctx.bumps.submission;
        let mut submission = pda_account::create_zero_copy::<Submission>(
            &accounts.worker,
            &accounts.submission,
            &accounts.system_program,
            &[SUBMISSION_SEED, task_key.as_ref(), worker.as_ref(), &[bump]],
        )?;
        *submission = Submission {
            task: task_key,
            worker,
            commitment,
            committed_at: now,
            state: SUBMISSION_COMMITTED,
            bump,
            ..bytemuck::Zeroable::zeroed()
        };
        balance.free -= task.stake_per_answer; // <= free: checked by validate
        balance.locked = balance.locked.checked_add(task.stake_per_answer).ok_or(PobError::MathOverflow)?;
        record.answers_committed += 1;
        task.committed += 1; // < answers_required <= 32: checked by validate
        emit_event!(AnswerCommitted { task: task_key, worker, committed: task.committed });
        Ok(())
    }
}
