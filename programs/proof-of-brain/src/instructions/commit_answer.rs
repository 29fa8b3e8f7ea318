use anchor_lang::prelude::*;

use crate::constants::{STAKE_SEED, SUBMISSION_SEED, TASK_SEED, WORKER_SEED};
use crate::error::PobError;
use crate::events::AnswerCommitted;
use crate::state::{Stake, Submission, SubmissionState, Task, TaskState, Worker};

#[derive(Accounts)]
pub struct CommitAnswer<'info> {
    /// The worker answers with their own wallet: nobody can answer in their name.
    #[account(mut)]
    pub worker: Signer<'info>,

    #[account(mut, seeds = [WORKER_SEED, worker.key().as_ref()], bump = worker_account.bump)]
    pub worker_account: Box<Account<'info, Worker>>,

    #[account(mut, seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    /// The worker's stake in the task's mint.
    #[account(mut, seeds = [STAKE_SEED, worker.key().as_ref(), task.mint.as_ref()], bump = stake.bump)]
    pub stake: Box<Account<'info, Stake>>,

    /// `init_if_needed` so that a second commit fails with `AlreadyCommitted` rather than the
    /// system program's generic "account in use".
    #[account(init_if_needed, payer = worker,
              space = Submission::DISCRIMINATOR.len() + Submission::INIT_SPACE,
              seeds = [SUBMISSION_SEED, task.key().as_ref(), worker.key().as_ref()], bump)]
    pub submission: Box<Account<'info, Submission>>,

    pub system_program: Program<'info, System>,
}

impl CommitAnswer<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        let task = &self.task;
        require!(task.state == TaskState::Open, PobError::TaskNotOpen);
        require_keys_neq!(task.requester, self.worker.key(), PobError::RequesterCannotAnswer);
        require_keys_eq!(self.submission.task, Pubkey::default(), PobError::AlreadyCommitted);
        require!(now < task.commit_deadline, PobError::CommitPhaseOver);
        require!(task.committed < task.answers_required, PobError::TaskFull);
        require!(self.stake.free() >= task.stake_per_answer, PobError::InsufficientFreeStake);
        Ok(())
    }

    /// Records `sha256("pob-commit-v1" || task || worker || answer_hash || salt)` and locks
    /// `stake_per_answer` of the worker's free stake (bookkeeping only; no tokens move).
    pub fn commit_answer(ctx: Context<Self>, commitment: [u8; 32]) -> Result<()> {
        ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
        let accounts = &mut *ctx.accounts;
        let task = &mut accounts.task;

        accounts.stake.locked += task.stake_per_answer; // <= amount: checked by validate
        accounts.worker_account.answers_committed += 1;
        task.committed += 1; // <= answers_required <= 32
        accounts.submission.set_inner(Submission {
            task: task.key(),
            worker: accounts.worker.key(),
            commitment,
            answer_hash: [0; 32],
            state: SubmissionState::Committed,
            bump: ctx.bumps.submission,
        });
        emit!(AnswerCommitted { task: task.key(), worker: accounts.worker.key(), committed: task.committed });
        Ok(())
    }
}
