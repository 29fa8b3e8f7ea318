use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{MINT_CONFIG_SEED, STAKE_SEED, SUBMISSION_SEED, TASK_SEED, WORKER_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::SubmissionSettled;
use crate::logic::settlement::{classify, payout, Settlement};
use crate::state::{MintConfig, Stake, Submission, Task, TaskState, Worker};
use crate::token;

#[derive(Accounts)]
pub struct Claim<'info> {
    /// Anyone may settle; pays for the worker's token account if the worker has none.
    #[account(mut)]
    pub payer: Signer<'info>,

    #[account(mut, has_one = mint,
              seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    /// Closed here; its rent goes back to the worker who paid it.
    #[account(mut, close = worker,
              seeds = [SUBMISSION_SEED, task.key().as_ref(), worker.key().as_ref()], bump = submission.bump)]
    pub submission: Box<Account<'info, Submission>>,

    /// The worker's wallet, bound by the submission's seeds.
    #[account(mut)]
    pub worker: SystemAccount<'info>,

    #[account(mut, seeds = [WORKER_SEED, worker.key().as_ref()], bump = worker_account.bump)]
    pub worker_account: Box<Account<'info, Worker>>,

    #[account(mut, seeds = [STAKE_SEED, worker.key().as_ref(), mint.key().as_ref()], bump = stake.bump)]
    pub stake: Box<Account<'info, Stake>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    #[account(seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump = mint_config.bump)]
    pub mint_config: Box<Account<'info, MintConfig>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = task,
              associated_token::token_program = token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut, associated_token::mint = mint, associated_token::authority = mint_config,
              associated_token::token_program = token_program)]
    pub stake_vault: Box<InterfaceAccount<'info, TokenAccount>>,

    /// Rewards go to the worker's associated token account, created if missing so that a worker
    /// who closed theirs can never block the task from settling.
    #[account(init_if_needed, payer = payer, associated_token::mint = mint,
              associated_token::authority = worker, associated_token::token_program = token_program)]
    pub worker_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl Claim<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        require!(self.task.state != TaskState::Disputed, PobError::DisputeOpen);
        require!(self.task.state == TaskState::Finalized, PobError::TaskNotFinalized);
        require!(now >= self.task.dispute_deadline, PobError::DisputeWindowOpen);
        Ok(())
    }

    /// Permissionless. Settles one submission: reward for the quorum answer, stake back for any
    /// revealed answer, stake slashed into the task vault for an unrevealed one.
    pub fn claim(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate(Clock::get()?.unix_timestamp)?;
        let accounts = &mut *ctx.accounts;
        let (task, stake, reputation) =
            (&mut accounts.task, &mut accounts.stake, &mut accounts.worker_account);

        let settlement = classify(task.outcome.as_ref(), accounts.submission.revealed_answer());
        let amounts = payout(settlement, task.reward_per_answer, task.stake_per_answer, task.no_quorum_bps);

        stake.locked = stake.locked.checked_sub(task.stake_per_answer).ok_or(PobError::MathOverflow)?;
        stake.amount = stake.amount.checked_sub(amounts.slashed).ok_or(PobError::MathOverflow)?;
        match settlement {
            Settlement::Agreed => reputation.answers_agreed += 1,
            Settlement::Disagreed => reputation.answers_disagreed += 1,
            Settlement::NoQuorum => reputation.answers_no_quorum += 1,
            Settlement::Unrevealed => reputation.answers_unrevealed += 1,
        }
        reputation.stake_slashed =
            reputation.stake_slashed.checked_add(amounts.slashed).ok_or(PobError::MathOverflow)?;
        task.settled += 1; // one per submission, <= committed
        task.rewards_paid = task.rewards_paid.checked_add(amounts.reward).ok_or(PobError::MathOverflow)?;
        task.stake_slashed = task.stake_slashed.checked_add(amounts.slashed).ok_or(PobError::MathOverflow)?;

        task.with_signer_seeds(|signer| {
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.vault,
                &accounts.worker_token_account,
                task.to_account_info(),
                amounts.reward,
                signer,
            )
        })?;
        accounts.mint_config.with_signer_seeds(|signer| {
            token::transfer(
                &accounts.token_program,
                &accounts.mint,
                &accounts.stake_vault,
                &accounts.vault,
                accounts.mint_config.to_account_info(),
                amounts.slashed,
                signer,
            )
        })?;
        emit_event!(SubmissionSettled {
            task: task.key(),
            worker: accounts.worker.key(),
            settlement,
            paid: amounts.reward,
            slashed: amounts.slashed,
        });
        Ok(())
    }
}
