//! `pob task create|list|show|commit|reveal|finalize|claim|close|cancel`.
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anyhow::{bail, ensure, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use solana_sdk::signature::Signer;

use super::{duration_arg, percent_arg, read_file};
use crate::amount::format_amount;
use crate::ix::{self};
use crate::output::Report;
use crate::session::Session;

mod answer;
mod create;
mod settle;
mod show;

pub(crate) use show::utc;

#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// Post a task (or many, with --batch): its rewards and fee are escrowed at once.
    Create(CreateArgs),
    /// List tasks, newest deadlines first.
    List(ListArgs),
    /// A task's settings, progress, tally and phase.
    Show { task: Pubkey },
    /// Commit a salted answer. The salt is kept locally so that `reveal` needs no arguments.
    Commit {
        #[arg(required_unless_present = "batch")]
        task: Option<Pubkey>,
        /// The answer, as text.
        #[arg(long, conflicts_with = "answer_file")]
        answer: Option<String>,
        /// The answer: a file's bytes.
        #[arg(long)]
        answer_file: Option<PathBuf>,
        /// Many answers from a JSON-lines file, one `{"task": ADDRESS, "answer": TEXT}` (or
        /// `"answer_file": FILE`) per line, committed in as few transactions as fit.
        #[arg(long, value_name = "FILE.jsonl", conflicts_with_all = ["task", "answer", "answer_file"])]
        batch: Option<PathBuf>,
    },
    /// Reveal the answer committed from this machine (or, with --all, every stored answer
    /// whose task is taking reveals, batched into as few transactions as fit).
    Reveal {
        #[arg(required_unless_present = "all")]
        task: Option<Pubkey>,
        #[arg(long, conflicts_with = "task")]
        all: bool,
    },
    /// Fix the outcome once reveals are complete (anyone may).
    Finalize { task: Pubkey },
    /// Settle submissions once the dispute window is over (anyone may): pay agreeing workers,
    /// return or slash stakes. Default: the wallet's own submission.
    Claim {
        task: Pubkey,
        /// Settle every submission of the task, in as few transactions as fit.
        #[arg(long, conflicts_with = "worker")]
        all: bool,
        /// Settle this worker's submission.
        #[arg(long)]
        worker: Option<Pubkey>,
    },
    /// Close a settled task: the fee to the treasury, the rest and the rent to the requester.
    Close { task: Pubkey },
    /// Cancel a task nobody committed to (requester only): everything back to the requester.
    Cancel { task: Pubkey },
}

