use clap::{Parser, Subcommand};

/// Proof of Brain: AI micro-tasks paid from an on-chain escrow, settled by quorum.
#[derive(Parser)]
#[command(name = "pob", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run a full task story on a fresh embedded ledger and print every step and balance.
    Demo,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::Demo => {
            pob_cli::commands::demo::run(&mut std::io::stdout()).await?;
        }
    }
    Ok(())
}
