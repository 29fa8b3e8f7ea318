use anchor_lang::prelude::*;

use crate::constants::{BPS_DENOMINATOR, MAX_ANSWERS, MAX_SPEC_URI_LEN, REQUESTER_RECORD_SEED, TASK_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::TaskCreated;
use crate::logic::settlement::task_deposit;
use crate::pda_account;
use crate::state::{
    Balance, MintConfig, Protocol, Qualification, Requester, Task, TaskViewMut, GOLD_NONE, GOLD_SEALED,
    TASK_OPEN,
};

#[derive(AnchorSerialize, AnchorDeserialize, Clone, Debug, PartialEq, Eq)]
pub struct CreateTaskArgs {
    /// Chosen by the requester; unique per requester (part of the Task address).
    pub task_id: u64,
    /// sha256 of the task specification (the question, the item, the answer kind).
    pub spec_hash: [u8; 32],
    /// Where the specification can be fetched (<= 200 bytes).
    pub spec_uri: String,
    pub answers_required: u8,
    pub quorum: u8,
    pub reward_per_answer: u64,
    pub stake_per_answer: u64,
    /// Share of the reward each revealer gets if no answer reaches quorum (>= the protocol's
    /// minimum).
    pub no_quorum_bps: u16,
    /// The commit phase lasts this long from creation; the reveal phase this long after it.
    /// Each within the protocol's bounds.
    pub commit_window_secs: u32,
    pub reveal_window_secs: u32,
    /// Who may answer (all zeros: any registered worker).
    pub qualification: Qualification,
    /// `sha256("pob-gold-v1" || task || answer_hash || salt)` of a known answer, revealed after
    /// finalize to grade the workers; `None`: no gold answer.
    pub gold_seal: Option<[u8; 32]>,
}

#[derive(Accounts)]
#[instruction(args: CreateTaskArgs)]
pub struct CreateTask<'info> {
    /// Funds the task from their free balance and pays the accounts' rent.
    #[account(mut)]
    pub requester: Signer<'info>,

    pub protocol: AccountLoader<'info, Protocol>,

    pub mint_config: AccountLoader<'info, MintConfig>,

    /// The requester's balance in the task's mint (checked by `validate`): funds the escrow.
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    /// CHECK: the requester's record at `create_with_seed(requester, "pob-requester-v1",
    /// program)`: initialized here with the first task (the requester creates the account with
    /// the system program earlier in that transaction), afterwards recognised by owner,
    /// discriminator and wallet.
    #[account(mut)]
    pub requester_record: UncheckedAccount<'info>,

    /// CHECK: the Task PDA for (requester, task_id) (address checked by seeds); the handler
    /// refuses an existing one and creates it, even if someone sent lamports to the address.
    #[account(mut, seeds = [TASK_SEED, requester.key().as_ref(), &args.task_id.to_le_bytes()], bump)]
    pub task: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl CreateTask<'_> {
    fn validate(
        &self,
        args: &CreateTaskArgs,
        protocol: &Protocol,
        config: &MintConfig,
        balance: &Balance,
    ) -> Result<()> {
        ensure!(!pda_account::exists(&self.task), PobError::TaskIdInUse);
        ensure!(!protocol.is_paused(), PobError::ProtocolPaused);
        ensure!(
            balance.wallet == self.requester.key() && balance.mint == config.mint,
            PobError::WrongBalance
        );
        ensure!(config.is_enabled(), PobError::MintDisabled);
        let n = args.answers_required;
        ensure!((1..=MAX_ANSWERS).contains(&n), PobError::InvalidAnswerCount);
        // 2k > n: two different answers can never both reach quorum.
        ensure!(args.quorum <= n && 2 * u16::from(args.quorum) > u16::from(n), PobError::InvalidQuorum);
        ensure!(args.reward_per_answer >= config.min_reward_per_answer, PobError::RewardBelowFloor);
        ensure!(args.stake_per_answer >= config.min_stake_per_answer, PobError::StakeBelowMinimum);
        ensure!(args.no_quorum_bps <= BPS_DENOMINATOR, PobError::InvalidNoQuorumBps);
        ensure!(args.no_quorum_bps >= protocol.min_no_quorum_bps, PobError::NoQuorumShareTooLow);
        let bounds = protocol.min_task_window_secs..=protocol.max_task_window_secs;
        ensure!(bounds.contains(&args.commit_window_secs), PobError::CommitWindowOutOfBounds);
        ensure!(bounds.contains(&args.reveal_window_secs), PobError::RevealWindowOutOfBounds);
        ensure!(args.spec_uri.len() <= MAX_SPEC_URI_LEN, PobError::SpecUriTooLong);
        let q = &args.qualification;
        ensure!(
            q.min_agreement_bps <= BPS_DENOMINATOR && q.min_gold_accuracy_bps <= BPS_DENOMINATOR,
            PobError::InvalidQualification
        );
        Ok(())
    }

    /// Posts a task, locking `ceil(n * reward * (10_000 + fee_bps) / 10_000)` of the requester's
    /// free balance as its escrow.
    pub fn create_task(ctx: Context<Self>, args: CreateTaskArgs) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let protocol = accounts.protocol.load()?;
        let config = accounts.mint_config.load()?;
        let mut balance = accounts.balance.load_mut()?;
        accounts.validate(&args, &protocol, &config, &balance)?;
        let deposit = task_deposit(args.answers_required, args.reward_per_answer, protocol.fee_bps)
            .ok_or(PobError::MathOverflow)?;
        balance.free = balance.free.checked_sub(deposit).ok_or(PobError::InsufficientFreeBalance)?;

        let requester = accounts.requester.key();
        let mut record = open_or_init_requester(&accounts.requester_record, &requester)?;
        record.tasks_posted += 1;
        record.gold_sealed += u32::from(args.gold_seal.is_some());

        let bump = ctx.bumps.task;
        let space = Task::space(args.answers_required, args.spec_uri.len());
        pda_account::create(
            &accounts.requester,
            &accounts.task,
            &accounts.system_program,
            space,
            &[TASK_SEED, requester.as_ref(), &args.task_id.to_le_bytes(), &[bump]],
        )?;
        let commit_deadline = now + i64::from(args.commit_window_secs);
        let reveal_deadline = commit_deadline + i64::from(args.reveal_window_secs);
        {
            let mut data = accounts.task.try_borrow_mut_data()?;
            data[..8].copy_from_slice(Task::DISCRIMINATOR);
            let task = TaskViewMut::parse(&mut data)?.header;
            *task = Task {
                requester,
                mint: config.mint,
                spec_hash: args.spec_hash,
                gold_seal: args.gold_seal.unwrap_or_default(),
                task_id: args.task_id,
                reward_per_answer: args.reward_per_answer,
                stake_per_answer: args.stake_per_answer,
                deposit,
                created_at: now,
                commit_deadline,
                reveal_deadline,
                qualification: args.qualification,
                dispute_window_secs: protocol.dispute_window_secs,
                no_quorum_bps: args.no_quorum_bps,
                fee_bps: protocol.fee_bps,
                state: TASK_OPEN,
                answers_required: args.answers_required,
                quorum: args.quorum,
                gold_state: if args.gold_seal.is_some() { GOLD_SEALED } else { GOLD_NONE },
                spec_uri_len: args.spec_uri.len() as u8, // <= 200: checked by validate
                bump,
                ..bytemuck::Zeroable::zeroed()
            };
            let uri_at = space - args.spec_uri.len();
            data[uri_at..].copy_from_slice(args.spec_uri.as_bytes());
        }
        emit_event!(TaskCreated {
            task: accounts.task.key(),
            requester,
            task_id: args.task_id,
            mint: config.mint,
            answers_required: args.answers_required,
            quorum: args.quorum,
            reward_per_answer: args.reward_per_answer,
            stake_per_answer: args.stake_per_answer,
            deposit,
            commit_deadline,
            reveal_deadline,
            spec_hash: args.spec_hash,
            spec_uri: args.spec_uri,
            gold_sealed: args.gold_seal.is_some(),
        });
        Ok(())
    }
}

/// The requester's record at `account`: opened if it is initialized (wallet checked), else
/// initialized (its address checked).
fn open_or_init_requester<'a>(
    account: &'a AccountInfo,
    wallet: &Pubkey,
) -> Result<core::cell::RefMut<'a, Requester>> {
    if pda_account::is_initialized::<Requester>(account) {
        let record = pda_account::open_mut::<Requester>(account)?;
        ensure!(record.wallet == *wallet, PobError::WrongRequesterRecord);
        return Ok(record);
    }
    let mut record = pda_account::init_with_seed::<Requester>(account, wallet, REQUESTER_RECORD_SEED)?
        .ok_or(PobError::WrongRequesterRecord)?;
    record.wallet = *wallet;
    Ok(record)
}
