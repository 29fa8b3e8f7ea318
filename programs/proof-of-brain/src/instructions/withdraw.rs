use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::Withdrawn;
use crate::state::{Balance, MintConfig};
use crate::token::VaultAccounts;

#[derive(Accounts)]
pub struct Withdraw<'info> {
    pub owner: Signer<'info>,

    pub mint_config: AccountLoader<'info, MintConfig>,

    /// The owner's balance in the mint (wallet and mint checked by `validate`).
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    /// CHECK: the mint named by the MintConfig (checked).
    pub mint: UncheckedAccount<'info>,

    /// CHECK: the mint's vault, compared with the one the MintConfig stores.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: any token account of the mint, chosen by the owner; its mint is checked before the
    /// transfer, the token program checks the rest.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,

    /// CHECK: the token program the MintConfig stores (compared).
    pub token_program: UncheckedAccount<'info>,
}

impl<'info> Withdraw<'info> {
    fn validate(&self, config: &MintConfig, balance: &Balance, amount: u64) -> Result<()> {
        ensure!(amount > 0, PobError::ZeroAmount);
        ensure!(balance.wallet == self.owner.key() && balance.mint == config.mint, PobError::WrongBalance);
        ensure!(amount <= balance.free, PobError::InsufficientFreeBalance);
        self.vault_accounts(config).check()
    }

    fn vault_accounts<'a>(&'a self, config: &'a MintConfig) -> VaultAccounts<'a, 'info> {
        VaultAccounts::new(config, &self.mint_config, &self.mint, &self.vault, &self.token_program)
    }

    /// Sends free balance to any token account of the mint. Works while the protocol is paused or
    /// the mint disabled: an owner can always leave with what is not backing an open answer.
    pub fn withdraw(ctx: Context<Self>, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let config = *accounts.mint_config.load()?;
        let free = {
            let mut balance = accounts.balance.load_mut()?;
            accounts.validate(&config, &balance, amount)?;
            balance.free -= amount; // amount <= free: checked above
            balance.free
        };
        accounts.vault_accounts(&config).pay_out(&accounts.destination, amount)?;
        emit_event!(Withdrawn {
            wallet: accounts.owner.key(),
            mint: config.mint,
            amount,
            free,
            destination: accounts.destination.key(),
        });
        Ok(())
    }
}
