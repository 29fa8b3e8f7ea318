//! The protocol settings a fresh deployment, the demo, the bench and the tests start from.
use anchor_lang::prelude::Pubkey;
use proof_of_brain::ProtocolParams;

/// 2.5% of the rewards paid.
pub const FEE_BPS: u16 = 250;
/// One day to dispute a finalized result.
pub const DISPUTE_WINDOW_SECS: u32 = 24 * 3600;
/// Two days for members to vote on a dispute.
pub const VOTE_WINDOW_SECS: u32 = 2 * 24 * 3600;
/// Worker chamber: agreed answers, and stake in base units (10 of a 6-decimal stablecoin).
pub const CHAMBER_MIN_AGREED_ANSWERS: u32 = 10;
pub const CHAMBER_MIN_STAKE: u64 = 10_000_000;

pub fn protocol_params(treasury: Pubkey) -> ProtocolParams {
    ProtocolParams {
        treasury,
        fee_bps: FEE_BPS,
        dispute_window_secs: DISPUTE_WINDOW_SECS,
        vote_window_secs: VOTE_WINDOW_SECS,
        min_vote_weight: 1,
        chamber_min_agreed_answers: CHAMBER_MIN_AGREED_ANSWERS,
        chamber_min_stake: CHAMBER_MIN_STAKE,
        chamber_member_weight: 1,
    }
}