#[derive(Args, Debug, Default)]
pub struct CreateArgs {
    /// Task id, unique per requester (default: random).
    #[arg(long)]
    id: Option<u64>,
    /// The task specification (question, item, allowed answers); its sha256 goes on-chain.
    #[arg(long, required_unless_present = "batch")]
    spec: Option<PathBuf>,
    /// Where workers fetch the specification (at most 200 bytes).
    #[arg(long, default_value = "")]
    spec_uri: String,
    /// How many workers answer.
    #[arg(long, default_value_t = 5)]
    answers: u8,
    /// Agreeing answers needed to settle (default: a majority of --answers).
    #[arg(long)]
    quorum: Option<u8>,
    /// Reward per answer, in tokens (e.g. 0.05).
    #[arg(long, required_unless_present = "batch")]
    reward: Option<String>,
    /// Stake each worker locks per answer, in tokens (default: the mint's minimum).
    #[arg(long)]
    stake: Option<String>,
    /// How long workers can commit answers.
    #[arg(long, value_parser = duration_arg, default_value = "1h")]
    commit_window: i64,
    /// Time after the commit deadline to reveal.
    #[arg(long, value_parser = duration_arg, default_value = "1h")]
    reveal_window: i64,
    /// Share of the reward paid to each revealer when no answer reaches quorum.
    #[arg(long, value_parser = percent_arg, default_value = "50%")]
    no_quorum_pay: u16,
    /// Default: the cluster's USDC (the test USDC on the embedded ledger).
    #[arg(long)]
    mint: Option<Pubkey>,
    /// A JSON-lines file, one task per line; each line's fields override the flags above:
    /// {"spec": FILE, "spec_uri": ..., "answers": 5, "quorum": 3, "reward": "0.05", "stake": ...,
    /// "commit_window": "1h", "reveal_window": "1h", "no_quorum_pay": "50%", "id": 7}.
    #[arg(long, value_name = "FILE.jsonl")]
    batch: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StateFilter {
    Open,
    Finalized,
    Disputed,
}

#[derive(Args, Debug)]
pub struct ListArgs {
    #[arg(long, value_enum)]
    state: Option<StateFilter>,
    #[arg(long)]
    requester: Option<Pubkey>,
    /// Only tasks the wallet can still answer (open, slots left, enough free stake).
    #[arg(long)]
    answerable: bool,
}

pub async fn run(session: &mut Session, command: TaskCommand) -> Result<Report> {
    match command {
        TaskCommand::Create(args) if args.batch.is_some() => create::create_batch(session, args).await,
        TaskCommand::Create(args) => create::create(session, args).await,
        TaskCommand::List(args) => show::list(session, args).await,
        TaskCommand::Show { task } => show::show(session, &task).await,
        TaskCommand::Commit { batch: Some(batch), .. } => answer::commit_batch(session, &batch).await,
        TaskCommand::Commit { task, answer, answer_file, .. } => {
            let task = task.context("TASK is required")?;
            let answer = match (answer, answer_file) {
                (Some(text), _) => text.into_bytes(),
                (None, Some(path)) => read_file("--answer-file", &path)?,
                (None, None) => bail!("--answer or --answer-file is required"),
            };
            answer::commit(session, &task, answer).await
        }
        TaskCommand::Reveal { task: Some(task), .. } => answer::reveal(session, &task).await,
        TaskCommand::Reveal { task: None, .. } => answer::reveal_all(session).await,
        TaskCommand::Finalize { task } => {
            session.task(&task).await?;
            let signature = session.send(&[ix::finalize_task(&task)], &[]).await?;
            Ok(show::show(session, &task).await?.field("signature", signature.to_string()))
        }
        TaskCommand::Claim { task, all, worker } => settle::claim(session, &task, all, worker).await,
        TaskCommand::Close { task } => {
            let (task_ref, task_account) = session.task(&task).await?;
            let treasury = session.protocol().await?.params.treasury;
            let wallet = session.wallet()?.pubkey();
            let requester_ata = task_ref.mint.ata(&task_ref.requester);
            let before = session.token_balance(&requester_ata).await?;
            let signature = session.send(&[ix::close_task(&wallet, &task_ref, &treasury)], &[]).await?;
            let refunded = session.token_balance(&requester_ata).await?.saturating_sub(before);
            let decimals = session.mint(&task_account.mint).await?.decimals;
            Ok(Report::new("Task closed")
                .field("task", task.to_string())
                .field("refunded_to_requester", format_amount(refunded, decimals))
                .field("signature", signature.to_string()))
        }
        TaskCommand::Cancel { task } => {
            let (task_ref, task_account) = session.task(&task).await?;
            let wallet = session.wallet()?.pubkey();
            ensure!(
                wallet == task_ref.requester,
                "only the requester {} can cancel this task",
                task_ref.requester
            );
            let signature =
                session.send(&[ix::cancel_task(&task_ref, &task_ref.mint.ata(&wallet))], &[]).await?;
            let decimals = session.mint(&task_account.mint).await?.decimals;
            Ok(Report::new("Task cancelled")
                .field("task", task.to_string())
                .field("refunded", format_amount(task_account.deposit, decimals))
                .field("signature", signature.to_string()))
        }
    }
}

/// A progress bar on stderr; invisible when stderr is not a terminal.
pub(super) fn progress_bar(length: u64, message: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(length);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar
}
