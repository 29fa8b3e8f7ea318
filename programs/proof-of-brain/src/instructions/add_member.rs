use anchor_lang::prelude::*;

use crate::constants::MEMBER_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MemberAdded;
use crate::pda_account;
use crate::state::{Member, Protocol, MEMBER_APPOINTED};

#[derive(Accounts)]
pub struct AddMember<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,

    pub authority: Signer<'info>,

    /// The protocol; its authority is checked by the handler.
    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,

    /// CHECK: the Member PDA `["member", wallet]`; the handler refuses an existing one and
    /// creates it, even if someone sent lamports to the address first. The runtime checks the
    /// address when the PDA signs its creation with the bump given (the authority's client
    /// derives it; only the authority can call this, so no bump search is spent).
    #[account(mut)]
    pub member: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl AddMember<'_> {
    fn validate(&self, weight: u64) -> Result<()> {
        ensure!(weight > 0, PobError::InvalidMemberWeight);
        ensure!(!pda_account::exists(&self.member), PobError::AlreadyMember);
        Ok(())
    }

    /// The authority appoints `wallet` as a DAO member with `weight`.
    pub fn add_member(ctx: Context<Self>, wallet: Pubkey, weight: u64, bump: u8) -> Result<()> {
        ctx.accounts.validate(weight)?;
        let accounts = &ctx.accounts;
        let mut protocol = accounts.protocol.load_mut()?;
        protocol.check_authority(&accounts.authority)?;
        enroll_member(
            &accounts.payer,
            &accounts.member,
            &accounts.system_program,
            &mut protocol,
            NewMember { wallet, weight, kind: MEMBER_APPOINTED, chamber_mint: Pubkey::default(), bump },
        )
    }
}

pub(crate) struct NewMember {
    pub wallet: Pubkey,
    pub weight: u64,
    pub kind: u8,
    pub chamber_mint: Pubkey,
    pub bump: u8,
}

/// Creates a Member account (even at a pre-funded address), its rent paid by `payer` and owed
/// back to it, adds its weight to the protocol's total and emits `MemberAdded`. Shared by
/// `add_member` and `join_worker_chamber`.
pub(crate) fn enroll_member<'info>(
    payer: &AccountInfo<'info>,
    member_account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    protocol: &mut Protocol,
    new: NewMember,
) -> Result<()> {
    let mut member = pda_account::create_zero_copy::<Member>(
        payer,
        member_account,
        system_program,
        &[MEMBER_SEED, new.wallet.as_ref(), &[new.bump]],
    )?;
    *member = Member {
        wallet: new.wallet,
        rent_payer: payer.key(),
        chamber_mint: new.chamber_mint,
        weight: new.weight,
        active_since: Clock::get()?.unix_timestamp,
        kind: new.kind,
        bump: new.bump,
        ..bytemuck::Zeroable::zeroed()
    };
    protocol.total_member_weight =
        protocol.total_member_weight.checked_add(new.weight).ok_or(PobError::MathOverflow)?;
    emit_event!(MemberAdded {
        wallet: new.wallet,
        weight: new.weight,
        kind: new.kind,
        total_member_weight: protocol.total_member_weight
    });
    Ok(())
}
