//! `pob mint allow|disable|show`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use clap::Subcommand;
use proof_of_brain::state::FeeBalance;
use proof_of_brain::MintLimits;

use super::amount_flag;
use crate::commands::protocol::require_authority;
use crate::defaults;
use crate::ix;
use crate::output::{money, Report};
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum MintCommand {
    /// Allow a stablecoin for tasks, balances and bonds (protocol authority only). Limits
    /// default to the dollar-stablecoin ones (0.01 wage floor, 0.10 stake, 1.00 bond...).
    Allow {
        /// The mint. Default: the cluster's USDC (the test USDC on the embedded ledger).
        mint: Option<Pubkey>,
        /// Least reward per answer (the wage floor), in tokens.
        #[arg(long)]
        min_reward: Option<String>,
        /// Least stake a worker puts behind each answer, in tokens.
        #[arg(long)]
        min_stake: Option<String>,
        /// What opening a dispute costs (returned when the dispute changes the outcome).
        #[arg(long)]
        dispute_bond: Option<String>,
        /// Rewards a worker must have earned in this mint to join the worker chamber.
        #[arg(long)]
        chamber_min_rewards: Option<String>,
        /// Chamber stake per unit of vote weight, in tokens.
        #[arg(long)]
        chamber_stake_per_weight: Option<String>,
    },
    /// Stop new tasks in a mint (protocol authority only). Running tasks settle, balances
    /// withdraw.
    Disable {
        /// The mint to disable.
        mint: Pubkey,
    },
    /// A mint's settings in the protocol and its fee balance.
    Show {
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        mint: Option<Pubkey>,
    },
}

pub async fn run(session: &mut Session, command: MintCommand) -> Result<Report> {
    match command {
        MintCommand::Allow {
            mint,
            min_reward,
            min_stake,
            dispute_bond,
            chamber_min_rewards,
            chamber_stake_per_weight,
        } => {
            let info = session.mint_or_default(mint).await?;
            let defaults = defaults::mint_limits(info.decimals);
            let flag = |name: &str, text: Option<String>, default: u64| -> Result<u64> {
                text.map_or(Ok(default), |text| amount_flag(name, &text, info.decimals))
            };
            let limits = MintLimits {
                min_reward_per_answer: flag("--min-reward", min_reward, defaults.min_reward_per_answer)?,
                min_stake_per_answer: flag("--min-stake", min_stake, defaults.min_stake_per_answer)?,
                dispute_bond: flag("--dispute-bond", dispute_bond, defaults.dispute_bond)?,
                chamber_min_rewards: flag(
                    "--chamber-min-rewards",
                    chamber_min_rewards,
                    defaults.chamber_min_rewards,
                )?,
                chamber_stake_per_weight: flag(
                    "--chamber-stake-per-weight",
                    chamber_stake_per_weight,
                    defaults.chamber_stake_per_weight,
                )?,
            };
            for (flag, value) in [
                ("--min-reward", limits.min_reward_per_answer),
                ("--dispute-bond", limits.dispute_bond),
                ("--chamber-stake-per-weight", limits.chamber_stake_per_weight),
            ] {
                if value == 0 {
                    bail!("{flag}: must be more than 0");
                }
            }
            let protocol = session.protocol().await?;
            let wallet = require_authority(session, &protocol)?;
            if session
                .fetch::<proof_of_brain::state::MintConfig>(&pda::mint_config(&info.mint.mint))
                .await?
                .is_some()
            {
                let show = session.hint(&format!("mint show {}", info.mint.mint));
                bail!("mint {} is already allowed (see `{show}`)", info.mint.mint);
            }
            let signature = session.send(&[ix::allow_mint(&wallet, &wallet, info.mint, limits)], &[]).await?;
            Ok(show(session, info.mint.mint, "Mint allowed").await?.field("signature", signature.to_string()))
        }
        MintCommand::Disable { mint } => {
            let protocol = session.protocol().await?;
            let wallet = require_authority(session, &protocol)?;
            let config = session.mint_config(&mint).await?;
            if !config.is_enabled() {
                bail!("mint {mint} is already disabled");
            }
            let signature = session.send(&[ix::disable_mint(&wallet, &mint)], &[]).await?;
            Ok(show(session, mint, "Mint disabled").await?.field("signature", signature.to_string()))
        }
        MintCommand::Show { mint } => {
            let info = session.mint_or_default(mint).await?;
            show(session, info.mint.mint, "Mint").await
        }
    }
}

async fn show(session: &mut Session, mint: Pubkey, title: &str) -> Result<Report> {
    let config = session.mint_config(&mint).await?;
    let info = session.mint(&mint).await?;
    let fees: FeeBalance =
        session.fetch(&pda::fee_balance(&mint)).await?.unwrap_or_else(bytemuck::Zeroable::zeroed);
    let vault = session.token_balance(&info.mint.vault()).await?;
    let amount = |value| money(value, config.decimals);
    Ok(Report::new(title)
        .field("mint", mint.to_string())
        .field("token_program", info.mint.token_program.to_string())
        .field("decimals", config.decimals)
        .field("enabled", config.is_enabled())
        .field("min_reward_per_answer", amount(config.min_reward_per_answer))
        .field("min_stake_per_answer", amount(config.min_stake_per_answer))
        .field("dispute_bond", amount(config.dispute_bond))
        .field("chamber_min_rewards", amount(config.chamber_min_rewards))
        .field("chamber_stake_per_weight", amount(config.chamber_stake_per_weight))
        .field("vault", info.mint.vault().to_string())
        .field("vault_balance", amount(vault))
        .field("fees_accrued", amount(fees.accrued))
        .field("fees_collected", amount(fees.collected))
        .field("fees_withdrawn", amount(fees.withdrawn))
        .field("mint_config", pda::mint_config(&mint).to_string()))
}
