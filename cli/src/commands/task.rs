//! `pob task create|list|show|commit|reveal|finalize|claim|close|cancel`.
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, ensure, Context, Result};
use clap::{Args, Subcommand, ValueEnum};
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::logic::settlement::task_deposit;
use proof_of_brain::state::{Stake, Submission, SubmissionState, Task, TaskState, Worker};
use proof_of_brain::CreateTaskArgs;
use rand::RngCore;
use serde::Deserialize;
use serde_json::{json, Value};
use solana_sdk::signature::Signer;

use super::{amount_flag, duration_arg, hex, percent_arg, read_file};
use crate::amount::format_amount;
use crate::ix::{self, TaskRef};
use crate::output::Report;
use crate::pda;
use crate::secrets::RevealSecret;
use crate::session::{MintInfo, Session};

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
        task: Pubkey,
        /// The answer, as text.
        #[arg(long, conflicts_with = "answer_file", required_unless_present = "answer_file")]
        answer: Option<String>,
        /// The answer: a file's bytes.
        #[arg(long)]
        answer_file: Option<PathBuf>,
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
        TaskCommand::Create(args) if args.batch.is_some() => create_batch(session, args).await,
        TaskCommand::Create(args) => create(session, args).await,
        TaskCommand::List(args) => list(session, args).await,
        TaskCommand::Show { task } => show(session, &task).await,
        TaskCommand::Commit { task, answer, answer_file } => {
            let answer = match (answer, answer_file) {
                (Some(text), _) => text.into_bytes(),
                (None, Some(path)) => read_file("--answer-file", &path)?,
                (None, None) => bail!("--answer or --answer-file is required"),
            };
            commit(session, &task, answer).await
        }
        TaskCommand::Reveal { task: Some(task), .. } => reveal(session, &task).await,
        TaskCommand::Reveal { task: None, .. } => reveal_all(session).await,
        TaskCommand::Finalize { task } => {
            session.task(&task).await?;
            let signature = session.send(&[ix::finalize_task(&task)], &[]).await?;
            Ok(show(session, &task).await?.field("signature", signature.to_string()))
        }
        TaskCommand::Claim { task, all, worker } => claim(session, &task, all, worker).await,
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

/// One task's settings as given on the command line or a batch line, before the mint is known.
#[derive(Clone, Debug)]
struct TaskInput {
    id: Option<u64>,
    spec_hash: [u8; 32],
    spec_uri: String,
    answers: u8,
    quorum: Option<u8>,
    reward: String,
    stake: Option<String>,
    commit_window: i64,
    reveal_window: i64,
    no_quorum_bps: u16,
}

impl TaskInput {
    /// The instruction arguments; every amount checked against the mint's rules here, so a
    /// bad line or flag is reported before anything is sent.
    fn to_args(&self, now: i64, mint: &MintInfo, floor: (u64, u64), fee_bps: u16) -> Result<CreateTaskArgs> {
        let reward = amount_flag("--reward", &self.reward, mint.decimals)?;
        let stake = match &self.stake {
            Some(text) => amount_flag("--stake", text, mint.decimals)?,
            None => floor.1,
        };
        let amount = |value| format_amount(value, mint.decimals);
        ensure!(reward >= floor.0, "--reward: at least {} per answer for this mint", amount(floor.0));
        ensure!(stake >= floor.1, "--stake: at least {} per answer for this mint", amount(floor.1));
        ensure!((1..=32).contains(&self.answers), "--answers: expected 1 to 32, got {}", self.answers);
        let quorum = self.quorum.unwrap_or(self.answers / 2 + 1);
        ensure!(
            quorum <= self.answers && 2 * u16::from(quorum) > u16::from(self.answers),
            "--quorum: expected more than half of --answers ({}) and at most it, got {quorum}",
            self.answers
        );
        ensure!(self.spec_uri.len() <= 200, "--spec-uri: at most 200 bytes, got {}", self.spec_uri.len());
        task_deposit(self.answers, reward, fee_bps)
            .context("--reward: the deposit overflows a token amount")?;
        let commit_deadline = now + self.commit_window;
        Ok(CreateTaskArgs {
            task_id: self.id.unwrap_or_else(|| rand::thread_rng().next_u64()),
            spec_hash: self.spec_hash,
            spec_uri: self.spec_uri.clone(),
            answers_required: self.answers,
            quorum,
            reward_per_answer: reward,
            stake_per_answer: stake,
            no_quorum_bps: self.no_quorum_bps,
            commit_deadline,
            reveal_deadline: commit_deadline + self.reveal_window,
        })
    }
}

