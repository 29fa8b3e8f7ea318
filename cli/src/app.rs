//! The `pob` command line: global options, the command tree, and [`run`], which the binary and
//! the tests share.
use std::ffi::OsString;
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anyhow::Result;
use clap::{Args, Parser, Subcommand};

use crate::commands::{dao, demo, dispute, embedded, funds, mint, protocol, task, wallet, worker};
use crate::output::{OutputFormat, Report};
use crate::session::{Options, Session};

/// Proof of Brain: AI micro-tasks paid from an on-chain escrow, settled by quorum.
#[derive(Parser, Debug)]
#[command(name = "pob", version)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Cluster: embedded, localhost, devnet, testnet, mainnet-beta (or l/d/t/m), or an RPC URL.
    /// Default: the solana CLI config's json_rpc_url, else embedded.
    #[arg(short = 'u', long = "url", global = true, value_name = "URL_OR_MONIKER")]
    pub url: Option<String>,
    /// Keypair file that signs and pays. Default: the solana CLI config's keypair (on the embedded
    /// ledger without one, a local wallet under the user's data directory).
    #[arg(short = 'k', long = "keypair", global = true, value_name = "FILE")]
    pub keypair: Option<PathBuf>,
    /// The solana CLI config file to read (default ~/.config/solana/cli/config.yml).
    #[arg(short = 'C', long = "config", global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// display for people; json (pretty) or json-compact for scripts: one object per invocation,
    /// failures included (docs/CLI-JSON.md).
    #[arg(long, global = true, value_enum, default_value = "display")]
    pub output: OutputFormat,
    /// Priority fee, in micro-lamports per compute unit, added to every transaction.
    #[arg(long = "with-compute-unit-price", global = true, value_name = "MICRO_LAMPORTS")]
    pub compute_unit_price: Option<u64>,
    /// Address of the deployed program, if not the built-in id.
    #[arg(long = "program-id", global = true, value_name = "ADDRESS")]
    pub program_id: Option<Pubkey>,
    /// Embedded ledger file (default: embedded-ledger.json in the user's data directory).
    #[arg(long, global = true, value_name = "PATH")]
    pub ledger: Option<PathBuf>,
    /// Where text and number answers are kept until revealed (default: secrets.json in
    /// ~/.config/pob). Choice answers need nothing kept: salts come from the wallet.
    #[arg(long = "secrets-file", global = true, value_name = "PATH")]
    pub secrets_file: Option<PathBuf>,
}

