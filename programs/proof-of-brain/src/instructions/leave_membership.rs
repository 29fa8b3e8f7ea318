use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MemberRemoved;
use crate::state::{Balance, Member, Protocol, MEMBER_CHAMBER};

#[derive(Accounts)]
pub struct LeaveMembership<'info> {
    pub wallet: Signer<'info>,

    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,

    /// The wallet's membership; closed here, its rent going back to whoever paid it.
    #[account(mut, close = rent_payer)]
    pub member: AccountLoader<'info, Member>,

    /// CHECK: whoever paid the member account's rent (pinned by the member, checked by
    /// `end_membership`); gets it back.
    #[account(mut)]
    pub rent_payer: UncheckedAccount<'info>,

    /// A chamber member's balance in their chamber mint: its stake starts its cool-down.
    #[account(mut)]
    pub chamber_balance: Option<AccountLoader<'info, Balance>>,
}

impl LeaveMembership<'_> {
    /// A member leaves the DAO. Votes already cast stay counted; a chamber member's stake stays
    /// locked for one more vote window, so it cannot back a second membership during a vote.
    pub fn leave_membership(ctx: Context<Self>) -> Result<()> {
        let accounts = &ctx.accounts;
        ensure!(accounts.member.load()?.wallet == accounts.wallet.key(), PobError::NotAMember);
        end_membership(
            &accounts.protocol,
            &accounts.member,
            &accounts.rent_payer,
            accounts.chamber_balance.as_ref(),
            false,
        )
    }
}

/// Takes a member's weight out of the total and, for a chamber member, starts the cool-down of
/// their stake. Shared by `leave_membership` and `remove_member` (the account itself is closed
/// by their `close` constraint).
pub(crate) fn end_membership(
    protocol: &AccountLoader<Protocol>,
    member: &AccountLoader<Member>,
    rent_payer: &AccountInfo,
    chamber_balance: Option<&AccountLoader<Balance>>,
    by_authority: bool,
) -> Result<()> {
    let member = *member.load()?;
    ensure!(member.rent_payer == rent_payer.key(), PobError::WrongRecipient);
    let mut protocol = protocol.load_mut()?;
    protocol.total_member_weight -= member.weight; // part of the total
    if member.kind == MEMBER_CHAMBER {
        let balance = chamber_balance.ok_or(PobError::ChamberBalanceMissing)?;
        let mut balance = balance.load_mut()?;
        ensure!(
            balance.wallet == member.wallet && balance.mint == member.chamber_mint,
            PobError::WrongBalance
        );
        balance.chamber_member = 0;
        balance.chamber_unlocks_at = Clock::get()?.unix_timestamp + i64::from(protocol.vote_window_secs);
    }
    emit_event!(MemberRemoved {
        wallet: member.wallet,
        by_authority,
        total_member_weight: protocol.total_member_weight
    });
    Ok(())
}
