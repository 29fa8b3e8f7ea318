//! `pob task show|list`, and how deadlines read.
use std::collections::{BTreeMap, BTreeSet};

use anchor_lang::prelude::Pubkey;
use anyhow::Result;
use proof_of_brain::state::{Stake, Submission, SubmissionState, Task, TaskState, Worker};
use serde_json::{json, Value};
use solana_sdk::signature::Signer;

use super::{ListArgs, StateFilter};
use crate::amount::format_amount;
use crate::hex;
use crate::output::Report;
use crate::pda;
use crate::session::Session;

pub(super) fn state_name(state: TaskState) -> &'static str {
    match state {
        TaskState::Open => "open",
        TaskState::Finalized => "finalized",
        TaskState::Disputed => "disputed",
    }
}

/// What can happen to the task now.
pub(super) fn phase(task: &Task, now: i64) -> &'static str {
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

pub(super) async fn show(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let (task_ref, task) = session.task(address).await?;
    let decimals = session.mint(&task.mint).await?.decimals;
    let now = session.now().await?;
    let vault = session.token_balance(&task_ref.vault()).await?;
    let amount = |value| format_amount(value, decimals);
    let tally: Vec<Value> = task
        .tally
        .iter()
        .enumerate()
        .map(|(choice, entry)| json!({"choice": choice, "answer_hash": hex::encode(&entry.answer_hash), "count": entry.count}))
        .collect();
    // A worker's view: has the wallet (if any) committed or revealed here?
    let your_submission = match session.wallet_address() {
        Ok(wallet) => match session.fetch::<Submission>(&pda::submission(address, &wallet)).await? {
            Some(submission) if submission.state == SubmissionState::Revealed => "revealed",
            Some(_) => "committed",
            None => "none",
        },
        Err(_) => "no wallet",
    };
    Ok(Report::new(format!("Task {address}"))
        .field("task", address.to_string())
        .field("task_id", task.task_id)
        .field("requester", task.requester.to_string())
        .field("mint", task.mint.to_string())
        .field("state", state_name(task.state))
        .field("phase", phase(&task, now))
        .field("spec_uri", task.spec_uri.clone())
        .field("spec_hash", hex::encode(&task.spec_hash))
        .field("answers_required", task.answers_required)
        .field("quorum", task.quorum)
        .field("committed", task.committed)
        .field("revealed", task.revealed)
        .field("settled", task.settled)
        .field("reward_per_answer", amount(task.reward_per_answer))
        .field("stake_per_answer", amount(task.stake_per_answer))
        .field("no_quorum_pay", format!("{}%", format_amount(u64::from(task.no_quorum_bps), 2)))
        .field("deposit", amount(task.deposit))
        .field("vault", task_ref.vault().to_string())
        .field("vault_balance", amount(vault))
        .field("commit_deadline", when(task.commit_deadline, now))
        .field("reveal_deadline", when(task.reveal_deadline, now))
        .field("dispute_deadline", (task.state != TaskState::Open).then(|| when(task.dispute_deadline, now)))
        .field("outcome", task.outcome.map(|hash| hex::encode(&hash)))
        .field("tally", tally)
        .field("your_submission", your_submission))
}

/// A deadline for people: its UTC time and how far it is from the ledger's clock.
pub(super) fn when(timestamp: i64, now: i64) -> String {
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

/// The tasks the wallet can still answer: open for commitments, not its own, not answered yet,
/// and covered by its free stake in the task's mint (read once per mint).
async fn answerable(
    session: &mut Session,
    tasks: Vec<(Pubkey, Task)>,
    now: i64,
) -> Result<Vec<(Pubkey, Task)>> {
    let wallet = session.wallet()?.pubkey();
    if session.fetch::<Worker>(&pda::worker(&wallet)).await?.is_none() {
        return Ok(Vec::new());
    }
    // Submission layout: discriminator (8), task (32), worker (32).
    let answered: BTreeSet<Pubkey> = session
        .list::<Submission>(&[(40, wallet.to_bytes().to_vec())])
        .await?
        .into_iter()
        .map(|(_, s)| s.task)
        .collect();
    let mut free_stake = BTreeMap::new();
    let mut answerable = Vec::new();
    for (address, task) in tasks {
        let open = task.state == TaskState::Open && !task.commit_phase_over(now);
        if !open || task.requester == wallet || answered.contains(&address) {
            continue;
        }
        let free = match free_stake.get(&task.mint) {
            Some(free) => *free,
            None => {
                let stake = session.fetch::<Stake>(&pda::stake(&wallet, &task.mint)).await?;
                let free = stake.map_or(0, |stake| stake.free());
                free_stake.insert(task.mint, free);
                free
            }
        };
        if free >= task.stake_per_answer {
            answerable.push((address, task));
        }
    }
    Ok(answerable)
}

pub(super) async fn list(session: &mut Session, args: ListArgs) -> Result<Report> {
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
        tasks = answerable(session, tasks, now).await?;
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
