use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MINT_CONFIG_SEED, STAKE_SEED};
use crate::error::PobError;
use crate::events::Staked;
use crate::state::{MintConfig, Stake};
use crate::token;

#[derive(Accounts)]
pub struct StakeTokens<'info> {
    #[account(mut)]
    pub worker: Signer<'info>,

    #[account(seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump = mint_config.bump)]
    pub mint_config: Box<Account<'info, MintConfig>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(init_if_needed, payer = worker, space = Stake::DISCRIMINATOR.len() + Stake::INIT_SPACE,
              seeds = [STAKE_SEED, worker.key().as_ref(), mint.key().as_ref()], bump)]
    pub stake: Box<Account<'info, Stake>>,

    #[account(mut, token::mint = mint, token::authority = worker, token::token_program = token_program)]
    pub worker_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = mint_config,
              associated_token::token_program = token_program)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl StakeTokens<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, PobError::ZeroAmount);
        require!(self.mint_config.enabled, PobError::MintDisabled);
        Ok(())
    }

    /// Moves tokens from the worker into the mint's stake vault.
    pub fn stake(ctx: Context<Self>, amount: u64) -> Result<()> {
        ctx.accounts.validate(amount)?;
        let accounts = &mut *ctx.accounts;
        let stake = &mut accounts.stake;
        if stake.wallet == Pubkey::default() {
            // First stake in this mint: the account was just created.
            stake.wallet = accounts.worker.key();
            stake.mint = accounts.mint.key();
            stake.bump = ctx.bumps.stake;
        }
        stake.amount = stake.amount.checked_add(amount).ok_or(PobError::MathOverflow)?;
        token::transfer(
            &accounts.token_program,
            &accounts.mint,
            &accounts.worker_token_account,
            &accounts.stake_vault,
            accounts.worker.to_account_info(),
            amount,
            &[],
        )?;
        emit!(Staked { wallet: stake.wallet, mint: stake.mint, amount, total: stake.amount });
        Ok(())
    }
}
