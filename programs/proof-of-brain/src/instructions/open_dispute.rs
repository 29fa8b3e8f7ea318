use anchor_lang::prelude::*;

use crate::constants::{DISPUTE_SEED, SUBMISSION_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::DisputeOpened;
use crate::pda_account;
use crate::state::{
    Balance, Dispute, MintConfig, Protocol, Requester, Submission, Task, SUBMISSION_REVEALED, TASK_DISPUTED,
    TASK_FINALIZED,
};

#[derive(Accounts)]
pub struct OpenDispute<'info> {
    /// The requester, or a worker who revealed an answer on this task. Pays the dispute's rent
    /// (back at resolution) and the bond, from their free balance.
    #[account(mut)]
    pub opener: Signer<'info>,

    /// Numbers the dispute and gives the snapshots (written only here among the task
    /// instructions; disputes are rare).
    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,

    #[account(mut)]
    pub task: AccountLoader<'info, Task>,

    /// CHECK: where the opener's submission on this task is (address checked by seeds). Unless
    /// the opener is the requester, it must exist and hold a revealed answer; it is read with
    /// owner and discriminator checks.
    #[account(seeds = [SUBMISSION_SEED, task.key().as_ref(), opener.key().as_ref()], bump)]
    pub opener_submission: UncheckedAccount<'info>,

    /// The opener's balance in the task's mint: the bond comes from it.
    #[account(mut)]
    pub opener_balance: AccountLoader<'info, Balance>,

    /// Sets the bond.
    pub mint_config: AccountLoader<'info, MintConfig>,

    /// The requester's record when the requester opens (it counts the dispute); none for a worker
    /// (their revealed submission is what qualifies them). Checked by `validate`.
    #[account(mut)]
    pub opener_requester_record: Option<AccountLoader<'info, Requester>>,

    /// CHECK: the task's Dispute PDA (address checked by seeds); created by the handler, even if
    /// someone sent lamports to the address first.
    #[account(mut, seeds = [DISPUTE_SEED, task.key().as_ref()], bump)]
    pub dispute: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl OpenDispute<'_> {
    fn validate(&self, now: i64, task: &Task, balance: &Balance, config: &MintConfig) -> Result<()> {
        ensure!(task.state != TASK_DISPUTED, PobError::DisputeAlreadyOpen);
        ensure!(task.state == TASK_FINALIZED, PobError::TaskNotFinalized);
        ensure!(now < task.dispute_deadline, PobError::DisputeWindowClosed);
        let opener = self.opener.key();
        if opener == task.requester {
            let record = self.opener_requester_record.as_ref().ok_or(PobError::OpenerRecordMissing)?;
            ensure!(record.load()?.wallet == opener, PobError::WrongRequesterRecord);
        } else {
            ensure!(pda_account::exists(&self.opener_submission), PobError::NotEligibleToDispute);
            let submission = pda_account::read::<Submission>(&self.opener_submission)?;
            ensure!(submission.state == SUBMISSION_REVEALED, PobError::AnswerNotRevealed);
        }
        ensure!(config.mint == task.mint, PobError::WrongMint);
        ensure!(balance.wallet == opener && balance.mint == task.mint, PobError::WrongBalance);
        ensure!(balance.free >= config.dispute_bond, PobError::InsufficientFreeBalance);
        Ok(())
    }

    /// Opens the task's one dispute, posting the mint's bond from the opener's free balance. The
    /// candidates are every revealed answer plus Void; members vote until `now + vote window`.
    /// The member weight and the minimum vote weight are snapshotted.
    pub fn open_dispute(ctx: Context<Self>, reason_hash: [u8; 32]) -> Result<()> {
        let now = Clock::get()?.unix_timestamp;
        let accounts = &ctx.accounts;
        let mut task = accounts.task.load_mut()?;
        let mut balance = accounts.opener_balance.load_mut()?;
        let config = accounts.mint_config.load()?;
        accounts.validate(now, &task, &balance, &config)?;
        let bond = config.dispute_bond;
        balance.free -= bond; // <= free: checked by validate
        let opener_is_requester = accounts.opener.key() == task.requester;
        if let Some(record) = accounts.opener_requester_record.as_ref().filter(|_| opener_is_requester) {
            record.load_mut()?.disputes_opened += 1;
        }
        let mut protocol = accounts.protocol.load_mut()?;
        protocol.disputes_opened += 1;

        let (task_key, opener, bump) = (accounts.task.key(), accounts.opener.key(), ctx.bumps.dispute);
        let mut dispute = pda_account::create_zero_copy::<Dispute>(
            &accounts.opener,
            &accounts.dispute,
            &accounts.system_program,
            &[DISPUTE_SEED, task_key.as_ref(), &[bump]],
        )?;
        *dispute = Dispute {
            task: task_key,
            opener,
            reason_hash,
            number: protocol.disputes_opened,
            bond,
            opened_at: now,
            vote_deadline: now + i64::from(protocol.vote_window_secs),
            total_weight_snapshot: protocol.total_member_weight,
            min_vote_weight_snapshot: protocol.min_vote_weight,
            candidates: task.tally_len + 1,
            opener_is_requester: u8::from(opener_is_requester),
            bump,
            ..bytemuck::Zeroable::zeroed()
        };
        task.state = TASK_DISPUTED;
        emit_event!(DisputeOpened {
            task: task_key,
            number: dispute.number,
            opener,
            bond,
            reason_hash,
            vote_deadline: dispute.vote_deadline,
            total_weight_snapshot: dispute.total_weight_snapshot,
            min_vote_weight_snapshot: dispute.min_vote_weight_snapshot,
        });
        Ok(())
    }
}
