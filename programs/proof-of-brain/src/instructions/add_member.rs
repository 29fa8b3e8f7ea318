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
        let bump = ctx.bumps.member;
        pda_account::create(
            &accounts.payer,
            &accounts.member,
            &accounts.system_program,
            Member::DISCRIMINATOR.len() + Member::INIT_SPACE,
            &[MEMBER_SEED, wallet.as_ref(), &[bump]],
        )?;
        let member = Member {
            wallet,
            weight,
            kind: MemberKind::Appointed,
            votes_cast: 0,
            rent_payer: accounts.payer.key(),
            bump,
        };
        pda_account::write(&accounts.member, &member)?;
        let protocol = &mut accounts.protocol;
        protocol.total_member_weight =
            protocol.total_member_weight.checked_add(weight).ok_or(PobError::MathOverflow)?;
        emit_event!(MemberAdded {
            wallet,
            weight,
            kind: MemberKind::Appointed,
            total_member_weight: protocol.total_member_weight
        });
        Ok(())
    }
}
