//! `pob task finalize|reveal-gold|claim|close|cancel`: after the reveals.
use anchor_lang::prelude::Pubkey;
use anyhow::{anyhow, bail, ensure, Result};
use proof_of_brain::logic::commitment::gold_seal;
use proof_of_brain::logic::settlement::Settlement;
use proof_of_brain::state::{Submission, GOLD_SEALED, TASK_FINALIZED, TASK_OPEN};
use serde_json::json;

use super::history::TaskHistory;
use super::{progress_bar, show, task_spec};
use crate::ix;
use crate::output::{money, time, Report};
use crate::pda;
use crate::salt;
use crate::session::Session;
use crate::spec::answer_hash;

pub(super) async fn finalize(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let (_, task) = session.task(address).await?;
    let now = session.now().await?;
    ensure!(task.state == TASK_OPEN, "task {address} is already finalized");
    ensure!(
        task.reveals_complete(now),
        "task {address} can be finalized once every committed answer is revealed or the reveal phase ends, {}",
        crate::output::when(task.reveal_deadline, now)
    );
    let signature = session.send(&[ix::finalize_task(address)], &[]).await?;
    let mut report = show::show(session, address).await?;
    report.title = "Task finalized".into();
    Ok(report.field("signature", signature.to_string()))
}

pub(super) async fn reveal_gold(
    session: &mut Session,
    address: &Pubkey,
    typed: Option<String>,
) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let wallet = session.wallet()?;
    let requester = solana_sdk::signer::Signer::pubkey(&wallet);
    ensure!(
        requester == task.requester,
        "only task {address}'s requester {} can reveal its gold answer",
        task.requester
    );
    ensure!(task.gold_state == GOLD_SEALED, "task {address} has no sealed gold answer to reveal");
    ensure!(
        task.state == TASK_FINALIZED,
        "the gold answer is revealed after `{}`",
        session.hint(&format!("task finalize {address}"))
    );
    let spec = task_spec(session, address, &task).await?;
    let salt = salt::gold_salt(&wallet, address);
    let matches =
        |answer: &str| gold_seal(&address.to_bytes(), &answer_hash(answer), &salt) == task.gold_seal;
    let scope = format!("gold:{}", session.secrets_scope());
    let answer = match typed {
        Some(typed) => {
            let answer = spec.canonical_answer(&typed).map_err(|err| anyhow!("--answer: {err}"))?;
            ensure!(matches(&answer), "--answer: {answer:?} is not the gold answer sealed in task {address}");
            answer
        }
        None => match spec.labels().iter().find(|label| matches(label)) {
            Some(label) => label.clone(),
            None => match session.secrets.load(&scope, address, &requester)? {
                Some(kept) if matches(&kept.answer) => kept.answer,
                _ => bail!("task {address}'s gold answer is not kept on this machine: give it with --answer"),
            },
        },
    };
    let mut ixs = vec![ix::reveal_gold(&task_ref, answer_hash(&answer), salt)];
    if spec.labels().is_empty() {
        ixs.push(ix::answer_memo(address, &answer));
    }
    let signature = session.send(&ixs, &[]).await?;
    session.secrets.remove(&scope, address, &requester)?;
    Ok(Report::new("Gold answer revealed: each revealer's record is graded against it at claim")
        .field("task", address.to_string())
        .field("gold", answer)
        .field("signature", signature.to_string()))
}

fn settlement_name(settlement: Settlement) -> &'static str {
    match settlement {
        Settlement::Agreed => "agreed",
        Settlement::Disagreed => "disagreed",
        Settlement::NoQuorum => "no quorum",
        Settlement::Unrevealed => "unrevealed",
    }
}

