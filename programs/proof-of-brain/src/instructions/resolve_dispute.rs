use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{DISPUTE_SEED, PROTOCOL_SEED, TASK_SEED, WORKER_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::DisputeResolved;
use crate::logic::dispute::{has_absolute_majority, winning_candidate};
use crate::state::{Dispute, Protocol, Task, TaskState, Worker};
use crate::token;

#[derive(Accounts)]
pub struct ResolveDispute<'info> {
    /// Anyone may resolve; pays for the opener's or treasury's token account if missing.
    #[account(mut)]
    pub payer: Signer<'info>,

    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,

    #[account(mut, has_one = mint,
              seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    /// Closed here; its rent goes back to the opener.
    #[account(mut, close = opener, has_one = task, has_one = opener,
              seeds = [DISPUTE_SEED, task.key().as_ref()], bump = dispute.bump)]
    pub dispute: Box<Account<'info, Dispute>>,

    #[account(mut)]
    pub opener: SystemAccount<'info>,

    /// The opener's reputation record; required when the opener is a worker (not the requester).
    #[account(mut, seeds = [WORKER_SEED, opener.key().as_ref()], bump = opener_worker_account.bump)]
    pub opener_worker_account: Option<Box<Account<'info, Worker>>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = task,
              associated_token::token_program = token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// The bond comes back here when the vote changed the outcome.
    #[account(init_if_needed, payer = payer, associated_token::mint = mint,
              associated_token::authority = opener, associated_token::token_program = token_program)]
    pub opener_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: only the owner of the treasury token account; pinned to the protocol's treasury.
    #[account(address = protocol.params.treasury)]
    pub treasury: UncheckedAccount<'info>,

    /// The bond goes here when the original outcome stands.
    /// `dup`: the treasury may also be the requester or the dispute's opener; both token
    /// accounts are then one account, which is fine (Anchor writes neither back on exit).
    #[account(init_if_needed, dup, payer = payer, associated_token::mint = mint,
              associated_token::authority = treasury, associated_token::token_program = token_program)]
    pub treasury_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl ResolveDispute<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        let dispute = &self.dispute;
        require!(
            now >= dispute.vote_deadline
                || has_absolute_majority(&dispute.candidate_weights, self.protocol.total_member_weight),
            PobError::VotingStillOpen
        );
        if self.opener.key() != self.task.requester {
            require!(self.opener_worker_account.is_some(), PobError::OpenerWorkerAccountMissing);
        }
        Ok(())
    }

    /// Permissionless, after the vote deadline or once one candidate holds a majority of all
    /// member weight. If enough weight voted and one candidate leads, it becomes the outcome
    /// (Void = no quorum). The bond returns to the opener if the outcome changed, else goes to the
    /// treasury. Claims open at once.
    pub fn resolve_dispute(ctx: Context<Self>) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        ctx.accounts.validate(now)?;
        let accounts = &mut *ctx.accounts;
        let (dispute, task) = (&accounts.dispute, &mut accounts.task);

        let original = task.outcome;
        let winner = winning_candidate(
            &dispute.candidate_weights,
            dispute.weight_cast,
            accounts.protocol.params.min_vote_weight,
        );
        if let Some(index) = winner {
            // Candidates are the tally entries in order, then Void.
            task.outcome = task.tally.get(index).map(|entry| entry.answer_hash);
        }
        let changed = task.outcome != original;
        task.state = TaskState::Finalized;
        task.dispute_deadline = now;

        let opened_by_worker = accounts.opener.key() != task.requester;
        if let Some(worker) = accounts.opener_worker_account.as_mut().filter(|_| opened_by_worker) {
            if changed {
                worker.disputes_won += 1;
            } else {
                worker.disputes_lost += 1;
            }
        }
        let bond_to = if changed { &accounts.opener_token_account } else { &accounts.treasury_token_account };
        task.with_signer_seeds(|signer| {
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.vault,
                bond_to,
                task.to_account_info(),
                dispute.bond,
                signer,
            )
        })?;
        emit_event!(DisputeResolved {
            task: task.key(),
            outcome: task.outcome,
            changed,
            weight_cast: dispute.weight_cast
        });
        Ok(())
    }
}
