use anchor_lang::prelude::*;

use crate::constants::{MAX_FEE_BPS, MAX_WINDOW_SECS, MIN_TASK_WINDOW_FLOOR_SECS};
use crate::error::PobError;

/// The protocol's singleton configuration, at `["protocol"]`. Only `initialize_protocol` creates
/// an account of this type, and only at that address, so instructions recognise it by owner and
/// discriminator alone (no address derivation).
#[account(zero_copy)]
#[derive(Debug, PartialEq, Eq)]
pub struct Protocol {
    /// Governs the protocol: a Squads vault or a Realms governance PDA in production.
    pub authority: Pubkey,
    /// Set by `propose_authority` (valid when `has_pending_authority`); becomes the authority when
    /// it signs `accept_authority`.
    pub pending_authority: Pubkey,
    /// Signs `withdraw_fees`.
    pub treasury: Pubkey,
    /// DAO weight of all members (kept by the membership instructions); disputes snapshot it.
    pub total_member_weight: u64,
    /// Disputes opened so far; numbers each dispute uniquely.
    pub disputes_opened: u64,
    /// Least total weight of votes for a dispute vote to change an outcome; disputes snapshot it.
    pub min_vote_weight: u64,
    /// How long a finalized result can be disputed before claims open. Snapshotted by each task.
    pub dispute_window_secs: u32,
    /// How long members can vote on a dispute. Snapshotted by each dispute.
    pub vote_window_secs: u32,
    /// Bounds on a task's commit window and reveal window.
    pub min_task_window_secs: u32,
    pub max_task_window_secs: u32,
    /// Protocol fee on rewards paid, in bps; never above `MAX_FEE_BPS`. Snapshotted by each task.
    pub fee_bps: u16,
    /// Least share of the reward every revealer gets when no answer reaches quorum.
    pub min_no_quorum_bps: u16,
    /// When set (1), no new task can be created. Claims, reveals and withdrawals always work.
    pub paused: u8,
    pub has_pending_authority: u8,
    pub bump: u8,
    pub _reserved: [u8; 1],
}

/// The settings the authority chooses (instruction argument; stored in [`Protocol`]).
#[derive(AnchorSerialize, AnchorDeserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProtocolParams {
    pub treasury: Pubkey,
    pub fee_bps: u16,
    pub dispute_window_secs: u32,
    pub vote_window_secs: u32,
    pub min_vote_weight: u64,
    pub min_task_window_secs: u32,
    pub max_task_window_secs: u32,
    pub min_no_quorum_bps: u16,
}

impl ProtocolParams {
    pub fn validate(&self) -> Result<()> {
        ensure!(self.fee_bps <= MAX_FEE_BPS, PobError::FeeAboveCap);
        for window in [self.dispute_window_secs, self.vote_window_secs] {
            ensure!((1..=MAX_WINDOW_SECS).contains(&window), PobError::InvalidWindow);
        }
        ensure!(
            MIN_TASK_WINDOW_FLOOR_SECS <= self.min_task_window_secs
                && self.min_task_window_secs <= self.max_task_window_secs
                && self.max_task_window_secs <= MAX_WINDOW_SECS,
            PobError::InvalidTaskWindowBounds
        );
        ensure!(self.min_no_quorum_bps <= crate::constants::BPS_DENOMINATOR, PobError::InvalidNoQuorumBps);
        ensure!(self.min_vote_weight > 0, PobError::InvalidMinVoteWeight);
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
    pub min_task_window_secs: Option<u32>,
    pub max_task_window_secs: Option<u32>,
    pub min_no_quorum_bps: Option<u16>,
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
            min_task_window_secs: self.min_task_window_secs.unwrap_or(current.min_task_window_secs),
            max_task_window_secs: self.max_task_window_secs.unwrap_or(current.max_task_window_secs),
            min_no_quorum_bps: self.min_no_quorum_bps.unwrap_or(current.min_no_quorum_bps),
        }
    }
}

impl Protocol {
    pub fn params(&self) -> ProtocolParams {
        ProtocolParams {
            treasury: self.treasury,
            fee_bps: self.fee_bps,
            dispute_window_secs: self.dispute_window_secs,
            vote_window_secs: self.vote_window_secs,
            min_vote_weight: self.min_vote_weight,
            min_task_window_secs: self.min_task_window_secs,
            max_task_window_secs: self.max_task_window_secs,
            min_no_quorum_bps: self.min_no_quorum_bps,
        }
    }

    pub fn set_params(&mut self, params: &ProtocolParams) {
        self.treasury = params.treasury;
        self.fee_bps = params.fee_bps;
        self.dispute_window_secs = params.dispute_window_secs;
        self.vote_window_secs = params.vote_window_secs;
        self.min_vote_weight = params.min_vote_weight;
        self.min_task_window_secs = params.min_task_window_secs;
        self.max_task_window_secs = params.max_task_window_secs;
        self.min_no_quorum_bps = params.min_no_quorum_bps;
    }

    pub fn pending_authority(&self) -> Option<Pubkey> {
        (self.has_pending_authority != 0).then_some(self.pending_authority)
    }

    pub fn is_paused(&self) -> bool {
        self.paused != 0
    }

    /// `signer` is the protocol authority.
    pub fn check_authority(&self, signer: &Signer) -> Result<()> {
        ensure!(self.authority == signer.key(), PobError::NotProtocolAuthority);
        Ok(())
    }
}
