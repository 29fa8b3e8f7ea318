use anchor_lang::prelude::*;

use crate::constants::{MEMBER_SEED, PROTOCOL_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MemberWeightChanged;
use crate::state::{Member, Protocol};

#[derive(Accounts)]
pub struct SetMemberWeight<'info> {
    pub authority: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump,
              has_one = authority @ PobError::NotProtocolAuthority)]
    pub protocol: Account<'info, Protocol>,

    #[account(mut, seeds = [MEMBER_SEED, member.wallet.as_ref()], bump = member.bump)]
    pub member: Account<'info, Member>,
}

impl SetMemberWeight<'_> {
    /// Re-weights a member. Votes already cast keep the weight they were cast with.
    pub fn set_member_weight(ctx: Context<Self>, weight: u64) -> Result<()> {
        require!(weight > 0, PobError::InvalidMemberWeight);
        let (protocol, member) = (&mut ctx.accounts.protocol, &mut ctx.accounts.member);
        // total >= member.weight: every member's weight is part of the total
        protocol.total_member_weight = (protocol.total_member_weight - member.weight)
            .checked_add(weight)
            .ok_or(PobError::MathOverflow)?;
        member.weight = weight;
        emit_event!(MemberWeightChanged {
            wallet: member.wallet,
            weight,
            total_member_weight: protocol.total_member_weight
        });
        Ok(())
    }
}
