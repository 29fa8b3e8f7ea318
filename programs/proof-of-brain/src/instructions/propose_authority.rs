use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::AuthorityProposed;
use crate::state::Protocol;

#[derive(Accounts)]
pub struct ProposeAuthority<'info> {
    pub authority: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump,
              has_one = authority @ PobError::NotProtocolAuthority)]
    pub protocol: Account<'info, Protocol>,
}

impl ProposeAuthority<'_> {
    /// Step one of two: names the next authority, which must accept. `None` withdraws a proposal.
    pub fn propose_authority(ctx: Context<Self>, new_authority: Option<Pubkey>) -> Result<()> {
        let protocol = &mut ctx.accounts.protocol;
        protocol.pending_authority = new_authority;
        emit_event!(AuthorityProposed {
            authority: protocol.authority,
            pending_authority: new_authority.unwrap_or_default(),
        });
        Ok(())
    }
}
