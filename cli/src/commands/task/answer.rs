//! `pob task commit|reveal`: the worker's side. The salt is derived from the wallet, so a choice
//! answer is recovered from the chain alone; a text or number answer is also kept in the secrets
//! file until it is revealed.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{anyhow, bail, ensure, Context, Result};
use proof_of_brain::logic::commitment::answer_commitment;
use proof_of_brain::state::{Submission, Worker, SUBMISSION_COMMITTED, TASK_OPEN};
use serde::Deserialize;
use serde_json::json;
use solana_sdk::signature::Keypair;

use super::{progress_bar, task_spec};
use crate::accounts::OwnedTask;
use crate::commands::funds::fund;
use crate::hex;
use crate::ix::{self, OwnAccount, TaskRef};
use crate::output::{money, time, Report};
use crate::pda;
use crate::salt;
use crate::secrets::RevealSecret;
use crate::session::Session;
use crate::spec::{answer_hash, TaskSpec};

/// A commitment checked and ready to be sent.
struct PendingCommit {
    task_ref: TaskRef,
    task: OwnedTask,
    /// The canonical answer, as hashed.
    answer: String,
    /// Whether the answer must be kept to be revealed (text and number tasks).
    keep: bool,
}

/// Checks that the wallet can commit `typed` to the task now, and turns it into its canonical
/// form under the task's spec.
async fn check_commit(
    session: &mut Session,
    (task_ref, task): (TaskRef, OwnedTask),
    typed: &str,
) -> Result<PendingCommit> {
    let address = task_ref.address;
    let worker = session.wallet_address()?;
    let now = session.now().await?;
    if task.requester == worker {
        bail!("task {address} is yours: a requester cannot answer its own task");
    }
    if session.fetch::<Submission>(&pda::submission(&address, &worker)).await?.is_some() {
        bail!(
            "you already committed to task {address}; reveal it with `{}`",
            session.hint(&format!("task reveal {address}"))
        );
    }
    if task.state == TASK_OPEN && task.committed >= task.answers_required {
        bail!("task {address} has all the answers it asked for ({})", task.answers_required);
    }
    if task.state != TASK_OPEN || task.commit_phase_over(now) {
        bail!(
            "task {address} no longer takes commitments (its commit phase ended {})",
            crate::output::when(task.commit_deadline, now)
        );
    }
    let spec = task_spec(session, &address, &task).await?;
    let answer = spec.canonical_answer(typed).map_err(|err| anyhow!("--answer: {err}"))?;
    Ok(PendingCommit { keep: spec.labels().is_empty(), task_ref, task, answer })
}

/// The worker record, if the wallet has none yet (created in the first commit's transaction).
async fn registration(session: &mut Session, worker: &Pubkey) -> Result<Vec<Instruction>> {
    if session.fetch::<Worker>(&pda::worker(worker)).await?.is_some() {
        return Ok(Vec::new());
    }
    let mut ixs = session.own_account_ixs(worker, OwnAccount::Worker).await?;
    ixs.push(ix::register_worker(worker));
    Ok(ixs)
}

/// The commitment instruction; a text or number answer is written to the secrets file first, so
/// a crash after sending loses nothing.
fn seal(session: &Session, wallet: &Keypair, pending: &PendingCommit) -> Result<Instruction> {
    let worker = solana_sdk::signer::Signer::pubkey(wallet);
    let address = pending.task_ref.address;
    let salt = salt::answer_salt(wallet, &address);
    let hash = answer_hash(&pending.answer);
    let commitment = answer_commitment(&address.to_bytes(), &worker.to_bytes(), &hash, &salt);
    if pending.keep {
        session.secrets.save(
            &session.secrets_scope(),
            &address,
            &worker,
            &RevealSecret::new(&pending.answer),
        )?;
    }
    Ok(ix::commit_answer(&worker, &pending.task_ref, commitment))
}

