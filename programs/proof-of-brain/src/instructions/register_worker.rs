use anchor_lang::prelude::*;

use crate::constants::WORKER_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::WorkerRegistered;
use crate::pda_account;
use crate::state::Worker;

#[derive(Accounts)]
pub struct RegisterWorker<'info> {
    #[account(mut)]
    pub worker: Signer<'info>,

    /// CHECK: the worker's Worker PDA (address checked by seeds); the handler refuses an existing
    /// one and creates it, even if someone sent lamports to the address first.
    #[account(mut, seeds = [WORKER_SEED, worker.key().as_ref()], bump)]
    pub worker_account: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl RegisterWorker<'_> {
    fn validate(&self) -> Result<()> {
        require!(!pda_account::exists(&self.worker_account), PobError::WorkerAlreadyRegistered);
        Ok(())
    }

    /// Opens the worker's reputation record; needed before the first commit.
    pub fn register_worker(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()?;
        let accounts = &ctx.accounts;
        let (wallet, bump) = (accounts.worker.key(), ctx.bumps.worker_account);
        pda_account::create(
            &accounts.worker,
            &accounts.worker_account,
            &accounts.system_program,
            Worker::DISCRIMINATOR.len() + Worker::INIT_SPACE,
            &[WORKER_SEED, wallet.as_ref(), &[bump]],
        )?;
        let record = Worker {
            wallet,
            answers_committed: 0,
            answers_agreed: 0,
            answers_disagreed: 0,
            answers_no_quorum: 0,
            answers_unrevealed: 0,
            stake_slashed: 0,
            disputes_won: 0,
            disputes_lost: 0,
            bump,
        };
        pda_account::write(&accounts.worker_account, &record)?;
        emit_event!(WorkerRegistered { wallet });
        Ok(())
    }
}
