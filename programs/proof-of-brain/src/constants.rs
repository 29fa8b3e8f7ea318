//! Seeds and protocol-wide limits. Every PDA seed lives here so clients and the program agree.

pub const PROTOCOL_SEED: &[u8] = b"protocol";
pub const MINT_CONFIG_SEED: &[u8] = b"mint";
pub const WORKER_SEED: &[u8] = b"worker";
pub const STAKE_SEED: &[u8] = b"stake";
pub const TASK_SEED: &[u8] = b"task";
pub const SUBMISSION_SEED: &[u8] = b"submission";
pub const MEMBER_SEED: &[u8] = b"member";
pub const DISPUTE_SEED: &[u8] = b"dispute";
pub const VOTE_SEED: &[u8] = b"vote";

/// Basis points in one whole.
pub const BPS_DENOMINATOR: u16 = 10_000;
/// Hard cap on the protocol fee: 10%. No governance action can exceed it.
pub const MAX_FEE_BPS: u16 = 1_000;
/// Most answers one task can ask for; bounds the on-chain tally.
pub const MAX_ANSWERS: u8 = 32;
/// Most candidates a dispute can have: every distinct revealed answer, plus Void.
pub const MAX_DISPUTE_CANDIDATES: usize = MAX_ANSWERS as usize + 1;
/// Longest spec URI stored on a task, in bytes.
pub const MAX_SPEC_URI_LEN: usize = 200;
/// Longest dispute or vote window the authority may set (30 days): keeps funds from being parked.
pub const MAX_WINDOW_SECS: u32 = 30 * 24 * 60 * 60;
/// Domain separator of answer commitments.
pub const COMMIT_DOMAIN: &[u8] = b"pob-commit-v1";
