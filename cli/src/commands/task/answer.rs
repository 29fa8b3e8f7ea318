//! `pob task commit|reveal`: the worker's side, with the salt kept locally.

use anchor_lang::prelude::Pubkey;
use anyhow::{bail, ensure, Context, Result};
use proof_of_brain::logic::commitment::{answer_commitment, answer_hash};
use proof_of_brain::state::{Stake, Submission, SubmissionState, Task, TaskState, Worker};
use rand::RngCore;
use solana_sdk::signature::Signer;

use super::super::hex;
use super::show;
use crate::amount::format_amount;
use crate::ix::{self};
use crate::output::Report;
use crate::pda;
use crate::secrets::RevealSecret;
use crate::session::Session;

pub(super) async fn commit(session: &mut Session, address: &Pubkey, answer: Vec<u8>) -> Result<Report> {
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
        .field("commit_deadline", show::when(task.commit_deadline, session.now().await?))
        .field("signature", signature.to_string())
        .note(format!(
            "Keep {secrets_path}: it holds your answer's salt. Without it the answer cannot be revealed and \
             the {} stake behind it is slashed. Reveal from this machine with `pob task reveal {address}` once \
             the commit phase is over.",
            format_amount(task.stake_per_answer, decimals)
        )))
}

pub(super) async fn reveal(session: &mut Session, address: &Pubkey) -> Result<Report> {
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

pub(super) async fn reveal_all(session: &mut Session) -> Result<Report> {
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
