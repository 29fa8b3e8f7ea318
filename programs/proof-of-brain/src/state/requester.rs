use anchor_lang::prelude::*;

/// A requester's record, at `create_with_seed(wallet, "pob-requester-v1", program)`, so workers
/// can judge who they work for. Created with the requester's first task. Counters only grow.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Requester {
    pub wallet: Pubkey,
    pub tasks_posted: u32,
    pub tasks_cancelled: u32,
    pub tasks_closed: u32,
    /// Answers paid a reward (outcome or no-quorum share) on closed tasks.
    pub answers_paid: u32,
    pub disputes_opened: u32,
    pub disputes_won: u32,
    pub disputes_lost: u32,
    /// Tasks posted with a sealed gold answer, those whose gold was revealed, and those closed
    /// with the gold never revealed (which counts against the requester).
    pub gold_sealed: u32,
    pub gold_revealed: u32,
    pub gold_unrevealed: u32,
    pub bump: u8,
    pub _reserved: [u8; 7],
}
