//! `pob dispute open|vote|resolve|show|close-vote`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::state::{Dispute, Task, Vote};
use serde_json::json;
use solana_sdk::signature::Signer;

use super::read_file;
use super::task::utc;
use crate::amount::format_amount;
use crate::hex;
use crate::ix;
use crate::output::Report;
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum DisputeCommand {
    /// Dispute a finalized result (its requester, or a worker who revealed), posting the bond.
    Open {
        task: Pubkey,
        /// Why, as text; its sha256 goes on-chain (keep the evidence itself off-chain).
        #[arg(long, conflicts_with = "reason_file", required_unless_present = "reason_file")]
        reason: Option<String>,
        #[arg(long)]
        reason_file: Option<std::path::PathBuf>,
    },
    /// Vote on a task's dispute (DAO members): for a revealed answer, or Void.
    Vote {
        task: Pubkey,
        /// The answer you vote for, exactly as workers gave it.
        #[arg(long, group = "choice_kind", required_unless_present_any = ["void", "choice"])]
        answer: Option<String>,
        /// Vote that no answer is right (settles like no quorum).
        #[arg(long, group = "choice_kind")]
        void: bool,
        /// The candidate's number, as `pob dispute show` lists it.
        #[arg(long, group = "choice_kind")]
        choice: Option<u8>,
    },
    /// Apply the vote once voting closed (anyone may).
    Resolve { task: Pubkey },
    /// The dispute's candidates and votes so far.
    Show { task: Pubkey },
    /// Return a member's vote rent once the dispute is resolved (anyone may). Default: the wallet.
    CloseVote {
        task: Pubkey,
        #[arg(long)]
        member: Option<Pubkey>,
    },
}

pub async fn run(session: &mut Session, command: DisputeCommand) -> Result<Report> {
    match command {
        DisputeCommand::Open { task, reason, reason_file } => {
            let reason = match (reason, reason_file) {
                (Some(text), _) => text.into_bytes(),
                (None, Some(path)) => read_file("--reason-file", &path)?,
                (None, None) => bail!("--reason or --reason-file is required"),
            };
            let (task_ref, task_account) = session.task(&task).await?;
            let wallet = session.wallet()?.pubkey();
            let from = task_ref.mint.ata(&wallet);
            let bond = session.mint_config(&task_account.mint).await?.dispute_bond;
            let held = session.token_balance(&from).await?;
            if held < bond {
                let decimals = session.mint(&task_account.mint).await?.decimals;
                bail!(
                    "opening a dispute posts a bond of {}; the wallet holds {}",
                    format_amount(bond, decimals),
                    format_amount(held, decimals)
                );
            }
            let signature = session
                .send(&[ix::open_dispute(&wallet, &task_ref, &from, answer_hash(&reason))], &[])
                .await?;
            Ok(show(session, &task, "Dispute opened").await?.field("signature", signature.to_string()))
        }
        DisputeCommand::Vote { task, answer, void, choice } => {
            let task_account: Task = session.task(&task).await?.1;
            let candidates = task_account.tally.len();
            let choice = match (answer, void, choice) {
                (Some(answer), _, _) => {
                    let hash = answer_hash(answer.as_bytes());
                    let index = task_account.tally.iter().position(|entry| entry.answer_hash == hash);
                    index.with_context(|| format!("--answer: nobody revealed {answer:?} on task {task}"))?
                        as u8
                }
                (None, true, _) => candidates as u8,
                (None, false, Some(choice)) => {
                    if usize::from(choice) > candidates {
                        bail!("--choice: expected 0 to {candidates} (see `pob dispute show {task}`)");
                    }
                    choice
                }
                (None, false, None) => bail!("--answer, --void or --choice is required"),
            };
            let wallet = session.wallet()?.pubkey();
            let signature = session.send(&[ix::cast_vote(&wallet, &task, choice)], &[]).await?;
            Ok(show(session, &task, "Vote cast")
                .await?
                .field("choice", choice)
                .field("signature", signature.to_string()))
        }
        DisputeCommand::Resolve { task } => {
            let (task_ref, _) = session.task(&task).await?;
            let dispute = fetch(session, &task).await?;
            let treasury = session.protocol().await?.params.treasury;
            let wallet = session.wallet()?.pubkey();
            let signature = session
                .send(&[ix::resolve_dispute(&wallet, &task_ref, &dispute.opener, &treasury)], &[])
                .await?;
            let task_account: Task = session.task(&task).await?.1;
            Ok(Report::new("Dispute resolved")
                .field("task", task.to_string())
                .field("outcome", task_account.outcome.map(|hash| hex::encode(&hash)))
                .field("signature", signature.to_string()))
        }
        DisputeCommand::Show { task } => show(session, &task, "Dispute").await,
        DisputeCommand::CloseVote { task, member } => {
            let member = session.address_or_wallet(member)?;
            let vote = pda::vote(&pda::dispute(&task), &member);
            if session.fetch::<Vote>(&vote).await?.is_none() {
                bail!("{member} has no vote on task {task}'s dispute");
            }
            let signature = session.send(&[ix::close_vote(&task, &member)], &[]).await?;
            Ok(Report::new("Vote closed")
                .field("vote", vote.to_string())
                .field("signature", signature.to_string()))
        }
    }
}

async fn fetch(session: &mut Session, task: &Pubkey) -> Result<Dispute> {
    session.fetch(&pda::dispute(task)).await?.with_context(|| format!("task {task} has no open dispute"))
}

async fn show(session: &mut Session, task: &Pubkey, title: &str) -> Result<Report> {
    let task_account: Task = session.task(task).await?.1;
    let dispute = fetch(session, task).await?;
    let decimals = session.mint(&task_account.mint).await?.decimals;
    let candidates: Vec<_> = dispute
        .candidate_weights
        .iter()
        .enumerate()
        .map(|(choice, weight)| {
            let answer = task_account.tally.get(choice);
            json!({
                "choice": choice,
                "answer_hash": answer.map_or_else(|| "void".to_string(), |entry| hex::encode(&entry.answer_hash)),
                "revealed_by": answer.map_or(0, |entry| entry.count),
                "is_outcome": answer.is_some_and(|entry| Some(entry.answer_hash) == task_account.outcome),
                "weight": weight,
            })
        })
        .collect();
    Ok(Report::new(title)
        .field("task", task.to_string())
        .field("dispute", pda::dispute(task).to_string())
        .field("number", dispute.number)
        .field("opener", dispute.opener.to_string())
        .field("bond", format_amount(dispute.bond, decimals))
        .field("reason_hash", hex::encode(&dispute.reason_hash))
        .field("vote_deadline", utc(dispute.vote_deadline))
        .field("weight_cast", dispute.weight_cast)
        .field("candidates", candidates))
}
