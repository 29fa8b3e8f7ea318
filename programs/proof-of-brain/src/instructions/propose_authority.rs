use anchor_lang::prelude::*;

use crate::events::emit_event;
use crate::events::AuthorityProposed;
use crate::state::Protocol;

#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub authority: Signer<'info>,

    /// The protocol; its authority is checked by the handler.
    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,
}

impl ProposeAuthority<'_> {
    /// Step one of two: names the next authority, which must accept. `None` withdraws a proposal.
    pub fn propose_authority(ctx: Context<Self>, new_authority: Option<Pubkey>) -> Result<()> {
        let mut protocol = ctx.accounts.protocol.load_mut()?;
        protocol.check_authority(&ctx.accounts.authority)?;
        protocol.pending_authority = new_authority.unwrap_or_default();
        protocol.has_pending_authority = u8::from(new_authority.is_some());
        emit_event!(AuthorityProposed {
            authority: protocol.authority,
            pending_authority: new_authority.unwrap_or_default(),
        });
        Ok(())
    }
}
