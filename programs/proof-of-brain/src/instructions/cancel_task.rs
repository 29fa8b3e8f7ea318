use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::TASK_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskCancelled;
use crate::state::{Task, TaskState};
use crate::token;

#[derive(Accounts)]
pub struct CancelTask<'info> {
    #[account(mut)]
    pub requester: Signer<'info>,

    #[account(mut, close = requester, has_one = requester, has_one = mint,
              seeds = [TASK_SEED, requester.key().as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = task,
              associated_token::token_program = token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut, token::mint = mint, token::authority = requester, token::token_program = token_program)]
    pub requester_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
}

impl CancelTask<'_> {
    fn validate(&self) -> Result<()> {
        require!(self.task.state == TaskState::Open, PobError::TaskNotOpen);
        require!(self.task.committed == 0, PobError::TaskHasCommitments);
        Ok(())
    }

    /// Refunds the whole vault and closes the task, while nobody has committed.
    pub fn cancel_task(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()?;
        let accounts = &*ctx.accounts;
        let refund = accounts.vault.amount;
        accounts.task.with_signer_seeds(|signer| {
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.vault,
                &accounts.requester_token_account,
                accounts.task.to_account_info(),
                refund,
                signer,
            )?;
            token::close(
                &accounts.token_program,
                &accounts.vault,
                accounts.requester.to_account_info(),
                accounts.task.to_account_info(),
                signer,
            )
        })?;
        emit_event!(TaskCancelled { task: accounts.task.key(), refund });
        Ok(())
    }
}
