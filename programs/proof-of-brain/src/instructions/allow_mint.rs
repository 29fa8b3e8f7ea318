use anchor_lang::prelude::*;

use anchor_lang::solana_program::program::invoke_signed;
use anchor_lang::solana_program::program_pack::Pack;
use anchor_spl::token_2022::spl_token_2022::extension::default_account_state::DefaultAccountState;
use anchor_spl::token_2022::spl_token_2022::extension::{
    BaseStateWithExtensions, ExtensionType, StateWithExtensions,
};
use anchor_spl::token_2022::spl_token_2022::state::{
    Account as TokenAccountState, AccountState, Mint as MintState,
};
use anchor_spl::token_interface::TokenInterface;

use crate::constants::{FEE_BALANCE_SEED, MINT_CONFIG_SEED, VAULT_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MintAllowed;
use crate::pda_account;
use crate::state::{FeeBalance, MintConfig, MintLimits, Protocol};

#[derive(Accounts)]
pub struct AllowMint<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,

    pub authority: Signer<'info>,

    /// The protocol; its authority is checked by `validate`.
    pub protocol: AccountLoader<'info, Protocol>,

    /// CHECK: a mint of `token_program` (owner compared, data parsed by the handler).
    #[account(owner = token_program.key())]
    pub mint: UncheckedAccount<'info>,

    /// CHECK: the mint's MintConfig PDA (address checked by seeds: one config per mint, whose vault
    /// every balance in the mint draws on); created the first time, updated afterwards.
    #[account(mut, seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump)]
    pub mint_config: UncheckedAccount<'info>,

    /// CHECK: the mint's FeeBalance PDA `["fees", mint]`, created with the MintConfig (the bump,
    /// an argument, is verified by the runtime when the PDA signs its creation).
    #[account(mut)]
    pub fee_balance: UncheckedAccount<'info>,

    /// CHECK: the mint's vault, a token account at the PDA `["vault", mint]` owned by the
    /// MintConfig, created with it like the fee balance.
    #[account(mut)]
    pub vault: UncheckedAccount<'info>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

/// The bumps of the fee balance and vault PDAs (only read the first time a mint is allowed).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MintBumps {
    pub fee_balance: u8,
    pub vault: u8,
}

impl<'info> AllowMint<'info> {
    /// Validates the limits and the mint's extensions; returns the mint's decimals and the size
    /// of a token account for it.
    fn validate(&self, limits: &MintLimits) -> Result<(u8, usize)> {
        self.protocol.load()?.check_authority(&self.authority)?;
        limits.validate()?;
        let mint = check_mint(&self.mint)?;
        if pda_account::exists(&self.mint_config) {
            let config = pda_account::read::<MintConfig>(&self.mint_config)?;
            ensure!(config.vault == self.vault.key(), PobError::WrongVault);
        }
        Ok(mint)
    }

    /// Creates the vault token account (owned by the MintConfig) at its PDA.
    fn create_vault(&self, bump: u8, space: usize) -> Result<()> {
        let mint = self.mint.key();
        pda_account::create_owned_by(
            &self.payer,
            &self.vault,
            &self.system_program,
            space,
            &self.token_program.key(),
            &[VAULT_SEED, mint.as_ref(), &[bump]],
        )?;
        let initialize = anchor_spl::token_2022::spl_token_2022::instruction::initialize_account3(
            &self.token_program.key(),
            &self.vault.key(),
            &mint,
            &self.mint_config.key(),
        )?;
        invoke_signed(&initialize, &[self.vault.to_account_info(), self.mint.to_account_info()], &[])?;
        Ok(())
    }

    /// Enables a mint (or re-enables it, updating its limits). The first time, creates its
    /// config, its fee balance and its vault.
    pub fn allow_mint(ctx: Context<Self>, limits: MintLimits, bumps: MintBumps) -> Result<()> {
        let accounts = &ctx.accounts;
        let (decimals, vault_space) = accounts.validate(&limits)?;
        let mint = accounts.mint.key();
        if !pda_account::exists(&accounts.mint_config) {
            accounts.create_vault(bumps.vault, vault_space)?;
            let mut fees = pda_account::create_zero_copy::<FeeBalance>(
                &accounts.payer,
                &accounts.fee_balance,
                &accounts.system_program,
                &[FEE_BALANCE_SEED, mint.as_ref(), &[bumps.fee_balance]],
            )?;
            fees.mint = mint;
            fees.bump = bumps.fee_balance;
            drop(fees);
            let bump = ctx.bumps.mint_config;
            let mut config = pda_account::create_zero_copy::<MintConfig>(
                &accounts.payer,
                &accounts.mint_config,
                &accounts.system_program,
                &[MINT_CONFIG_SEED, mint.as_ref(), &[bump]],
            )?;
            config.mint = mint;
            config.vault = accounts.vault.key();
            config.token_program = accounts.token_program.key();
            config.decimals = decimals;
            config.bump = bump;
        }
        let mut config = pda_account::open_mut::<MintConfig>(&accounts.mint_config)?;
        config.set_limits(&limits);
        config.enabled = 1;
        emit_event!(MintAllowed { mint, vault: config.vault, limits });
        Ok(())
    }
}

/// Token-2022 extensions change what a transfer does. Only extensions that leave balances and
/// transfers untouched are accepted; each one known to break escrow accounting has its own error,
/// and any other (or future) extension is refused until it is vetted. Returns the mint's decimals
/// and the size of a token account for it.
fn check_mint(mint: &AccountInfo) -> Result<(u8, usize)> {
    let data = mint.try_borrow_data()?;
    let state = StateWithExtensions::<MintState>::unpack(&data)?;
    let decimals = state.base.decimals;
    if mint.owner != &anchor_spl::token_2022::ID {
        return Ok((decimals, TokenAccountState::LEN)); // classic SPL Token: no extensions exist
    }
    let extensions = state.get_extension_types()?;
    for extension in &extensions {
        match extension {
            ExtensionType::MetadataPointer
            | ExtensionType::TokenMetadata
            | ExtensionType::GroupPointer
            | ExtensionType::TokenGroup
            | ExtensionType::GroupMemberPointer
            | ExtensionType::TokenGroupMember => {} // descriptive only
            ExtensionType::MintCloseAuthority => return err!(PobError::MintHasCloseAuthority),
            ExtensionType::TransferFeeConfig => return err!(PobError::MintHasTransferFee),
            ExtensionType::TransferHook => return err!(PobError::MintHasTransferHook),
            ExtensionType::PermanentDelegate => return err!(PobError::MintHasPermanentDelegate),
            ExtensionType::ConfidentialTransferMint
            | ExtensionType::ConfidentialTransferFeeConfig
            | ExtensionType::ConfidentialMintBurn => return err!(PobError::MintHasConfidentialTransfers),
            ExtensionType::NonTransferable => return err!(PobError::MintIsNonTransferable),
            ExtensionType::DefaultAccountState => {
                let default_state = state.get_extension::<DefaultAccountState>()?.state;
                ensure!(default_state != AccountState::Frozen as u8, PobError::MintDefaultsToFrozen);
            }
            ExtensionType::Pausable => return err!(PobError::MintIsPausable),
            _ => return err!(PobError::UnsupportedMintExtension),
        }
    }
    // Every mint extension that needs an extension in its token accounts too (transfer fees and
    // hooks, non-transferability, confidential transfers, pausing) is refused above: the vault
    // is a plain token account.
    Ok((decimals, TokenAccountState::LEN))
}
