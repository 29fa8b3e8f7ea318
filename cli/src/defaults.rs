//! The protocol settings a fresh deployment, the demo, the bench and the tests start from.
use anchor_lang::prelude::Pubkey;
use proof_of_brain::{MintLimits, ProtocolParams};

/// 2.5% of the rewards paid.
pub const FEE_BPS: u16 = 250;
/// One day to dispute a finalized result.
pub const DISPUTE_WINDOW_SECS: u32 = 24 * 3600;
/// Two days for members to vote on a dispute.
pub const VOTE_WINDOW_SECS: u32 = 2 * 24 * 3600;
/// An appointed member's default weight; a chamber member gets 1 per whole token of stake, so
/// one appointed member weighs like 100 tokens of chamber stake.
pub const MEMBER_WEIGHT: u64 = 100;
/// Least weight cast for a vote to change an outcome: three appointed members, or 300 tokens of
/// chamber stake.
pub const MIN_VOTE_WEIGHT: u64 = 3 * MEMBER_WEIGHT;
/// Commit and reveal windows: at least 10 minutes (time for a worker on a phone to reveal), at
/// most 30 days (stake is not parked for longer).
pub const MIN_TASK_WINDOW_SECS: u32 = 10 * 60;
pub const MAX_TASK_WINDOW_SECS: u32 = 30 * 24 * 3600;
/// Without a quorum, every revealer still gets at least a quarter of the reward.
pub const MIN_NO_QUORUM_BPS: u16 = 2_500;

pub fn protocol_params(treasury: Pubkey) -> ProtocolParams {
    ProtocolParams {
        treasury,
        fee_bps: FEE_BPS,
        dispute_window_secs: DISPUTE_WINDOW_SECS,
        vote_window_secs: VOTE_WINDOW_SECS,
        min_vote_weight: MIN_VOTE_WEIGHT,
        min_task_window_secs: MIN_TASK_WINDOW_SECS,
        max_task_window_secs: MAX_TASK_WINDOW_SECS,
        min_no_quorum_bps: MIN_NO_QUORUM_BPS,
    }
}

/// Limits for a dollar stablecoin with `decimals` decimals: a 0.01 wage floor, 0.10 least stake
/// per answer, a 1.00 dispute bond, 10.00 of rewards earned to join the worker chamber, and one
/// unit of chamber weight per 1.00 of chamber stake.
pub fn mint_limits(decimals: u8) -> MintLimits {
    let one = 10u64.pow(u32::from(decimals));
    MintLimits {
        min_reward_per_answer: one / 100,
        min_stake_per_answer: one / 10,
        dispute_bond: one,
        chamber_min_rewards: 10 * one,
        chamber_stake_per_weight: one,
    }
}