pub(super) async fn claim(
    session: &mut Session,
    address: &Pubkey,
    all: bool,
    worker: Option<Pubkey>,
) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let now = session.now().await?;
    ensure!(
        task.state == TASK_FINALIZED,
        "task {address} is not finalized yet (`{}`)",
        session.hint(&format!("task finalize {address}"))
    );
    ensure!(
        now >= task.dispute_deadline,
        "claims open when the dispute window ends, {}",
        crate::output::when(task.dispute_deadline, now)
    );
    let decimals = session.mint(&task.mint).await?.decimals;
    let workers: Vec<Pubkey> = if all {
        // Submission layout: discriminator (8), task (32 at 8).
        let submissions = session.list::<Submission>(&[(8, address.to_bytes().to_vec())]).await?;
        ensure!(!submissions.is_empty(), "task {address} has no submissions left to claim");
        submissions.iter().map(|(_, submission)| submission.worker).collect()
    } else {
        let worker = session.address_or_wallet(worker)?;
        if session.fetch::<Submission>(&pda::submission(address, &worker)).await?.is_none() {
            bail!("{worker} has no submission left to claim on task {address}");
        }
        vec![worker]
    };
    let ixs: Vec<_> = workers.iter().map(|worker| ix::claim(&task_ref, worker)).collect();
    let bar = progress_bar(ixs.len() as u64, "submissions settled");
    let signatures = session.send_batched(ixs, |sent| bar.set_position(sent as u64)).await;
    bar.finish_and_clear();
    let signatures = signatures?;
    let history = TaskHistory::of_sent(session, address, &signatures).await?;
    let rows: Vec<_> = history
        .settlements
        .iter()
        .filter(|settled| workers.contains(&settled.event.worker))
        .map(|settled| {
            let event = &settled.event;
            json!({
                "worker": event.worker.to_string(),
                "settlement": settlement_name(event.settlement),
                "paid": money(event.paid, decimals),
                "stake_returned": money(task.stake_per_answer.saturating_sub(event.slashed), decimals),
                "stake_slashed": money(event.slashed, decimals),
                "gold_passed": event.gold_passed,
            })
        })
        .collect();
    let title = if workers.len() == 1 {
        "Submission settled: pay and stake are in the worker's balance".to_string()
    } else {
        format!("{} submissions settled in {} transaction(s)", workers.len(), signatures.len())
    };
    let mut report = Report::new(title).field("task", address.to_string()).field("settlements", rows);
    let left = session.fetch_task(address).await?.is_some_and(|task| task.settled == task.committed);
    if left {
        report = report.note(format!(
            "Every submission is settled: `{}` returns the rest.",
            session.hint(&format!("task close {address}"))
        ));
    }
    Ok(report
        .field("signatures", signatures.iter().map(|s| s.to_string()).collect::<Vec<_>>())
        .note(format!("Withdraw with `{}`.", session.hint("withdraw --all"))))
}

pub(super) async fn close(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    ensure!(
        task.state == TASK_FINALIZED,
        "task {address} is not finalized yet (`{}`)",
        session.hint(&format!("task finalize {address}"))
    );
    ensure!(
        task.settled == task.committed,
        "{} of task {address}'s {} submissions are not settled yet (`{}`)",
        task.committed - task.settled,
        task.committed,
        session.hint(&format!("task claim {address} --all"))
    );
    let decimals = session.mint(&task.mint).await?.decimals;
    let signature = session.send(&[ix::close_task(&task_ref)], &[]).await?;
    let history = TaskHistory::of_sent(session, address, &[signature]).await?;
    let mut report = Report::new("Task closed").field("task", address.to_string());
    if let Some(closed) = &history.closed {
        let event = &closed.event;
        report = report
            .field("rewards_paid", money(event.rewards_paid, decimals))
            .field("fee", money(event.fee, decimals))
            .field("refund_to_requester", money(event.refund, decimals))
            .field("stake_slashed_to_protocol", money(event.stake_slashed, decimals))
            .field("bond_forfeited_to_protocol", money(event.bond_forfeited, decimals));
    }
    Ok(report
        .field("signature", signature.to_string())
        .note(format!("Its history stays readable: `{}`.", session.hint(&format!("task show {address}")))))
}

pub(super) async fn cancel(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let wallet = session.wallet_address()?;
    ensure!(wallet == task.requester, "only task {address}'s requester {} can cancel it", task.requester);
    ensure!(task.committed == 0, "task {address} has {} commitment(s): it runs to the end", task.committed);
    let decimals = session.mint(&task.mint).await?.decimals;
    let signature = session.send(&[ix::cancel_task(&task_ref)], &[]).await?;
    let free = session.balance(&wallet, &task.mint).await?.map_or(0, |balance| balance.free);
    let now = session.now().await?;
    Ok(Report::new("Task cancelled: the deposit is back in your balance")
        .field("task", address.to_string())
        .field("refund", money(task.deposit, decimals))
        .field("free_balance", money(free, decimals))
        .field("at", time(now, now))
        .field("signature", signature.to_string()))
}
