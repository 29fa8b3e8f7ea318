use anchor_lang::prelude::*;

/// A DAO member, at `["member", wallet]`: votes on disputes opened after `active_since`, with
/// `weight`.
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Member {
    pub wallet: Pubkey,
    /// Paid this account's rent; gets it back when the member leaves or is removed.
    pub rent_payer: Pubkey,
    /// Worker chamber: the mint of the locked stake (zeros for appointed members).
    pub chamber_mint: Pubkey,
    pub weight: u64,
    /// When the member's current weight took effect (joining, or a re-weighting): only disputes
    /// opened later can be voted on, so weight cannot be added to a vote already under way.
    pub active_since: i64,
    pub votes_cast: u32,
    pub kind: u8,
    pub bump: u8,
    pub _reserved: [u8; 2],
}

/// Added by the protocol authority.
pub const MEMBER_APPOINTED: u8 = 0;
/// A worker who joined by locking stake; weight follows the stake.
pub const MEMBER_CHAMBER: u8 = 1;
