use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::ChamberStakeReleased;
use crate::state::Balance;

#[derive(Accounts)]
pub struct ReleaseChamberStake<'info> {
    pub wallet: Signer<'info>,

    /// The wallet's balance holding the chamber stake (checked by `validate`).
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,
}

impl ReleaseChamberStake<'_> {
    fn validate(&self, now: i64, balance: &Balance) -> Result<()> {
        ensure!(balance.wallet == self.wallet.key(), PobError::WrongBalance);
        ensure!(balance.chamber_locked > 0, PobError::NothingToRelease);
        ensure!(
            balance.chamber_member == 0 && now >= balance.chamber_unlocks_at,
            PobError::ChamberStakeLocked
        );
        Ok(())
    }

    /// A former chamber member takes their stake back into their free balance, one vote window
    /// after leaving.
    pub fn release_chamber_stake(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let mut balance = ctx.accounts.balance.load_mut()?;
        ctx.accounts.validate(now, &balance)?;
        let amount = balance.chamber_locked;
        balance.free = balance.free.checked_add(amount).ok_or(PobError::MathOverflow)?;
        balance.chamber_locked = 0;
        emit_event!(ChamberStakeReleased {
            wallet: balance.wallet,
            mint: balance.mint,
            amount,
            free: balance.free
        });
        Ok(())
    }
}
