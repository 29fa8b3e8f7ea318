//! Token CPIs: always `transfer_checked`, through whichever token program owns the mint (SPL Token
//! or Token-2022). Token accounts are passed as plain account infos: the token program checks
//! them (owner, mint, authority, frozen state) itself, so the program does not deserialize them.
use anchor_lang::prelude::*;

use anchor_lang::solana_program::instruction::AccountMeta;

use crate::error::PobError;
use crate::state::MintConfig;

/// SPL Token's (and Token-2022's) `TransferChecked` instruction tag.
const TRANSFER_CHECKED: u8 = 12;

/// The accounts every transfer in or out of a mint's vault needs.
pub struct VaultAccounts<'a, 'info> {
    pub config: &'a MintConfig,
    pub config_account: &'a AccountInfo<'info>,
    pub mint: &'a AccountInfo<'info>,
    pub vault: &'a AccountInfo<'info>,
    pub token_program: &'a AccountInfo<'info>,
}

impl<'a, 'info> VaultAccounts<'a, 'info> {
    pub fn new(
        config: &'a MintConfig,
        config_account: &'a impl AsRef<AccountInfo<'info>>,
        mint: &'a impl AsRef<AccountInfo<'info>>,
        vault: &'a impl AsRef<AccountInfo<'info>>,
        token_program: &'a impl AsRef<AccountInfo<'info>>,
    ) -> Self {
        Self {
            config,
            config_account: config_account.as_ref(),
            mint: mint.as_ref(),
            vault: vault.as_ref(),
            token_program: token_program.as_ref(),
        }
    }

    /// The mint, vault and token program are the ones this MintConfig names.
    pub fn check(&self) -> Result<()> {
        ensure!(self.mint.key() == self.config.mint, PobError::WrongMint);
        ensure!(self.vault.key() == self.config.vault, PobError::WrongVault);
        ensure!(self.token_program.key() == self.config.token_program, PobError::WrongTokenProgram);
        Ok(())
    }

    /// Moves `amount` from a token account of `owner` (who signs) into the vault.
    pub fn deposit(&self, from: &AccountInfo<'info>, owner: &AccountInfo<'info>, amount: u64) -> Result<()> {
        transfer_checked(
            self.token_program,
            [from, self.mint, self.vault, owner],
            amount,
            self.config.decimals,
            &[],
        )
    }

    /// Moves `amount` from the vault to `to` (any token account of the mint), the MintConfig
    /// signing for the vault. The token program refuses an account of another mint
    /// (`MintMismatch`), or a frozen one.
    pub fn pay_out(&self, to: &AccountInfo<'info>, amount: u64) -> Result<()> {
        let accounts = [self.vault, self.mint, to, self.config_account];
        self.config.with_signer_seeds(|signer| {
            transfer_checked(self.token_program, accounts, amount, self.config.decimals, signer)
        })
    }
}

/// `TransferChecked` of `amount` from `accounts` = [from, mint, to, authority].
fn transfer_checked(
    token_program: &AccountInfo,
    accounts: [&AccountInfo; 4],
    amount: u64,
    decimals: u8,
    signer_seeds: &[&[&[u8]]],
) -> Result<()> {
    let mut data = [0u8; 10];
    data[0] = TRANSFER_CHECKED;
    data[1..9].copy_from_slice(&amount.to_le_bytes());
    data[9] = decimals;
    let [from, mint, to, authority] = accounts;
    let metas = [
        AccountMeta::new(*from.key, false),
        AccountMeta::new_readonly(*mint.key, false),
        AccountMeta::new(*to.key, false),
        AccountMeta::new_readonly(*authority.key, true),
    ];
    crate::cpi::invoke_signed(token_program.key, &metas, &data, &accounts, signer_seeds, false)
}
