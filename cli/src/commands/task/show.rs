//! `pob task show|list`: tasks with their question, terms and outcome as labels.
use std::collections::{BTreeMap, BTreeSet};

use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Result};
use proof_of_brain::logic::qualification::{self, Record};
use proof_of_brain::state::{Requester, Submission, Worker, GOLD_NONE, GOLD_REVEALED, SUBMISSION_REVEALED};
use serde_json::{json, Value};

use super::history::TaskHistory;
use super::{phase, state_name, ListArgs, StateFilter};
use crate::accounts::OwnedTask;
use crate::commands::bps_value;
use crate::commands::worker::requester_json;
use crate::hex;
use crate::output::{big, instant, money, time, Report};
use crate::pda;
use crate::session::Session;
use crate::spec::{Item, TaskSpec};
use crate::spec_store::LoadedSpec;

/// The task's spec, from the local store or its URI; `Err` says why it is not available.
pub(crate) async fn load_spec(
    session: &mut Session,
    spec_hash: &[u8; 32],
    spec_uri: &str,
) -> Result<LoadedSpec, String> {
    session.specs().get(spec_hash, spec_uri).await.map_err(|err| format!("{err:#}"))
}

/// The spec of the task at `address`, for commands that cannot go on without it.
pub(crate) async fn task_spec(session: &mut Session, address: &Pubkey, task: &OwnedTask) -> Result<TaskSpec> {
    load_spec(session, &task.spec_hash, &task.spec_uri)
        .await
        .map(|loaded| loaded.spec)
        .map_err(|why| anyhow::anyhow!("cannot read task {address}'s spec: {why}"))
}

/// What an answer hash means: the spec's label (choice), the answer published with its reveal
/// (text, number), or `None` when neither is known.
pub(crate) fn label_text(
    spec: Option<&TaskSpec>,
    published: &BTreeMap<[u8; 32], String>,
    hash: &[u8; 32],
) -> Option<String> {
    spec.and_then(|spec| spec.label_of(hash)).map(str::to_string).or_else(|| published.get(hash).cloned())
}

fn answer_json(
    spec: Option<&TaskSpec>,
    published: &BTreeMap<[u8; 32], String>,
    hash: &[u8; 32],
    votes: u32,
) -> Value {
    json!({"label": label_text(spec, published, hash), "answer_hash": hex::encode(hash), "votes": votes})
}

fn spec_json(spec: &TaskSpec) -> Value {
    let (item_uri, item_text, media_type) = match &spec.item {
        Item::Uri { uri, media_type } => (Some(uri.clone()), None, media_type.clone()),
        Item::Text { text } => (None, Some(text.clone()), None),
    };
    let kind = match spec.answer {
        crate::spec::AnswerKind::Choice { .. } => "choice",
        crate::spec::AnswerKind::Text { .. } => "text",
        crate::spec::AnswerKind::Number { .. } => "number",
    };
    json!({
        "prompt": spec.prompt,
        "item_uri": item_uri,
        "item_text": item_text,
        "media_type": media_type,
        "answer_kind": kind,
        "labels": (!spec.labels().is_empty()).then(|| spec.labels().to_vec()),
        "instructions": spec.instructions,
    })
}

fn gold_name(task: &OwnedTask) -> &'static str {
    match task.gold_state {
        GOLD_NONE => "none",
        GOLD_REVEALED => "revealed",
        _ => "sealed",
    }
}

