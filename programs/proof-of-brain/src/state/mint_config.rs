use anchor_lang::prelude::*;

use crate::constants::MINT_CONFIG_SEED;
use crate::error::PobError;

/// Per-mint settings, at `["mint", mint]`. This PDA owns the mint's vault (its associated token
/// account), where every token the program holds in this mint sits: balances, task escrows, fees.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct MintConfig {
    pub mint: Pubkey,
    /// The vault's address, stored so instructions compare it instead of deriving it.
    pub vault: Pubkey,
    /// SPL Token or Token-2022: the program that owns the mint.
    pub token_program: Pubkey,
    /// The wage floor: least reward per answer, in base units.
    pub min_reward_per_answer: u64,
    /// Least stake a task may require per answer, in base units.
    pub min_stake_per_answer: u64,
    /// Bond posted to open a dispute, in base units (> 0).
    pub dispute_bond: u64,
    /// Worker chamber: least rewards earned in this mint (base units) to join.
    pub chamber_min_rewards: u64,
    /// Worker chamber: base units of locked stake per unit of vote weight.
    pub chamber_stake_per_weight: u64,
    pub decimals: u8,
    /// Disabled mints take no new tasks or deposits; open tasks still settle and balances can
    /// still be withdrawn.
    pub enabled: u8,
    pub bump: u8,
    pub _reserved: [u8; 5],
}

/// The limits the authority sets when allowing a mint (instruction argument).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct MintLimits {
    pub min_reward_per_answer: u64,
    pub min_stake_per_answer: u64,
    pub dispute_bond: u64,
    pub chamber_min_rewards: u64,
    pub chamber_stake_per_weight: u64,
}

impl MintLimits {
    pub fn validate(&self) -> Result<()> {
        ensure!(
            self.min_reward_per_answer > 0
                && self.min_stake_per_answer > 0
                && self.chamber_stake_per_weight > 0,
            PobError::InvalidMintLimits
        );
        // A free dispute would let anyone stall every task's payout for a vote window.
        ensure!(self.dispute_bond > 0, PobError::ZeroDisputeBond);
        Ok(())
    }
}

impl MintConfig {
    pub fn is_enabled(&self) -> bool {
        self.enabled != 0
    }

    /// Runs `f` with the MintConfig PDA's signer seeds (it signs for the vault).
    pub fn with_signer_seeds<R>(&self, f: impl FnOnce(&[&[&[u8]]]) -> R) -> R {
        f(&[&[MINT_CONFIG_SEED, self.mint.as_ref(), &[self.bump]]])
    }

    pub fn set_limits(&mut self, limits: &MintLimits) {
        self.min_reward_per_answer = limits.min_reward_per_answer;
        self.min_stake_per_answer = limits.min_stake_per_answer;
        self.dispute_bond = limits.dispute_bond;
        self.chamber_min_rewards = limits.chamber_min_rewards;
        self.chamber_stake_per_weight = limits.chamber_stake_per_weight;
    }
}
