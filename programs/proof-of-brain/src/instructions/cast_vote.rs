use anchor_lang::prelude::*;

use crate::constants::{DISPUTE_SEED, MEMBER_SEED, SUBMISSION_SEED, TASK_SEED, VOTE_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::VoteCast;
use crate::pda_account;
use crate::state::{Dispute, Member, Task, TaskState, Vote};

#[derive(Accounts)]
pub struct CastVote<'info> {
    #[account(mut)]
    pub voter: Signer<'info>,

    #[account(mut, seeds = [MEMBER_SEED, voter.key().as_ref()], bump = member.bump)]
    pub member: Box<Account<'info, Member>>,

    #[account(seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    #[account(mut, has_one = task, seeds = [DISPUTE_SEED, task.key().as_ref()], bump = dispute.bump)]
    pub dispute: Box<Account<'info, Dispute>>,

    /// CHECK: where the voter's submission on this task would be (address checked by seeds); it
    /// must not exist: a worker on the task cannot judge it. Submissions cannot close while the
    /// dispute is open, so absence here means the voter never committed.
    #[account(seeds = [SUBMISSION_SEED, task.key().as_ref(), voter.key().as_ref()], bump)]
    pub voter_submission: UncheckedAccount<'info>,

    /// CHECK: the voter's Vote PDA on this dispute (address checked by seeds). Created by the
    /// handler (even if someone sent lamports to the address first); an existing one is read with
    /// owner and discriminator checks: a vote on this dispute is refused, a leftover vote from an
    /// earlier dispute at the same address is reused.
    #[account(mut, seeds = [VOTE_SEED, dispute.key().as_ref(), voter.key().as_ref()], bump)]
    pub vote: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl CastVote<'_> {
    fn validate(&self, now: i64, choice: u8) -> Result<()> {
        require!(self.task.state == TaskState::Disputed, PobError::VotingClosed);
        require_keys_neq!(self.voter.key(), self.task.requester, PobError::RequesterCannotVote);
        require!(!pda_account::exists(&self.voter_submission), PobError::WorkerCannotVote);
        if pda_account::exists(&self.vote) {
            let earlier: Vote = pda_account::read(&self.vote)?;
            require!(earlier.dispute_number != self.dispute.number, PobError::AlreadyVoted);
        }
        require!(now < self.dispute.vote_deadline, PobError::VotingClosed);
        require!(usize::from(choice) < self.dispute.candidate_weights.len(), PobError::InvalidChoice);
        Ok(())
    }

    /// A member votes once, with their weight, for a candidate: the index of a revealed answer in
    /// the task's tally, or the last index for Void.
    pub fn cast_vote(ctx: Context<Self>, choice: u8) -> Result<()> {
        ctx.accounts.validate(Clock::get()?.unix_timestamp, choice)?;
        let accounts = &mut *ctx.accounts;
        let (dispute_key, voter, bump) = (accounts.dispute.key(), accounts.voter.key(), ctx.bumps.vote);
        let (weight, dispute_number) = (accounts.member.weight, accounts.dispute.number);
        if !pda_account::exists(&accounts.vote) {
            pda_account::create(
                &accounts.voter,
                &accounts.vote,
                &accounts.system_program,
                Vote::DISCRIMINATOR.len() + Vote::INIT_SPACE,
                &[VOTE_SEED, dispute_key.as_ref(), voter.as_ref(), &[bump]],
            )?;
        }
        let vote = Vote { dispute: dispute_key, member: voter, choice, weight, dispute_number, bump };
        pda_account::write(&accounts.vote, &vote)?;

        let dispute = &mut accounts.dispute;
        let tally = &mut dispute.candidate_weights[usize::from(choice)];
        *tally = tally.checked_add(weight).ok_or(PobError::MathOverflow)?;
        dispute.weight_cast = dispute.weight_cast.checked_add(weight).ok_or(PobError::MathOverflow)?;
        accounts.member.votes_cast += 1;
        emit_event!(VoteCast { task: accounts.task.key(), member: voter, choice, weight });
        Ok(())
    }
}
