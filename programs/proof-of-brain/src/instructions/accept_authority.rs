use anchor_lang::prelude::*;

use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AuthorityAccepted;
use crate::state::Protocol;

#[derive(Accounts)]
pub struct AcceptAuthority<'info> {
    pub new_authority: Signer<'info>,

    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,
}

impl AcceptAuthority<'_> {
    fn validate(&self, protocol: &Protocol) -> Result<()> {
        let pending = protocol.pending_authority().ok_or(PobError::NoPendingAuthority)?;
        ensure!(pending == self.new_authority.key(), PobError::NotPendingAuthority);
        Ok(())
    }

    /// Step two: the proposed authority signs, proving it can (a typo'd key never can).
    pub fn accept_authority(ctx: Context<Self>) -> Result<()> {
        let mut protocol = ctx.accounts.protocol.load_mut()?;
        ctx.accounts.validate(&protocol)?;
        let previous_authority = protocol.authority;
        protocol.authority = ctx.accounts.new_authority.key();
        protocol.pending_authority = Pubkey::default();
        protocol.has_pending_authority = 0;
        emit_event!(AuthorityAccepted { previous_authority, authority: protocol.authority });
        Ok(())
    }
}