/// The deposits of `tasks` must all be covered by the requester's balance before any is sent.
async fn check_funds(
    session: &mut Session,
    mint: &MintInfo,
    tasks: &[CreateTaskArgs],
    fee_bps: u16,
) -> Result<()> {
    let wallet = session.wallet()?.pubkey();
    let needed = tasks.iter().try_fold(0u64, |sum, args| {
        task_deposit(args.answers_required, args.reward_per_answer, fee_bps).and_then(|d| sum.checked_add(d))
    });
    let needed = needed.context("the deposits overflow a token amount")?;
    let balance = session.token_balance(&mint.mint.ata(&wallet)).await?;
    ensure!(
        balance >= needed,
        "the wallet holds {} of {} but the deposit{} need{} {} (rewards + fee)",
        format_amount(balance, mint.decimals),
        mint.mint.mint,
        if tasks.len() == 1 { "" } else { "s" },
        if tasks.len() == 1 { "s" } else { "" },
        format_amount(needed, mint.decimals)
    );
    Ok(())
}

async fn prepare(session: &mut Session, mint: Option<Pubkey>) -> Result<(MintInfo, (u64, u64), u16, i64)> {
    let mint = session.mint_or_default(mint).await?;
    let protocol = session.protocol().await?;
    ensure!(!protocol.paused, "the protocol is paused: no new tasks for now");
    let config = session.mint_config(&mint.mint.mint).await?;
    ensure!(config.enabled, "mint {} is disabled for new tasks", mint.mint.mint);
    let now = session.now().await?;
    Ok((mint, (config.min_reward_per_answer, config.min_stake_per_answer), protocol.params.fee_bps, now))
}

async fn create(session: &mut Session, args: CreateArgs) -> Result<Report> {
    let spec_path = args.spec.clone().context("--spec is required")?;
    let input = TaskInput {
        id: args.id,
        spec_hash: answer_hash(&read_file("--spec", &spec_path)?),
        spec_uri: args.spec_uri.clone(),
        answers: args.answers,
        quorum: args.quorum,
        reward: args.reward.clone().context("--reward is required")?,
        stake: args.stake.clone(),
        commit_window: args.commit_window,
        reveal_window: args.reveal_window,
        no_quorum_bps: args.no_quorum_pay,
    };
    let (mint, floor, fee_bps, now) = prepare(session, args.mint).await?;
    let task_args = input.to_args(now, &mint, floor, fee_bps)?;
    check_funds(session, &mint, std::slice::from_ref(&task_args), fee_bps).await?;
    let wallet = session.wallet()?.pubkey();
    let task = TaskRef::new(wallet, task_args.task_id, mint.mint);
    ensure!(
        session.ledger.account(&task.address).await?.is_none(),
        "--id: you already have a task {} at {}",
        task_args.task_id,
        task.address
    );
    let signature =
        session.send(&[ix::create_task(&wallet, mint.mint, &mint.mint.ata(&wallet), task_args)], &[]).await?;
    Ok(show(session, &task.address).await?.field("signature", signature.to_string()))
}

/// One line of a `--batch` file. Absent fields take the command line's values.
#[derive(Deserialize, Debug, Default)]
#[serde(deny_unknown_fields)]
struct BatchLine {
    id: Option<u64>,
    /// Spec file, relative to the batch file's directory.
    spec: Option<PathBuf>,
    spec_uri: Option<String>,
    answers: Option<u8>,
    quorum: Option<u8>,
    reward: Option<String>,
    stake: Option<String>,
    commit_window: Option<String>,
    reveal_window: Option<String>,
    no_quorum_pay: Option<String>,
}

