//! `pob task create`: one task from flags or many from a JSON-lines file, each from a spec.
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{anyhow, bail, ensure, Context, Result};
use proof_of_brain::logic::commitment::gold_seal;
use proof_of_brain::logic::settlement::task_deposit;
use proof_of_brain::state::{MintConfig, Protocol};
use proof_of_brain::{CreateTaskArgs, Qualification};
use rand::RngCore;
use serde::Deserialize;

use super::{progress_bar, show, CreateArgs};
use crate::amount::format_amount;
use crate::commands::funds::fund;
use crate::commands::{amount_flag, duration_arg, percent_arg};
use crate::duration::format_duration;
use crate::ix::{self, OwnAccount, TaskRef};
use crate::output::{big, money, Report};
use crate::secrets::RevealSecret;
use crate::session::{MintInfo, Session};
use crate::spec::{answer_hash, TaskSpec};
use crate::{pda, salt};

/// One task's settings as given on the command line or a batch line, before the mint is known.
#[derive(Clone, Debug)]
struct TaskInput {
    id: Option<u64>,
    spec_path: PathBuf,
    spec_uri: Option<String>,
    answers: u8,
    quorum: Option<u8>,
    reward: String,
    stake: Option<String>,
    commit_window: i64,
    reveal_window: i64,
    no_quorum_bps: u16,
    gold: Option<String>,
    qualification: Qualification,
}

/// A task checked and ready to send.
struct Prepared {
    args: CreateTaskArgs,
    spec: TaskSpec,
    spec_bytes: Vec<u8>,
    /// The canonical gold answer, if any.
    gold: Option<String>,
}

/// What every task of one invocation is checked against.
struct Terms {
    mint: MintInfo,
    config: MintConfig,
    protocol: Protocol,
    embedded: bool,
}

