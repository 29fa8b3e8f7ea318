//! `pob mint allow|disable|show`.
use anchor_lang::prelude::Pubkey;
use anyhow::Result;
use clap::Subcommand;
use solana_sdk::signature::Signer;

use super::amount_flag;
use crate::amount::format_amount;
use crate::ix;
use crate::output::Report;
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum MintCommand {
    /// Allow a stablecoin for tasks and stakes, with its wage floor (protocol authority only).
    Allow {
        /// The mint. Default: the cluster's USDC (the test USDC on the embedded ledger).
        mint: Option<Pubkey>,
        /// Least reward per answer (the wage floor), in tokens.
        #[arg(long, default_value = "0.01")]
        min_reward: String,
        /// Least stake a worker puts behind each answer, in tokens.
        #[arg(long, default_value = "0.1")]
        min_stake: String,
        /// What opening a dispute costs (refunded when the dispute changes the outcome).
        #[arg(long, default_value = "1")]
        dispute_bond: String,
    },
    /// Stop new tasks and stakes in a mint (protocol authority only). Running tasks settle.
    Disable { mint: Pubkey },
    /// Print a mint's settings in the protocol.
    Show { mint: Option<Pubkey> },
}

pub async fn run(session: &mut Session, command: MintCommand) -> Result<Report> {
    match command {
        MintCommand::Allow { mint, min_reward, min_stake, dispute_bond } => {
            let info = session.mint_or_default(mint).await?;
            let min_reward = amount_flag("--min-reward", &min_reward, info.decimals)?;
            let min_stake = amount_flag("--min-stake", &min_stake, info.decimals)?;
            let dispute_bond = amount_flag("--dispute-bond", &dispute_bond, info.decimals)?;
            let wallet = session.wallet()?.pubkey();
            let signature = session
                .send(
                    &[ix::allow_mint(&wallet, &wallet, info.mint, min_reward, min_stake, dispute_bond)],
                    &[],
                )
                .await?;
            Ok(show(session, info.mint.mint, "Mint allowed").await?.field("signature", signature.to_string()))
        }
        MintCommand::Disable { mint } => {
            let wallet = session.wallet()?.pubkey();
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
    let amount = |value| format_amount(value, config.decimals);
    Ok(Report::new(title)
        .field("mint", mint.to_string())
        .field("token_program", info.mint.token_program.to_string())
        .field("decimals", config.decimals)
        .field("enabled", config.enabled)
        .field("min_reward_per_answer", amount(config.min_reward_per_answer))
        .field("min_stake_per_answer", amount(config.min_stake_per_answer))
        .field("dispute_bond", amount(config.dispute_bond))
        .field("mint_config", pda::mint_config(&mint).to_string())
        .field("stake_vault", pda::stake_vault(&mint, &info.mint.token_program).to_string()))
}
