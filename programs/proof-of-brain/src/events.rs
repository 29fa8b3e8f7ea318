//! One event per state change, so an indexer can follow the protocol from logs alone.
use anchor_lang::prelude::*;

/// Emits an event to the transaction log (Anchor's `emit!`: `Program data: <base64>`). The host
/// build (native tests, the native embedded ledger) has no log-data syscall, so it writes the same
/// line as a program log instead; clients read both (`pob_cli::events`). SBF builds are exactly
/// `emit!`.
macro_rules! emit_event {
    ($event:expr) => {{
        let event = $event;
        #[cfg(not(target_os = "solana"))]
        $crate::events::log_on_host(&event);
        #[cfg(target_os = "solana")]
        anchor_lang::prelude::emit!(event);
    }};
}
pub(crate) use emit_event;

/// `msg!` prints to stdout on the host; the runtime's log collector is reached through the
/// syscall stubs that solana-program-test installs.
#[cfg(not(target_os = "solana"))]
pub fn log_on_host<E: anchor_lang::Event>(event: &E) {
    use base64::Engine;
    let data = base64::engine::general_purpose::STANDARD.encode(event.data());
    anchor_lang::compat::solana_sysvar::program_stubs::sol_log(&format!("Program data: {data}"));
}

use crate::logic::settlement::Settlement;
use crate::state::{MintLimits, ProtocolParams};

#[event]
pub struct ProtocolInitialized {
    pub authority: Pubkey,
    pub params: ProtocolParams,
}

#[event]
pub struct ProtocolUpdated {
    pub authority: Pubkey,
    pub params: ProtocolParams,
    pub paused: bool,
}

#[event]
pub struct AuthorityProposed {
    pub authority: Pubkey,
    pub pending_authority: Pubkey,
}

#[event]
pub struct AuthorityAccepted {
    pub previous_authority: Pubkey,
    pub authority: Pubkey,
}

#[event]
pub struct MintAllowed {
    pub mint: Pubkey,
    pub vault: Pubkey,
    pub limits: MintLimits,
}

#[event]
pub struct MintDisabled {
    pub mint: Pubkey,
}

#[event]
pub struct BalanceOpened {
    pub wallet: Pubkey,
    pub mint: Pubkey,
}

#[event]
pub struct Deposited {
    pub wallet: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    /// Free balance after the deposit.
    pub free: u64,
}

#[event]
pub struct Withdrawn {
    pub wallet: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    /// Free balance after the withdrawal.
    pub free: u64,
    pub destination: Pubkey,
}

#[event]
pub struct FeesWithdrawn {
    pub mint: Pubkey,
    pub amount: u64,
    /// Fees left after the withdrawal.
    pub accrued: u64,
    pub destination: Pubkey,
}

#[event]
pub struct WorkerRegistered {
    pub wallet: Pubkey,
}

#[event]
pub struct TaskCreated {
    pub task: Pubkey,
    pub requester: Pubkey,
    pub task_id: u64,
    pub mint: Pubkey,
    pub answers_required: u8,
    pub quorum: u8,
    pub reward_per_answer: u64,
    pub stake_per_answer: u64,
    pub deposit: u64,
    pub commit_deadline: i64,
    pub reveal_deadline: i64,
    pub spec_hash: [u8; 32],
    pub spec_uri: String,
    pub gold_sealed: bool,
}

#[event]
pub struct TaskCancelled {
    pub task: Pubkey,
    /// Returned to the requester's free balance.
    pub refund: u64,
}

#[event]
pub struct AnswerCommitted {
    pub task: Pubkey,
    pub worker: Pubkey,
    pub committed: u8,
}

#[event]
pub struct AnswerRevealed {
    pub task: Pubkey,
    pub worker: Pubkey,
    pub answer_hash: [u8; 32],
    pub revealed: u8,
}

#[event]
pub struct TaskFinalized {
    pub task: Pubkey,
    /// The winning answer hash; `None` when no answer reached quorum.
    pub outcome: Option<[u8; 32]>,
    pub dispute_deadline: i64,
}

#[event]
pub struct GoldRevealed {
    pub task: Pubkey,
    pub answer_hash: [u8; 32],
}

#[event]
pub struct SubmissionSettled {
    pub task: Pubkey,
    pub worker: Pubkey,
    pub settlement: Settlement,
    /// Reward credited to the worker's free balance.
    pub paid: u64,
    /// Stake slashed (0 unless unrevealed); the rest of the stake returned to free balance.
    pub slashed: u64,
    /// Whether the revealed answer matched the revealed gold answer; `None` without gold.
    pub gold_passed: Option<bool>,
}

#[event]
pub struct TaskClosed {
    pub task: Pubkey,
    pub rewards_paid: u64,
    /// Protocol fee on the rewards paid, to the fee balance.
    pub fee: u64,
    /// To the requester's free balance.
    pub refund: u64,
    /// To the fee balance, with the fee.
    pub stake_slashed: u64,
    pub bond_forfeited: u64,
}

#[event]
pub struct MemberAdded {
    pub wallet: Pubkey,
    pub weight: u64,
    /// 0 appointed, 1 worker chamber.
    pub kind: u8,
    pub total_member_weight: u64,
}

#[event]
pub struct MemberWeightChanged {
    pub wallet: Pubkey,
    pub weight: u64,
    pub total_member_weight: u64,
}

#[event]
pub struct MemberRemoved {
    pub wallet: Pubkey,
    /// False when the member left by themselves.
    pub by_authority: bool,
    pub total_member_weight: u64,
}

#[event]
pub struct ChamberStakeReleased {
    pub wallet: Pubkey,
    pub mint: Pubkey,
    pub amount: u64,
    pub free: u64,
}

#[event]
pub struct DisputeOpened {
    pub task: Pubkey,
    pub number: u64,
    pub opener: Pubkey,
    pub bond: u64,
    pub reason_hash: [u8; 32],
    pub vote_deadline: i64,
    pub total_weight_snapshot: u64,
    pub min_vote_weight_snapshot: u64,
}

#[event]
pub struct VoteCast {
    pub task: Pubkey,
    pub member: Pubkey,
    pub choice: u8,
    pub weight: u64,
}

#[event]
pub struct DisputeResolved {
    pub task: Pubkey,
    pub number: u64,
    /// The outcome after the vote; `None` = no quorum / Void.
    pub outcome: Option<[u8; 32]>,
    pub changed: bool,
    pub weight_cast: u64,
    pub bond: u64,
    /// True: the bond went back to the opener's balance; false: forfeited to the fee balance.
    pub bond_returned: bool,
}
