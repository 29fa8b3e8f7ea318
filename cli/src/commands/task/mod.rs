//! `pob task create|list|show|commit|reveal|finalize|reveal-gold|claim|close|cancel|results`.
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use clap::{Args, Subcommand, ValueEnum};

use super::{duration_arg, percent_arg};
use crate::accounts::OwnedTask;
use crate::output::Report;
use crate::session::Session;

mod answer;
mod create;
mod history;
mod results;
mod settle;
mod show;

pub(crate) use history::TaskHistory;
pub(crate) use results::{result_row, to_csv};
pub(crate) use show::{label_text, load_spec, task_spec};

#[derive(Subcommand, Debug)]
pub enum TaskCommand {
    /// Post a task from a spec file (or many, with --batch): the rewards and the fee come from
    /// your free balance, topped up from your token account if needed.
    Create(CreateArgs),
    /// List tasks, soonest commit deadline first.
    List(ListArgs),
    /// A task: its question, terms, progress, outcome as a label, your submission; for a closed
    /// task, its history.
    Show {
        /// The task's address.
        task: Pubkey,
    },
    /// Commit an answer. The salt is derived from your wallet, so nothing needs keeping for a
    /// choice task (text and number answers are also kept in the secrets file).
    Commit {
        /// The task's address.
        #[arg(required_unless_present = "batch")]
        task: Option<Pubkey>,
        /// The answer: a label of a choice task (case and spacing ignored), a text, or a number.
        #[arg(long, conflicts_with = "answer_file")]
        answer: Option<String>,
        /// The answer, read from a file (UTF-8 text; surrounding whitespace is ignored).
        #[arg(long)]
        answer_file: Option<PathBuf>,
        /// Many answers from a JSON-lines file, one `{"task": ADDRESS, "answer": TEXT}` per line,
        /// committed in as few transactions as fit.
        #[arg(long, value_name = "FILE.jsonl", conflicts_with_all = ["task", "answer", "answer_file"])]
        batch: Option<PathBuf>,
    },
    /// Reveal your answer (or, with --all, every answer of yours that can be revealed now,
    /// batched into as few transactions as fit).
    Reveal {
        /// The task's address.
        #[arg(required_unless_present = "all")]
        task: Option<Pubkey>,
        /// Every task you committed to that is taking reveals.
        #[arg(long, conflicts_with = "task")]
        all: bool,
        /// For a text or number task committed elsewhere: the answer you committed (a choice
        /// task needs none: the answer is recovered from your wallet's salt).
        #[arg(long, conflicts_with = "all")]
        answer: Option<String>,
    },
    /// Fix the outcome once reveals are complete (anyone may).
    Finalize {
        /// The task's address.
        task: Pubkey,
    },
    /// Reveal the task's sealed gold answer (the requester, during the dispute window): each
    /// revealer's record is graded against it at claim. Gold never changes pay.
    RevealGold {
        /// The task's address.
        task: Pubkey,
        /// The gold answer, if this machine did not create the task (a choice task needs none).
        #[arg(long)]
        answer: Option<String>,
    },
    /// Settle submissions once the dispute window is over (anyone may): credits each worker's
    /// balance with the reward and the stake back. Default: the wallet's own submission.
    Claim {
        /// The task's address.
        task: Pubkey,
        /// Settle every submission of the task, in as few transactions as fit.
        #[arg(long, conflicts_with = "worker")]
        all: bool,
        /// Settle this worker's submission.
        #[arg(long)]
        worker: Option<Pubkey>,
    },
    /// Close a settled task (anyone may): the fee and slashed stake to the protocol, the unspent
    /// deposit to the requester's balance, the rent to the requester.
    Close {
        /// The task's address.
        task: Pubkey,
    },
    /// Cancel a task nobody committed to (the requester): the deposit back to your balance.
    Cancel {
        /// The task's address.
        task: Pubkey,
    },
    /// The dataset: one row per task with its label, votes, agreement, settlement, dispute and
    /// the commit-reveal record (who answered what, when).
    Results(results::ResultsArgs),
}

