//! `pob task claim`: settling submissions, one or all.
use anchor_lang::prelude::Pubkey;
use anyhow::{bail, ensure, Result};
use proof_of_brain::state::Submission;
use solana_sdk::signature::Signer;

use super::progress_bar;
use crate::amount::format_amount;
use crate::ix::{self};
use crate::output::Report;
use crate::pda;
use crate::session::Session;

pub(super) async fn claim(
    session: &mut Session,
    address: &Pubkey,
    all: bool,
    worker: Option<Pubkey>,
) -> Result<Report> {
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
