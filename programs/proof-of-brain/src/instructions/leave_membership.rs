use anchor_lang::prelude::*;

use crate::constants::{MEMBER_SEED, PROTOCOL_SEED};
use crate::events::emit_event;
use crate::events::MemberRemoved;
use crate::state::{Member, Protocol};

#[derive(Accounts)]
pub struct LeaveMembership<'info> {
    pub wallet: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Account<'info, Protocol>,

    #[account(mut, close = rent_payer, has_one = rent_payer,
              seeds = [MEMBER_SEED, wallet.key().as_ref()], bump = member.bump)]
    pub member: Account<'info, Member>,

    /// Gets the member account's rent back.
    #[account(mut)]
    pub rent_payer: SystemAccount<'info>,
}

impl LeaveMembership<'_> {
    /// A member leaves the DAO. Votes already cast stay counted.
    pub fn leave_membership(ctx: Context<Self>) -> Result<()> {
        let (protocol, member) = (&mut ctx.accounts.protocol, &ctx.accounts.member);
        protocol.total_member_weight -= member.weight; // part of the total
        emit_event!(MemberRemoved {
            wallet: member.wallet,
            by_authority: false,
            total_member_weight: protocol.total_member_weight
        });
        Ok(())
    }
}
