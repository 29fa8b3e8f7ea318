use anchor_lang::prelude::*;

use crate::constants::{STAKE_SEED, SUBMISSION_SEED, TASK_SEED, WORKER_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AnswerCommitted;
use crate::pda_account;
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

    /// CHECK: the Submission PDA for (task, worker) (address checked by seeds); the handler
    /// refuses an existing one (`AlreadyCommitted`) and creates it, even if someone sent lamports
    /// to the address first.
    #[account(mut, seeds = [SUBMISSION_SEED, task.key().as_ref(), worker.key().as_ref()], bump)]
    pub submission: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl CommitAnswer<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        let task = &self.task;
        require!(task.state == TaskState::Open, PobError::TaskNotOpen);
        require_keys_neq!(task.requester, self.worker.key(), PobError::RequesterCannotAnswer);
        require!(!pda_account::exists(&self.submission), PobError::AlreadyCommitted);
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
        let (task_key, worker) = (accounts.task.key(), accounts.worker.key());
        let bump = ctx.bumps.submission;
        pda_account::create(
            &accounts.worker,
            &accounts.submission,
            &accounts.system_program,
            Submission::DISCRIMINATOR.len() + Submission::INIT_SPACE,
            &[SUBMISSION_SEED, task_key.as_ref(), worker.as_ref(), &[bump]],
        )?;
        let submission = Submission {
            task: task_key,
            worker,
            commitment,
            answer_hash: [0; 32],
            state: SubmissionState::Committed,
            bump,
        };
        pda_account::write(&accounts.submission, &submission)?;

        let task = &mut accounts.task;
        accounts.stake.locked += task.stake_per_answer; // <= amount: checked by validate
        accounts.worker_account.answers_committed += 1;
        task.committed += 1; // <= answers_required <= 32
        emit_event!(AnswerCommitted { task: task_key, worker, committed: task.committed });
        Ok(())
    }
}
