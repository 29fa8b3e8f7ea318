use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::FeesWithdrawn;
use crate::state::{FeeBalance, MintConfig, Protocol};
use crate::token::VaultAccounts;

#[derive(Accounts)]
pub struct WithdrawFees<'info> {
    pub treasury: Signer<'info>,

    pub protocol: AccountLoader<'info, Protocol>,

    pub mint_config: AccountLoader<'info, MintConfig>,

    /// The fee balance of the mint (checked by `validate`).
    #[account(mut)]
    pub fee_balance: AccountLoader<'info, FeeBalance>,

    /// CHECK: the mint named by the MintConfig (checked).
    pub mint: UncheckedAccount<'info>,

    /// CHECK: the mint's vault, compared with the one the MintConfig stores.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,

    /// CHECK: any token account of the mint, chosen by the treasury; its mint is checked.
    #[account(mut)]
    pub destination: UncheckedAccount<'info>,

    /// CHECK: the token program the MintConfig stores (compared).
    pub token_program: UncheckedAccount<'info>,
}

impl<'info> WithdrawFees<'info> {
    fn validate(
        &self,
        protocol: &Protocol,
        config: &MintConfig,
        fees: &FeeBalance,
        amount: u64,
    ) -> Result<()> {
        ensure!(protocol.treasury == self.treasury.key(), PobError::NotTreasury);
        ensure!(fees.mint == config.mint, PobError::WrongMint);
        ensure!(amount > 0, PobError::ZeroAmount);
        ensure!(amount <= fees.accrued, PobError::InsufficientFees);
        self.vault_accounts(config).check()
    }

    fn vault_accounts<'a>(&'a self, config: &'a MintConfig) -> VaultAccounts<'a, 'info> {
        VaultAccounts::new(config, &self.mint_config, &self.mint, &self.vault, &self.token_program)
    }

    /// The treasury takes accrued fees (protocol fee, slashed stake, forfeited bonds) to any token
    /// account of the mint.
    pub fn withdraw_fees(ctx: Context<Self>, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let config = *accounts.mint_config.load()?;
        let accrued = {
            let mut fees = accounts.fee_balance.load_mut()?;
            accounts.validate(&*accounts.protocol.load()?, &config, &fees, amount)?;
            fees.accrued -= amount; // amount <= accrued: checked above
            fees.withdrawn = fees.withdrawn.checked_add(amount).ok_or(PobError::MathOverflow)?;
            fees.accrued
        };
        accounts.vault_accounts(&config).pay_out(&accounts.destination, amount)?;
        emit_event!(FeesWithdrawn {
            mint: config.mint,
            amount,
            accrued,
            destination: accounts.destination.key(),
        });
        Ok(())
    }
}
