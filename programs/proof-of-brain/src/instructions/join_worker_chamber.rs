use anchor_lang::prelude::*;

use crate::constants::MEMBER_SEED;
use crate::error::PobError;
use crate::instructions::add_member::{enroll_member, NewMember};
use crate::logic::chamber;
use crate::pda_account;
use crate::state::{Balance, MintConfig, Protocol, MEMBER_CHAMBER};

#[derive(Accounts)]
pub struct JoinWorkerChamber<'info> {
    #[account(mut)]
    pub worker: Signer<'info>,

    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,

    /// The chamber's terms in this mint.
    pub mint_config: AccountLoader<'info, MintConfig>,

    /// The worker's balance in that mint: `amount` of free balance becomes chamber stake.
    #[account(mut)]
    pub balance: AccountLoader<'info, Balance>,

    /// CHECK: the worker's Member PDA (address checked by seeds); the handler refuses an existing
    /// one and creates it, even if someone sent lamports to the address first.
    #[account(mut, seeds = [MEMBER_SEED, worker.key().as_ref()], bump)]
    pub member: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl JoinWorkerChamber<'_> {
    fn validate(&self, config: &MintConfig, balance: &Balance, amount: u64) -> Result<()> {
        ensure!(!pda_account::exists(&self.member), PobError::AlreadyMember);
        ensure!(balance.wallet == self.worker.key() && balance.mint == config.mint, PobError::WrongBalance);
        ensure!(balance.rewards_earned >= config.chamber_min_rewards, PobError::NotEnoughRewardsForChamber);
        ensure!(amount <= balance.free, PobError::InsufficientFreeBalance);
        Ok(())
    }

    /// A worker who has earned enough in this mint joins the DAO by locking `amount` more of their
    /// free balance as chamber stake. Their weight is the whole chamber stake divided by the mint's
    /// price per weight (rounded down), so one stake split over many wallets weighs no more. The
    /// stake stays locked while a member and one vote window after.
    pub fn join_worker_chamber(ctx: Context<Self>, amount: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let config = accounts.mint_config.load()?;
        let mut balance = accounts.balance.load_mut()?;
        accounts.validate(&config, &balance, amount)?;
        let locked = balance.chamber_locked.checked_add(amount).ok_or(PobError::MathOverflow)?;
        let weight = chamber::weight(locked, config.chamber_stake_per_weight);
        ensure!(weight > 0, PobError::ChamberStakeTooSmall);
        balance.free -= amount; // <= free: checked by validate
        balance.chamber_locked = locked;
        balance.chamber_member = 1;
        let mut protocol = accounts.protocol.load_mut()?;
        enroll_member(
            &accounts.worker,
            &accounts.member,
            &accounts.system_program,
            &mut protocol,
            NewMember {
                wallet: accounts.worker.key(),
                weight,
                kind: MEMBER_CHAMBER,
                chamber_mint: config.mint,
                bump: ctx.bumps.member,
            },
        )
    }
}
