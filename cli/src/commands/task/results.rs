//! `pob task results`: the dataset a requester paid for, one row per task, rebuilt from the
//! chain (the live account and the task's transactions), labels from the spec.
use std::io::Write;
use std::path::PathBuf;

use anchor_lang::prelude::Pubkey;
use anyhow::{bail, Context, Result};
use clap::{Args, ValueEnum};
use proof_of_brain::events::TaskCreated;
use serde_json::{json, Value};

use super::history::TaskHistory;
use super::{label_text, load_spec, state_name};
use crate::accounts::OwnedTask;
use crate::hex;
use crate::output::{instant, Report};
use crate::session::Session;
use crate::spec::{Item, TaskSpec};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ResultsFormat {
    /// One JSON object per line, with every answer.
    Jsonl,
    /// One CSV row per task (no per-answer record).
    Csv,
}

#[derive(Args, Debug)]
pub struct ResultsArgs {
    /// The tasks' addresses.
    #[arg(required_unless_present = "requester", conflicts_with = "requester")]
    tasks: Vec<Pubkey>,
    /// Every task this requester created (open or closed) that the node's history still holds.
    #[arg(long)]
    requester: Option<Pubkey>,
    /// Write the rows to this file (the report then only counts them).
    #[arg(long)]
    out: Option<PathBuf>,
    /// The file's format (default: csv for a .csv file, else jsonl).
    #[arg(long, value_enum, requires = "out")]
    format: Option<ResultsFormat>,
}

const CSV_COLUMNS: [&str; 11] = [
    "task",
    "item",
    "label",
    "votes",
    "revealed",
    "committed",
    "agreement",
    "state",
    "dispute",
    "gold",
    "finalized_at",
];