fn batch_inputs(path: &Path, args: &CreateArgs) -> Result<Vec<TaskInput>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("--batch: cannot read {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut inputs = Vec::new();
    for (index, line) in std::io::BufReader::new(file).lines().enumerate() {
        let number = index + 1;
        let at = |what: String| anyhow!("--batch line {number}: {what}");
        let line = line.map_err(|err| at(err.to_string()))?;
        if line.trim().is_empty() {
            continue;
        }
        let fields: BatchLine = serde_json::from_str(&line).map_err(|err| at(err.to_string()))?;
        let spec = fields.spec.or_else(|| args.spec.clone()).ok_or_else(|| at("no \"spec\" file".into()))?;
        let spec = dir.join(spec);
        let bytes =
            std::fs::read(&spec).map_err(|err| at(format!("cannot read {}: {err}", spec.display())))?;
        let duration = |text: Option<String>, default: i64| -> Result<i64> {
            text.map_or(Ok(default), |text| duration_arg(&text).map_err(at))
        };
        inputs.push(TaskInput {
            id: fields.id,
            spec_hash: answer_hash(&bytes),
            spec_uri: fields.spec_uri.unwrap_or_else(|| args.spec_uri.clone()),
            answers: fields.answers.unwrap_or(args.answers),
            quorum: fields.quorum.or(args.quorum),
            reward: fields
                .reward
                .or_else(|| args.reward.clone())
                .ok_or_else(|| at("no \"reward\"".into()))?,
            stake: fields.stake.or_else(|| args.stake.clone()),
            commit_window: duration(fields.commit_window, args.commit_window)?,
            reveal_window: duration(fields.reveal_window, args.reveal_window)?,
            no_quorum_bps: match fields.no_quorum_pay {
                Some(text) => percent_arg(&text).map_err(at)?,
                None => args.no_quorum_pay,
            },
        });
    }
    ensure!(!inputs.is_empty(), "--batch: {} holds no tasks", path.display());
    Ok(inputs)
}

async fn create_batch(session: &mut Session, args: CreateArgs) -> Result<Report> {
    let path = args.batch.clone().context("--batch is required")?;
    let inputs = batch_inputs(&path, &args)?;
    let (mint, floor, fee_bps, now) = prepare(session, args.mint).await?;
    let mut all_args = Vec::new();
    for (index, input) in inputs.iter().enumerate() {
        let task_args = input
            .to_args(now, &mint, floor, fee_bps)
            .map_err(|err| anyhow!("--batch task {}: {err}", index + 1))?;
        all_args.push(task_args);
    }
    let mut ids: Vec<u64> = all_args.iter().map(|a| a.task_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ensure!(ids.len() == all_args.len(), "--batch: two tasks share an id");
    check_funds(session, &mint, &all_args, fee_bps).await?;
    let wallet = session.wallet()?.pubkey();
    let tasks: Vec<Pubkey> =
        all_args.iter().map(|a| TaskRef::new(wallet, a.task_id, mint.mint).address).collect();
    for (task, args) in tasks.iter().zip(&all_args) {
        ensure!(
            session.ledger.account(task).await?.is_none(),
            "--batch: you already have a task {}",
            args.task_id
        );
    }
    let ixs = all_args
        .into_iter()
        .map(|task_args| ix::create_task(&wallet, mint.mint, &mint.mint.ata(&wallet), task_args))
        .collect::<Vec<_>>();
    let bar = progress_bar(ixs.len() as u64, "tasks posted");
    let signatures = session.send_batched(ixs, |sent| bar.set_position(sent as u64)).await;
    bar.finish_and_clear();
    let signatures = signatures?;
    Ok(Report::new(format!("{} task(s) created in {} transaction(s)", tasks.len(), signatures.len()))
        .field("tasks", tasks.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
}

/// A progress bar on stderr; invisible when stderr is not a terminal.
fn progress_bar(length: u64, message: &'static str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(length);
    if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {msg}") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar
}

fn state_name(state: TaskState) -> &'static str {
    match state {
        TaskState::Open => "open",
        TaskState::Finalized => "finalized",
        TaskState::Disputed => "disputed",
    }
}

/// What can happen to the task now.
fn phase(task: &Task, now: i64) -> &'static str {
    match task.state {
        TaskState::Disputed => "disputed: members are voting",
        TaskState::Finalized if now < task.dispute_deadline => "finalized: dispute window open",
        TaskState::Finalized if task.settled < task.committed => "finalized: claims open",
        TaskState::Finalized => "settled: ready to close",
        TaskState::Open if !task.commit_phase_over(now) => "taking commitments",
        TaskState::Open if !task.reveals_complete(now) => "taking reveals",
        TaskState::Open => "ready to finalize",
    }
}

async fn show(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let decimals = session.mint(&task.mint).await?.decimals;
    let now = session.now().await?;
    let vault = session.token_balance(&task_ref.vault()).await?;
    let amount = |value| format_amount(value, decimals);
    let tally: Vec<Value> = task
        .tally
        .iter()
        .enumerate()
        .map(|(choice, entry)| json!({"choice": choice, "answer_hash": hex(&entry.answer_hash), "count": entry.count}))
        .collect();
    Ok(Report::new(format!("Task {address}"))
        .field("task", address.to_string())
        .field("task_id", task.task_id)
        .field("requester", task.requester.to_string())
        .field("mint", task.mint.to_string())
        .field("state", state_name(task.state))
        .field("phase", phase(&task, now))
        .field("spec_uri", task.spec_uri.clone())
        .field("spec_hash", hex(&task.spec_hash))
        .field("answers_required", task.answers_required)
        .field("quorum", task.quorum)
        .field("committed", task.committed)
        .field("revealed", task.revealed)
        .field("settled", task.settled)
        .field("reward_per_answer", amount(task.reward_per_answer))
        .field("stake_per_answer", amount(task.stake_per_answer))
        .field("no_quorum_pay", format!("{}%", format_amount(u64::from(task.no_quorum_bps), 2)))
        .field("deposit", amount(task.deposit))
        .field("vault_balance", amount(vault))
        .field("commit_deadline", when(task.commit_deadline, now))
        .field("reveal_deadline", when(task.reveal_deadline, now))
        .field("dispute_deadline", (task.state != TaskState::Open).then(|| when(task.dispute_deadline, now)))
        .field("outcome", task.outcome.map(|hash| hex(&hash)))
        .field("tally", tally))
}

/// A deadline for people: its UTC time and how far it is from the ledger's clock.
fn when(timestamp: i64, now: i64) -> String {
    let relative = if timestamp >= now {
        format!("in {}", approximately(timestamp - now))
    } else {
        format!("{} ago", approximately(now - timestamp))
    };
    format!("{} ({relative})", utc(timestamp))
}

/// Seconds as their two largest units: `1d 2h`, `59m 59s`, `45s`.
fn approximately(seconds: i64) -> String {
    let units = [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)];
    let Some(first) = units.iter().position(|(_, size)| seconds >= *size) else { return "0s".into() };
    let mut parts = Vec::new();
    let mut rest = seconds;
    for (unit, size) in &units[first..(first + 2).min(units.len())] {
        if rest / size > 0 {
            parts.push(format!("{}{unit}", rest / size));
        }
        rest %= size;
    }
    parts.join(" ")
}

