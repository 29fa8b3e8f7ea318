use anchor_lang::prelude::*;

use crate::constants::BALANCE_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::BalanceOpened;
use crate::pda_account;
use crate::state::{Balance, MintConfig};

#[derive(Accounts)]
pub struct OpenBalance<'info> {
    /// Pays the balance's rent.
    #[account(mut)]
    pub owner: Signer<'info>,

    pub mint_config: AccountLoader<'info, MintConfig>,

    /// CHECK: the owner's Balance PDA in this mint (address checked by seeds); created here, even
    /// if someone sent lamports to the address first. An existing one is refused.
    #[account(mut, seeds = [BALANCE_SEED, owner.key().as_ref(), mint_config.load()?.mint.as_ref()], bump)]
    pub balance: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl OpenBalance<'_> {
    fn validate(&self) -> Result<()> {
        ensure!(!pda_account::exists(&self.balance), PobError::BalanceAlreadyOpen);
        Ok(())
    }

    /// Opens the owner's balance in a mint: what the program holds for them there (deposits,
    /// stake, rewards, refunds). Needed once per mint, before the first deposit.
    pub fn open_balance(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()?;
        let accounts = &ctx.accounts;
        let (owner, mint, bump) =
            (accounts.owner.key(), accounts.mint_config.load()?.mint, ctx.bumps.balance);
        let mut balance = pda_account::create_zero_copy::<Balance>(
            &accounts.owner,
            &accounts.balance,
            &accounts.system_program,
            &[BALANCE_SEED, owner.as_ref(), mint.as_ref(), &[bump]],
        )?;
        balance.wallet = owner;
        balance.mint = mint;
        balance.bump = bump;
        emit_event!(BalanceOpened { wallet: owner, mint });
        Ok(())
    }
}
