//! Proof of Brain: AI micro-tasks paid from an on-chain escrow, answered by staked workers with
//! commit-reveal, settled by quorum. The protocol is described in the project's docs; this file
//! only dispatches to `instructions/`.
#![allow(unexpected_cfgs)] // cfgs emitted by Anchor's macros

use anchor_lang::prelude::*;
// Links the i128 helpers that scripts/sbf/i128.ll calls (upstream-LLVM SBF build only).
#[cfg(all(target_os = "solana", target_arch = "bpf"))]
use pob_sbf_rt as _;

/// Returns `$error` unless `$condition` holds: Anchor's `require!` without the source location it
/// records (the error's name and code already say what failed), which saves code at each of the
/// program's ~140 checks (the .so must stay under 1.2 MB).
macro_rules! ensure {
    ($condition:expr, $error:expr $(,)?) => {
        if !($condition) {
            return Err($error.into());
        }
    };
}

pub mod constants;
mod cpi;
pub mod error;
pub mod events;
pub mod instructions;
pub mod logic;
mod pda_account;
pub mod state;
mod token;

pub use instructions::*;
pub use state::{MintLimits, ProtocolParams, ProtocolUpdate, Qualification};

declare_id!("42z3do6NxzBskFtYLqwPXYotqsifnMNTva5zUGaZjvCG");

// Where to report a vulnerability, readable from the deployed binary (`query-security-txt`).
// The contact and URLs are the project's; confirm them before each deployment.
#[cfg(not(feature = "no-entrypoint"))]
solana_security_txt::security_txt! {
    name: "Proof of Brain",
    project_url: "https://github.com/proof-of-brain/proof-of-brain",
    contacts: "email:security@proofofbrain.org",
    policy: "https://github.com/proof-of-brain/proof-of-brain/blob/main/SECURITY.md",
    preferred_languages: "en",
    source_code: "https://github.com/proof-of-brain/proof-of-brain",
    auditors: "None yet"
}

#[program]
pub mod proof_of_brain {
    use super::*;

    // Governance

    pub fn initialize_protocol(
        ctx: Context<InitializeProtocol>,
        authority: Pubkey,
        params: ProtocolParams,
    ) -> Result<()> {
        InitializeProtocol::initialize_protocol(ctx, authority, params)
    }

    pub fn update_protocol(ctx: Context<UpdateProtocol>, update: ProtocolUpdate) -> Result<()> {
        UpdateProtocol::update_protocol(ctx, update)
    }

    pub fn propose_authority(ctx: Context<ProposeAuthority>, new_authority: Option<Pubkey>) -> Result<()> {
        ProposeAuthority::propose_authority(ctx, new_authority)
    }

    pub fn accept_authority(ctx: Context<AcceptAuthority>) -> Result<()> {
        AcceptAuthority::accept_authority(ctx)
    }

    pub fn allow_mint(ctx: Context<AllowMint>, limits: MintLimits, bumps: MintBumps) -> Result<()> {
        AllowMint::allow_mint(ctx, limits, bumps)
    }

    pub fn disable_mint(ctx: Context<DisableMint>) -> Result<()> {
        DisableMint::disable_mint(ctx)
    }

    // Balances: the only ways tokens enter and leave the program

    pub fn open_balance(ctx: Context<OpenBalance>) -> Result<()> {
        OpenBalance::open_balance(ctx)
    }

    pub fn deposit(ctx: Context<Deposit>, amount: u64) -> Result<()> {
        Deposit::deposit(ctx, amount)
    }

    pub fn withdraw(ctx: Context<Withdraw>, amount: u64) -> Result<()> {
        Withdraw::withdraw(ctx, amount)
    }

    pub fn withdraw_fees(ctx: Context<WithdrawFees>, amount: u64) -> Result<()> {
        WithdrawFees::withdraw_fees(ctx, amount)
    }

    // Task lifecycle

    pub fn register_worker(ctx: Context<RegisterWorker>) -> Result<()> {
        RegisterWorker::register_worker(ctx)
    }

    pub fn create_task(ctx: Context<CreateTask>, args: CreateTaskArgs) -> Result<()> {
        CreateTask::create_task(ctx, args)
    }

    pub fn cancel_task(ctx: Context<CancelTask>) -> Result<()> {
        CancelTask::cancel_task(ctx)
    }

    pub fn commit_answer(ctx: Context<CommitAnswer>, commitment: [u8; 32]) -> Result<()> {
        CommitAnswer::commit_answer(ctx, commitment)
    }

    pub fn reveal_answer(ctx: Context<RevealAnswer>, answer_hash: [u8; 32], salt: [u8; 32]) -> Result<()> {
        RevealAnswer::reveal_answer(ctx, answer_hash, salt)
    }

    pub fn finalize_task(ctx: Context<FinalizeTask>) -> Result<()> {
        FinalizeTask::finalize_task(ctx)
    }

    pub fn reveal_gold(ctx: Context<RevealGold>, answer_hash: [u8; 32], salt: [u8; 32]) -> Result<()> {
        RevealGold::reveal_gold(ctx, answer_hash, salt)
    }

    pub fn claim(ctx: Context<Claim>) -> Result<()> {
        Claim::claim(ctx)
    }

    pub fn close_task(ctx: Context<CloseTask>) -> Result<()> {
        CloseTask::close_task(ctx)
    }

    // DAO membership

    pub fn add_member(ctx: Context<AddMember>, wallet: Pubkey, weight: u64, bump: u8) -> Result<()> {
        AddMember::add_member(ctx, wallet, weight, bump)
    }

    pub fn set_member_weight(ctx: Context<SetMemberWeight>, weight: u64) -> Result<()> {
        SetMemberWeight::set_member_weight(ctx, weight)
    }

    pub fn remove_member(ctx: Context<RemoveMember>) -> Result<()> {
        RemoveMember::remove_member(ctx)
    }

    pub fn join_worker_chamber(ctx: Context<JoinWorkerChamber>, amount: u64) -> Result<()> {
        JoinWorkerChamber::join_worker_chamber(ctx, amount)
    }

    pub fn leave_membership(ctx: Context<LeaveMembership>) -> Result<()> {
        LeaveMembership::leave_membership(ctx)
    }

    pub fn release_chamber_stake(ctx: Context<ReleaseChamberStake>) -> Result<()> {
        ReleaseChamberStake::release_chamber_stake(ctx)
    }

    // Disputes

    pub fn open_dispute(ctx: Context<OpenDispute>, reason_hash: [u8; 32]) -> Result<()> {
        OpenDispute::open_dispute(ctx, reason_hash)
    }

    pub fn cast_vote(ctx: Context<CastVote>, choice: u8) -> Result<()> {
        CastVote::cast_vote(ctx, choice)
    }

    pub fn resolve_dispute(ctx: Context<ResolveDispute>) -> Result<()> {
        ResolveDispute::resolve_dispute(ctx)
    }

    pub fn close_vote(ctx: Context<CloseVote>) -> Result<()> {
        CloseVote::close_vote(ctx)
    }
}
