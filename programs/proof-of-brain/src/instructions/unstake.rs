use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MINT_CONFIG_SEED, STAKE_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::Unstaked;
use crate::state::{MintConfig, Stake};
use crate::token;

#[derive(Accounts)]
pub struct UnstakeTokens<'info> {
    pub worker: Signer<'info>,

    #[account(seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump = mint_config.bump)]
    pub mint_config: Box<Account<'info, MintConfig>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, seeds = [STAKE_SEED, worker.key().as_ref(), mint.key().as_ref()], bump = stake.bump)]
    pub stake: Box<Account<'info, Stake>>,

    #[account(mut, token::mint = mint, token::authority = worker, token::token_program = token_program)]
    pub worker_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = mint_config,
              associated_token::token_program = token_program)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

impl UnstakeTokens<'_> {
    fn validate(&self, amount: u64) -> Result<()> {
        require!(amount > 0, PobError::ZeroAmount);
        require!(amount <= self.stake.free(), PobError::UnstakeExceedsFreeStake);
        Ok(())
    }

    /// Returns free stake to the worker. Works even while the protocol is paused or the mint is
    /// disabled: a worker can always leave with what is not backing an open answer.
    pub fn unstake(ctx: Context<Self>, amount: u64) -> Result<()> {
        ctx.accounts.validate(amount)?;
        let accounts = &mut *ctx.accounts;
        accounts.stake.amount -= amount; // amount <= free <= amount held
        accounts.mint_config.with_signer_seeds(|signer| {
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.stake_vault,
                &accounts.worker_token_account,
                accounts.mint_config.to_account_info(),
                amount,
                signer,
            )
        })?;
        let stake = &accounts.stake;
        emit_event!(Unstaked { wallet: stake.wallet, mint: stake.mint, amount, total: stake.amount });
        Ok(())
    }
}