pub(super) async fn show(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let Some(task) = session.fetch_task(address).await? else { return show_history(session, address).await };
    let mint = session.mint(&task.mint).await?;
    let decimals = mint.decimals;
    let now = session.now().await?;
    let amount = |value| money(value, decimals);
    let spec = load_spec(session, &task.spec_hash, &task.spec_uri).await;
    let spec_ref = spec.as_ref().ok().map(|loaded| &loaded.spec);
    // Only text and number answers need the history (their memos); a choice task's labels are
    // in its spec, and reading the history costs a request per transaction on an RPC node.
    let history = match spec_ref {
        Some(spec) if !spec.labels().is_empty() => TaskHistory::default(),
        _ => TaskHistory::load(session, address).await.unwrap_or_default(),
    };
    let published = &history.published;
    let tally: Vec<Value> = task
        .tally
        .iter()
        .enumerate()
        .map(|(choice, entry)| {
            let mut row = answer_json(spec_ref, published, &entry.answer_hash, u32::from(entry.count));
            row["choice"] = json!(choice);
            row
        })
        .collect();
    let outcome = (task.state != proof_of_brain::state::TASK_OPEN).then(|| match task.outcome() {
        Some(hash) => answer_json(spec_ref, published, &hash, u32::from(task.votes_for(&hash))),
        None => json!({"label": null, "answer_hash": null, "votes": 0, "no_quorum": true}),
    });
    let requester = session.fetch::<Requester>(&pda::requester(&task.requester)).await?;
    let wallet = session.wallet_address().ok();
    let mine = match wallet {
        Some(wallet) => session.fetch::<Submission>(&pda::submission(address, &wallet)).await?,
        None => None,
    };
    let your_submission = match (&mine, wallet) {
        (Some(submission), Some(wallet)) => {
            let answer = if submission.state == SUBMISSION_REVEALED {
                label_text(spec_ref, published, &submission.answer_hash)
            } else {
                spec_ref.and_then(|spec| {
                    super::answer::recover_choice(session, spec, address, &wallet, submission)
                })
            };
            json!({
                "state": if submission.state == SUBMISSION_REVEALED { "revealed" } else { "committed" },
                "answer": answer,
                "committed_at": instant(submission.committed_at),
                "revealed_at": (submission.state == SUBMISSION_REVEALED).then(|| instant(submission.revealed_at)),
            })
        }
        _ => Value::Null,
    };
    let mut report = Report::new(format!("Task {address}"))
        .field("task", address.to_string())
        .field("task_id", big(task.task_id))
        .field("requester", task.requester.to_string())
        .field("requester_record", requester.as_ref().map(requester_json))
        .field("mint", task.mint.to_string())
        .field("state", state_name(&task))
        .field("phase", phase(&task, now));
    report = match &spec {
        Ok(loaded) => report.field("spec", spec_json(&loaded.spec)).field("spec_status", "verified"),
        Err(reason) => {
            report.field("spec", Value::Null).field("spec_status", format!("not available: {reason}"))
        }
    };
    report = report
        .field("spec_uri", task.spec_uri.clone())
        .field("spec_hash", hex::encode(&task.spec_hash))
        .field("answers_required", task.answers_required)
        .field("quorum", task.quorum)
        .field("committed", task.committed)
        .field("revealed", task.revealed)
        .field("settled", task.settled)
        .field("reward_per_answer", amount(task.reward_per_answer))
        .field("stake_per_answer", amount(task.stake_per_answer))
        .field("no_quorum_pay", format!("{}%", bps_value(task.no_quorum_bps)))
        .field("fee", format!("{}%", bps_value(task.fee_bps)))
        .field("deposit", amount(task.deposit))
        .field("rewards_paid", amount(task.rewards_paid))
        .field("gold", gold_name(&task))
        .field("gold_label", task.gold_answer().map(|hash| label_text(spec_ref, published, &hash)))
        .field(
            "qualification",
            json!({
                "min_agreed_answers": task.qualification.min_agreed_answers,
                "min_agreement_bps": task.qualification.min_agreement_bps,
                "min_gold_accuracy_bps": task.qualification.min_gold_accuracy_bps,
            }),
        )
        .field("created_at", instant(task.created_at))
        .field("commit_deadline", time(task.commit_deadline, now))
        .field("reveal_deadline", time(task.reveal_deadline, now))
        .field(
            "dispute_deadline",
            (task.state != proof_of_brain::state::TASK_OPEN).then(|| time(task.dispute_deadline, now)),
        )
        .field("outcome", outcome)
        .field("tally", tally)
        .field("your_submission", your_submission);
    if let Some(next) = next_step(session, &task, address, now, wallet, mine.as_ref()) {
        report = report.note(next);
    }
    Ok(report)
}

/// What the wallet (or anyone) can do next, as a command to paste.
fn next_step(
    session: &Session,
    task: &OwnedTask,
    address: &Pubkey,
    now: i64,
    wallet: Option<Pubkey>,
    mine: Option<&Submission>,
) -> Option<String> {
    use proof_of_brain::state::{TASK_DISPUTED, TASK_FINALIZED, TASK_OPEN};
    let is_requester = wallet == Some(task.requester);
    let command = match task.state {
        TASK_OPEN if !task.commit_phase_over(now) && mine.is_none() && !is_requester => {
            format!("task commit {address} --answer ANSWER")
        }
        TASK_OPEN if !task.commit_phase_over(now) => {
            return Some(format!(
                "Reveals open when the commit phase ends, {}.",
                crate::output::when(task.commit_deadline, now)
            ))
        }
        TASK_OPEN if !task.reveals_complete(now) && mine.is_some_and(|s| s.state != SUBMISSION_REVEALED) => {
            format!("task reveal {address}")
        }
        TASK_OPEN if !task.reveals_complete(now) => {
            return Some(format!(
                "Reveals close {}; then anyone can finalize.",
                crate::output::when(task.reveal_deadline, now)
            ))
        }
        TASK_OPEN => format!("task finalize {address}"),
        TASK_FINALIZED
            if now < task.dispute_deadline
                && is_requester
                && task.gold_state != GOLD_NONE
                && task.gold_state != GOLD_REVEALED =>
        {
            format!("task reveal-gold {address}")
        }
        TASK_FINALIZED if now < task.dispute_deadline => {
            return Some(format!(
                "Claims open {} (unless someone disputes: `{}`).",
                crate::output::when(task.dispute_deadline, now),
                session.hint(&format!("dispute open {address}"))
            ))
        }
        TASK_DISPUTED => format!("dispute show {address}"),
        TASK_FINALIZED if task.settled < task.committed => format!("task claim {address} --all"),
        _ => format!("task close {address}"),
    };
    Some(format!("Next: `{}`", session.hint(&command)))
}

