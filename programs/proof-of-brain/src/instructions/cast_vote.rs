use anchor_lang::prelude::*;

use crate::constants::{vote_seed, vote_seed_str, SUBMISSION_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::VoteCast;
use crate::pda_account;
use crate::state::{Dispute, Member, Task, Vote, TASK_DISPUTED};

#[derive(Accounts)]
pub struct CastVote<'info> {
    pub voter: Signer<'info>,

    /// The voter's membership (checked by `validate`).
    #[account(mut)]
    pub member: AccountLoader<'info, Member>,

    pub task: AccountLoader<'info, Task>,

    /// The task's dispute (checked by `validate`).
    #[account(mut)]
    pub dispute: AccountLoader<'info, Dispute>,

    /// CHECK: where the voter's submission on this task would be (address checked by seeds); it
    /// must not exist: a worker on the task cannot judge it. Submissions cannot close while the
    /// dispute is open, so absence here means the voter never committed.
    #[account(seeds = [SUBMISSION_SEED, task.key().as_ref(), voter.key().as_ref()], bump)]
    pub voter_submission: UncheckedAccount<'info>,

    /// CHECK: the voter's Vote on this dispute at `create_with_seed(voter, vote_seed(dispute),
    /// program)` (checked when initialized). The voter creates it with the system program earlier
    /// in this transaction and pays its rent (back with `close_vote` once the dispute is
    /// resolved). An existing one is read with owner and discriminator checks: a vote on this
    /// dispute is refused, a leftover vote from an earlier dispute at the same address is reused.
    #[account(mut)]
    pub vote: UncheckedAccount<'info>,
}

impl CastVote<'_> {
    fn validate(&self, now: i64, task: &Task, dispute: &Dispute, member: &Member, choice: u8) -> Result<()> {
        ensure!(member.wallet == self.voter.key(), PobError::NotAMember);
        ensure!(dispute.task == self.task.key(), PobError::WrongDispute);
        ensure!(task.state == TASK_DISPUTED, PobError::VotingClosed);
        ensure!(self.voter.key() != task.requester, PobError::RequesterCannotVote);
        ensure!(!pda_account::exists(&self.voter_submission), PobError::WorkerCannotVote);
        ensure!(member.active_since < dispute.opened_at, PobError::JoinedAfterDisputeOpened);
        if pda_account::is_initialized::<Vote>(&self.vote) {
            let earlier = pda_account::read::<Vote>(&self.vote)?;
            ensure!(
                earlier.dispute == self.dispute.key() && earlier.member == self.voter.key(),
                PobError::WrongDispute
            );
            ensure!(earlier.dispute_number != dispute.number, PobError::AlreadyVoted);
        }
        ensure!(now < dispute.vote_deadline, PobError::VotingClosed);
        ensure!(choice < dispute.candidates, PobError::InvalidChoice);
        Ok(())
    }

    /// A member whose weight predates the dispute votes once, with that weight, for a candidate:
    /// the index of a revealed answer in the task's tally, or the last index for Void.
    pub fn cast_vote(ctx: Context<Self>, choice: u8) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let task = accounts.task.load()?;
        let mut dispute = accounts.dispute.load_mut()?;
        let mut member = accounts.member.load_mut()?;
        accounts.validate(now, &task, &dispute, &member, choice)?;
        let (dispute_key, voter) = (accounts.dispute.key(), accounts.voter.key());
        let mut vote = if pda_account::is_initialized::<Vote>(&accounts.vote) {
            pda_account::open_mut::<Vote>(&accounts.vote)?
        } else {
            let seed = vote_seed(&dispute_key);
            pda_account::init_with_seed::<Vote>(&accounts.vote, &voter, vote_seed_str(&seed))?
                .ok_or(PobError::AlreadyVoted)?
        };
        let weight = member.weight;
        *vote = Vote {
            dispute: dispute_key,
            member: voter,
            dispute_number: dispute.number,
            weight,
            choice,
            ..bytemuck::Zeroable::zeroed()
        };
        let tally = &mut dispute.candidate_weights[usize::from(choice)];
        *tally = tally.checked_add(weight).ok_or(PobError::MathOverflow)?;
        dispute.weight_cast = dispute.weight_cast.checked_add(weight).ok_or(PobError::MathOverflow)?;
        member.votes_cast += 1;
        emit_event!(VoteCast { task: accounts.task.key(), member: voter, choice, weight });
        Ok(())
    }
}