/// `YYYY-MM-DD hh:mm:ss UTC` (proleptic Gregorian calendar, days-from-civil inverted).
pub(crate) fn utc(timestamp: i64) -> String {
    let (days, seconds) = (timestamp.div_euclid(86_400), timestamp.rem_euclid(86_400));
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02} UTC",
        seconds / 3_600,
        seconds % 3_600 / 60,
        seconds % 60
    )
}

async fn list(session: &mut Session, args: ListArgs) -> Result<Report> {
    // Task layout: discriminator (8), requester (32), mint (32), task_id (8), spec_hash (32), state.
    let mut filters = Vec::new();
    if let Some(requester) = args.requester {
        filters.push((8, requester.to_bytes().to_vec()));
    }
    if let Some(state) = args.state {
        let index = match state {
            StateFilter::Open => 0u8,
            StateFilter::Finalized => 1,
            StateFilter::Disputed => 2,
        };
        filters.push((112, vec![index]));
    }
    let mut tasks = session.list::<Task>(&filters).await?;
    let now = session.now().await?;
    if args.answerable {
        let wallet = session.wallet()?.pubkey();
        let mine: Vec<Pubkey> = session
            .list::<Submission>(&[(40, wallet.to_bytes().to_vec())])
            .await?
            .into_iter()
            .map(|(_, s)| s.task)
            .collect();
        let registered = session.fetch::<Worker>(&pda::worker(&wallet)).await?.is_some();
        let mut answerable = Vec::new();
        for (address, task) in tasks {
            let open = task.state == TaskState::Open && !task.commit_phase_over(now);
            if !registered || !open || task.requester == wallet || mine.contains(&address) {
                continue;
            }
            let stake = session.fetch::<Stake>(&pda::stake(&wallet, &task.mint)).await?;
            if stake.is_some_and(|stake| stake.free() >= task.stake_per_answer) {
                answerable.push((address, task));
            }
        }
        tasks = answerable;
    }
    tasks.sort_by_key(|(address, task)| (std::cmp::Reverse(task.commit_deadline), *address));
    let mut rows = Vec::new();
    for (address, task) in &tasks {
        let decimals = session.mint(&task.mint).await.map_or(6, |mint| mint.decimals);
        rows.push(json!({
            "task": address.to_string(),
            "state": state_name(task.state),
            "phase": phase(task, now),
            "answers": format!("{}/{}", task.committed, task.answers_required),
            "reward": format_amount(task.reward_per_answer, decimals),
            "stake": format_amount(task.stake_per_answer, decimals),
            "commit_deadline": utc(task.commit_deadline),
            "spec_uri": task.spec_uri,
        }));
    }
    Ok(Report::new(format!("{} task{}", rows.len(), if rows.len() == 1 { "" } else { "s" }))
        .field("tasks", rows))
}

