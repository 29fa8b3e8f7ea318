//! `pob dispute open|vote|resolve|show|close-vote`.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Context, Result};
use clap::Subcommand;
use proof_of_brain::state::{Dispute, Member, Vote};
use serde_json::json;

use super::funds::fund;
use super::read_file;
use super::task::{label_text, load_spec, TaskHistory};
use crate::accounts::OwnedTask;
use crate::hex;
use crate::ix::{self, Opener, OwnAccount};
use crate::output::{money, time, Report};
use crate::pda;
use crate::session::Session;
use crate::spec::answer_hash;

#[derive(Subcommand, Debug)]
pub enum DisputeCommand {
    /// Dispute a finalized result (its requester, or a worker who revealed), posting the bond
    /// from your free balance (topped up from your token account if needed).
    Open {
        /// The task's address.
        task: Pubkey,
        /// Why, as text; its sha256 goes on-chain (keep the evidence itself off-chain).
        #[arg(long, conflicts_with = "reason_file", required_unless_present = "reason_file")]
        reason: Option<String>,
        /// Why, read from a file.
        #[arg(long)]
        reason_file: Option<std::path::PathBuf>,
    },
    /// Vote on a task's dispute (DAO members whose weight predates it): for a revealed answer,
    /// or Void.
    Vote {
        /// The task's address.
        task: Pubkey,
        /// The answer you vote for: a label of a choice task (case and spacing ignored), or the
        /// answer as `pob dispute show` lists it.
        #[arg(long, group = "choice_kind", required_unless_present_any = ["void", "choice"])]
        answer: Option<String>,
        /// Vote that no answer is right (settles like no quorum).
        #[arg(long, group = "choice_kind")]
        void: bool,
        /// The candidate's number, as `pob dispute show` lists it.
        #[arg(long, group = "choice_kind")]
        choice: Option<u8>,
    },
    /// Apply the vote once voting closed or a majority decided (anyone may).
    Resolve {
        /// The task's address.
        task: Pubkey,
    },
    /// The dispute's candidates (as labels) and votes so far; once resolved, its history.
    Show {
        /// The task's address.
        task: Pubkey,
    },
    /// Return a member's vote rent once the dispute is resolved (anyone may). Default: the wallet.
    CloseVote {
        /// The task's address.
        task: Pubkey,
        /// The member whose vote to close.
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
            open(session, &task, &reason).await
        }
        DisputeCommand::Vote { task, answer, void, choice } => {
            vote(session, &task, answer, void, choice).await
        }
        DisputeCommand::Resolve { task } => resolve(session, &task).await,
        DisputeCommand::Show { task } => show(session, &task, "Dispute").await,
        DisputeCommand::CloseVote { task, member } => {
            let member = session.address_or_wallet(member)?;
            let vote = pda::vote(&pda::dispute(&task), &member);
            if session.fetch::<Vote>(&vote).await?.is_none() {
                bail!("{member} has no vote left to close on task {task}'s dispute");
            }
            let signature = session.send(&[ix::close_vote(&task, &member)], &[]).await?;
            Ok(Report::new("Vote closed: its rent is back with the member")
                .field("vote", vote.to_string())
                .field("signature", signature.to_string()))
        }
    }
}

async fn open(session: &mut Session, address: &Pubkey, reason: &[u8]) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let wallet = session.wallet_address()?;
    let mint = session.mint(&task.mint).await?;
    let bond = session.mint_config(&task.mint).await?.dispute_bond;
    let (mut ixs, deposited) = fund(session, &mint, bond, "the dispute bond").await?;
    ixs.push(ix::open_dispute(Opener::of(&task_ref, wallet), &task_ref, answer_hash_bytes(reason)));
    let signature = session.send(&ixs, &[]).await?;
    let mut report =
        show(session, address, "Dispute opened").await?.field("signature", signature.to_string());
    if deposited > 0 {
        report = report.field("deposited", money(deposited, mint.decimals));
    }
    Ok(report.note(format!(
        "The bond comes back if the vote changes the result. Members vote with `{}`.",
        session.hint(&format!("dispute vote {address} --answer LABEL"))
    )))
}

fn answer_hash_bytes(bytes: &[u8]) -> [u8; 32] {
    solana_sha256_hasher::hash(bytes).to_bytes()
}

/// The candidate a typed `--answer` means: a label of the spec folded like an answer, else the
/// text of a published answer, else its hex hash.
async fn candidate_of(session: &mut Session, address: &Pubkey, task: &OwnedTask, typed: &str) -> Result<u8> {
    let spec = load_spec(session, &task.spec_hash, &task.spec_uri).await.ok();
    let mut wanted = Vec::new();
    if let Some(loaded) = &spec {
        if let Ok(canonical) = loaded.spec.canonical_answer(typed) {
            wanted.push(answer_hash(&canonical));
        }
    }
    wanted.push(answer_hash(typed));
    if let Some(hash) = hex::decode32(typed) {
        wanted.push(hash);
    }
    let position = task.tally.iter().position(|entry| wanted.contains(&entry.answer_hash));
    let show = session.hint(&format!("dispute show {address}"));
    let position = position.with_context(|| {
        format!("--answer: nobody revealed {typed:?} on task {address}; `{show}` lists the candidates")
    })?;
    Ok(position as u8)
}

