use anchor_lang::prelude::*;
use anchor_spl::associated_token::AssociatedToken;
use anchor_spl::token_interface::{Mint, TokenAccount, TokenInterface};

use crate::constants::{
    BPS_DENOMINATOR, MAX_ANSWERS, MAX_SPEC_URI_LEN, MINT_CONFIG_SEED, PROTOCOL_SEED, TASK_SEED,
};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskCreated;
use crate::logic::settlement::task_deposit;
use crate::pda_account;
use crate::state::{MintConfig, Protocol, Task, TaskState};
use crate::token;

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct CreateTaskArgs {
    /// Chosen by the requester; unique per requester (part of the Task address).
    pub task_id: u64,
    /// sha256 of the task specification (the question, the item, the allowed answers).
    pub spec_hash: [u8; 32],
    /// Where the specification can be fetched (<= 200 bytes).
    pub spec_uri: String,
    pub answers_required: u8,
    pub quorum: u8,
    pub reward_per_answer: u64,
    pub stake_per_answer: u64,
    pub no_quorum_bps: u16,
    pub commit_deadline: i64,
    pub reveal_deadline: i64,
}

#[derive(Accounts)]
#[instruction(args: CreateTaskArgs)]
pub struct CreateTask<'info> {
    #[account(mut)]
    pub requester: Signer<'info>,

    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Box<Account<'info, Protocol>>,

    #[account(seeds = [MINT_CONFIG_SEED, mint.key().as_ref()], bump = mint_config.bump)]
    pub mint_config: Box<Account<'info, MintConfig>>,

    #[account(mint::token_program = token_program)]
    pub mint: Box<InterfaceAccount<'info, Mint>>,

    /// CHECK: the Task PDA for (requester, task_id) (address checked by seeds); the handler
    /// refuses an existing one and creates it, even if someone sent lamports to the address.
    #[account(mut, seeds = [TASK_SEED, requester.key().as_ref(), &args.task_id.to_le_bytes()], bump)]
    pub task: UncheckedAccount<'info>,

    /// The escrow. `init_if_needed`: anyone can create an ATA for a predictable address, and that
    /// must not block the task. Tokens found in it are refunded to the requester at close.
    #[account(init_if_needed, payer = requester, associated_token::mint = mint,
              associated_token::authority = task, associated_token::token_program = token_program)]
    pub vault: Box<InterfaceAccount<'info, TokenAccount>>,

    #[account(mut, token::mint = mint, token::authority = requester, token::token_program = token_program)]
    pub requester_token_account: Box<InterfaceAccount<'info, TokenAccount>>,

    pub token_program: Interface<'info, TokenInterface>,
    pub associated_token_program: Program<'info, AssociatedToken>,
    pub system_program: Program<'info, System>,
}

impl CreateTask<'_> {
    fn validate(&self, args: &CreateTaskArgs, now: i64) -> Result<()> {
        require!(!pda_account::exists(&self.task), PobError::TaskIdInUse);
        require!(!self.protocol.paused, PobError::ProtocolPaused);
        require!(self.mint_config.enabled, PobError::MintDisabled);
        let n = args.answers_required;
        require!((1..=MAX_ANSWERS).contains(&n), PobError::InvalidAnswerCount);
        // 2k > n: two different answers can never both reach quorum.
        require!(args.quorum <= n && 2 * u16::from(args.quorum) > u16::from(n), PobError::InvalidQuorum);
        require!(
            args.reward_per_answer >= self.mint_config.min_reward_per_answer,
            PobError::RewardBelowFloor
        );
        require!(args.stake_per_answer >= self.mint_config.min_stake_per_answer, PobError::StakeBelowMinimum);
        require!(args.no_quorum_bps <= BPS_DENOMINATOR, PobError::InvalidNoQuorumBps);
        require!(args.spec_uri.len() <= MAX_SPEC_URI_LEN, PobError::SpecUriTooLong);
        require!(
            now < args.commit_deadline && args.commit_deadline < args.reveal_deadline,
            PobError::InvalidDeadlines
        );
        Ok(())
    }

    /// Posts a task and locks `ceil(n * reward * (10_000 + fee_bps) / 10_000)` in its vault.
    pub fn create_task(ctx: Context<Self>, args: CreateTaskArgs) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        ctx.accounts.validate(&args, now)?;
        let accounts = &ctx.accounts;
        let params = accounts.protocol.params;
        let deposit = task_deposit(args.answers_required, args.reward_per_answer, params.fee_bps)
            .ok_or(PobError::MathOverflow)?;
        let (requester, bump) = (accounts.requester.key(), ctx.bumps.task);
        pda_account::create(
            &accounts.requester,
            &accounts.task,
            &accounts.system_program,
            Task::space(args.answers_required, args.spec_uri.len()),
            &[TASK_SEED, requester.as_ref(), &args.task_id.to_le_bytes(), &[bump]],
        )?;
        let task = Task {
            requester,
            mint: accounts.mint.key(),
            task_id: args.task_id,
            spec_hash: args.spec_hash,
            state: TaskState::Open,
            answers_required: args.answers_required,
            quorum: args.quorum,
            committed: 0,
            revealed: 0,
            settled: 0,
            no_quorum_bps: args.no_quorum_bps,
            fee_bps: params.fee_bps,
            dispute_window_secs: params.dispute_window_secs,
            reward_per_answer: args.reward_per_answer,
            stake_per_answer: args.stake_per_answer,
            deposit,
            rewards_paid: 0,
            stake_slashed: 0,
            commit_deadline: args.commit_deadline,
            reveal_deadline: args.reveal_deadline,
            dispute_deadline: 0,
            outcome: None,
            bump,
            spec_uri: args.spec_uri,
            tally: Vec::new(),
        };
        pda_account::write(&accounts.task, &task)?;
        token::transfer(
            &accounts.token_program,
            &accounts.mint,
            &accounts.requester_token_account,
            &accounts.vault,
            accounts.requester.to_account_info(),
            deposit,
            &[],
        )?;
        emit_event!(TaskCreated {
            task: accounts.task.key(),
            requester,
            task_id: task.task_id,
            mint: task.mint,
            answers_required: task.answers_required,
            quorum: task.quorum,
            reward_per_answer: task.reward_per_answer,
            stake_per_answer: task.stake_per_answer,
            deposit,
            commit_deadline: task.commit_deadline,
            reveal_deadline: task.reveal_deadline,
        });
        Ok(())
    }
}
