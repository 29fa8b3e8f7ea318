use anchor_lang::prelude::*;

use crate::instructions::leave_membership::end_membership;
use crate::state::{Balance, Member, Protocol};

#[derive(Accounts)]
pub struct RemoveMember<'info> {
    pub authority: Signer<'info>,

    /// The protocol; its authority is checked by the handler.
    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,

    /// Closed here; its rent goes back to whoever paid it.
    #[account(mut, close = rent_payer)]
    pub member: AccountLoader<'info, Member>,

    /// CHECK: whoever paid the member account's rent (pinned by the member, checked by the
    /// handler); gets it back.
    #[account(mut)]
    pub rent_payer: UncheckedAccount<'info>,

    /// A chamber member's balance in their chamber mint: its stake starts its cool-down.
    #[account(mut)]
    pub chamber_balance: Option<AccountLoader<'info, Balance>>,
}

impl RemoveMember<'_> {
    /// The authority removes a member. Votes already cast stay counted; a chamber member's stake
    /// stays locked for one more vote window.
    pub fn remove_member(ctx: Context<Self>) -> Result<()> {
        let accounts = &ctx.accounts;
        accounts.protocol.load()?.check_authority(&accounts.authority)?;
        end_membership(
            &accounts.protocol,
            &accounts.member,
            &accounts.rent_payer,
            accounts.chamber_balance.as_ref(),
            true,
        )
    }
}
