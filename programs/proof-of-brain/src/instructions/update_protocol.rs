use anchor_lang::prelude::*;

use crate::events::emit_event;
use crate::events::ProtocolUpdated;
use crate::state::{Protocol, ProtocolUpdate};

#[derive(Accounts)]
pub struct UpdateProtocol<'info> {
    pub authority: Signer<'info>,

    /// The protocol (only one account of this type exists: owner and discriminator identify it);
    /// its authority is checked by the handler.
    #[account(mut)]
    pub protocol: AccountLoader<'info, Protocol>,
}

impl UpdateProtocol<'_> {
    /// Changes the given settings; the fee can never exceed the hard cap. Open tasks keep the
    /// terms they were created with and open disputes their snapshots.
    pub fn update_protocol(ctx: Context<Self>, update: ProtocolUpdate) -> Result<()> {
        let mut protocol = ctx.accounts.protocol.load_mut()?;
        protocol.check_authority(&ctx.accounts.authority)?;
        let params = update.applied_to(&protocol.params());
        params.validate()?;
        protocol.set_params(&params);
        if let Some(paused) = update.paused {
            protocol.paused = u8::from(paused);
        }
        emit_event!(ProtocolUpdated { authority: protocol.authority, params, paused: protocol.is_paused() });
        Ok(())
    }
}
