use anchor_lang::prelude::*;

use crate::constants::WORKER_SEED;
use crate::events::WorkerRegistered;
use crate::state::Worker;

#[derive(Accounts)]
pub struct RegisterWorker<'info> {
    #[account(mut)]
    pub worker: Signer<'info>,

    #[account(init, payer = worker, space = Worker::DISCRIMINATOR.len() + Worker::INIT_SPACE,
              seeds = [WORKER_SEED, worker.key().as_ref()], bump)]
    pub worker_account: Account<'info, Worker>,

    pub system_program: Program<'info, System>,
}

impl RegisterWorker<'_> {
    /// Opens the worker's reputation record; needed before the first commit.
    pub fn register_worker(ctx: Context<Self>) -> Result<()> {
        let wallet = ctx.accounts.worker.key();
        ctx.accounts.worker_account.set_inner(Worker {
            wallet,
            answers_committed: 0,
            answers_agreed: 0,
            answers_disagreed: 0,
            answers_no_quorum: 0,
            answers_unrevealed: 0,
            stake_slashed: 0,
            disputes_won: 0,
            disputes_lost: 0,
            bump: ctx.bumps.worker_account,
        });
        emit!(WorkerRegistered { wallet });
        Ok(())
    }
}
