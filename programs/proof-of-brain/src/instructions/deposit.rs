use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::Deposited;
use crate::state::{Balance, MintConfig};
use crate::token::VaultAccounts;

#[derive(Accounts)]
pub struct Deposit<'info> {
    /// Signs for the token account.
    pub owner: Signer<'info>,

    pub mint_config: AccountLoader<'info, MintConfig>,

    /// The owner's balance in the mint (wallet and mint checked by `validate`).
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    /// CHECK: the mint named by the MintConfig (checked); the token program checks the rest.
    pub mint: UncheckedAccount<'info>,

    /// CHECK: any token account the owner may spend from; the token program checks its mint,
    /// authority and state.
    #[account(mut)]
    pub from: UncheckedAccount<'info>,

    /// CHECK: the mint's vault, compared with the one the MintConfig stores.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: the token program the MintConfig stores (compared).
    pub token_program: UncheckedAccount<'info>,
}

impl<'info> Deposit<'info> {
    fn validate(&self, config: &MintConfig, balance: &Balance, amount: u64) -> Result<()> {
        ensure!(amount > 0, PobError::ZeroAmount);
        ensure!(config.is_enabled(), PobError::MintDisabled);
        ensure!(balance.wallet == self.owner.key() && balance.mint == config.mint, PobError::WrongBalance);
        self.vault_accounts(config).check()
    }

    fn vault_accounts<'a>(&'a self, config: &'a MintConfig) -> VaultAccounts<'a, 'info> {
        VaultAccounts::new(config, &self.mint_config, &self.mint, &self.vault, &self.token_program)
    }

    /// Moves tokens into the mint's vault and credits the owner's free balance, which backs
    /// answers as stake and funds tasks.
    pub fn deposit(ctx: Context<Self>, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let config = *accounts.mint_config.load()?;
        let free = {
            let mut balance = accounts.balance.load_mut()?;
            accounts.validate(&config, &balance, amount)?;
            balance.free = balance.free.checked_add(amount).ok_or(PobError::MathOverflow)?;
            balance.free
        };
        accounts.vault_accounts(&config).deposit(&accounts.from, &accounts.owner, amount)?;
        emit_event!(Deposited { wallet: accounts.owner.key(), mint: config.mint, amount, free });
        Ok(())
    }
}
