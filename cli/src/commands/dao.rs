//! `pob dao add-member|set-weight|remove-member|join|leave|release|members`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use proof_of_brain::state::{Member, MEMBER_CHAMBER};
use serde_json::json;

use super::amount_flag;
use super::funds::fund;
use crate::ix;
use crate::output::{money, time, Report};
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum DaoCommand {
    /// Appoint a member (protocol authority only; the wallet pays the rent).
    AddMember {
        /// The new member's wallet.
        wallet: Pubkey,
        /// Its vote weight (a chamber member weighs 1 per token of chamber stake).
        #[arg(long, default_value_t = crate::defaults::MEMBER_WEIGHT)]
        weight: u64,
    },
    /// Remove a member (protocol authority only); the rent goes back to whoever paid it.
    RemoveMember {
        /// The member's wallet.
        wallet: Pubkey,
    },
    /// Change an appointed member's vote weight (protocol authority only). It counts from the
    /// next dispute opened.
    SetWeight {
        /// The member's wallet.
        wallet: Pubkey,
        /// The new weight.
        #[arg(long)]
        weight: u64,
    },
    /// Join the worker chamber: lock --amount of your free balance (topped up from your token
    /// account) as chamber stake; your weight is the stake over the mint's price per weight.
    /// Needs enough rewards earned in the mint.
    Join {
        /// The stake to lock, in tokens.
        #[arg(long)]
        amount: String,
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// Leave the DAO (the wallet's own membership); chamber stake unlocks one vote window later.
    Leave,
    /// Return unlocked chamber stake to your free balance.
    Release {
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// List members and their weights.
    Members,
}

pub async fn run(session: &mut Session, command: DaoCommand) -> Result<Report> {
    match command {
        DaoCommand::AddMember { wallet: member, weight } => {
            let authority = authority(session).await?;
            if weight == 0 {
                bail!("--weight: a member needs a weight of at least 1");
            }
            if session.fetch::<Member>(&pda::member(&member)).await?.is_some() {
                let set_weight = session.hint(&format!("dao set-weight {member} --weight N"));
                bail!("{member} is already a member (`{set_weight}` changes its weight)");
            }
            let signature =
                session.send(&[ix::add_member(&authority, &authority, member, weight)], &[]).await?;
            Ok(show(session, &member, "Member added").await?.field("signature", signature.to_string()))
        }
        DaoCommand::RemoveMember { wallet: member } => {
            let authority = authority(session).await?;
            let record = fetch(session, &member).await?;
            let chamber_mint = (record.kind == MEMBER_CHAMBER).then_some(record.chamber_mint);
            let ix = ix::remove_member(&authority, &member, &record.rent_payer, chamber_mint.as_ref());
            let signature = session.send(&[ix], &[]).await?;
            Ok(Report::new("Member removed")
                .field("wallet", member.to_string())
                .field("signature", signature.to_string()))
        }
        DaoCommand::SetWeight { wallet: member, weight } => {
            let authority = authority(session).await?;
            if weight == 0 {
                bail!(
                    "--weight: a member needs a weight of at least 1 (`{}` removes one)",
                    session.hint(&format!("dao remove-member {member}"))
                );
            }
            fetch(session, &member).await?;
            let signature = session.send(&[ix::set_member_weight(&authority, &member, weight)], &[]).await?;
            Ok(show(session, &member, "Weight set").await?.field("signature", signature.to_string()))
        }
        DaoCommand::Join { amount, mint } => {
            let mint = session.mint_or_default(mint).await?;
            let amount = amount_flag("--amount", &amount, mint.decimals)?;
            let wallet = session.wallet_address()?;
            if session.fetch::<Member>(&pda::member(&wallet)).await?.is_some() {
                bail!("{wallet} is already a member");
            }
            let config = session.mint_config(&mint.mint.mint).await?;
            let earned = session.balance(&wallet, &mint.mint.mint).await?.map_or(0, |b| b.rewards_earned);
            if earned < config.chamber_min_rewards {
                bail!(
                    "the worker chamber takes workers who earned at least {} in rewards in this mint; you earned {}",
                    crate::amount::format_amount(config.chamber_min_rewards, mint.decimals),
                    crate::amount::format_amount(earned, mint.decimals)
                );
            }
            let (mut ixs, _) = fund(session, &mint, amount, "the chamber stake").await?;
            ixs.push(ix::join_worker_chamber(&wallet, &mint.mint.mint, amount));
            let signature = session.send(&ixs, &[]).await?;
            Ok(show(session, &wallet, "Joined the worker chamber")
                .await?
                .field("signature", signature.to_string()))
        }
        DaoCommand::Leave => {
            let wallet = session.wallet_address()?;
            let record = fetch(session, &wallet).await?;
            let chamber_mint = (record.kind == MEMBER_CHAMBER).then_some(record.chamber_mint);
            let ix = ix::leave_membership(&wallet, &record.rent_payer, chamber_mint.as_ref());
            let signature = session.send(&[ix], &[]).await?;
            let mut report = Report::new("Left the DAO").field("wallet", wallet.to_string());
            if let Some(mint) = chamber_mint {
                if let Some(balance) = session.balance(&wallet, &mint).await? {
                    let now = session.now().await?;
                    let decimals = session.mint(&mint).await?.decimals;
                    report = report
                        .field("chamber_stake", money(balance.chamber_locked, decimals))
                        .field("unlocks", time(balance.chamber_unlocks_at, now))
                        .note(format!(
                            "Then `{}` returns it to your free balance.",
                            session.hint("dao release")
                        ));
                }
            }
            Ok(report.field("signature", signature.to_string()))
        }
        DaoCommand::Release { mint } => {
            let mint = session.mint_or_default(mint).await?;
            let wallet = session.wallet_address()?;
            let balance = session
                .balance(&wallet, &mint.mint.mint)
                .await?
                .with_context(|| format!("{wallet} has no balance in {}", mint.mint.mint))?;
            let now = session.now().await?;
            if balance.chamber_locked == 0 {
                bail!("{wallet} has no chamber stake in {}", mint.mint.mint);
            }
            if balance.chamber_member != 0 {
                bail!(
                    "the chamber stake stays locked while you are a member: `{}` first",
                    session.hint("dao leave")
                );
            }
            if now < balance.chamber_unlocks_at {
                bail!("the chamber stake unlocks {}", crate::output::when(balance.chamber_unlocks_at, now));
            }
            let signature = session.send(&[ix::release_chamber_stake(&wallet, &mint.mint.mint)], &[]).await?;
            let after = session.balance(&wallet, &mint.mint.mint).await?.map_or(0, |b| b.free);
            Ok(Report::new("Chamber stake released")
                .field("released", money(balance.chamber_locked, mint.decimals))
                .field("free", money(after, mint.decimals))
                .field("signature", signature.to_string()))
        }
        DaoCommand::Members => {
            let mut members = session.list::<Member>(&[]).await?;
            members.sort_by_key(|(_, member)| (std::cmp::Reverse(member.weight), member.wallet));
            let total: u64 = members.iter().map(|(_, member)| member.weight).sum();
            let rows: Vec<_> = members.iter().map(|(_, member)| member_json(member)).collect();
            Ok(Report::new(format!("{} member{}", rows.len(), if rows.len() == 1 { "" } else { "s" }))
                .field("total_weight", total.to_string())
                .field("members", rows))
        }
    }
}

async fn authority(session: &mut Session) -> Result<Pubkey> {
    let protocol = session.protocol().await?;
    super::protocol::require_authority(session, &protocol)
}

fn kind(member: &Member) -> &'static str {
    if member.kind == MEMBER_CHAMBER {
        "worker chamber"
    } else {
        "appointed"
    }
}

fn member_json(member: &Member) -> serde_json::Value {
    json!({
        "wallet": member.wallet.to_string(),
        "kind": kind(member),
        "weight": member.weight.to_string(),
        "votes_cast": member.votes_cast,
    })
}

async fn fetch(session: &mut Session, wallet: &Pubkey) -> Result<Member> {
    let members = session.hint("dao members");
    session
        .fetch(&pda::member(wallet))
        .await?
        .with_context(|| format!("{wallet} is not a DAO member (`{members}` lists them)"))
}

async fn show(session: &mut Session, wallet: &Pubkey, title: &str) -> Result<Report> {
    let member = fetch(session, wallet).await?;
    Ok(Report::new(title)
        .field("wallet", wallet.to_string())
        .field("member_account", pda::member(wallet).to_string())
        .field("kind", kind(&member))
        .field("weight", member.weight.to_string())
        .field("votes_cast", member.votes_cast))
}