async fn vote(
    session: &mut Session,
    address: &Pubkey,
    answer: Option<String>,
    void: bool,
    choice: Option<u8>,
) -> Result<Report> {
    let task = session.task(address).await?.1;
    fetch(session, address).await?;
    let void_choice = task.tally.len() as u8;
    let choice = match (answer, void, choice) {
        (Some(answer), _, _) => candidate_of(session, address, &task, &answer).await?,
        (None, true, _) => void_choice,
        (None, false, Some(choice)) if choice <= void_choice => choice,
        (None, false, Some(_)) => {
            bail!("--choice: expected 0 to {void_choice} (see `pob dispute show {address}`)")
        }
        (None, false, None) => bail!("--answer, --void or --choice is required"),
    };
    let wallet = session.wallet_address()?;
    if session.fetch::<Member>(&pda::member(&wallet)).await?.is_none() {
        bail!("{wallet} is not a DAO member, so it cannot vote (`pob dao members` lists them)");
    }
    let dispute = pda::dispute(address);
    let mut ixs = session.own_account_ixs(&wallet, OwnAccount::Vote { dispute }).await?;
    ixs.push(ix::cast_vote(&wallet, address, choice));
    let signature = session.send(&ixs, &[]).await?;
    Ok(show(session, address, "Vote cast")
        .await?
        .field("choice", choice)
        .field("signature", signature.to_string()))
}

async fn resolve(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let (task_ref, _) = session.task(address).await?;
    let dispute = fetch(session, address).await?;
    let now = session.now().await?;
    let decided = proof_of_brain::logic::dispute::can_resolve_early(
        dispute.weights(),
        dispute.weight_cast,
        dispute.total_weight_snapshot,
        dispute.min_vote_weight_snapshot,
    );
    if now < dispute.vote_deadline && !decided {
        bail!(
            "voting on task {address}'s dispute closes {}; it can be resolved sooner once one answer holds more than \
             half of the {} member weight and at least {} has voted ({} so far)",
            crate::output::when(dispute.vote_deadline, now),
            dispute.total_weight_snapshot,
            dispute.min_vote_weight_snapshot,
            dispute.weight_cast
        );
    }
    let opener = Opener::of(&task_ref, dispute.opener);
    let signature = session.send(&[ix::resolve_dispute(&task_ref, opener)], &[]).await?;
    let mut report = show(session, address, "Dispute resolved").await?;
    report.push("signature", signature.to_string());
    Ok(report)
}

async fn fetch(session: &mut Session, task: &Pubkey) -> Result<Dispute> {
    session.fetch(&pda::dispute(task)).await?.with_context(|| {
        format!("task {task} has no open dispute (`pob dispute show {task}` shows a resolved one)")
    })
}

/// The open dispute with its candidates as labels, or, once resolved, what the chain recorded.
async fn show(session: &mut Session, address: &Pubkey, title: &str) -> Result<Report> {
    let history = TaskHistory::load(session, address).await?;
    let dispute = session.fetch::<Dispute>(&pda::dispute(address)).await?;
    let task = session.fetch_task(address).await?;
    let now = session.now().await?;
    let spec_source = task
        .as_ref()
        .map(|task| (task.spec_hash, task.spec_uri.clone()))
        .or_else(|| history.created.as_ref().map(|c| (c.event.spec_hash, c.event.spec_uri.clone())));
    let spec = match spec_source {
        Some((hash, uri)) => load_spec(session, &hash, &uri).await.ok(),
        None => None,
    };
    let spec_ref = spec.as_ref().map(|loaded| &loaded.spec);
    let decimals = match &task {
        Some(task) => session.mint(&task.mint).await.map_or(6, |mint| mint.decimals),
        None => 6,
    };
    let label = |hash: &[u8; 32]| label_text(spec_ref, &history.published, hash);
    let mut report = Report::new(title).field("task", address.to_string());
    if let (Some(dispute), Some(task)) = (&dispute, &task) {
        let candidates: Vec<_> = dispute
            .weights()
            .iter()
            .enumerate()
            .map(|(choice, weight)| {
                let entry = task.tally.get(choice);
                json!({
                    "choice": choice,
                    "label": entry.map_or(Some("void".to_string()), |entry| label(&entry.answer_hash)),
                    "answer_hash": entry.map(|entry| hex::encode(&entry.answer_hash)),
                    "revealed_by": entry.map_or(0, |entry| entry.count),
                    "is_outcome": entry.is_some_and(|entry| Some(entry.answer_hash) == task.outcome()),
                    "weight": weight.to_string(),
                })
            })
            .collect();
        return Ok(report
            .field("state", "voting")
            .field("dispute", pda::dispute(address).to_string())
            .field("number", dispute.number.to_string())
            .field("opener", dispute.opener.to_string())
            .field("bond", money(dispute.bond, decimals))
            .field("reason_hash", hex::encode(&dispute.reason_hash))
            .field("vote_deadline", time(dispute.vote_deadline, now))
            .field("weight_cast", dispute.weight_cast.to_string())
            .field("member_weight_at_opening", dispute.total_weight_snapshot.to_string())
            .field("min_vote_weight", dispute.min_vote_weight_snapshot.to_string())
            .field("candidates", candidates));
    }
    let Some(opened) = history.disputes.last() else {
        bail!("task {address} has no dispute on record");
    };
    let resolved = history.resolutions.iter().find(|r| r.event.number == opened.event.number);
    let votes: Vec<_> = history
        .votes
        .iter()
        .map(|vote| json!({"member": vote.event.member.to_string(), "choice": vote.event.choice, "weight": vote.event.weight.to_string()}))
        .collect();
    report = report
        .field("number", opened.event.number.to_string())
        .field("opener", opened.event.opener.to_string())
        .field("bond", money(opened.event.bond, decimals))
        .field("votes", votes);
    Ok(match resolved {
        Some(resolved) => report
            .field("state", if resolved.event.changed { "overturned" } else { "upheld" })
            .field("outcome", resolved.event.outcome.as_ref().map_or(Some("void".to_string()), label))
            .field("weight_cast", resolved.event.weight_cast.to_string())
            .field("bond_returned", resolved.event.bond_returned),
        None => report.field("state", "voting"),
    })
}