/// A task that no longer exists on chain, from its transactions.
async fn show_history(session: &mut Session, address: &Pubkey) -> Result<Report> {
    let history = TaskHistory::load(session, address).await?;
    let Some(created) = history.created.as_ref().map(|created| &created.event) else {
        bail!(
            "no task {address} on {} (neither an open task nor one in the history this node keeps)",
            session.cluster.name()
        );
    };
    let decimals = session.mint(&created.mint).await.map_or(6, |mint| mint.decimals);
    let amount = |value| money(value, decimals);
    let spec = load_spec(session, &created.spec_hash, &created.spec_uri).await;
    let spec_ref = spec.as_ref().ok().map(|loaded| &loaded.spec);
    let published = &history.published;
    let tally: Vec<Value> =
        history.tally().iter().map(|(hash, votes)| answer_json(spec_ref, published, hash, *votes)).collect();
    let outcome = history.outcome().map(|outcome| match outcome {
        Some(hash) => {
            let votes = history.tally().iter().find(|(h, _)| *h == hash).map_or(0, |(_, votes)| *votes);
            answer_json(spec_ref, published, &hash, votes)
        }
        None => json!({"label": null, "answer_hash": null, "votes": 0, "no_quorum": true}),
    });
    let state = if history.cancelled.is_some() {
        "cancelled"
    } else if history.closed.is_some() {
        "closed"
    } else {
        "gone"
    };
    let settlements: Vec<Value> = history
        .settlements
        .iter()
        .map(|settled| {
            json!({
                "worker": settled.event.worker.to_string(),
                "settlement": format!("{:?}", settled.event.settlement).to_lowercase(),
                "paid": amount(settled.event.paid),
                "slashed": amount(settled.event.slashed),
                "gold_passed": settled.event.gold_passed,
                "signature": settled.signature,
            })
        })
        .collect();
    let mut report = Report::new(format!("Task {address} ({state})"))
        .field("task", address.to_string())
        .field("task_id", big(created.task_id))
        .field("requester", created.requester.to_string())
        .field("mint", created.mint.to_string())
        .field("state", state)
        .field("spec", spec.as_ref().ok().map(|loaded| spec_json(&loaded.spec)))
        .field("spec_uri", created.spec_uri.clone())
        .field("answers_required", created.answers_required)
        .field("quorum", created.quorum)
        .field("reward_per_answer", amount(created.reward_per_answer))
        .field("stake_per_answer", amount(created.stake_per_answer))
        .field("deposit", amount(created.deposit))
        .field("outcome", outcome)
        .field("tally", tally)
        .field("disputes", history.disputes.len())
        .field("settlements", settlements);
    if let Some(closed) = &history.closed {
        report = report
            .field("rewards_paid", amount(closed.event.rewards_paid))
            .field("fee_collected", amount(closed.event.fee))
            .field("refund", amount(closed.event.refund))
            .field("stake_slashed", amount(closed.event.stake_slashed))
            .field("bond_forfeited", amount(closed.event.bond_forfeited))
            .field("closed_at", closed.unix_timestamp.map(instant))
            .field("close_signature", closed.signature.clone());
    }
    if let Some(cancelled) = &history.cancelled {
        report = report
            .field("refund", amount(cancelled.event.refund))
            .field("cancel_signature", cancelled.signature.clone());
    }
    Ok(report)
}

