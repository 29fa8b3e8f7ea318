use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{PROTOCOL_SEED, TASK_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskClosed;
use crate::logic::settlement::close_split;
use crate::state::{Protocol, Task, TaskState};
use crate::token;

#[derive(Accounts)]
pub struct CloseTask<'info> {
    /// Anyone may close; pays for the treasury's or requester's token account if missing.
    #[account(mut)]
    pub payer: Signer<'info>,

    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,

    #[account(mut, close = requester, has_one = requester, has_one = mint,
              seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    /// Receives the refund and the rent of the task and its vault.
    #[account(mut)]
    pub requester: SystemAccount<'info>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = task,
              associated_token::token_program = token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(init_if_needed, payer = payer, associated_token::mint = mint,
              associated_token::authority = requester, associated_token::token_program = token_program)]
    pub requester_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    /// CHECK: only the owner of the treasury token account; pinned to the protocol's treasury.
    #[account(address = protocol.params.treasury)]
    pub treasury: UncheckedAccount<'info>,

    /// `dup`: the treasury may also be the requester or the dispute's opener; both token
    /// accounts are then one account, which is fine (Anchor writes neither back on exit).
    #[account(init_if_needed, dup, payer = payer, associated_token::mint = mint,
              associated_token::authority = treasury, associated_token::token_program = token_program)]
    pub treasury_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl CloseTask<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        let task = &self.task;
        require!(task.state != TaskState::Disputed, PobError::DisputeOpen);
        require!(task.state == TaskState::Finalized, PobError::TaskNotFinalized);
        require!(now >= task.dispute_deadline, PobError::DisputeWindowOpen);
        require!(task.settled == task.committed, PobError::SubmissionsOutstanding);
        Ok(())
    }

    /// Permissionless, once every submission is settled: the fee on the rewards paid goes to the
    /// treasury, everything else in the vault (unfilled slots, slashed stake, dust) to the
    /// requester; the vault and the task are closed with their rent going to the requester.
    pub fn close_task(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
        let accounts = &*ctx.accounts;
        let task = &accounts.task;
        let (fee, refund) = close_split(accounts.vault.amount, task.rewards_paid, task.fee_bps)
            .ok_or(PobError::MathOverflow)?;
        task.with_signer_seeds(|signer| {
            let task_info = task.to_account_info();
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.vault,
                &accounts.treasury_token_account,
                task_info.clone(),
                fee,
                signer,
            )?;
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.vault,
                &accounts.requester_token_account,
                task_info.clone(),
                refund,
                signer,
            )?;
            token::close(
                &accounts.token_program,
                &accounts.vault,
                accounts.requester.to_account_info(),
                task_info,
                signer,
            )
        })?;
        emit_event!(TaskClosed { task: task.key(), rewards_paid: task.rewards_paid, fee, refund });
        Ok(())
    }
}
