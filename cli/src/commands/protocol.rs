//! `pob protocol init|show|update|propose-authority|accept-authority`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use clap::{Args, Subcommand};
use proof_of_brain::state::Protocol;
use proof_of_brain::{ProtocolParams, ProtocolUpdate};
use solana_sdk::signature::Signer;

use super::{amount_flag, duration_arg, window_secs};
use crate::amount::format_amount;
use crate::defaults;
use crate::duration::format_duration;
use crate::ix;
use crate::output::Report;
use crate::pda;
use crate::session::{Session, TEST_MINT_DECIMALS};

#[derive(Subcommand, Debug)]
pub enum ProtocolCommand {
    /// Create the protocol account, once per deployment. The wallet pays and, unless
    /// --authority says otherwise, governs it.
    Init(InitArgs),
    /// Print the protocol's settings.
    Show,
    /// Change settings (protocol authority only). Unnamed settings keep their values.
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
    /// Owner of the fee accounts. Default: the wallet.
    #[arg(long)]
    treasury: Option<Pubkey>,
    /// Protocol fee on rewards paid, in basis points (at most 1000).
    #[arg(long, default_value_t = defaults::FEE_BPS)]
    fee_bps: u16,
    /// How long a result can be disputed before claims open.
    #[arg(long, value_parser = duration_arg, default_value = "1d")]
    dispute_window: i64,
    /// How long members vote on a dispute.
    #[arg(long, value_parser = duration_arg, default_value = "2d")]
    vote_window: i64,
    /// Least total vote weight for a dispute to change an outcome.
    #[arg(long, default_value_t = 1)]
    min_vote_weight: u64,
    /// Worker chamber: agreed answers needed to join.
    #[arg(long, default_value_t = defaults::CHAMBER_MIN_AGREED_ANSWERS)]
    chamber_min_agreed: u32,
    /// Worker chamber: stake needed to join, in units of a 6-decimal stablecoin.
    #[arg(long, default_value = "10")]
    chamber_min_stake: String,
    /// Worker chamber: vote weight of a worker who joins.
    #[arg(long, default_value_t = 1)]
    chamber_weight: u64,
}

#[derive(Args, Debug)]
pub struct UpdateArgs {
    #[arg(long)]
    treasury: Option<Pubkey>,
    #[arg(long)]
    fee_bps: Option<u16>,
    #[arg(long, value_parser = duration_arg)]
    dispute_window: Option<i64>,
    #[arg(long, value_parser = duration_arg)]
    vote_window: Option<i64>,
    #[arg(long)]
    min_vote_weight: Option<u64>,
    #[arg(long)]
    chamber_min_agreed: Option<u32>,
    /// In units of a 6-decimal stablecoin.
    #[arg(long)]
    chamber_min_stake: Option<String>,
    #[arg(long)]
    chamber_weight: Option<u64>,
    /// Stop new tasks (claims, reveals and unstakes keep working).
    #[arg(long, conflicts_with = "unpause")]
    pause: bool,
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
            let wallet = session.wallet()?;
            let signature =
                session.send(&[ix::propose_authority(&wallet.pubkey(), new_authority)], &[]).await?;
            let title = if new_authority.is_some() { "Authority proposed" } else { "Proposal withdrawn" };
            Ok(Report::new(title)
                .field("pending_authority", new_authority.map(|key| key.to_string()))
                .field("signature", signature.to_string()))
        }
        ProtocolCommand::AcceptAuthority => {
            let wallet = session.wallet()?;
            let signature = session.send(&[ix::accept_authority(&wallet.pubkey())], &[]).await?;
            Ok(Report::new("Authority accepted")
                .field("authority", wallet.pubkey().to_string())
                .field("signature", signature.to_string()))
        }
    }
}

async fn init(session: &mut Session, args: InitArgs) -> Result<Report> {
    let params = ProtocolParams {
        treasury: Pubkey::default(), // set below, once the wallet is known
        fee_bps: args.fee_bps,
        dispute_window_secs: window_secs("--dispute-window", args.dispute_window)?,
        vote_window_secs: window_secs("--vote-window", args.vote_window)?,
        min_vote_weight: args.min_vote_weight,
        chamber_min_agreed_answers: args.chamber_min_agreed,
        chamber_min_stake: amount_flag("--chamber-min-stake", &args.chamber_min_stake, TEST_MINT_DECIMALS)?,
        chamber_member_weight: args.chamber_weight,
    };
    if session.fetch::<Protocol>(&pda::protocol()).await?.is_some() {
        bail!("the protocol is already initialised on {} (see `pob protocol show`)", session.cluster.name());
    }
    let wallet = session.wallet()?.pubkey();
    let params = ProtocolParams { treasury: args.treasury.unwrap_or(wallet), ..params };
    let authority = args.authority.unwrap_or(wallet);
    let signature = session.send(&[ix::initialize_protocol(&wallet, authority, params)], &[]).await?;
    let protocol = session.protocol().await?;
    Ok(describe(Report::new("Protocol initialised"), &protocol)
        .field("address", pda::protocol().to_string())
        .field("signature", signature.to_string()))
}

async fn update(session: &mut Session, args: UpdateArgs) -> Result<Report> {
    let update = ProtocolUpdate {
        treasury: args.treasury,
        fee_bps: args.fee_bps,
        dispute_window_secs: args.dispute_window.map(|s| window_secs("--dispute-window", s)).transpose()?,
        vote_window_secs: args.vote_window.map(|s| window_secs("--vote-window", s)).transpose()?,
        min_vote_weight: args.min_vote_weight,
        chamber_min_agreed_answers: args.chamber_min_agreed,
        chamber_min_stake: args
            .chamber_min_stake
            .map(|text| amount_flag("--chamber-min-stake", &text, TEST_MINT_DECIMALS))
            .transpose()?,
        chamber_member_weight: args.chamber_weight,
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
    let wallet = session.wallet()?.pubkey();
    let signature = session.send(&[ix::update_protocol(&wallet, update)], &[]).await?;
    let protocol = session.protocol().await?;
    Ok(describe(Report::new("Protocol updated"), &protocol).field("signature", signature.to_string()))
}

fn describe(report: Report, protocol: &Protocol) -> Report {
    let params = &protocol.params;
    report
        .field("authority", protocol.authority.to_string())
        .field("pending_authority", protocol.pending_authority.map(|key| key.to_string()))
        .field("paused", protocol.paused)
        .field("treasury", params.treasury.to_string())
        .field("fee_bps", params.fee_bps)
        .field("dispute_window", format_duration(i64::from(params.dispute_window_secs)))
        .field("vote_window", format_duration(i64::from(params.vote_window_secs)))
        .field("min_vote_weight", params.min_vote_weight)
        .field("total_member_weight", protocol.total_member_weight)
        .field("disputes_opened", protocol.disputes_opened)
        .field("chamber_min_agreed_answers", params.chamber_min_agreed_answers)
        .field("chamber_min_stake", format_amount(params.chamber_min_stake, TEST_MINT_DECIMALS))
        .field("chamber_member_weight", params.chamber_member_weight)
}