async fn commit(session: &mut Session, address: &Pubkey, answer: Vec<u8>) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let wallet = session.wallet()?;
    let worker = wallet.pubkey();
    let cluster = session.cluster.name();
    let decimals = session.mint(&task.mint).await?.decimals;
    if session.fetch::<Submission>(&pda::submission(address, &worker)).await?.is_some() {
        bail!("you already committed to task {address}; reveal it with `pob task reveal {address}`");
    }
    if session.fetch::<Worker>(&pda::worker(&worker)).await?.is_none() {
        bail!("{worker} is not a registered worker: stake first (`pob worker stake AMOUNT`)");
    }
    let free =
        session.fetch::<Stake>(&pda::stake(&worker, &task.mint)).await?.map_or(0, |stake| stake.free());
    ensure!(
        free >= task.stake_per_answer,
        "the task locks {} of stake per answer; you have {} free (`pob worker stake`)",
        format_amount(task.stake_per_answer, decimals),
        format_amount(free, decimals)
    );
    let mut salt = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let hash = answer_hash(&answer);
    let commitment = answer_commitment(&address.to_bytes(), &worker.to_bytes(), &hash, &salt);
    // The salt is on disk before the commitment is on chain: a crash in between loses nothing.
    session.secrets.save(&cluster, address, &worker, &RevealSecret::new(&answer, &salt))?;
    let signature =
        match session.send_checked(&[ix::commit_answer(&worker, &task_ref, commitment)], &[]).await {
            Ok(signature) => signature,
            Err(failed) => {
                if failed.error.is_some() {
                    // Definitely not on chain: the secret protects nothing.
                    session.secrets.remove(&cluster, address, &worker)?;
                }
                return Err(session.explain(failed));
            }
        };
    let secrets_path = session.secrets.path().display().to_string();
    Ok(Report::new("Answer committed")
        .field("task", address.to_string())
        .field("submission", pda::submission(address, &worker).to_string())
        .field("answer_hash", hex(&hash))
        .field("stake_locked", format_amount(task.stake_per_answer, decimals))
        .field("secrets_file", secrets_path.clone())
        .field("commit_deadline", when(task.commit_deadline, session.now().await?))
        .field("signature", signature.to_string())
        .note(format!(
            "Keep {secrets_path}: it holds your answer's salt. Without it the answer cannot be revealed and \
             the {} stake behind it is slashed. Reveal from this machine with `pob task reveal {address}` once \
             the commit phase is over.",
            format_amount(task.stake_per_answer, decimals)
        )))
}

async fn reveal(session: &mut Session, address: &Pubkey) -> Result<Report> {
    session.task(address).await?;
    let worker = session.wallet()?.pubkey();
    let cluster = session.cluster.name();
    let secret = session.secrets.load(&cluster, address, &worker)?.with_context(|| {
        format!(
            "no stored salt for task {address} and wallet {worker} on {cluster} in {} (was the answer committed \
             from this machine, with this wallet and cluster?)",
            session.secrets.path().display()
        )
    })?;
    let submission = session.fetch::<Submission>(&pda::submission(address, &worker)).await?;
    let Some(submission) = submission else { bail!("you have no commitment on task {address}") };
    ensure!(
        submission.state == SubmissionState::Committed,
        "your answer to task {address} is already revealed"
    );
    let answer = secret.answer()?;
    let hash = answer_hash(&answer);
    let signature = session.send(&[ix::reveal_answer(&worker, address, hash, secret.salt()?)], &[]).await?;
    session.secrets.remove(&cluster, address, &worker)?;
    Ok(Report::new("Answer revealed")
        .field("task", address.to_string())
        .field(
            "answer",
            String::from_utf8(answer).unwrap_or_else(|bytes| format!("({} bytes)", bytes.as_bytes().len())),
        )
        .field("answer_hash", hex(&hash))
        .field("signature", signature.to_string()))
}

