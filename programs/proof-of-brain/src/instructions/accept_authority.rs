use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AuthorityAccepted;
use crate::state::Protocol;

#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump)]
    pub protocol: Account<'info, Protocol>,
}

impl AcceptAuthority<'_> {
    fn validate(&self) -> Result<()> {
        let pending = self.protocol.pending_authority.ok_or(PobError::NoPendingAuthority)?;
        require_keys_eq!(pending, self.new_authority.key(), PobError::NotPendingAuthority);
        Ok(())
    }

    /// Step two: the proposed authority signs, proving it can (a typo'd key never can).
    pub fn accept_authority(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.validate()?;
        let protocol = &mut ctx.accounts.protocol;
        let previous_authority = protocol.authority;
        protocol.authority = ctx.accounts.new_authority.key();
        protocol.pending_authority = None;
        emit_event!(AuthorityAccepted { previous_authority, authority: protocol.authority });
        Ok(())
    }
}
