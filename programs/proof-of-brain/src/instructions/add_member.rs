use anchor_lang::prelude::*;

use crate::constants::{MEMBER_SEED, PROTOCOL_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MemberAdded;
use crate::pda_account;
use crate::state::{Member, MemberKind, Protocol};

#[derive(Accounts)]
#[instruction(wallet: Pubkey)]
pub struct AddMember<'info> {
    #[account(mut)]
    pub payer: Signer<'info>,

    pub authority: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump,
              has_one = authority @ PobError::NotProtocolAuthority)]
    pub protocol: Account<'info, Protocol>,

    /// CHECK: the Member PDA of `wallet` (address checked by seeds); the handler refuses an
    /// existing one and creates it, even if someone sent lamports to the address first.
    #[account(mut, seeds = [MEMBER_SEED, wallet.as_ref()], bump)]
    pub member: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl AddMember<'_> {
    fn validate(&self, weight: u64) -> Result<()> {
        require!(weight > 0, PobError::InvalidMemberWeight);
        require!(!pda_account::exists(&self.member), PobError::AlreadyMember);
        Ok(())
    }

    /// The authority appoints `wallet` as a DAO member with `weight`.
    pub fn add_member(ctx: Context<Self>, wallet: Pubkey, weight: u64) -> Result<()> {
        ctx.accounts.validate(weight)?;
        let accounts = &mut *ctx.accounts;
        let payer = accounts.payer.key();
        enroll_member(
            &accounts.payer,
            &accounts.member,
            &accounts.system_program,
            &mut accounts.protocol,
            Member {
                wallet,
                weight,
                kind: MemberKind::Appointed,
                votes_cast: 0,
                rent_payer: payer,
                bump: ctx.bumps.member,
            },
        )
    }
}

/// Creates a Member account (even at a pre-funded address), adds its weight to the protocol's
/// total and emits `MemberAdded`. Shared by `add_member` and `join_worker_chamber`.
pub(crate) fn enroll_member<'info>(
    payer: &AccountInfo<'info>,
    member_account: &AccountInfo<'info>,
    system_program: &AccountInfo<'info>,
    protocol: &mut Protocol,
    member: Member,
) -> Result<()> {
    pda_account::create(
        payer,
        member_account,
        system_program,
        Member::DISCRIMINATOR.len() + Member::INIT_SPACE,
        &[MEMBER_SEED, member.wallet.as_ref(), &[member.bump]],
    )?;
    pda_account::write(member_account, &member)?;
    protocol.total_member_weight =
        protocol.total_member_weight.checked_add(member.weight).ok_or(PobError::MathOverflow)?;
    emit_event!(MemberAdded {
        wallet: member.wallet,
        weight: member.weight,
        kind: member.kind,
        total_member_weight: protocol.total_member_weight
    });
    Ok(())
}
