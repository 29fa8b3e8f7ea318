use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_2022::spl_token_2022::extension::default_account_state::DefaultAccountState;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{AccountState, Mint as MintState};
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MINT_CONFIG_SEED, PROTOCOL_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MintAllowed;
use crate::pda_account;
use crate::state::{MintConfig, Protocol};

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
        check_mint_extensions(&self.mint.to_account_info())
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
        emit_event!(MintAllowed { mint, min_reward_per_answer, min_stake_per_answer, dispute_bond });
        Ok(())
    }
}

/// Token-2022 extensions change what a transfer does. Only extensions that leave balances and
/// transfers untouched are accepted; each one known to break escrow accounting has its own error,
/// and any other (or future) extension is refused until it is vetted.
fn check_mint_extensions(mint: &AccountInfo) -> Result<()> {
    let data = mint.try_borrow_data()?;
    if mint.owner != &anchor_spl::token_2022::ID {
        return Ok(()); // classic SPL Token: no extensions exist
    }
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    for extension in state.get_extension_types()? {
        match extension {
            ExtensionType::MetadataPointer
            | ExtensionType::TokenMetadata
            | ExtensionType::GroupPointer
            | ExtensionType::TokenGroup
            | ExtensionType::GroupMemberPointer
            | ExtensionType::TokenGroupMember
            | ExtensionType::MintCloseAuthority => {} // descriptive, or needs a zero supply
            ExtensionType::TransferFeeConfig => return err!(PobError::MintHasTransferFee),
            ExtensionType::TransferHook => return err!(PobError::MintHasTransferHook),
            ExtensionType::PermanentDelegate => return err!(PobError::MintHasPermanentDelegate),
            ExtensionType::ConfidentialTransferMint
            | ExtensionType::ConfidentialTransferFeeConfig
            | ExtensionType::ConfidentialMintBurn => return err!(PobError::MintHasConfidentialTransfers),
            ExtensionType::NonTransferable => return err!(PobError::MintIsNonTransferable),
            ExtensionType::DefaultAccountState => {
                let default_state = state.get_extension::<DefaultAccountState>()?.state;
                require!(default_state != AccountState::Frozen as u8, PobError::MintDefaultsToFrozen);
            }
            ExtensionType::Pausable => return err!(PobError::MintIsPausable),
            _ => return err!(PobError::UnsupportedMintExtension),
        }
    }
    Ok(())
}