pub(super) async fn results(session: &mut Session, args: ResultsArgs) -> Result<Report> {
    let tasks = match args.requester {
        Some(requester) => tasks_of(session, &requester).await?,
        None => args.tasks.clone(),
    };
    let mut rows = Vec::new();
    for task in &tasks {
        rows.push(row(session, task).await?);
    }
    let Some(out) = args.out else {
        return Ok(Report::new(format!("{} task result(s)", rows.len())).field("results", rows));
    };
    let format = args.format.unwrap_or(if out.extension().is_some_and(|ext| ext == "csv") {
        ResultsFormat::Csv
    } else {
        ResultsFormat::Jsonl
    });
    let text = match format {
        ResultsFormat::Jsonl => rows.iter().map(|row| format!("{row}\n")).collect::<String>(),
        ResultsFormat::Csv => to_csv(&rows),
    };
    let mut file =
        std::fs::File::create(&out).with_context(|| format!("--out: cannot write {}", out.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("--out: cannot write {}", out.display()))?;
    Ok(Report::new(format!("{} task result(s) written to {}", rows.len(), out.display()))
        .field("file", out.display().to_string())
        .field("rows", rows.len()))
}

/// The tasks `requester` created, from its transactions (oldest first), so closed ones count.
async fn tasks_of(session: &mut Session, requester: &Pubkey) -> Result<Vec<Pubkey>> {
    let mut tasks = Vec::new();
    for tx in session.ledger.history(requester).await? {
        for created in tx.decode::<TaskCreated>() {
            if created.requester == *requester && !tasks.contains(&created.task) {
                tasks.push(created.task);
            }
        }
    }
    Ok(tasks)
}

fn csv_field(value: &Value) -> String {
    let text = match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        other => other.to_string(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

pub(crate) fn to_csv(rows: &[Value]) -> String {
    let mut text = CSV_COLUMNS.join(",") + "\n";
    for row in rows {
        let fields: Vec<String> = CSV_COLUMNS.iter().map(|column| csv_field(&row[*column])).collect();
        text.push_str(&fields.join(","));
        text.push('\n');
    }
    text
}

/// One task's result, from the chain.
async fn row(session: &mut Session, address: &Pubkey) -> Result<Value> {
    let history = TaskHistory::load(session, address).await?;
    let live = session.fetch_task(address).await?;
    let (spec_hash, spec_uri) = match (&live, &history.created) {
        (Some(task), _) => (task.spec_hash, task.spec_uri.clone()),
        (None, Some(created)) => (created.event.spec_hash, created.event.spec_uri.clone()),
        (None, None) => {
            bail!("no task {address} on {}, open or in the history this node keeps", session.cluster.name())
        }
    };
    let spec = load_spec(session, &spec_hash, &spec_uri).await.ok();
    Ok(result_row(address, &history, live.as_ref(), spec.as_ref().map(|loaded| &loaded.spec)))
}

/// One task's result from its history, its live account if still open, and its spec. `label` is
/// null when no answer reached quorum (or a dispute voided it); `agreement` is votes/revealed as
/// an exact fraction.
pub(crate) fn result_row(
    address: &Pubkey,
    history: &TaskHistory,
    live: Option<&OwnedTask>,
    spec_ref: Option<&TaskSpec>,
) -> Value {
    let committed = live.map_or(history.commits.len() as u32, |task| u32::from(task.committed));
    let published = &history.published;
    let state = match (live, &history.closed, &history.cancelled) {
        (Some(task), _, _) => state_name(task),
        (None, _, Some(_)) => "cancelled",
        (None, Some(_), _) => "closed",
        _ => "gone",
    };
    let outcome = match live {
        Some(task) if task.state == proof_of_brain::state::TASK_OPEN => None,
        Some(task) => Some(task.outcome()),
        None => history.outcome(),
    };
    let tally = history.tally();
    let revealed: u32 = tally.iter().map(|(_, votes)| votes).sum();
    let votes = match outcome {
        Some(Some(hash)) => tally.iter().find(|(h, _)| *h == hash).map_or(0, |(_, votes)| *votes),
        _ => 0,
    };
    let dispute = match (history.disputes.last(), history.resolutions.last()) {
        (None, _) => None,
        (Some(_), Some(resolved)) => Some(if resolved.event.changed { "overturned" } else { "upheld" }),
        (Some(_), None) => Some("voting"),
    };
    let item = spec_ref.map(|spec| match &spec.item {
        Item::Uri { uri, .. } => uri.clone(),
        Item::Text { text } => text.clone(),
    });
    let settlement = |worker: &Pubkey| {
        history.settlements.iter().find(|s| s.event.worker == *worker).map(|s| {
            json!({"settlement": format!("{:?}", s.event.settlement).to_lowercase(), "paid": s.event.paid.to_string(), "gold_passed": s.event.gold_passed})
        })
    };
    let answers: Vec<Value> = history
        .commits
        .iter()
        .map(|commit| {
            let worker = commit.event.worker;
            let reveal = history.reveals.iter().find(|r| r.event.worker == worker);
            json!({
                "worker": worker.to_string(),
                "committed_at": commit.unix_timestamp.map(instant),
                "label": reveal.and_then(|r| label_text(spec_ref, published, &r.event.answer_hash)),
                "answer_hash": reveal.map(|r| hex::encode(&r.event.answer_hash)),
                "revealed_at": reveal.and_then(|r| r.unix_timestamp).map(instant),
                "settled": settlement(&worker),
            })
        })
        .collect();
    json!({
        "task": address.to_string(),
        "prompt": spec_ref.map(|spec| spec.prompt.clone()),
        "item": item,
        "label": match outcome { Some(Some(hash)) => label_text(spec_ref, published, &hash), _ => None },
        "answer_hash": match outcome { Some(Some(hash)) => Some(hex::encode(&hash)), _ => None },
        "no_quorum": matches!(outcome, Some(None)),
        "votes": votes,
        "revealed": revealed,
        "committed": committed,
        "agreement": (revealed > 0 && outcome.is_some()).then(|| format!("{votes}/{revealed}")),
        "state": state,
        "dispute": dispute,
        "gold": history.gold.as_ref().map(|gold| label_text(spec_ref, published, &gold.event.answer_hash).unwrap_or_else(|| hex::encode(&gold.event.answer_hash))),
        "finalized_at": history.finalized.as_ref().and_then(|f| f.unix_timestamp).map(crate::output::rfc3339),
        "answers": answers,
    })
}