/// Total stake per mint the commitments lock.
fn stake_by_mint(pending: &[PendingCommit]) -> Result<BTreeMap<Pubkey, u64>> {
    let mut stakes = BTreeMap::new();
    for commit in pending {
        let total: &mut u64 = stakes.entry(commit.task.mint).or_default();
        *total =
            total.checked_add(commit.task.stake_per_answer).context("the stakes overflow a token amount")?;
    }
    Ok(stakes)
}

/// Opening the balance and depositing what the stakes need beyond the free balance.
async fn stake_funding(session: &mut Session, pending: &[PendingCommit]) -> Result<(Vec<Instruction>, u64)> {
    let (mut ixs, mut deposited) = (Vec::new(), 0);
    for (mint, stake) in stake_by_mint(pending)? {
        let mint = session.mint(&mint).await?;
        let (funding, amount) = fund(session, &mint, stake, "the stake").await?;
        ixs.extend(funding);
        deposited += amount;
    }
    Ok((ixs, deposited))
}

fn reveal_note(session: &Session, reveal: &str, keep: bool) -> String {
    let how = format!("Reveal once the commit phase is over: `{}`.", session.hint(reveal));
    if keep {
        format!(
            "{how} Your answer is kept in {} until then (needed to reveal it from another machine, with --answer).",
            session.secrets.path().display()
        )
    } else {
        format!("{how} Nothing needs keeping: your wallet recovers the answer.")
    }
}

pub(super) async fn commit(session: &mut Session, address: &Pubkey, typed: &str) -> Result<Report> {
    let task = session.task(address).await?;
    let pending = check_commit(session, task, typed).await?;
    let wallet = session.wallet()?;
    let worker = solana_sdk::signer::Signer::pubkey(&wallet);
    let mut ixs = registration(session, &worker).await?;
    let (funding, deposited) = stake_funding(session, std::slice::from_ref(&pending)).await?;
    ixs.extend(funding);
    ixs.push(seal(session, &wallet, &pending)?);
    let scope = session.secrets_scope();
    let signature = match session.send_checked(&ixs, &[]).await {
        Ok(signature) => signature,
        Err(failed) => {
            if failed.error.is_some() && pending.keep {
                // Definitely not on chain: the kept answer protects nothing.
                session.secrets.remove(&scope, address, &worker)?;
            }
            return Err(session.explain(failed));
        }
    };
    let task = &pending.task;
    let decimals = session.mint(&task.mint).await?.decimals;
    let now = session.now().await?;
    Ok(Report::new("Answer committed")
        .field("task", address.to_string())
        .field("answer", pending.answer.clone())
        .field("stake_locked", money(task.stake_per_answer, decimals))
        .field("deposited_from_wallet", money(deposited, decimals))
        .field("reveal_from", time(task.commit_deadline, now))
        .field("reveal_until", time(task.reveal_deadline, now))
        .field("signature", signature.to_string())
        .note(reveal_note(session, &format!("task reveal {address}"), pending.keep)))
}

/// One line of `task commit --batch`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CommitLine {
    task: String,
    answer: Option<String>,
    /// Relative to the batch file's directory.
    answer_file: Option<PathBuf>,
}