#[derive(Args, Debug, Default)]
pub struct CreateArgs {
    /// Task id, unique per requester (default: random).
    #[arg(long)]
    id: Option<u64>,
    /// The task spec, a JSON file (see docs/TASK-SPEC.md); its sha256 goes on-chain.
    #[arg(long, required_unless_present = "batch")]
    spec: Option<PathBuf>,
    /// Where workers fetch the spec (https://, ipfs://, file://; at most 200 bytes). Default: a
    /// file:// URI of --spec on the embedded ledger, required elsewhere.
    #[arg(long)]
    spec_uri: Option<String>,
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
    /// How long they have to reveal after the commit phase.
    #[arg(long, value_parser = duration_arg, default_value = "1h")]
    reveal_window: i64,
    /// Share of the reward paid to each revealer when no answer reaches quorum.
    #[arg(long, value_parser = percent_arg, default_value = "50%")]
    no_quorum_pay: u16,
    /// A known answer, sealed now and revealed after finalize (`pob task reveal-gold`) to grade
    /// the workers. Never changes pay.
    #[arg(long)]
    gold: Option<String>,
    /// Only workers with at least this many agreed answers may commit.
    #[arg(long, default_value_t = 0)]
    min_agreed_answers: u32,
    /// Only workers whose answers agreed at least this often may commit (e.g. 80%).
    #[arg(long, value_parser = percent_arg, default_value = "0")]
    min_agreement: u16,
    /// Only workers at least this accurate on gold answers may commit (e.g. 90%).
    #[arg(long, value_parser = percent_arg, default_value = "0")]
    min_gold_accuracy: u16,
    /// Default: the cluster's USDC (the test USDC on the embedded ledger).
    #[arg(long)]
    mint: Option<Pubkey>,
    /// A JSON-lines file, one task per line; each line's fields override the flags above:
    /// {"spec": FILE, "spec_uri": ..., "answers": 5, "quorum": 3, "reward": "0.05", "stake": ...,
    /// "commit_window": "1h", "reveal_window": "1h", "no_quorum_pay": "50%", "gold": "cat",
    /// "id": 7}. Every bad line is reported before anything is sent.
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
    /// Only tasks in this state.
    #[arg(long, value_enum)]
    state: Option<StateFilter>,
    /// Only this requester's tasks.
    #[arg(long)]
    requester: Option<Pubkey>,
    /// Only tasks the wallet can take now: open, a slot left, not its own, not answered yet,
    /// qualified, and covered by its free balance plus its token account.
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
            let Some(task) = task else { bail!("TASK is required") };
            let typed = match (answer, answer_file) {
                (Some(text), _) => text,
                (None, Some(path)) => {
                    let bytes = super::read_file("--answer-file", &path)?;
                    String::from_utf8(bytes)
                        .map_err(|_| anyhow::anyhow!("--answer-file: {} is not UTF-8 text", path.display()))?
                }
                (None, None) => bail!("--answer or --answer-file is required"),
            };
            answer::commit(session, &task, &typed).await
        }
        TaskCommand::Reveal { task: Some(task), answer, .. } => answer::reveal(session, &task, answer).await,
        TaskCommand::Reveal { task: None, .. } => answer::reveal_all(session).await,
        TaskCommand::Finalize { task } => settle::finalize(session, &task).await,
        TaskCommand::RevealGold { task, answer } => settle::reveal_gold(session, &task, answer).await,
        TaskCommand::Claim { task, all, worker } => settle::claim(session, &task, all, worker).await,
        TaskCommand::Close { task } => settle::close(session, &task).await,
        TaskCommand::Cancel { task } => settle::cancel(session, &task).await,
        TaskCommand::Results(args) => results::results(session, args).await,
    }
}

/// The task's state as a word.
pub(crate) fn state_name(task: &OwnedTask) -> &'static str {
    match task.state {
        proof_of_brain::state::TASK_OPEN => "open",
        proof_of_brain::state::TASK_FINALIZED => "finalized",
        _ => "disputed",
    }
}

/// What can happen to the task now.
pub(crate) fn phase(task: &OwnedTask, now: i64) -> &'static str {
    use proof_of_brain::state::{TASK_DISPUTED, TASK_FINALIZED};
    match task.state {
        TASK_DISPUTED => "disputed: members are voting",
        TASK_FINALIZED if now < task.dispute_deadline => "finalized: dispute window open",
        TASK_FINALIZED if task.settled < task.committed => "finalized: claims open",
        TASK_FINALIZED => "settled: ready to close",
        _ if !task.commit_phase_over(now) => "taking commitments",
        _ if !task.reveals_complete(now) => "taking reveals",
        _ => "ready to finalize",
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
