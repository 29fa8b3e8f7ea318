//! `pob dao add-member|remove-member|set-weight|join|leave|members`.
use anchor_lang::prelude::Pubkey;
use anyhow::{Context, Result};
use clap::Subcommand;
use proof_of_brain::state::{Member, MemberKind};
use serde_json::json;
use solana_sdk::signature::Signer;

use crate::ix;
use crate::output::Report;
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum DaoCommand {
    /// Appoint a member (protocol authority only; the wallet pays the rent).
    AddMember {
        wallet: Pubkey,
        #[arg(long, default_value_t = 1)]
        weight: u64,
    },
    /// Remove a member (protocol authority only); the rent goes back to whoever paid it.
    RemoveMember { wallet: Pubkey },
    /// Change a member's vote weight (protocol authority only).
    SetWeight { wallet: Pubkey, weight: u64 },
    /// Join the worker chamber, as an experienced worker with enough stake in --mint.
    Join {
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// Leave the DAO (the wallet's own membership).
    Leave,
    /// List members and their weights.
    Members,
}

pub async fn run(session: &mut Session, command: DaoCommand) -> Result<Report> {
    match command {
        DaoCommand::AddMember { wallet: member, weight } => {
            let authority = session.wallet()?.pubkey();
            let signature =
                session.send(&[ix::add_member(&authority, &authority, member, weight)], &[]).await?;
            Ok(show(session, &member, "Member added").await?.field("signature", signature.to_string()))
        }
        DaoCommand::RemoveMember { wallet: member } => {
            let authority = session.wallet()?.pubkey();
            let rent_payer = fetch(session, &member).await?.rent_payer;
            let signature = session.send(&[ix::remove_member(&authority, &member, &rent_payer)], &[]).await?;
            Ok(Report::new("Member removed")
                .field("wallet", member.to_string())
                .field("signature", signature.to_string()))
        }
        DaoCommand::SetWeight { wallet: member, weight } => {
            let authority = session.wallet()?.pubkey();
            let signature = session.send(&[ix::set_member_weight(&authority, &member, weight)], &[]).await?;
            Ok(show(session, &member, "Weight set").await?.field("signature", signature.to_string()))
        }
        DaoCommand::Join { mint } => {
            let mint = session.mint_or_default(mint).await?.mint.mint;
            let wallet = session.wallet()?.pubkey();
            let signature = session.send(&[ix::join_worker_chamber(&wallet, &mint)], &[]).await?;
            Ok(show(session, &wallet, "Joined the worker chamber")
                .await?
                .field("signature", signature.to_string()))
        }
        DaoCommand::Leave => {
            let wallet = session.wallet()?.pubkey();
            let rent_payer = fetch(session, &wallet).await?.rent_payer;
            let signature = session.send(&[ix::leave_membership(&wallet, &rent_payer)], &[]).await?;
            Ok(Report::new("Left the DAO")
                .field("wallet", wallet.to_string())
                .field("signature", signature.to_string()))
        }
        DaoCommand::Members => {
            let mut members = session.list::<Member>(&[]).await?;
            members.sort_by_key(|(_, member)| (std::cmp::Reverse(member.weight), member.wallet));
            let total: u64 = members.iter().map(|(_, member)| member.weight).sum();
            let rows: Vec<_> = members
                .iter()
                .map(|(_, member)| {
                    json!({
                        "wallet": member.wallet.to_string(),
                        "kind": kind(member.kind),
                        "weight": member.weight,
                        "votes_cast": member.votes_cast,
                    })
                })
                .collect();
            Ok(Report::new(format!("{} members", rows.len()))
                .field("total_weight", total)
                .field("members", rows))
        }
    }
}

fn kind(kind: MemberKind) -> &'static str {
    match kind {
        MemberKind::Appointed => "appointed",
        MemberKind::WorkerChamber => "worker chamber",
    }
}

async fn fetch(session: &mut Session, wallet: &Pubkey) -> Result<Member> {
    session.fetch(&pda::member(wallet)).await?.with_context(|| format!("{wallet} is not a DAO member"))
}

async fn show(session: &mut Session, wallet: &Pubkey, title: &str) -> Result<Report> {
    let member = fetch(session, wallet).await?;
    Ok(Report::new(title)
        .field("wallet", wallet.to_string())
        .field("member_account", pda::member(wallet).to_string())
        .field("kind", kind(member.kind))
        .field("weight", member.weight)
        .field("votes_cast", member.votes_cast))
}
