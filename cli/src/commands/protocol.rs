//! `pob protocol init|show|update|propose-authority|accept-authority`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use proof_of_brain::state::Protocol;
use proof_of_brain::{ProtocolParams, ProtocolUpdate};

use super::{bps_value, duration_arg, percent_arg, window_secs};
use crate::defaults;
use crate::duration::format_duration;
use crate::ix;
use crate::output::{big, Report};
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum ProtocolCommand {
    /// Create the protocol account, once per deployment. The wallet pays and, unless
    /// --authority says otherwise, governs it.
    Init(InitArgs),
    /// Print the protocol's settings.
    Show,
    /// Change settings (protocol authority only). Unnamed settings keep their values; open
    /// tasks and disputes keep the values they snapshotted.
    Update(UpdateArgs),
    /// Propose a new protocol authority (it takes over once it signs accept-authority).
    ProposeAuthority {
        /// The proposed authority.
        #[arg(required_unless_present = "withdraw")]
        new_authority: Option<Pubkey>,
        /// Withdraw the pending proposal instead.
        #[arg(long, conflicts_with = "new_authority")]
        withdraw: bool,
    },
    /// Become the protocol authority (the wallet must be the proposed one).
    AcceptAuthority,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Governs the protocol (a multisig vault or governance PDA in production). Default: the wallet.
    #[arg(long)]
    authority: Option<Pubkey>,
    /// Withdraws the protocol's fees. Default: the wallet.
    #[arg(long)]
    treasury: Option<Pubkey>,
    /// Protocol fee on rewards paid, a percentage (at most 10%).
    #[arg(long, value_parser = percent_arg, default_value = "2.5%")]
    fee: u16,
    /// How long a result can be disputed before claims open.
    #[arg(long, value_parser = duration_arg, default_value = "1d")]
    dispute_window: i64,
    /// How long members vote on a dispute.
    #[arg(long, value_parser = duration_arg, default_value = "2d")]
    vote_window: i64,
    /// Least vote weight a dispute needs to change an outcome (an appointed member weighs 100 by
    /// default, a chamber member 1 per token of chamber stake).
    #[arg(long, default_value_t = defaults::MIN_VOTE_WEIGHT)]
    min_vote_weight: u64,
    /// Shortest commit or reveal window a task may set.
    #[arg(long, value_parser = duration_arg, default_value = "10m")]
    min_task_window: i64,
    /// Longest commit or reveal window a task may set.
    #[arg(long, value_parser = duration_arg, default_value = "30d")]
    max_task_window: i64,
    /// Least share of the reward each revealer gets when no answer reaches quorum.
    #[arg(long, value_parser = percent_arg, default_value = "25%")]
    min_no_quorum_pay: u16,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    /// New treasury (withdraws the fees).
    #[arg(long)]
    treasury: Option<Pubkey>,
    /// Protocol fee on rewards paid, a percentage (at most 10%).
    #[arg(long, value_parser = percent_arg)]
    fee: Option<u16>,
    /// How long a result can be disputed before claims open.
    #[arg(long, value_parser = duration_arg)]
    dispute_window: Option<i64>,
    /// How long members vote on a dispute.
    #[arg(long, value_parser = duration_arg)]
    vote_window: Option<i64>,
    /// Least vote weight a dispute needs to change an outcome.
    #[arg(long)]
    min_vote_weight: Option<u64>,
    /// Shortest commit or reveal window a task may set.
    #[arg(long, value_parser = duration_arg)]
    min_task_window: Option<i64>,
    /// Longest commit or reveal window a task may set.
    #[arg(long, value_parser = duration_arg)]
    max_task_window: Option<i64>,
    /// Least share of the reward each revealer gets when no answer reaches quorum.
    #[arg(long, value_parser = percent_arg)]
    min_no_quorum_pay: Option<u16>,
    /// Stop new tasks, answers and disputes (settlement and withdrawals keep working).
    #[arg(long, conflicts_with = "unpause")]
    pause: bool,
    /// Lift a pause.
    #[arg(long)]
    unpause: bool,
}

