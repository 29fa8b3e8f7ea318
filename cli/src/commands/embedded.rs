//! `pob embedded warp|airdrop|mint`: what a local ledger needs and a real cluster never offers.
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, Result};
use clap::Subcommand;

use super::{amount_flag, duration_arg};
use crate::amount::format_amount;
use crate::duration::format_duration;
use crate::output::Report;
use crate::session::{Session, TEST_MINT_DECIMALS};

const SOL_DECIMALS: u8 = 9;

#[derive(Subcommand, Debug)]
pub enum EmbeddedCommand {
    /// Move the ledger's clock forward (it also follows the wall clock between invocations).
    Warp {
        /// How far, e.g. 90s, 30m, 1h, 1d.
        #[arg(value_parser = duration_arg)]
        duration: i64,
    },
    /// Give SOL (default 10) to the wallet or --to.
    Airdrop {
        /// How much SOL.
        #[arg(default_value = "10")]
        sol: String,
        /// Who gets it. Default: the wallet.
        #[arg(long)]
        to: Option<Pubkey>,
    },
    /// Mint test USDC to the wallet or --to.
    Mint {
        /// How much, in tokens (e.g. 100).
        amount: String,
        /// Who gets it (in its associated token account, created if missing). Default: the wallet.
        #[arg(long)]
        to: Option<Pubkey>,
    },
}

pub async fn run(session: &mut Session, command: EmbeddedCommand) -> Result<Report> {
    session.ledger.bank("pob embedded")?; // before a wallet is read or created
    match command {
        EmbeddedCommand::Warp { duration } => {
            let bank = session.ledger.bank("pob embedded warp")?;
            let to = bank.now().checked_add(duration).ok_or_else(|| anyhow!("the clock would overflow"))?;
            bank.warp_to(to).await;
            Ok(Report::new(format!("Clock moved forward {}", format_duration(duration)))
                .field("now", crate::output::instant(to)))
        }
        EmbeddedCommand::Airdrop { sol, to } => {
            let lamports = amount_flag("SOL", &sol, SOL_DECIMALS)?;
            let to = session.address_or_wallet(to)?;
            let bank = session.ledger.bank("pob embedded airdrop")?;
            bank.airdrop(&to, lamports).await.map_err(|err| anyhow!("airdrop failed: {err}"))?;
            let balance = bank.lamports(to).await;
            Ok(Report::new(format!("Airdropped {} SOL", format_amount(lamports, SOL_DECIMALS)))
                .field("to", to.to_string())
                .field("balance", crate::output::money(balance, SOL_DECIMALS)))
        }
        EmbeddedCommand::Mint { amount, to } => {
            let base_units = amount_flag("amount", &amount, TEST_MINT_DECIMALS)?;
            let to = session.address_or_wallet(to)?;
            let (mint, authority) = session.embedded_test_mint().await?;
            let bank = session.ledger.bank("pob embedded mint")?;
            bank.mint_to(mint, &authority, &to, base_units)
                .await
                .map_err(|err| anyhow!("mint failed: {err}"))?;
            let balance = bank.token_balance(mint.ata(&to)).await;
            Ok(Report::new(format!("Minted {} test USDC", format_amount(base_units, TEST_MINT_DECIMALS)))
                .field("mint", mint.mint.to_string())
                .field("to", to.to_string())
                .field("token_account", mint.ata(&to).to_string())
                .field("balance", crate::output::money(balance, TEST_MINT_DECIMALS)))
        }
    }
}
