use anchor_lang::prelude::*;

use crate::constants::{MEMBER_SEED, PROTOCOL_SEED, STAKE_SEED, WORKER_SEED};
use crate::error::PobError;
use crate::instructions::add_member::enroll_member;
use crate::pda_account;
use crate::state::{Member, MemberKind, Protocol, Stake, Worker};

#[derive(Accounts)]
pub struct JoinWorkerChamber<'info> {
    #[account(mut)]
    pub worker: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Account<'info, Protocol>,

    #[account(seeds = [WORKER_SEED, worker.key().as_ref()], bump = worker_account.bump)]
    pub worker_account: Account<'info, Worker>,

    /// Any of the worker's stakes; its amount is compared with the chamber threshold.
    #[account(seeds = [STAKE_SEED, worker.key().as_ref(), stake.mint.as_ref()], bump = stake.bump)]
    pub stake: Account<'info, Stake>,

    /// CHECK: the worker's Member PDA (address checked by seeds); the handler refuses an existing
    /// one and creates it, even if someone sent lamports to the address first.
    #[account(mut, seeds = [MEMBER_SEED, worker.key().as_ref()], bump)]
    pub member: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl JoinWorkerChamber<'_> {
    fn validate(&self) -> Result<()> {
        let params = &self.protocol.params;
        require!(!pda_account::exists(&self.member), PobError::AlreadyMember);
        require!(
            self.worker_account.answers_agreed >= params.chamber_min_agreed_answers,
            PobError::NotEnoughAgreedAnswers
        );
        require!(self.stake.amount >= params.chamber_min_stake, PobError::NotEnoughStakeForChamber);
        require!(params.chamber_member_weight > 0, PobError::InvalidMemberWeight);
        Ok(())
    }

    /// An experienced, staked worker joins the DAO by themselves, with the chamber's weight.
    pub fn join_worker_chamber(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()?;
        let accounts = &mut *ctx.accounts;
        let wallet = accounts.worker.key();
        let weight = accounts.protocol.params.chamber_member_weight;
        let member = Member {
            wallet,
            weight,
            kind: MemberKind::WorkerChamber,
            votes_cast: 0,
            rent_payer: wallet,
            bump: ctx.bumps.member,
        };
        enroll_member(
            &accounts.worker,
            &accounts.member,
            &accounts.system_program,
            &mut accounts.protocol,
            member,
        )
    }
}