/// Commits many answers from a JSON-lines file: every line is checked and every bad one
/// reported before anything is sent, then as few transactions as fit.
pub(super) async fn commit_batch(session: &mut Session, path: &Path) -> Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("--batch: cannot read {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let (mut pending, mut problems) = (Vec::<PendingCommit>::new(), Vec::new());
    for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let checked: Result<PendingCommit> = async {
            let fields: CommitLine = serde_json::from_str(line).map_err(|err| anyhow!("{err}"))?;
            let address: Pubkey =
                fields.task.parse().map_err(|_| anyhow!("task: {:?} is not an address", fields.task))?;
            let answer = match (fields.answer, fields.answer_file) {
                (Some(answer), None) => answer,
                (None, Some(file)) => std::fs::read_to_string(dir.join(&file))
                    .map_err(|err| anyhow!("answer_file: cannot read {}: {err}", file.display()))?,
                _ => bail!("give exactly one of \"answer\" and \"answer_file\""),
            };
            if pending.iter().any(|p| p.task_ref.address == address) {
                bail!("task {address} appears twice");
            }
            let task = session.task(&address).await?;
            check_commit(session, task, &answer).await
        }
        .await;
        match checked {
            Ok(commit) => pending.push(commit),
            Err(err) => problems.push(format!("--batch line {}: {err:#}", index + 1)),
        }
    }
    ensure!(problems.is_empty(), "nothing was sent:\n{}", problems.join("\n"));
    ensure!(!pending.is_empty(), "--batch: {} holds no answers", path.display());
    let wallet = session.wallet()?;
    let worker = solana_sdk::signer::Signer::pubkey(&wallet);
    let mut setup = registration(session, &worker).await?;
    let (funding, deposited) = stake_funding(session, &pending).await?;
    setup.extend(funding);
    let mut groups = Vec::new();
    if !setup.is_empty() {
        groups.push(setup);
    }
    for commit in &pending {
        groups.push(vec![seal(session, &wallet, commit)?]);
    }
    let bar = progress_bar(groups.len() as u64, "answers committed");
    let signatures = session.send_grouped(groups, |sent| bar.set_position(sent as u64)).await;
    bar.finish_and_clear();
    let signatures = signatures?;
    let keep = pending.iter().any(|p| p.keep);
    // Tasks of several mints would need one total each; batches are of one mint in practice.
    let decimals = session.mint(&pending[0].task.mint).await?.decimals;
    let rows: Vec<_> =
        pending.iter().map(|p| json!({"task": p.task_ref.address.to_string(), "answer": p.answer})).collect();
    Ok(Report::new(format!("{} answer(s) committed in {} transaction(s)", pending.len(), signatures.len()))
        .field("answers", rows)
        .field("deposited_from_wallet", money(deposited, decimals))
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .note(reveal_note(session, "task reveal --all", keep)))
}

/// The canonical answer behind `submission`: a label whose commitment matches (choice), the kept
/// answer, or `typed`; checked against the commitment either way.
fn recover_answer(
    session: &Session,
    wallet: &Keypair,
    spec: &TaskSpec,
    submission: &Submission,
    typed: Option<&str>,
) -> Result<String> {
    let worker = solana_sdk::signer::Signer::pubkey(wallet);
    let task = submission.task;
    let salt = salt::answer_salt(wallet, &task);
    let matches = |answer: &str| {
        answer_commitment(&task.to_bytes(), &worker.to_bytes(), &answer_hash(answer), &salt)
            == submission.commitment
    };
    if let Some(typed) = typed {
        let answer = spec.canonical_answer(typed).map_err(|err| anyhow!("--answer: {err}"))?;
        ensure!(matches(&answer), "--answer: {answer:?} is not what this wallet committed to task {task}");
        return Ok(answer);
    }
    if let Some(label) = spec.labels().iter().find(|label| matches(label)) {
        return Ok(label.clone());
    }
    if let Some(kept) = session.secrets.load(&session.secrets_scope(), &task, &worker)? {
        if matches(&kept.answer) {
            return Ok(kept.answer);
        }
    }
    if spec.labels().is_empty() {
        bail!(
            "task {task}'s answer is not in {} (was it committed from another machine?): reveal it with --answer",
            session.secrets.path().display()
        );
    }
    bail!("none of task {task}'s labels matches your commitment: it was not made with this wallet's salt")
}

/// The reveal instruction of `answer`, with the memo publishing it for a text or number task.
fn reveal_group(wallet: &Keypair, task: &Pubkey, spec: &TaskSpec, answer: &str) -> Vec<Instruction> {
    let worker = solana_sdk::signer::Signer::pubkey(wallet);
    let salt = salt::answer_salt(wallet, task);
    let mut group = vec![ix::reveal_answer(&worker, task, answer_hash(answer), salt)];
    if spec.labels().is_empty() {
        group.push(ix::answer_memo(task, answer));
    }
    group
}

