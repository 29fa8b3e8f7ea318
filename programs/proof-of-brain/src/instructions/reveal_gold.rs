use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::GoldRevealed;
use crate::logic::commitment::gold_seal;
use crate::state::{Requester, Task, GOLD_REVEALED, GOLD_SEALED, TASK_DISPUTED, TASK_FINALIZED};

#[derive(Accounts)]
pub struct RevealGold<'info> {
    pub requester: Signer<'info>,

    /// The requester's task (checked by `validate`).
    #[account(mut)]
    pub task: AccountLoader<'info, Task>,

    #[account(mut)]
    pub requester_record: AccountLoader<'info, Requester>,
}

impl RevealGold<'_> {
    fn validate(
        &self,
        now: i64,
        task: &Task,
        record: &Requester,
        answer_hash: &[u8; 32],
        salt: &[u8; 32],
    ) -> Result<()> {
        ensure!(task.requester == self.requester.key(), PobError::NotTheRequester);
        ensure!(record.wallet == self.requester.key(), PobError::WrongRequesterRecord);
        ensure!(task.gold_state != crate::state::GOLD_NONE, PobError::NoGoldSealed);
        ensure!(task.gold_state == GOLD_SEALED, PobError::GoldAlreadyRevealed);
        // After finalize (every reveal is in) and before claims open: the gold answer cannot sway
        // workers, and every claim sees it.
        let in_window =
            (task.state == TASK_FINALIZED && now < task.dispute_deadline) || task.state == TASK_DISPUTED;
        ensure!(in_window, PobError::GoldRevealWindowClosed);
        let expected = gold_seal(&self.task.key().to_bytes(), answer_hash, salt);
        ensure!(expected == task.gold_seal, PobError::GoldMismatch);
        Ok(())
    }

    /// The requester reveals the gold answer sealed at creation. It grades each revealer at claim
    /// (gold passed / failed in their record) and never changes anyone's pay.
    pub fn reveal_gold(ctx: Context<Self>, answer_hash: [u8; 32], salt: [u8; 32]) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let mut task = accounts.task.load_mut()?;
        let mut record = accounts.requester_record.load_mut()?;
        accounts.validate(now, &task, &record, &answer_hash, &salt)?;
        task.gold_answer = answer_hash;
        task.gold_state = GOLD_REVEALED;
        record.gold_revealed += 1;
        emit_event!(GoldRevealed { task: accounts.task.key(), answer_hash });
        Ok(())
    }
}
