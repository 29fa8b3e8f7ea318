use anchor_lang::prelude::*;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{DISPUTE_SEED, MINT_CONFIG_SEED, PROTOCOL_SEED, SUBMISSION_SEED, TASK_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::DisputeOpened;
use crate::pda_account;
use crate::state::{Dispute, MintConfig, Protocol, Submission, SubmissionState, Task, TaskState};
use crate::token;

#[derive(Accounts)]
pub struct OpenDispute<'info> {
    /// The requester, or a worker who revealed an answer on this task.
    #[account(mut)]
    pub opener: Signer<'info>,

    /// Numbers the dispute (written only here among the task instructions; disputes are rare).
    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,

    #[account(mut, has_one = mint,
              seeds = [TASK_SEED, task.requester.as_ref(), &task.task_id.to_le_bytes()], bump = task.bump)]
    pub task: Box<Account<'info, Task>>,

    /// CHECK: where the opener's submission on this task is (address checked by seeds). Unless
    /// the opener is the requester, it must exist and hold a revealed answer; it is read with
    /// owner and discriminator checks.
    #[account(seeds = [SUBMISSION_SEED, task.key().as_ref(), opener.key().as_ref()], bump)]
    pub opener_submission: UncheckedAccount<'info>,

    /// Sets the dispute bond.
    #[account(seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump = mint_config.bump)]
    pub mint_config: Box<Account<'info, MintConfig>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// CHECK: the task's Dispute PDA (address checked by seeds); created by the handler, even if
    /// someone sent lamports to the address first.
    #[account(mut, seeds = [DISPUTE_SEED, task.key().as_ref()], bump)]
    pub dispute: UncheckedAccount<'info>,

    #[account(mut, token::mint = mint, token::authority = opener, token::token_program = token_program)]
    pub opener_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    /// The bond waits in the task vault until the dispute is resolved.
    #[account(mut, associated_token::mint = mint, associated_token::authority = task,
              associated_token::token_program = token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub system_program: Program<'info, System>,
}

impl OpenDispute<'_> {
    fn validate(&self, now: i64) -> Result<()> {
        let task = &self.task;
        require!(task.state != TaskState::Disputed, PobError::DisputeAlreadyOpen);
        require!(task.state == TaskState::Finalized, PobError::TaskNotFinalized);
        require!(now < task.dispute_deadline, PobError::DisputeWindowClosed);
        if self.opener.key() != task.requester {
            require!(pda_account::exists(&self.opener_submission), PobError::NotEligibleToDispute);
            let submission: Submission = pda_account::read(&self.opener_submission)?;
            require!(submission.state == SubmissionState::Revealed, PobError::AnswerNotRevealed);
        }
        Ok(())
    }

    /// Opens the task's one dispute, posting the mint's dispute bond. The candidates are every
    /// revealed answer plus Void; members vote until `now + vote_window_secs`.
    pub fn open_dispute(ctx: Context<Self>, reason_hash: [u8; 32]) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        ctx.accounts.validate(now)?;
        let accounts = &mut *ctx.accounts;
        let (task_key, opener) = (accounts.task.key(), accounts.opener.key());
        let candidates = accounts.task.tally.len() + 1;
        let bump = ctx.bumps.dispute;
        pda_account::create(
            &accounts.opener,
            &accounts.dispute,
            &accounts.system_program,
            Dispute::space(candidates),
            &[DISPUTE_SEED, task_key.as_ref(), &[bump]],
        )?;
        let protocol = &mut accounts.protocol;
        protocol.disputes_opened += 1;
        let (number, vote_window) = (protocol.disputes_opened, i64::from(protocol.params.vote_window_secs));
        let dispute = Dispute {
            task: task_key,
            number,
            opener,
            bond: accounts.mint_config.dispute_bond,
            reason_hash,
            vote_deadline: now.checked_add(vote_window).ok_or(PobError::MathOverflow)?,
            weight_cast: 0,
            bump,
            candidate_weights: vec![0; candidates],
        };
        pda_account::write(&accounts.dispute, &dispute)?;
        accounts.task.state = TaskState::Disputed;
        token::transfer(
            &accounts.token_program,
            &accounts.mint,
            &accounts.opener_token_account,
            &accounts.vault,
            accounts.opener.to_account_info(),
            dispute.bond,
            &[],
        )?;
        emit_event!(DisputeOpened {
            task: task_key,
            number,
            opener,
            bond: dispute.bond,
            reason_hash,
            vote_deadline: dispute.vote_deadline
        });
        Ok(())
    }
}
