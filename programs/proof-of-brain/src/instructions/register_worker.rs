use anchor_lang::prelude::*;

use crate::constants::WORKER_RECORD_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::WorkerRegistered;
use crate::pda_account;
use crate::state::Worker;

#[derive(Accounts)]
pub struct RegisterWorker<'info> {
    pub worker: Signer<'info>,

    /// CHECK: the worker's record at `create_with_seed(worker, "pob-worker-v1", program)`
    /// (checked), which the worker creates with the system program earlier in this transaction
    /// (`create_account_with_seed`, owner: this program, `8 + size_of::<Worker>()` bytes). An
    /// initialized one is refused.
    #[account(mut)]
    pub worker_record: UncheckedAccount<'info>,
}

impl RegisterWorker<'_> {
    /// Opens the worker's reputation record; needed before the first commit.
    pub fn register_worker(ctx: Context<Self>) -> Result<()> {
        let accounts = &ctx.accounts;
        let wallet = accounts.worker.key();
        let mut record =
            pda_account::init_with_seed::<Worker>(&accounts.worker_record, &wallet, WORKER_RECORD_SEED)?
                .ok_or(PobError::WorkerAlreadyRegistered)?;
        record.wallet = wallet;
        emit_event!(WorkerRegistered { wallet });
        Ok(())
    }
}
