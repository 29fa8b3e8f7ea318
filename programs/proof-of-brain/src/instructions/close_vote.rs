use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::pda_account;
use crate::state::{Dispute, Vote};

#[derive(Accounts)]
pub struct CloseVote<'info> {
    /// Closed here; its rent goes back to the voter.
    #[account(mut, close = member)]
    pub vote: AccountLoader<'info, Vote>,

    /// CHECK: the address of the dispute voted on (pinned by the vote, checked by `validate`). It
    /// is closed at resolution; if a later dispute lives there, it is read with owner and
    /// discriminator checks and compared by dispute number.
    pub dispute: UncheckedAccount<'info>,

    /// CHECK: the voter's wallet, pinned by the vote (checked by `validate`); it only receives the
    /// vote's rent.
    #[account(mut)]
    pub member: UncheckedAccount<'info>,
}

impl CloseVote<'_> {
    fn validate(&self) -> Result<()> {
        let vote = self.vote.load()?;
        ensure!(vote.member == self.member.key(), PobError::WrongRecipient);
        ensure!(vote.dispute == self.dispute.key(), PobError::WrongDispute);
        if pda_account::exists(&self.dispute) {
            let dispute = pda_account::read::<Dispute>(&self.dispute)?;
            ensure!(dispute.number != vote.dispute_number, PobError::VoteStillNeeded);
        }
        Ok(())
    }

    /// Permissionless: once its dispute is resolved, a vote is only rent; this returns it to the
    /// voter.
    pub fn close_vote(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()
    }
}