pub async fn run(session: &mut Session, command: ProtocolCommand) -> Result<Report> {
    match command {
        ProtocolCommand::Init(args) => init(session, args).await,
        ProtocolCommand::Show => {
            let protocol = session.protocol().await?;
            Ok(describe(Report::new("Protocol"), &protocol))
        }
        ProtocolCommand::Update(args) => update(session, args).await,
        ProtocolCommand::ProposeAuthority { new_authority, withdraw: _ } => {
            let protocol = session.protocol().await?;
            let wallet = require_authority(session, &protocol)?;
            if new_authority.is_none() && protocol.pending_authority().is_none() {
                bail!("there is no pending authority proposal to withdraw");
            }
            let signature = session.send(&[ix::propose_authority(&wallet, new_authority)], &[]).await?;
            let title = if new_authority.is_some() { "Authority proposed" } else { "Proposal withdrawn" };
            let mut report = Report::new(title)
                .field("pending_authority", new_authority.map(|key| key.to_string()))
                .field("signature", signature.to_string());
            if new_authority.is_some() {
                report = report.note(format!(
                    "The new authority takes over when it runs `{}`.",
                    session.hint_as("NEW_AUTHORITY.json", "protocol accept-authority")
                ));
            }
            Ok(report)
        }
        ProtocolCommand::AcceptAuthority => {
            let protocol = session.protocol().await?;
            let wallet = session.wallet_address()?;
            match protocol.pending_authority() {
                None => bail!("no authority change is pending (the authority proposes one first)"),
                Some(pending) if pending != wallet => {
                    bail!("the proposed authority is {pending}, not this wallet {wallet} (sign with its keypair: -k)")
                }
                Some(_) => {}
            }
            let signature = session.send(&[ix::accept_authority(&wallet)], &[]).await?;
            Ok(Report::new("Authority accepted")
                .field("authority", wallet.to_string())
                .field("previous_authority", protocol.authority.to_string())
                .field("signature", signature.to_string()))
        }
    }
}

/// The wallet, if it is the protocol's authority; else an error naming the authority.
pub(crate) fn require_authority(session: &mut Session, protocol: &Protocol) -> Result<Pubkey> {
    let wallet = session.wallet_address()?;
    if wallet != protocol.authority {
        bail!(
            "only the protocol authority {} can do this; this wallet is {wallet} (sign with the authority's \
             keypair: -k)",
            protocol.authority
        );
    }
    Ok(wallet)
}

async fn init(session: &mut Session, args: InitArgs) -> Result<Report> {
    if session.fetch::<Protocol>(&pda::protocol()).await?.is_some() {
        let show = session.hint("protocol show");
        bail!("the protocol is already initialised on {} (see `{show}`)", session.cluster.name());
    }
    let wallet = session.wallet_address()?;
    let params = ProtocolParams {
        treasury: args.treasury.unwrap_or(wallet),
        fee_bps: args.fee,
        dispute_window_secs: window_secs("--dispute-window", args.dispute_window)?,
        vote_window_secs: window_secs("--vote-window", args.vote_window)?,
        min_vote_weight: args.min_vote_weight,
        min_task_window_secs: window_secs("--min-task-window", args.min_task_window)?,
        max_task_window_secs: window_secs("--max-task-window", args.max_task_window)?,
        min_no_quorum_bps: args.min_no_quorum_pay,
    };
    check_params(&params)?;
    let authority = args.authority.unwrap_or(wallet);
    let signature = session.send(&[ix::initialize_protocol(&wallet, authority, params)], &[]).await?;
    let protocol = session.protocol().await?;
    Ok(describe(Report::new("Protocol initialised"), &protocol)
        .field("address", pda::protocol().to_string())
        .field("signature", signature.to_string())
        .note(format!("Next: allow a stablecoin with `{}`.", session.hint("mint allow"))))
}