impl GlobalArgs {
    pub fn options(&self) -> Options {
        Options {
            url: self.url.clone(),
            keypair: self.keypair.clone(),
            config_file: self.config.clone(),
            compute_unit_price: self.compute_unit_price,
            program_id: self.program_id,
            ledger: self.ledger.clone(),
            secrets_file: self.secrets_file.clone(),
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Initialise, inspect and govern the protocol's settings.
    #[command(subcommand)]
    Protocol(protocol::ProtocolCommand),
    /// Allow or disable a stablecoin mint.
    #[command(subcommand)]
    Mint(mint::MintCommand),
    /// What the program holds for a wallet: free (withdrawable), locked as stake, chamber stake.
    Balance(funds::BalanceArgs),
    /// Move tokens from your token account into your balance.
    Deposit(funds::DepositArgs),
    /// Move your free balance to a token account: nobody else can block it.
    Withdraw(funds::WithdrawArgs),
    /// The protocol's fees: show them, or withdraw them (the treasury).
    #[command(subcommand)]
    Fees(funds::FeesCommand),
    /// Register and inspect a worker: its record of agreed answers and gold.
    #[command(subcommand)]
    Worker(worker::WorkerCommand),
    /// A requester's public record: tasks closed, disputes lost, gold left sealed.
    #[command(subcommand)]
    Requester(worker::RequesterCommand),
    /// Post, answer, settle and inspect tasks.
    #[command(subcommand)]
    Task(task::TaskCommand),
    /// Dispute a result, vote on it, resolve it.
    #[command(subcommand)]
    Dispute(dispute::DisputeCommand),
    /// DAO membership: appointed members and the worker chamber.
    #[command(subcommand)]
    Dao(dao::DaoCommand),
    /// Create a keypair file, show the wallet's address and balances.
    #[command(subcommand)]
    Wallet(wallet::WalletCommand),
    /// Local-ledger helpers: move the clock, get SOL and test USDC.
    #[command(subcommand)]
    Embedded(embedded::EmbeddedCommand),
    /// Run a full task story on a fresh embedded ledger and print every step and balance.
    Demo,
    /// Serve the embedded ledger as a Solana JSON-RPC node on 127.0.0.1 (for `pob -u URL`,
    /// @solana/kit and the web app) until Ctrl-C; the ledger file is saved after every change.
    Serve {
        /// The port (8899, like a local validator).
        #[arg(long, default_value_t = 8899)]
        port: u16,
        /// The built web app to serve (default: app/dist of this source tree, if built).
        #[arg(long, value_name = "DIR")]
        app: Option<std::path::PathBuf>,
    },
}

/// Runs a parsed command line and returns what to print.
pub async fn execute(cli: Cli) -> Result<String> {
    let output = cli.global.output;
    if let Command::Demo = cli.command {
        let mut text = Vec::new();
        let summary = demo::run(&mut text).await?;
        return Ok(match output {
            OutputFormat::Display => String::from_utf8(text)?,
            format => demo::report(&summary).render(format),
        });
    }
    if let Command::Serve { port, app } = cli.command {
        return serve(cli.global.options(), port, app).await.map(|report| report.render(output));
    }
    let mut session = Session::open(&cli.global.options()).await?;
    let report = dispatch(&mut session, cli.command).await;
    // The embedded ledger keeps whatever landed, even when a later step failed.
    session.finish().await?;
    Ok(report?.render(output))
}

async fn dispatch(session: &mut Session, command: Command) -> Result<Report> {
    match command {
        Command::Protocol(command) => protocol::run(session, command).await,
        Command::Mint(command) => mint::run(session, command).await,
        Command::Balance(args) => funds::balance(session, args).await,
        Command::Deposit(args) => funds::deposit(session, args).await,
        Command::Withdraw(args) => funds::withdraw(session, args).await,
        Command::Fees(command) => funds::fees(session, command).await,
        Command::Worker(command) => worker::run(session, command).await,
        Command::Requester(command) => worker::requester(session, command).await,
        Command::Task(command) => task::run(session, command).await,
        Command::Dispute(command) => dispute::run(session, command).await,
        Command::Dao(command) => dao::run(session, command).await,
        Command::Embedded(command) => embedded::run(session, command).await,
        Command::Wallet(command) => wallet::run(session, command).await,
        Command::Demo | Command::Serve { .. } => unreachable!("handled before a session opens"),
    }
}

/// `pob serve`: the embedded ledger behind a JSON-RPC endpoint (and the web app) until Ctrl-C.
async fn serve(mut options: Options, port: u16, app: Option<std::path::PathBuf>) -> Result<Report> {
    use crate::backend::Ledger;
    match options.url.as_deref() {
        None | Some("embedded") => options.url = Some("embedded".into()),
        Some(other) => anyhow::bail!("--url: pob serve serves the embedded ledger, not {other}"),
    }
    let app_dir = match app {
        Some(dir) if dir.join("index.html").is_file() => Some(dir),
        Some(dir) => anyhow::bail!("--app: {} has no index.html (build the app first)", dir.display()),
        None => {
            let built = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../app/dist");
            built.join("index.html").is_file().then_some(built)
        }
    };
    let mut session = Session::open(&options).await?;
    let setup = set_up_local_ledger(&mut session).await?;
    let specs = session.specs();
    // The ledger file stays locked while serving: `pob` invocations on it wait (use -u URL).
    let Ledger::Embedded { bank, path, _lock } = session.into_ledger() else {
        unreachable!("the embedded ledger was asked for")
    };
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|err| anyhow::anyhow!("--port: cannot listen on 127.0.0.1:{port}: {err}"))?;
    let url = format!("http://127.0.0.1:{port}");
    for line in &setup {
        eprintln!("{line}");
    }
    eprintln!("Serving {} at {url} (pob -u {url} ..., or any Solana client). Ctrl-C stops.", path.display());
    match &app_dir {
        Some(_) => eprintln!("The web app: open {url}/ in a browser."),
        None => {
            eprintln!("No web app here: build it with `npm --prefix app ci && npm --prefix app run build`.")
        }
    }
    let node = crate::serve::Node::new(*bank, Some(path.clone()));
    let site = crate::serve::Site { app_dir, specs, origin: url.clone() };
    crate::serve::run(crate::serve::site_router(node.clone(), site), listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    node.lock().await.save().await?;
    Ok(Report::new("Stopped; the ledger is saved")
        .field("ledger", path.display().to_string())
        .field("url", url))
}

/// A ledger served to newcomers must be usable at once: on a ledger with no protocol, the
/// ledger's own wallet initialises it (authority and treasury, default parameters) and allows the
/// test mint, as `pob embedded airdrop && pob protocol init && pob mint allow` would. A ledger
/// already set up is left as it is. Returns what was done, to print.
async fn set_up_local_ledger(session: &mut Session) -> Result<Vec<String>> {
    use proof_of_brain::state::{MintConfig, Protocol};
    let mut done = Vec::new();
    let wallet = session.wallet_address()?;
    let (mint, _) = session.embedded_test_mint().await?;
    let protocol = session.fetch::<Protocol>(&crate::pda::protocol()).await?;
    if protocol.is_none() {
        let bank = session.ledger.bank("pob serve")?;
        bank.airdrop(&wallet, 10_000_000_000)
            .await
            .map_err(|err| anyhow::anyhow!("airdrop failed: {err}"))?;
        session
            .send(
                &[crate::ix::initialize_protocol(&wallet, wallet, crate::defaults::protocol_params(wallet))],
                &[],
            )
            .await?;
        done.push(format!(
            "Initialised the protocol: authority and treasury {wallet} (this ledger's wallet)."
        ));
    }
    let authority = match protocol {
        Some(protocol) => protocol.authority,
        None => wallet,
    };
    let allowed = session.fetch::<MintConfig>(&crate::pda::mint_config(&mint.mint)).await?.is_some();
    if !allowed && authority == wallet {
        let limits = crate::defaults::mint_limits(crate::session::TEST_MINT_DECIMALS);
        session.send(&[crate::ix::allow_mint(&wallet, &wallet, mint, limits)], &[]).await?;
        done.push(format!("Allowed the test USDC mint {}.", mint.mint));
    }
    session.finish().await?;
    Ok(done)
}

/// Parses `args` (the program name first) and runs them: what the binary does, for tests.
/// Parse errors come back as errors (the binary prints clap's own message instead).
pub async fn run<I, T>(args: I) -> Result<String>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = Cli::try_parse_from(args)
        .map_err(|err| anyhow::anyhow!("{}", err.render().to_string().trim_end()))?;
    execute(cli).await
}
