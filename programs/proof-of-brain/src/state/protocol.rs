use anchor_lang::prelude::*;

use crate::constants::{MAX_FEE_BPS, MAX_WINDOW_SECS};
use crate::error::PobError;

/// The protocol's singleton configuration, at `["protocol"]`.
#[account]
#[derive(InitSpace)]
pub struct Protocol {
    /// Governs the protocol: a Squads vault or a Realms governance PDA in production.
    pub authority: Pubkey,
    /// Set by `propose_authority`; becomes the authority when it signs `accept_authority`.
    pub pending_authority: Option<Pubkey>,
    /// When set, no new task can be created. Claims, reveals and unstakes always work.
    pub paused: bool,
    /// DAO weight of all members (maintained by the membership instructions).
    pub total_member_weight: u64,
    /// Disputes opened so far; numbers each dispute uniquely.
    pub disputes_opened: u64,
    pub params: ProtocolParams,
    pub bump: u8,
}

/// The settings the authority chooses.
#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolParams {
    /// Owner of the treasury token accounts that receive fees (one ATA per mint).
    pub treasury: Pubkey,
    /// Protocol fee on rewards paid, in bps; never above `MAX_FEE_BPS`. Snapshotted by each task.
    pub fee_bps: u16,
    /// How long a finalized result can be disputed before claims open. Snapshotted by each task.
    pub dispute_window_secs: u32,
    /// How long members can vote on a dispute.
    pub vote_window_secs: u32,
    /// Least total weight of votes for a dispute vote to change an outcome.
    pub min_vote_weight: u64,
    /// Worker chamber: least agreed answers to join by oneself.
    pub chamber_min_agreed_answers: u32,
    /// Worker chamber: least stake (in base units of the staked mint) to join by oneself.
    pub chamber_min_stake: u64,
    /// Worker chamber: weight a self-joined worker gets.
    pub chamber_member_weight: u64,
}

impl ProtocolParams {
    pub fn validate(&self) -> Result<()> {
        require!(self.fee_bps <= MAX_FEE_BPS, PobError::FeeAboveCap);
        for window in [self.dispute_window_secs, self.vote_window_secs] {
            require!((1..=MAX_WINDOW_SECS).contains(&window), PobError::InvalidWindow);
        }
        Ok(())
    }
}

/// A change to some of the protocol's settings; `None` keeps the current value.
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, Default, PartialEq, Eq)]
pub struct ProtocolUpdate {
    pub treasury: Option<Pubkey>,
    pub fee_bps: Option<u16>,
    pub dispute_window_secs: Option<u32>,
    pub vote_window_secs: Option<u32>,
    pub min_vote_weight: Option<u64>,
    pub chamber_min_agreed_answers: Option<u32>,
    pub chamber_min_stake: Option<u64>,
    pub chamber_member_weight: Option<u64>,
    pub paused: Option<bool>,
}

impl ProtocolUpdate {
    /// The parameters after this update.
    pub fn applied_to(&self, current: &ProtocolParams) -> ProtocolParams {
        ProtocolParams {
            treasury: self.treasury.unwrap_or(current.treasury),
            fee_bps: self.fee_bps.unwrap_or(current.fee_bps),
            dispute_window_secs: self.dispute_window_secs.unwrap_or(current.dispute_window_secs),
            vote_window_secs: self.vote_window_secs.unwrap_or(current.vote_window_secs),
            min_vote_weight: self.min_vote_weight.unwrap_or(current.min_vote_weight),
            chamber_min_agreed_answers: self
                .chamber_min_agreed_answers
                .unwrap_or(current.chamber_min_agreed_answers),
            chamber_min_stake: self.chamber_min_stake.unwrap_or(current.chamber_min_stake),
            chamber_member_weight: self.chamber_member_weight.unwrap_or(current.chamber_member_weight),
        }
    }
}
