//! `pob task commit|reveal`: the worker's side, with the salt kept locally.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anchor_lang::prelude::Pubkey;
use anchor_lang::solana_program::instruction::Instruction;
use anyhow::{anyhow, bail, ensure, Context, Result};
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Stake, Submission, SubmissionState, Task, TaskState, Worker};
use rand::RngCore;
use serde::Deserialize;
use solana_sdk::signature::Signer;

use super::{progress_bar, show};
use crate::amount::format_amount;
use crate::hex;
use crate::ix::{self, TaskRef};
use crate::output::Report;
use crate::pda;
use crate::secrets::RevealSecret;
use crate::session::Session;

/// A commitment checked and ready to be sealed (salted) and sent.
struct PendingCommit {
    address: Pubkey,
    task_ref: TaskRef,
    task: Task,
    answer: Vec<u8>,
}

/// Checks that the wallet can commit `answer` to `task`, counting the stake it will lock against
/// `free` (free stake per mint, fetched once per mint).
async fn check_commit(
    session: &mut Session,
    (task_ref, task): (TaskRef, Task),
    answer: Vec<u8>,
    free: &mut BTreeMap<Pubkey, u64>,
) -> Result<PendingCommit> {
    let address = &task_ref.address;
    let worker = session.wallet()?.pubkey();
    if session.fetch::<Submission>(&pda::submission(address, &worker)).await?.is_some() {
        bail!("you already committed to task {address}; reveal it with `pob task reveal {address}`");
    }
    let available = match free.get(&task.mint) {
        Some(available) => *available,
        None => {
            session.fetch::<Stake>(&pda::stake(&worker, &task.mint)).await?.map_or(0, |stake| stake.free())
        }
    };
    if available < task.stake_per_answer {
        let decimals = session.mint(&task.mint).await?.decimals;
        bail!(
            "the task locks {} of stake per answer; you have {} free (`pob worker stake`)",
            format_amount(task.stake_per_answer, decimals),
            format_amount(available, decimals)
        );
    }
    free.insert(task.mint, available - task.stake_per_answer);
    Ok(PendingCommit { address: *address, task_ref, task, answer })
}

/// Salts the answer and writes answer and salt to the secrets file, before the commitment can
/// be on chain (a crash in between loses nothing); returns the commit instruction.
fn seal(session: &Session, worker: &Pubkey, pending: &PendingCommit) -> Result<(Instruction, [u8; 32])> {
    let mut salt = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let hash = answer_hash(&pending.answer);
    let commitment = answer_commitment(&pending.address.to_bytes(), &worker.to_bytes(), &hash, &salt);
    let secret = RevealSecret::new(&pending.answer, &salt);
    session.secrets.save(&session.secrets_scope(), &pending.address, worker, &secret)?;
    Ok((ix::commit_answer(worker, &pending.task_ref, commitment), hash))
}

async fn ensure_registered(session: &mut Session) -> Result<Pubkey> {
    let worker = session.wallet()?.pubkey();
    if session.fetch::<Worker>(&pda::worker(&worker)).await?.is_none() {
        bail!("{worker} is not a registered worker: stake first (`pob worker stake AMOUNT`)");
    }
    Ok(worker)
}

fn keep_secrets_note(path: &str, reveal: &str) -> String {
    format!(
        "Keep {path}: it holds your answers' salts. Without them the answers cannot be revealed and the \
         stake behind them is slashed. Reveal from this machine with `{reveal}` once the commit phase is over."
    )
}

