use anchor_lang::prelude::*;

use crate::constants::VOTE_SEED;
use crate::error::PobError;
use crate::pda_account;
use crate::state::{Dispute, Vote};

#[derive(Accounts)]
pub struct CloseVote<'info> {
    #[account(mut, close = member, has_one = member, has_one = dispute,
              seeds = [VOTE_SEED, vote.dispute.as_ref(), vote.member.as_ref()], bump = vote.bump)]
    pub vote: Account<'info, Vote>,

    /// CHECK: the address of the dispute voted on (pinned by the vote's `has_one`). It is closed
    /// at resolution; if a later dispute lives there, it is read with owner and discriminator
    /// checks and compared by dispute number.
    pub dispute: UncheckedAccount<'info>,

    /// The voter: gets the vote's rent back.
    #[account(mut)]
    pub member: SystemAccount<'info>,
}

impl CloseVote<'_> {
    fn validate(&self) -> Result<()> {
        if pda_account::exists(&self.dispute) {
            let dispute: Dispute = pda_account::read(&self.dispute)?;
            require!(dispute.number != self.vote.dispute_number, PobError::VoteStillNeeded);
        }
        Ok(())
    }

    /// Permissionless: once its dispute is resolved, a vote is only rent; this returns it to the
    /// voter.
    pub fn close_vote(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()
    }
}
