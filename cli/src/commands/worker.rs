//! `pob worker register|stake|unstake|show`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use clap::Subcommand;
use proof_of_brain::state::{Stake, Worker};
use solana_sdk::signature::Signer;

use super::amount_flag;
use crate::amount::format_amount;
use crate::ix;
use crate::output::Report;
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum WorkerCommand {
    /// Create the wallet's worker record (answer statistics). `stake` does it when needed.
    Register,
    /// Put tokens behind future answers (each answer locks the task's stake per answer).
    Stake {
        /// Amount in tokens, e.g. 2.5.
        amount: String,
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// Take back stake that no open answer is holding.
    Unstake {
        amount: String,
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// A worker's record and stake. Default: the wallet.
    Show {
        wallet: Option<Pubkey>,
        #[arg(long)]
        mint: Option<Pubkey>,
    },
}

pub async fn run(session: &mut Session, command: WorkerCommand) -> Result<Report> {
    match command {
        WorkerCommand::Register => {
            let wallet = session.wallet()?.pubkey();
            if session.fetch::<Worker>(&pda::worker(&wallet)).await?.is_some() {
                bail!("{wallet} is already registered (see `pob worker show`)");
            }
            let signature = session.send(&[ix::register_worker(&wallet)], &[]).await?;
            Ok(show(session, wallet, None, "Worker registered")
                .await?
                .field("signature", signature.to_string()))
        }
        WorkerCommand::Stake { amount, mint } => {
            let info = session.mint_or_default(mint).await?;
            let amount = amount_flag("amount", &amount, info.decimals)?;
            let wallet = session.wallet()?.pubkey();
            let held = session.token_balance(&info.mint.ata(&wallet)).await?;
            if held < amount {
                bail!(
                    "the wallet holds {} of {}; cannot stake {}",
                    format_amount(held, info.decimals),
                    info.mint.mint,
                    format_amount(amount, info.decimals)
                );
            }
            let mut ixs = Vec::new();
            if session.fetch::<Worker>(&pda::worker(&wallet)).await?.is_none() {
                ixs.push(ix::register_worker(&wallet));
            }
            ixs.push(ix::stake(&wallet, info.mint, &info.mint.ata(&wallet), amount));
            let signature = session.send(&ixs, &[]).await?;
            Ok(show(session, wallet, Some(info.mint.mint), "Staked")
                .await?
                .field("signature", signature.to_string()))
        }
        WorkerCommand::Unstake { amount, mint } => {
            let info = session.mint_or_default(mint).await?;
            let amount = amount_flag("amount", &amount, info.decimals)?;
            let wallet = session.wallet()?.pubkey();
            let signature = session
                .send(&[ix::unstake(&wallet, info.mint, &info.mint.ata(&wallet), amount)], &[])
                .await?;
            Ok(show(session, wallet, Some(info.mint.mint), "Unstaked")
                .await?
                .field("signature", signature.to_string()))
        }
        WorkerCommand::Show { wallet, mint } => {
            let wallet = session.address_or_wallet(wallet)?;
            let mint = session.mint_or_default(mint).await?.mint.mint;
            show(session, wallet, Some(mint), "Worker").await
        }
    }
}

async fn show(session: &mut Session, wallet: Pubkey, mint: Option<Pubkey>, title: &str) -> Result<Report> {
    let Some(worker) = session.fetch::<Worker>(&pda::worker(&wallet)).await? else {
        bail!("{wallet} is not a registered worker (run `pob worker register` or `pob worker stake`)");
    };
    let mut report = Report::new(title)
        .field("wallet", wallet.to_string())
        .field("worker_account", pda::worker(&wallet).to_string())
        .field("answers_committed", worker.answers_committed)
        .field("answers_agreed", worker.answers_agreed)
        .field("answers_disagreed", worker.answers_disagreed)
        .field("answers_no_quorum", worker.answers_no_quorum)
        .field("answers_unrevealed", worker.answers_unrevealed)
        .field("disputes_won", worker.disputes_won)
        .field("disputes_lost", worker.disputes_lost);
    if let Some(mint) = mint {
        let decimals = session.mint(&mint).await?.decimals;
        let stake = session.fetch::<Stake>(&pda::stake(&wallet, &mint)).await?;
        let (amount, locked, free) =
            stake.map_or((0, 0, 0), |stake| (stake.amount, stake.locked, stake.free()));
        report.push("mint", mint.to_string());
        report.push("stake_account", pda::stake(&wallet, &mint).to_string());
        report.push("stake", format_amount(amount, decimals));
        report.push("stake_locked", format_amount(locked, decimals));
        report.push("stake_free", format_amount(free, decimals));
        report.push("stake_slashed", format_amount(worker.stake_slashed, decimals));
    }
    Ok(report)
}
