use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::ProtocolUpdated;
use crate::state::{Protocol, ProtocolUpdate};

#[derive(Accounts)]
pub struct UpdateProtocol<'info> {
    pub authority: Signer<'info>,

    #[account(mut, seeds = [PROTOCOL_SEED], bump = protocol.bump,
              has_one = authority @ PobError::NotProtocolAuthority)]
    pub protocol: Account<'info, Protocol>,
}

impl UpdateProtocol<'_> {
    /// Changes the given settings; the fee can never exceed the hard cap. Open tasks keep the fee
    /// and dispute window they were created with.
    pub fn update_protocol(ctx: Context<Self>, update: ProtocolUpdate) -> Result<()> {
        let protocol = &mut ctx.accounts.protocol;
        let params = update.applied_to(&protocol.params);
        params.validate()?;
        protocol.params = params;
        if let Some(paused) = update.paused {
            protocol.paused = paused;
        }
        emit_event!(ProtocolUpdated { authority: protocol.authority, params, paused: protocol.paused });
        Ok(())
    }
}