async fn reveal_all(session: &mut Session) -> Result<Report> {
    let worker = session.wallet()?.pubkey();
    let cluster = session.cluster.name();
    let now = session.now().await?;
    let (mut ixs, mut revealed, mut waiting) = (Vec::new(), Vec::new(), Vec::new());
    for address in session.secrets.tasks(&cluster, &worker)? {
        let task: Option<Task> = session.fetch(&address).await?;
        let submission: Option<Submission> = session.fetch(&pda::submission(&address, &worker)).await?;
        let unrevealed = |s: &Submission| s.state == SubmissionState::Committed;
        let (Some(task), Some(_)) = (task, submission.filter(unrevealed)) else {
            // Revealed already, or the task is gone: the secret protects nothing any more.
            session.secrets.remove(&cluster, &address, &worker)?;
            continue;
        };
        if task.state != TaskState::Open {
            continue;
        }
        if !task.commit_phase_over(now) || now >= task.reveal_deadline {
            waiting.push(address.to_string());
            continue;
        }
        let Some(secret) = session.secrets.load(&cluster, &address, &worker)? else { continue };
        ixs.push(ix::reveal_answer(&worker, &address, answer_hash(&secret.answer()?), secret.salt()?));
        revealed.push(address);
    }
    let signatures = if ixs.is_empty() { Vec::new() } else { session.send_batched(ixs, |_| {}).await? };
    for address in &revealed {
        session.secrets.remove(&cluster, address, &worker)?;
    }
    Ok(Report::new(format!("{} answer(s) revealed in {} transaction(s)", revealed.len(), signatures.len()))
        .field("revealed", revealed.iter().map(|t| t.to_string()).collect::<Vec<_>>())
        .field("not_revealable_now", waiting)
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
}

async fn claim(session: &mut Session, address: &Pubkey, all: bool, worker: Option<Pubkey>) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let decimals = session.mint(&task.mint).await?.decimals;
    let payer = session.wallet()?.pubkey();
    if all {
        // Submission layout: discriminator (8), task (32), worker (32).
        let submissions = session.list::<Submission>(&[(8, address.to_bytes().to_vec())]).await?;
        ensure!(!submissions.is_empty(), "task {address} has no submissions left to claim");
        let ixs: Vec<_> = submissions.iter().map(|(_, s)| ix::claim(&payer, &task_ref, &s.worker)).collect();
        let count = ixs.len();
        let bar = progress_bar(count as u64, "submissions settled");
        let signatures = session.send_batched(ixs, |sent| bar.set_position(sent as u64)).await;
        bar.finish_and_clear();
        let signatures = signatures?;
        return Ok(Report::new(format!(
            "{count} submission(s) settled in {} transaction(s)",
            signatures.len()
        ))
        .field("task", address.to_string())
        .field("workers", submissions.iter().map(|(_, s)| s.worker.to_string()).collect::<Vec<_>>())
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>()));
    }
    let worker = worker.unwrap_or(payer);
    let worker_ata = task_ref.mint.ata(&worker);
    let before = session.token_balance(&worker_ata).await?;
    if session.fetch::<Submission>(&pda::submission(address, &worker)).await?.is_none() {
        bail!("{worker} has no submission left to claim on task {address}");
    }
    let signature = session.send(&[ix::claim(&payer, &task_ref, &worker)], &[]).await?;
    let paid = session.token_balance(&worker_ata).await?.saturating_sub(before);
    Ok(Report::new("Submission settled")
        .field("task", address.to_string())
        .field("worker", worker.to_string())
        .field("paid", format_amount(paid, decimals))
        .field("signature", signature.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_relative_times_read_naturally() {
        assert_eq!(utc(0), "1970-01-01 00:00:00 UTC");
        assert_eq!(utc(951_782_400), "2000-02-29 00:00:00 UTC");
        assert_eq!(utc(1_795_618_763), "2026-11-25 14:59:23 UTC");
        assert_eq!(utc(-1), "1969-12-31 23:59:59 UTC");
        assert_eq!(approximately(0), "0s");
        assert_eq!(approximately(45), "45s");
        assert_eq!(approximately(3_599), "59m 59s");
        assert_eq!(approximately(3_600), "1h");
        assert_eq!(approximately(93_784), "1d 2h");
        assert_eq!(when(1_000, 400), "1970-01-01 00:16:40 UTC (in 10m)");
        assert_eq!(when(400, 1_000), "1970-01-01 00:06:40 UTC (10m ago)");
    }
}
