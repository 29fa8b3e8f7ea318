use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MINT_CONFIG_SEED, PROTOCOL_SEED};
use crate::error::PobError;
use crate::events::MintAllowed;
use crate::pda_account;
use crate::state::{MintConfig, Protocol};

/// Size of a mint account without extensions (the same in SPL Token and Token-2022).
const BASE_MINT_LEN: usize = 82;

#[derive(Accounts)]
pub struct AllowMint<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,

    pub authority: Signer<'info>,

    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump,
              has_one = authority @ PobError::NotProtocolAuthority)]
    pub protocol: Box<Account<'info, Protocol>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// CHECK: the mint's MintConfig PDA (address checked by seeds); created by the handler the
    /// first time (even if someone sent lamports to the address), read and updated afterwards.
    #[account(mut, seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump)]
    pub mint_config: UncheckedAccount<'info>,

    /// Holds every worker's stake in this mint; owned by the MintConfig PDA.
    #[account(init_if_needed, payer = payer, associated_token::mint = mint,
              associated_token::authority = mint_config, associated_token::token_program = token_program)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl AllowMint<'_> {
    fn validate(&self, min_reward_per_answer: u64, min_stake_per_answer: u64) -> Result<()> {
        require!(min_reward_per_answer > 0 && min_stake_per_answer > 0, PobError::InvalidMintLimits);
        // Extensions (transfer fees, hooks, permanent delegates...) can break escrow accounting:
        // refuse them all until each is vetted.
        require!(
            self.mint.to_account_info().data_len() <= BASE_MINT_LEN,
            PobError::MintExtensionsNotSupported
        );
        Ok(())
    }

    /// Enables a mint (or re-enables it, updating its limits).
    pub fn allow_mint(
        ctx: Context<Self>,
        min_reward_per_answer: u64,
        min_stake_per_answer: u64,
        dispute_bond: u64,
    ) -> Result<()> {
        ctx.accounts.validate(min_reward_per_answer, min_stake_per_answer)?;
        let accounts = &ctx.accounts;
        let (mint, bump) = (accounts.mint.key(), ctx.bumps.mint_config);
        if !pda_account::exists(&accounts.mint_config) {
            pda_account::create(
                &accounts.payer,
                &accounts.mint_config,
                &accounts.system_program,
                MintConfig::DISCRIMINATOR.len() + MintConfig::INIT_SPACE,
                &[MINT_CONFIG_SEED, mint.as_ref(), &[bump]],
            )?;
        }
        let config = MintConfig {
            mint,
            decimals: accounts.mint.decimals,
            enabled: true,
            min_reward_per_answer,
            min_stake_per_answer,
            dispute_bond,
            bump,
        };
        pda_account::write(&accounts.mint_config, &config)?;
        emit!(MintAllowed { mint, min_reward_per_answer, min_stake_per_answer, dispute_bond });
        Ok(())
    }
}