pub(super) async fn reveal(session: &mut Session, address: &Pubkey, typed: Option<String>) -> Result<Report> {
    let (_, task) = session.task(address).await?;
    let wallet = session.wallet()?;
    let worker = solana_sdk::signer::Signer::pubkey(&wallet);
    let Some(submission) = session.fetch::<Submission>(&pda::submission(address, &worker)).await? else {
        bail!("{worker} has no commitment on task {address}");
    };
    ensure!(submission.state == SUBMISSION_COMMITTED, "your answer to task {address} is already revealed");
    let now = session.now().await?;
    ensure!(
        task.commit_phase_over(now),
        "task {address} takes reveals once its commit phase is over, {}",
        crate::output::when(task.commit_deadline, now)
    );
    ensure!(
        now < task.reveal_deadline,
        "task {address}'s reveal phase ended {}",
        crate::output::when(task.reveal_deadline, now)
    );
    let spec = task_spec(session, address, &task).await?;
    let answer = recover_answer(session, &wallet, &spec, &submission, typed.as_deref())?;
    let signature = session.send(&reveal_group(&wallet, address, &spec, &answer), &[]).await?;
    session.secrets.remove(&session.secrets_scope(), address, &worker)?;
    Ok(Report::new("Answer revealed")
        .field("task", address.to_string())
        .field("answer", answer.clone())
        .field("answer_hash", hex::encode(&answer_hash(&answer)))
        .field("signature", signature.to_string()))
}

/// Reveals every commitment of the wallet whose task is taking reveals, found on chain (not in a
/// local file), batched into as few transactions as fit.
pub(super) async fn reveal_all(session: &mut Session) -> Result<Report> {
    let wallet = session.wallet()?;
    let worker = solana_sdk::signer::Signer::pubkey(&wallet);
    let now = session.now().await?;
    // Submission layout: discriminator (8), task (32), worker (32 at 40).
    let submissions = session.list::<Submission>(&[(40, worker.to_bytes().to_vec())]).await?;
    let (mut groups, mut revealed, mut waiting, mut problems) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for (_, submission) in submissions.iter().filter(|(_, s)| s.state == SUBMISSION_COMMITTED) {
        let address = submission.task;
        let Some(task) = session.fetch_task(&address).await? else { continue };
        if task.state != TASK_OPEN || now >= task.reveal_deadline {
            continue;
        }
        if !task.commit_phase_over(now) {
            waiting
                .push(json!({"task": address.to_string(), "reveal_from": time(task.commit_deadline, now)}));
            continue;
        }
        let spec = match task_spec(session, &address, &task).await {
            Ok(spec) => spec,
            Err(err) => {
                problems.push(format!("{err:#}"));
                continue;
            }
        };
        match recover_answer(session, &wallet, &spec, submission, None) {
            Ok(answer) => {
                groups.push(reveal_group(&wallet, &address, &spec, &answer));
                revealed.push(json!({"task": address.to_string(), "answer": answer}));
            }
            Err(err) => problems.push(format!("{err:#}")),
        }
    }
    let signatures =
        if groups.is_empty() { Vec::new() } else { session.send_grouped(groups, |_| {}).await? };
    for row in &revealed {
        if let Some(task) = row["task"].as_str().and_then(|t| t.parse().ok()) {
            session.secrets.remove(&session.secrets_scope(), &task, &worker)?;
        }
    }
    let mut report =
        Report::new(format!("{} answer(s) revealed in {} transaction(s)", revealed.len(), signatures.len()))
            .field("revealed", revealed)
            .field("not_yet", waiting)
            .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>());
    for problem in problems {
        report = report.note(problem);
    }
    Ok(report)
}

/// The label this wallet committed to a choice task, recovered from its salt (`None` for other
/// kinds, or another wallet's submission).
pub(super) fn recover_choice(
    session: &mut Session,
    spec: &TaskSpec,
    task: &Pubkey,
    wallet: &Pubkey,
    submission: &Submission,
) -> Option<String> {
    let keypair = session.wallet().ok()?;
    if solana_sdk::signer::Signer::pubkey(&keypair) != *wallet {
        return None;
    }
    let salt = salt::answer_salt(&keypair, task);
    spec.labels()
        .iter()
        .find(|label| {
            answer_commitment(&task.to_bytes(), &wallet.to_bytes(), &answer_hash(label), &salt)
                == submission.commitment
        })
        .cloned()
}
