//! `pob task create`, one task from flags or many from a JSON-lines file.
use std::io::BufRead;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, ensure, Context, Result};
use proof_of_brain::logic::commitment::answer_hash;
use proof_of_brain::logic::settlement::task_deposit;
use proof_of_brain::CreateTaskArgs;
use rand::RngCore;
use serde::Deserialize;
use solana_sdk::signature::Signer;

use super::{progress_bar, show, CreateArgs};
use crate::amount::format_amount;
use crate::commands::{amount_flag, duration_arg, percent_arg, read_file};
use crate::ix::{self, TaskRef};
use crate::output::Report;
use crate::session::{MintInfo, Session};

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
pub(super) async fn check_funds(
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

pub(super) async fn prepare(
    session: &mut Session,
    mint: Option<Pubkey>,
) -> Result<(MintInfo, (u64, u64), u16, i64)> {
    let mint = session.mint_or_default(mint).await?;
    let protocol = session.protocol().await?;
    ensure!(!protocol.paused, "the protocol is paused: no new tasks for now");
    let config = session.mint_config(&mint.mint.mint).await?;
    ensure!(config.enabled, "mint {} is disabled for new tasks", mint.mint.mint);
    let now = session.now().await?;
    Ok((mint, (config.min_reward_per_answer, config.min_stake_per_answer), protocol.params.fee_bps, now))
}

pub(super) async fn create(session: &mut Session, args: CreateArgs) -> Result<Report> {
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
    Ok(show::show(session, &task.address).await?.field("signature", signature.to_string()))
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

pub(super) async fn create_batch(session: &mut Session, args: CreateArgs) -> Result<Report> {
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