pub(super) async fn commit(session: &mut Session, address: &Pubkey, answer: Vec<u8>) -> Result<Report> {
    let task = session.task(address).await?;
    let worker = ensure_registered(session).await?;
    let pending = check_commit(session, task, answer, &mut BTreeMap::new()).await?;
    let (instruction, hash) = seal(session, &worker, &pending)?;
    let cluster = session.secrets_scope();
    let signature = match session.send_checked(&[instruction], &[]).await {
        Ok(signature) => signature,
        Err(failed) => {
            if failed.error.is_some() {
                // Definitely not on chain: the secret protects nothing.
                session.secrets.remove(&cluster, address, &worker)?;
            }
            return Err(session.explain(failed));
        }
    };
    let task = &pending.task;
    let decimals = session.mint(&task.mint).await?.decimals;
    let secrets_path = session.secrets.path().display().to_string();
    Ok(Report::new("Answer committed")
        .field("task", address.to_string())
        .field("submission", pda::submission(address, &worker).to_string())
        .field("answer_hash", hex::encode(&hash))
        .field("stake_locked", format_amount(task.stake_per_answer, decimals))
        .field("secrets_file", secrets_path.clone())
        .field("commit_deadline", show::when(task.commit_deadline, session.now().await?))
        .field("signature", signature.to_string())
        .note(keep_secrets_note(&secrets_path, &format!("pob task reveal {address}"))))
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

/// Commits many answers from a JSON-lines file (`{"task": ADDRESS, "answer": TEXT}` or
/// `"answer_file"`): every line checked first, every salt stored, then as few transactions as fit.
pub(super) async fn commit_batch(session: &mut Session, path: &Path) -> Result<Report> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("--batch: cannot read {}", path.display()))?;
    let dir = path.parent().unwrap_or(Path::new("."));
    let worker = ensure_registered(session).await?;
    let mut free = BTreeMap::new();
    let mut pending = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty()) {
        let at = |what: String| anyhow!("--batch line {}: {what}", index + 1);
        let fields: CommitLine = serde_json::from_str(line).map_err(|err| at(err.to_string()))?;
        let address: Pubkey =
            fields.task.parse().map_err(|_| at(format!("{:?} is not an address", fields.task)))?;
        let answer = match (fields.answer, fields.answer_file) {
            (Some(answer), None) => answer.into_bytes(),
            (None, Some(file)) => std::fs::read(dir.join(&file))
                .map_err(|err| at(format!("cannot read {}: {err}", file.display())))?,
            _ => return Err(at("give exactly one of \"answer\" and \"answer_file\"".into())),
        };
        if pending.iter().any(|p: &PendingCommit| p.address == address) {
            return Err(at(format!("task {address} appears twice")));
        }
        let task = session.task(&address).await.map_err(|err| at(format!("{err:#}")))?;
        let commit =
            check_commit(session, task, answer, &mut free).await.map_err(|err| at(format!("{err:#}")))?;
        pending.push(commit);
    }
    ensure!(!pending.is_empty(), "--batch: {} holds no answers", path.display());
    let mut ixs = Vec::new();
    for commit in &pending {
        ixs.push(seal(session, &worker, commit)?.0);
    }
    let bar = progress_bar(ixs.len() as u64, "answers committed");
    let signatures = session.send_batched(ixs, |sent| bar.set_position(sent as u64)).await;
    bar.finish_and_clear();
    // On failure the salts stay: those of commitments that never landed are dropped by
    // `pob task reveal --all`.
    let signatures = signatures?;
    let secrets_path = session.secrets.path().display().to_string();
    Ok(Report::new(format!("{} answer(s) committed in {} transaction(s)", pending.len(), signatures.len()))
        .field("tasks", pending.iter().map(|p| p.address.to_string()).collect::<Vec<_>>())
        .field("secrets_file", secrets_path.clone())
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .note(keep_secrets_note(&secrets_path, "pob task reveal --all")))
}

pub(super) async fn reveal(session: &mut Session, address: &Pubkey) -> Result<Report> {
    session.task(address).await?;
    let worker = session.wallet()?.pubkey();
    let cluster = session.secrets_scope();
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
        .field("answer_hash", hex::encode(&hash))
        .field("signature", signature.to_string()))
}

pub(super) async fn reveal_all(session: &mut Session) -> Result<Report> {
    let worker = session.wallet()?.pubkey();
    let cluster = session.secrets_scope();
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
