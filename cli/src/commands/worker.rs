//! `pob worker register|show` and `pob requester show`: the records workers and requesters are
//! judged by.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use clap::Subcommand;
use proof_of_brain::state::{Requester, Worker};

use super::bps_value;
use crate::commands::funds::open_balance_if_missing;
use crate::ix::{self, OwnAccount};
use crate::output::Report;
use crate::pda;
use crate::session::Session;

#[derive(Subcommand, Debug)]
pub enum WorkerCommand {
    /// Create the wallet's worker record (answer statistics) and open its balance in the mint.
    Register {
        /// Default: the cluster's USDC (the test USDC on the embedded ledger).
        #[arg(long)]
        mint: Option<Pubkey>,
    },
    /// A worker's record: answers agreed and not, gold passed and failed, disputes.
    Show {
        /// Default: the wallet.
        wallet: Option<Pubkey>,
    },
}

#[derive(Subcommand, Debug)]
pub enum RequesterCommand {
    /// A requester's record: tasks posted, cancelled and closed, answers paid, disputes, gold.
    Show {
        /// Default: the wallet.
        wallet: Option<Pubkey>,
    },
}

pub async fn run(session: &mut Session, command: WorkerCommand) -> Result<Report> {
    match command {
        WorkerCommand::Register { mint } => {
            let wallet = session.wallet_address()?;
            if session.fetch::<Worker>(&pda::worker(&wallet)).await?.is_some() {
                let show = session.hint("worker show");
                bail!("{wallet} is already registered (see `{show}`)");
            }
            let mint = session.mint_or_default(mint).await?;
            session.mint_config(&mint.mint.mint).await?;
            let mut ixs = session.own_account_ixs(&wallet, OwnAccount::Worker).await?;
            ixs.push(ix::register_worker(&wallet));
            ixs.extend(open_balance_if_missing(session, &wallet, &mint.mint.mint).await?);
            let signature = session.send(&ixs, &[]).await?;
            Ok(show(session, wallet, "Worker registered")
                .await?
                .field("signature", signature.to_string())
                .note(format!("Find work with `{}`.", session.hint("task list --answerable"))))
        }
        WorkerCommand::Show { wallet } => {
            let wallet = session.address_or_wallet(wallet)?;
            show(session, wallet, &format!("Worker {wallet}")).await
        }
    }
}

/// `hits` of `hits + misses` as a percentage, `null` with no history.
pub(crate) fn rate(hits: u32, misses: u32) -> Option<String> {
    let total = u64::from(hits) + u64::from(misses);
    (total > 0).then(|| format!("{}%", bps_value((u64::from(hits) * 10_000 / total) as u16)))
}

async fn show(session: &mut Session, wallet: Pubkey, title: &str) -> Result<Report> {
    let Some(worker) = session.fetch::<Worker>(&pda::worker(&wallet)).await? else {
        let register = session.hint("worker register");
        bail!("{wallet} is not a registered worker (a worker runs `{register}` once)");
    };
    Ok(describe_worker(Report::new(title), &worker).field("record", pda::worker(&wallet).to_string()))
}

pub(crate) fn describe_worker(report: Report, worker: &Worker) -> Report {
    report
        .field("wallet", worker.wallet.to_string())
        .field("answers_committed", worker.answers_committed)
        .field("answers_agreed", worker.answers_agreed)
        .field("answers_disagreed", worker.answers_disagreed)
        .field("answers_no_quorum", worker.answers_no_quorum)
        .field("answers_unrevealed", worker.answers_unrevealed)
        .field("agreement", rate(worker.answers_agreed, worker.answers_disagreed))
        .field("gold_passed", worker.gold_passed)
        .field("gold_failed", worker.gold_failed)
        .field("gold_accuracy", rate(worker.gold_passed, worker.gold_failed))
        .field("disputes_won", worker.disputes_won)
        .field("disputes_lost", worker.disputes_lost)
}

pub async fn requester(session: &mut Session, command: RequesterCommand) -> Result<Report> {
    let RequesterCommand::Show { wallet } = command;
    let wallet = session.address_or_wallet(wallet)?;
    let Some(record) = session.fetch::<Requester>(&pda::requester(&wallet)).await? else {
        bail!("{wallet} has never posted a task (its requester record is created with its first task)");
    };
    Ok(describe_requester(Report::new(format!("Requester {wallet}")), &record)
        .field("record", pda::requester(&wallet).to_string()))
}

pub(crate) fn requester_json(record: &Requester) -> serde_json::Value {
    describe_requester(Report::new(""), record).to_json()
}

fn describe_requester(report: Report, record: &Requester) -> Report {
    report
        .field("wallet", record.wallet.to_string())
        .field("tasks_posted", record.tasks_posted)
        .field("tasks_cancelled", record.tasks_cancelled)
        .field("tasks_closed", record.tasks_closed)
        .field("answers_paid", record.answers_paid)
        .field("disputes_opened", record.disputes_opened)
        .field("disputes_won", record.disputes_won)
        .field("disputes_lost", record.disputes_lost)
        .field("gold_sealed", record.gold_sealed)
        .field("gold_revealed", record.gold_revealed)
        .field("gold_unrevealed", record.gold_unrevealed)
}
