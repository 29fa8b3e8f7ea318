//! A task's story rebuilt from the program's events in its transactions: what `task show` of a
//! closed task, `dispute show` of a resolved one and `task results` read. Works on the embedded
//! ledger (which keeps its history) and on any RPC node that still has the transactions.
use std::collections::BTreeMap;

use anchor_lang::prelude::Pubkey;
use anyhow::Result;
use proof_of_brain::events::{
    AnswerCommitted, AnswerRevealed, DisputeOpened, DisputeResolved, GoldRevealed, SubmissionSettled,
    TaskCancelled, TaskClosed, TaskCreated, TaskFinalized, VoteCast,
};
use solana_sdk::signature::Signature;

use crate::backend::HistoryTx;
use crate::ix::parse_answer_memo;
use crate::session::Session;
use crate::spec::answer_hash;

/// One event with where and when it happened.
#[derive(Clone, Debug)]
pub struct Dated<E> {
    pub event: E,
    pub signature: String,
    pub unix_timestamp: Option<i64>,
}

/// Everything the chain says happened to one task.
#[derive(Default)]
pub struct TaskHistory {
    pub created: Option<Dated<TaskCreated>>,
    pub commits: Vec<Dated<AnswerCommitted>>,
    pub reveals: Vec<Dated<AnswerRevealed>>,
    pub finalized: Option<Dated<TaskFinalized>>,
    pub gold: Option<Dated<GoldRevealed>>,
    pub disputes: Vec<Dated<DisputeOpened>>,
    pub votes: Vec<Dated<VoteCast>>,
    pub resolutions: Vec<Dated<DisputeResolved>>,
    pub settlements: Vec<Dated<SubmissionSettled>>,
    pub closed: Option<Dated<TaskClosed>>,
    pub cancelled: Option<Dated<TaskCancelled>>,
    /// Answers published beside their reveal (text and number tasks), by answer hash, each
    /// checked to hash to what was revealed.
    pub published: BTreeMap<[u8; 32], String>,
}

fn dated<E>(tx: &HistoryTx, event: E) -> Dated<E> {
    Dated { event, signature: tx.signature.clone(), unix_timestamp: tx.unix_timestamp }
}

impl TaskHistory {
    pub async fn load(session: &mut Session, task: &Pubkey) -> Result<Self> {
        let txs = session.ledger.history(task).await?;
        Ok(Self::from_transactions(task, &txs))
    }

    /// What just these transactions did to `task` (a command's own, just sent): one read per
    /// transaction instead of the task's whole history.
    pub async fn of_sent(session: &mut Session, task: &Pubkey, signatures: &[Signature]) -> Result<Self> {
        let txs = session.ledger.transactions(signatures).await?;
        Ok(Self::from_transactions(task, &txs))
    }

    pub fn from_transactions(task: &Pubkey, txs: &[HistoryTx]) -> Self {
        let mut history = Self::default();
        let mine = |event_task: &Pubkey| event_task == task;
        for tx in txs {
            for event in tx.decode::<TaskCreated>().into_iter().filter(|e| mine(&e.task)) {
                history.created = Some(dated(tx, event));
            }
            history.commits.extend(
                tx.decode::<AnswerCommitted>().into_iter().filter(|e| mine(&e.task)).map(|e| dated(tx, e)),
            );
            let reveals: Vec<AnswerRevealed> =
                tx.decode::<AnswerRevealed>().into_iter().filter(|e| mine(&e.task)).collect();
            for memo in &tx.memos {
                let Some((memo_task, answer)) = parse_answer_memo(memo) else { continue };
                let hash = answer_hash(answer);
                // Only an answer some reveal of this transaction committed to counts.
                if memo_task == *task && reveals.iter().any(|reveal| reveal.answer_hash == hash) {
                    history.published.insert(hash, answer.to_string());
                }
            }
            history.reveals.extend(reveals.into_iter().map(|e| dated(tx, e)));
            for event in tx.decode::<TaskFinalized>().into_iter().filter(|e| mine(&e.task)) {
                history.finalized = Some(dated(tx, event));
            }
            for event in tx.decode::<GoldRevealed>().into_iter().filter(|e| mine(&e.task)) {
                history.gold = Some(dated(tx, event));
            }
            history.disputes.extend(
                tx.decode::<DisputeOpened>().into_iter().filter(|e| mine(&e.task)).map(|e| dated(tx, e)),
            );
            history
                .votes
                .extend(tx.decode::<VoteCast>().into_iter().filter(|e| mine(&e.task)).map(|e| dated(tx, e)));
            history.resolutions.extend(
                tx.decode::<DisputeResolved>().into_iter().filter(|e| mine(&e.task)).map(|e| dated(tx, e)),
            );
            history.settlements.extend(
                tx.decode::<SubmissionSettled>().into_iter().filter(|e| mine(&e.task)).map(|e| dated(tx, e)),
            );
            for event in tx.decode::<TaskClosed>().into_iter().filter(|e| mine(&e.task)) {
                history.closed = Some(dated(tx, event));
            }
            for event in tx.decode::<TaskCancelled>().into_iter().filter(|e| mine(&e.task)) {
                history.cancelled = Some(dated(tx, event));
            }
        }
        history
    }

    /// The final outcome: the last resolution's if a dispute was resolved, else finalize's.
    pub fn outcome(&self) -> Option<Option<[u8; 32]>> {
        if let Some(resolved) = self.resolutions.last() {
            return Some(resolved.event.outcome);
        }
        self.finalized.as_ref().map(|finalized| finalized.event.outcome)
    }

    /// Votes per answer hash, from the reveals.
    pub fn tally(&self) -> Vec<([u8; 32], u32)> {
        let mut tally: Vec<([u8; 32], u32)> = Vec::new();
        for reveal in &self.reveals {
            match tally.iter_mut().find(|(hash, _)| *hash == reveal.event.answer_hash) {
                Some((_, count)) => *count += 1,
                None => tally.push((reveal.event.answer_hash, 1)),
            }
        }
        tally
    }
}
