use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MemberWeightChanged;
use crate::state::{Member, Protocol, MEMBER_APPOINTED};

#[derive(Accounts)]
pub struct SetMemberWeight<'info> {
    pub authority: Signer<'info>,

    /// The protocol; its authority is checked by the handler.
    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,

    #[account(mut)]
    pub member: AccountLoader<'info, Member>,
}

impl SetMemberWeight<'_> {
    fn validate(&self, member: &Member, weight: u64) -> Result<()> {
        ensure!(weight > 0, PobError::InvalidMemberWeight);
        ensure!(member.kind == MEMBER_APPOINTED, PobError::ChamberWeightFollowsStake);
        Ok(())
    }

    /// Re-weights an appointed member. Votes already cast keep their weight, and the member
    /// votes only on disputes opened after the change (so weight cannot be added to a running
    /// vote).
    pub fn set_member_weight(ctx: Context<Self>, weight: u64) -> Result<()> {
        let accounts = &ctx.accounts;
        let mut member = accounts.member.load_mut()?;
        accounts.validate(&member, weight)?;
        let mut protocol = accounts.protocol.load_mut()?;
        protocol.check_authority(&accounts.authority)?;
        // total >= member.weight: every member's weight is part of the total
        protocol.total_member_weight = (protocol.total_member_weight - member.weight)
            .checked_add(weight)
            .ok_or(PobError::MathOverflow)?;
        member.weight = weight;
        member.active_since = Clock::get()?.unix_timestamp;
        emit_event!(MemberWeightChanged {
            wallet: member.wallet,
            weight,
            total_member_weight: protocol.total_member_weight
        });
        Ok(())
    }
}
