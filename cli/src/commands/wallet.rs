//! `pob wallet new|address|balance`: enough key handling to try `pob` without the solana CLI.
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, Result};
use clap::Subcommand;
use solana_sdk::signature::{write_keypair_file, Keypair, Signer};

use crate::output::{money, Report};
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum WalletCommand {
    /// Create a keypair file (never overwrites one).
    New {
        /// Where to write the keypair file.
        outfile: PathBuf,
    },
    /// The wallet's address.
    Address,
    /// SOL and token balances of the wallet (or ADDRESS) in the default mint or --mint.
    Balance {
        /// Whose. Default: the wallet.
        address: Option<Pubkey>,
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        #[arg(long)]
        mint: Option<Pubkey>,
    },
}

pub async fn run(session: &mut Session, command: WalletCommand) -> Result<Report> {
    match command {
        WalletCommand::New { outfile } => {
            if outfile.exists() {
                bail!("{} already exists; not overwriting a keypair", outfile.display());
            }
            if let Some(dir) = outfile.parent().filter(|dir| !dir.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir)?;
            }
            let keypair = Keypair::new();
            write_keypair_file(&keypair, &outfile)
                .map_err(|err| anyhow!("cannot write {}: {err}", outfile.display()))?;
            Ok(Report::new("Wallet created")
                .field("address", keypair.pubkey().to_string())
                .field("keypair_file", outfile.display().to_string()))
        }
        WalletCommand::Address => {
            Ok(Report::new("Wallet").field("address", session.wallet()?.pubkey().to_string()).bare())
        }
        WalletCommand::Balance { address, mint } => {
            let address = session.address_or_wallet(address)?;
            let lamports = session.ledger.account(&address).await?.map_or(0, |account| account.lamports);
            let mint = session.mint_or_default(mint).await?;
            let tokens = session.token_balance(&mint.mint.ata(&address)).await?;
            Ok(Report::new("Balance")
                .field("address", address.to_string())
                .field("sol", money(lamports, 9))
                .field("mint", mint.mint.mint.to_string())
                .field("tokens", money(tokens, mint.decimals))
                .note(format!(
                    "What the program holds for you (free, locked): `{}`.",
                    session.hint("balance")
                )))
        }
    }
}
