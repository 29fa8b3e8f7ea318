use anchor_lang::prelude::*;

use crate::constants::MINT_CONFIG_SEED;

/// Per-mint settings, at `["mint", mint]`. This PDA also owns the mint's stake vault (its ATA).
#[account]
#[derive(InitSpace)]
pub struct MintConfig {
    pub mint: Pubkey,
    pub decimals: u8,
    /// Disabled mints take no new tasks or stake; open tasks still settle and stake can leave.
    pub enabled: bool,
    /// The wage floor: least reward per answer, in base units.
    pub min_reward_per_answer: u64,
    /// Least stake a task may require per answer, in base units.
    pub min_stake_per_answer: u64,
    /// Bond posted to open a dispute, in base units.
    pub dispute_bond: u64,
    pub bump: u8,
}

impl MintConfig {
    /// Runs `f` with the MintConfig PDA's signer seeds (it signs for the stake vault).
    pub fn with_signer_seeds<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        f(&[&[MINT_CONFIG_SEED, self.mint.as_ref(), &[self.bump]]])
    }
}
