use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MINT_CONFIG_SEED, STAKE_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::Staked;
use crate::pda_account;
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

    /// CHECK: the worker's Stake PDA for this mint (address checked by seeds); created by the
    /// handler on the first stake (even if someone sent lamports to the address), read and
    /// updated afterwards.
    #[account(mut, seeds = [STAKE_SEED, worker.key().as_ref(), mint.key().as_ref()], bump)]
    pub stake: UncheckedAccount<'info>,

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
        let accounts = &ctx.accounts;
        let (wallet, mint, bump) = (accounts.worker.key(), accounts.mint.key(), ctx.bumps.stake);
        let mut stake = if pda_account::exists(&accounts.stake) {
            pda_account::read::<Stake>(&accounts.stake)?
        } else {
            pda_account::create(
                &accounts.worker,
                &accounts.stake,
                &accounts.system_program,
                Stake::DISCRIMINATOR.len() + Stake::INIT_SPACE,
                &[STAKE_SEED, wallet.as_ref(), mint.as_ref(), &[bump]],
            )?;
            Stake { wallet, mint, amount: 0, locked: 0, bump }
        };
        stake.amount = stake.amount.checked_add(amount).ok_or(PobError::MathOverflow)?;
        pda_account::write(&accounts.stake, &stake)?;
        token::transfer(
            &accounts.token_program,
            &accounts.mint,
            &accounts.worker_token_account,
            &accounts.stake_vault,
            accounts.worker.to_account_info(),
            amount,
            &[],
        )?;
        emit_event!(Staked { wallet: stake.wallet, mint: stake.mint, amount, total: stake.amount });
        Ok(())
    }
}