impl TaskInput {
    /// The instruction arguments, every rule of the program checked here so a bad line or flag
    /// is reported before anything is sent; each problem names its flag (or batch field).
    fn prepare(&self, terms: &Terms) -> Result<Prepared, Vec<String>> {
        let mut problems = Vec::new();
        let decimals = terms.mint.decimals;
        let amount = |value| format_amount(value, decimals);
        let spec_bytes = match std::fs::read(&self.spec_path) {
            Ok(bytes) => Some(bytes),
            Err(err) => {
                problems.push(format!("--spec: cannot read {}: {err}", self.spec_path.display()));
                None
            }
        };
        let spec = spec_bytes.as_ref().and_then(|bytes| match TaskSpec::parse(bytes) {
            Ok(spec) => Some(spec),
            Err(errors) => {
                for error in errors.0 {
                    problems.push(format!(
                        "--spec {}: {}: {}",
                        self.spec_path.display(),
                        error.field,
                        error.message
                    ));
                }
                None
            }
        });
        let reward = amount_flag("--reward", &self.reward, decimals)
            .map_err(|err| problems.push(err.to_string()))
            .ok();
        let stake = match &self.stake {
            Some(text) => {
                amount_flag("--stake", text, decimals).map_err(|err| problems.push(err.to_string())).ok()
            }
            None => Some(terms.config.min_stake_per_answer),
        };
        if let Some(reward) = reward.filter(|reward| *reward < terms.config.min_reward_per_answer) {
            problems.push(format!(
                "--reward: {} is below this mint's wage floor of {} per answer",
                amount(reward),
                amount(terms.config.min_reward_per_answer)
            ));
        }
        if let Some(stake) = stake.filter(|stake| *stake < terms.config.min_stake_per_answer) {
            problems.push(format!(
                "--stake: {} is below this mint's least stake of {} per answer",
                amount(stake),
                amount(terms.config.min_stake_per_answer)
            ));
        }
        let max_answers = proof_of_brain::constants::MAX_ANSWERS;
        if !(1..=max_answers).contains(&self.answers) {
            problems.push(format!("--answers: expected 1 to {max_answers}, got {}", self.answers));
        }
        let quorum = self.quorum.unwrap_or(self.answers / 2 + 1);
        if quorum > self.answers || 2 * u16::from(quorum) <= u16::from(self.answers) {
            problems.push(format!(
                "--quorum: expected more than half of --answers ({}) and at most it, got {quorum}",
                self.answers
            ));
        }
        let spec_uri = match (&self.spec_uri, terms.embedded) {
            (Some(uri), _) => uri.clone(),
            (None, true) => match std::path::absolute(&self.spec_path) {
                Ok(path) => format!("file://{}", path.display()),
                Err(err) => {
                    problems.push(format!("--spec: {err}"));
                    String::new()
                }
            },
            (None, false) => {
                problems.push(
                    "--spec-uri: required on a public cluster: publish the spec file (your site, IPFS, a bucket) \
                     and give its URL, so workers can read it"
                        .into(),
                );
                String::new()
            }
        };
        let max_uri = proof_of_brain::constants::MAX_SPEC_URI_LEN;
        if spec_uri.len() > max_uri {
            problems.push(format!(
                "--spec-uri: at most {max_uri} bytes, got {} (pass a shorter --spec-uri)",
                spec_uri.len()
            ));
        }
        let (min, max) = (terms.protocol.min_task_window_secs, terms.protocol.max_task_window_secs);
        let window = |flag: &str, seconds: i64, problems: &mut Vec<String>| -> u32 {
            match u32::try_from(seconds) {
                Ok(secs) if (min..=max).contains(&secs) => secs,
                _ => {
                    problems.push(format!(
                        "{flag}: {} is outside the protocol's bounds, {} to {}",
                        format_duration(seconds),
                        format_duration(i64::from(min)),
                        format_duration(i64::from(max))
                    ));
                    0
                }
            }
        };
        let commit_window_secs = window("--commit-window", self.commit_window, &mut problems);
        let reveal_window_secs = window("--reveal-window", self.reveal_window, &mut problems);
        if self.no_quorum_bps < terms.protocol.min_no_quorum_bps {
            problems.push(format!(
                "--no-quorum-pay: at least {}% (the protocol's minimum)",
                crate::commands::bps_value(terms.protocol.min_no_quorum_bps)
            ));
        }
        let gold = match (&self.gold, &spec) {
            (Some(typed), Some(spec)) => match spec.canonical_answer(typed) {
                Ok(canonical) => Some(canonical),
                Err(err) => {
                    problems.push(format!("--gold: {err}"));
                    None
                }
            },
            _ => None,
        };
        if let Some(reward) = reward {
            if task_deposit(self.answers, reward, terms.protocol.fee_bps).is_none() {
                problems.push("--reward: the deposit overflows a token amount".into());
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let (Some(spec), Some(spec_bytes), Some(reward), Some(stake)) = (spec, spec_bytes, reward, stake)
        else {
            unreachable!("every missing part is a problem above")
        };
        let args = CreateTaskArgs {
            task_id: self.id.unwrap_or_else(|| rand::thread_rng().next_u64()),
            spec_hash: crate::spec::spec_hash(&spec_bytes),
            spec_uri,
            answers_required: self.answers,
            quorum,
            reward_per_answer: reward,
            stake_per_answer: stake,
            no_quorum_bps: self.no_quorum_bps,
            commit_window_secs,
            reveal_window_secs,
            qualification: self.qualification,
            gold_seal: None, // sealed once the task address is known
        };
        Ok(Prepared { args, spec, spec_bytes, gold })
    }
}

async fn terms(session: &mut Session, mint: Option<Pubkey>) -> Result<Terms> {
    let mint = session.mint_or_default(mint).await?;
    let protocol = session.protocol().await?;
    ensure!(
        !protocol.is_paused(),
        "the protocol is paused: no new tasks for now (settlement and withdrawals work)"
    );
    let config = session.mint_config(&mint.mint.mint).await?;
    ensure!(config.is_enabled(), "mint {} is disabled for new tasks", mint.mint.mint);
    let embedded = session.ledger.is_embedded();
    Ok(Terms { mint, config, protocol, embedded })
}

fn qualification(args: &CreateArgs) -> Qualification {
    Qualification {
        min_agreed_answers: args.min_agreed_answers,
        min_agreement_bps: args.min_agreement,
        min_gold_accuracy_bps: args.min_gold_accuracy,
    }
}

/// Seals the gold answers (the salt comes from the wallet, which needs the task address) and
/// keeps each spec in the local store; a text or number gold answer is kept in the secrets file
/// for `reveal-gold`.
fn seal_and_store(session: &mut Session, wallet_address: &Pubkey, tasks: &mut [Prepared]) -> Result<()> {
    let wallet = session.wallet()?;
    let scope = format!("gold:{}", session.secrets_scope());
    for task in tasks {
        session.specs().put(&task.spec_bytes)?;
        if let Some(gold) = &task.gold {
            let address = pda::task(wallet_address, task.args.task_id);
            let salt = salt::gold_salt(&wallet, &address);
            task.args.gold_seal = Some(gold_seal(&address.to_bytes(), &answer_hash(gold), &salt));
            if task.spec.labels().is_empty() {
                session.secrets.save(&scope, &address, wallet_address, &RevealSecret::new(gold))?;
            }
        }
    }
    Ok(())
}

async fn check_unused(session: &mut Session, wallet: &Pubkey, tasks: &[Prepared]) -> Result<Vec<String>> {
    let mut problems = Vec::new();
    for (index, task) in tasks.iter().enumerate() {
        let address = pda::task(wallet, task.args.task_id);
        if session.ledger.account(&address).await?.is_some() {
            problems.push(format!(
                "task {}: id {} is already your task {address}",
                index + 1,
                task.args.task_id
            ));
        }
        if tasks[..index].iter().any(|other| other.args.task_id == task.args.task_id) {
            problems.push(format!("task {}: id {} is used twice", index + 1, task.args.task_id));
        }
    }
    Ok(problems)
}

fn total_deposit(tasks: &[Prepared], fee_bps: u16) -> Result<u64> {
    tasks
        .iter()
        .try_fold(0u64, |sum, task| {
            task_deposit(task.args.answers_required, task.args.reward_per_answer, fee_bps)
                .and_then(|deposit| sum.checked_add(deposit))
        })
        .context("the deposits overflow a token amount")
}

/// The requester's record (created with the first task), funding, then the tasks.
async fn instructions(
    session: &mut Session,
    terms: &Terms,
    tasks: &[Prepared],
    total: u64,
) -> Result<(Vec<Instruction>, u64)> {
    let wallet = session.wallet_address()?;
    let mut ixs = session.own_account_ixs(&wallet, OwnAccount::Requester).await?;
    let what = if tasks.len() == 1 { "the task".to_string() } else { format!("the {} tasks", tasks.len()) };
    let (funding, deposited) = fund(session, &terms.mint, total, &format!("{what} (rewards + fee)")).await?;
    ixs.extend(funding);
    ixs.extend(tasks.iter().map(|task| ix::create_task(&wallet, &terms.mint.mint.mint, task.args.clone())));
    Ok((ixs, deposited))
}

pub(super) async fn create(session: &mut Session, args: CreateArgs) -> Result<Report> {
    let input = TaskInput {
        id: args.id,
        spec_path: args.spec.clone().context("--spec is required")?,
        spec_uri: args.spec_uri.clone(),
        answers: args.answers,
        quorum: args.quorum,
        reward: args.reward.clone().context("--reward is required")?,
        stake: args.stake.clone(),
        commit_window: args.commit_window,
        reveal_window: args.reveal_window,
        no_quorum_bps: args.no_quorum_pay,
        gold: args.gold.clone(),
        qualification: qualification(&args),
    };
    let terms = terms(session, args.mint).await?;
    let prepared = input.prepare(&terms).map_err(|problems| anyhow!("{}", problems.join("\n")))?;
    let wallet = session.wallet_address()?;
    let mut tasks = vec![prepared];
    if let Some(problem) = check_unused(session, &wallet, &tasks).await?.first() {
        bail!("--id: {}", problem.trim_start_matches("task 1: "));
    }
    let total = total_deposit(&tasks, terms.protocol.fee_bps)?;
    seal_and_store(session, &wallet, &mut tasks)?;
    let (ixs, deposited) = instructions(session, &terms, &tasks, total).await?;
    let signature = session.send(&ixs, &[]).await?;
    let task = TaskRef::new(wallet, tasks[0].args.task_id, terms.mint.mint);
    let mut report = show::show(session, &task.address)
        .await?
        .field("deposited_from_wallet", money(deposited, terms.mint.decimals))
        .field("signature", signature.to_string());
    report.title = format!("Task created: {}", task.address);
    Ok(report.note(format!("Follow it with `{}`.", session.hint(&format!("task show {}", task.address)))))
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
    gold: Option<String>,
}

/// Every line's input, or every problem of every line (`line N: ...`).
fn batch_inputs(path: &Path, args: &CreateArgs) -> Result<Vec<(usize, TaskInput)>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("--batch: cannot read {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut inputs = Vec::new();
    let mut problems = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let fields: BatchLine = match serde_json::from_str(line) {
            Ok(fields) => fields,
            Err(err) => {
                problems.push(format!("line {number}: {err}"));
                continue;
            }
        };
        let mut line_problems = Vec::new();
        let spec = fields.spec.or_else(|| args.spec.clone());
        if spec.is_none() {
            line_problems.push("no \"spec\" file (give one per line or --spec)".to_string());
        }
        let reward = fields.reward.or_else(|| args.reward.clone());
        if reward.is_none() {
            line_problems.push("no \"reward\" (give one per line or --reward)".to_string());
        }
        let mut duration = |field: &str, text: Option<String>, default: i64| -> i64 {
            text.map_or(default, |text| {
                duration_arg(&text).unwrap_or_else(|err| {
                    line_problems.push(format!("\"{field}\": {err}"));
                    default
                })
            })
        };
        let commit_window = duration("commit_window", fields.commit_window, args.commit_window);
        let reveal_window = duration("reveal_window", fields.reveal_window, args.reveal_window);
        let no_quorum_bps = match fields.no_quorum_pay {
            Some(text) => percent_arg(&text).unwrap_or_else(|err| {
                line_problems.push(format!("\"no_quorum_pay\": {err}"));
                args.no_quorum_pay
            }),
            None => args.no_quorum_pay,
        };
        if !line_problems.is_empty() {
            problems.extend(line_problems.into_iter().map(|problem| format!("line {number}: {problem}")));
            continue;
        }
        inputs.push((
            number,
            TaskInput {
                id: fields.id,
                spec_path: dir.join(spec.expect("checked")),
                spec_uri: fields.spec_uri.or_else(|| args.spec_uri.clone()),
                answers: fields.answers.unwrap_or(args.answers),
                quorum: fields.quorum.or(args.quorum),
                reward: reward.expect("checked"),
                stake: fields.stake.or_else(|| args.stake.clone()),
                commit_window,
                reveal_window,
                no_quorum_bps,
                gold: fields.gold.or_else(|| args.gold.clone()),
                qualification: qualification(args),
            },
        ));
    }
    if !problems.is_empty() {
        bail!("--batch {}: nothing was sent; fix these lines:\n{}", path.display(), problems.join("\n"));
    }
    ensure!(!inputs.is_empty(), "--batch: {} holds no tasks", path.display());
    Ok(inputs)
}

pub(super) async fn create_batch(session: &mut Session, args: CreateArgs) -> Result<Report> {
    let path = args.batch.clone().context("--batch is required")?;
    let inputs = batch_inputs(&path, &args)?;
    let terms = terms(session, args.mint).await?;
    let mut tasks = Vec::new();
    let mut problems = Vec::new();
    for (number, input) in &inputs {
        match input.prepare(&terms) {
            Ok(prepared) => tasks.push(prepared),
            Err(line_problems) => {
                problems.extend(line_problems.into_iter().map(|problem| format!("line {number}: {problem}")))
            }
        }
    }
    let wallet = session.wallet_address()?;
    if problems.is_empty() {
        for problem in check_unused(session, &wallet, &tasks).await? {
            // "task N" counts prepared tasks, which are the lines in order.
            let (task, rest) = problem.split_once(": ").unwrap_or(("", &problem));
            let index: usize = task.trim_start_matches("task ").parse().unwrap_or(1);
            problems.push(format!("line {}: {rest}", inputs[index - 1].0));
        }
    }
    if !problems.is_empty() {
        bail!("--batch {}: nothing was sent; fix these lines:\n{}", path.display(), problems.join("\n"));
    }
    let total = total_deposit(&tasks, terms.protocol.fee_bps)?;
    seal_and_store(session, &wallet, &mut tasks)?;
    let (ixs, deposited) = instructions(session, &terms, &tasks, total).await?;
    let bar = progress_bar(ixs.len() as u64, "instructions sent");
    let signatures = session.send_batched(ixs, |sent| bar.set_position(sent as u64)).await;
    bar.finish_and_clear();
    let signatures = signatures?;
    let decimals = terms.mint.decimals;
    let rows: Vec<serde_json::Value> = inputs
        .iter()
        .zip(&tasks)
        .map(|((line, _), task)| {
            let deposit =
                task_deposit(task.args.answers_required, task.args.reward_per_answer, terms.protocol.fee_bps)
                    .unwrap_or_default();
            serde_json::json!({
                "line": line,
                "task": pda::task(&wallet, task.args.task_id).to_string(),
                "task_id": big(task.args.task_id),
                "deposit": money(deposit, decimals),
            })
        })
        .collect();
    Ok(Report::new(format!("{} task(s) created in {} transaction(s)", tasks.len(), signatures.len()))
        .field("tasks", rows)
        .field("total_deposit", money(total, decimals))
        .field("deposited_from_wallet", money(deposited, decimals))
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .note(format!(
            "Export the results once they settle: `{}`.",
            session.hint(&format!("task results --requester {wallet}"))
        )))
}