/// The program's own rules, checked first so each refusal names its flag.
fn check_params(params: &ProtocolParams) -> Result<()> {
    if params.fee_bps > proof_of_brain::constants::MAX_FEE_BPS {
        bail!("--fee: at most {}%", bps_value(proof_of_brain::constants::MAX_FEE_BPS));
    }
    if params.min_vote_weight == 0 {
        bail!("--min-vote-weight: must be at least 1");
    }
    let floor = proof_of_brain::constants::MIN_TASK_WINDOW_FLOOR_SECS;
    if params.min_task_window_secs < floor {
        bail!("--min-task-window: at least {}", format_duration(i64::from(floor)));
    }
    if params.max_task_window_secs < params.min_task_window_secs {
        bail!("--max-task-window: must not be shorter than --min-task-window");
    }
    let most = proof_of_brain::constants::MAX_WINDOW_SECS;
    for (flag, value) in [
        ("--max-task-window", params.max_task_window_secs),
        ("--dispute-window", params.dispute_window_secs),
        ("--vote-window", params.vote_window_secs),
    ] {
        if value > most {
            bail!("{flag}: at most {}", format_duration(i64::from(most)));
        }
    }
    Ok(())
}

async fn update(session: &mut Session, args: UpdateArgs) -> Result<Report> {
    let window = |flag: &str, value: Option<i64>| value.map(|secs| window_secs(flag, secs)).transpose();
    let update = ProtocolUpdate {
        treasury: args.treasury,
        fee_bps: args.fee,
        dispute_window_secs: window("--dispute-window", args.dispute_window)?,
        vote_window_secs: window("--vote-window", args.vote_window)?,
        min_vote_weight: args.min_vote_weight,
        min_task_window_secs: window("--min-task-window", args.min_task_window)?,
        max_task_window_secs: window("--max-task-window", args.max_task_window)?,
        min_no_quorum_bps: args.min_no_quorum_pay,
        paused: if args.pause {
            Some(true)
        } else if args.unpause {
            Some(false)
        } else {
            None
        },
    };
    if update == ProtocolUpdate::default() {
        bail!("nothing to update: name at least one setting (see `pob protocol update --help`)");
    }
    let protocol = session.protocol().await?;
    let wallet = require_authority(session, &protocol)?;
    check_params(&update.applied_to(&protocol.params()))?;
    let signature = session.send(&[ix::update_protocol(&wallet, update)], &[]).await?;
    let protocol = session.protocol().await?;
    Ok(describe(Report::new("Protocol updated"), &protocol).field("signature", signature.to_string()))
}

fn describe(report: Report, protocol: &Protocol) -> Report {
    let duration = |secs: u32| format_duration(i64::from(secs));
    report
        .field("authority", protocol.authority.to_string())
        .field("pending_authority", protocol.pending_authority().map(|key| key.to_string()))
        .field("paused", protocol.is_paused())
        .field("treasury", protocol.treasury.to_string())
        .field("fee", format!("{}%", bps_value(protocol.fee_bps)))
        .field("fee_bps", protocol.fee_bps)
        .field("dispute_window", duration(protocol.dispute_window_secs))
        .field("vote_window", duration(protocol.vote_window_secs))
        .field(
            "task_windows",
            format!(
                "{} to {}",
                duration(protocol.min_task_window_secs),
                duration(protocol.max_task_window_secs)
            ),
        )
        .field("min_task_window_secs", protocol.min_task_window_secs)
        .field("max_task_window_secs", protocol.max_task_window_secs)
        .field("min_no_quorum_pay", format!("{}%", bps_value(protocol.min_no_quorum_bps)))
        .field("min_no_quorum_bps", protocol.min_no_quorum_bps)
        .field("min_vote_weight", big(protocol.min_vote_weight))
        .field("total_member_weight", big(protocol.total_member_weight))
        .field("disputes_opened", big(protocol.disputes_opened))
}