/// The tasks the wallet can take now: open for commitments with a slot left, not its own, not
/// answered yet, qualified, and covered by its free balance plus its token account in the mint.
async fn answerable(
    session: &mut Session,
    tasks: Vec<(Pubkey, OwnedTask)>,
    now: i64,
) -> Result<Vec<(Pubkey, OwnedTask)>> {
    let wallet = session.wallet_address()?;
    // A wallet without a record yet has answered nothing: its first commit registers it.
    let worker = session.fetch::<Worker>(&pda::worker(&wallet)).await?;
    // Submission layout: discriminator (8), task (32), worker (32).
    let answered: BTreeSet<Pubkey> = session
        .list::<Submission>(&[(40, wallet.to_bytes().to_vec())])
        .await?
        .into_iter()
        .map(|(_, submission)| submission.task)
        .collect();
    let record =
        worker.map_or(Record { agreed: 0, disagreed: 0, gold_passed: 0, gold_failed: 0 }, |worker| Record {
            agreed: worker.answers_agreed,
            disagreed: worker.answers_disagreed,
            gold_passed: worker.gold_passed,
            gold_failed: worker.gold_failed,
        });
    let mut funds = BTreeMap::new();
    let mut answerable = Vec::new();
    for (address, task) in tasks {
        let open = task.state == proof_of_brain::state::TASK_OPEN && !task.commit_phase_over(now);
        if !open || task.requester == wallet || answered.contains(&address) {
            continue;
        }
        let q = &task.qualification;
        if qualification::check(record, q.min_agreed_answers, q.min_agreement_bps, q.min_gold_accuracy_bps)
            .is_err()
        {
            continue;
        }
        let available = match funds.get(&task.mint) {
            Some(available) => *available,
            None => {
                let free = session.balance(&wallet, &task.mint).await?.map_or(0, |balance| balance.free);
                let mint = session.mint(&task.mint).await?;
                let held = session.token_balance(&mint.mint.ata(&wallet)).await?;
                let available = free.saturating_add(held);
                funds.insert(task.mint, available);
                available
            }
        };
        if available >= task.stake_per_answer {
            answerable.push((address, task));
        }
    }
    Ok(answerable)
}

pub(super) async fn list(session: &mut Session, args: ListArgs) -> Result<Report> {
    // Task layout: discriminator (8), requester (32 at 8), mint (32 at 40).
    let mut filters = Vec::new();
    if let Some(requester) = args.requester {
        filters.push((8, requester.to_bytes().to_vec()));
    }
    let mut tasks = session.list_tasks(&filters).await?;
    if let Some(state) = args.state {
        let wanted = match state {
            StateFilter::Open => proof_of_brain::state::TASK_OPEN,
            StateFilter::Finalized => proof_of_brain::state::TASK_FINALIZED,
            StateFilter::Disputed => proof_of_brain::state::TASK_DISPUTED,
        };
        tasks.retain(|(_, task)| task.state == wanted);
    }
    let now = session.now().await?;
    if args.answerable {
        tasks = answerable(session, tasks, now).await?;
    }
    tasks.sort_by_key(|(address, task)| (task.commit_deadline, *address));
    let mut records: BTreeMap<Pubkey, Option<Requester>> = BTreeMap::new();
    let mut rows = Vec::new();
    for (address, task) in &tasks {
        let decimals = session.mint(&task.mint).await.map_or(6, |mint| mint.decimals);
        if let std::collections::btree_map::Entry::Vacant(slot) = records.entry(task.requester) {
            slot.insert(session.fetch::<Requester>(&pda::requester(&task.requester)).await?);
        }
        let record = records[&task.requester].as_ref();
        let spec = load_spec(session, &task.spec_hash, &task.spec_uri).await.ok();
        let spec_ref = spec.as_ref().map(|loaded| &loaded.spec);
        let outcome = task.outcome().and_then(|hash| label_text(spec_ref, &BTreeMap::new(), &hash));
        rows.push(json!({
            "task": address.to_string(),
            "phase": phase(task, now),
            "prompt": spec_ref.map(|spec| spec.prompt.clone()),
            "committed": task.committed,
            "answers_required": task.answers_required,
            "reward": money(task.reward_per_answer, decimals),
            "stake": money(task.stake_per_answer, decimals),
            "commit_deadline": time(task.commit_deadline, now),
            "outcome": outcome,
            "requester": task.requester.to_string(),
            "requester_closed": record.map(|r| r.tasks_closed),
            "requester_disputes_lost": record.map(|r| r.disputes_lost),
            "requester_gold_unrevealed": record.map(|r| r.gold_unrevealed),
            "state": state_name(task),
        }));
    }
    let report = Report::new(format!("{} task{}", rows.len(), if rows.len() == 1 { "" } else { "s" }))
        .field("tasks", rows);
    Ok(report)
}
