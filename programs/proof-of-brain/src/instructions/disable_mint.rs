use anchor_lang::prelude::*;

use crate::events::emit_event;
use crate::events::MintDisabled;
use crate::state::{MintConfig, Protocol};

#[derive(Accounts)]
pub struct DisableMint<'info> {
    pub authority: Signer<'info>,

    /// The protocol; its authority is checked by the handler.
    pub protocol: AccountLoader<'info, Protocol>,

    #[account(mut)]
    pub mint_config: AccountLoader<'info, MintConfig>,
}

impl DisableMint<'_> {
    /// Stops new tasks and deposits in this mint. Open tasks still settle; balances can still be
    /// withdrawn.
    pub fn disable_mint(ctx: Context<Self>) -> Result<()> {
        ctx.accounts.protocol.load()?.check_authority(&ctx.accounts.authority)?;
        let mut mint_config = ctx.accounts.mint_config.load_mut()?;
        mint_config.enabled = 0;
        emit_event!(MintDisabled { mint: mint_config.mint });
        Ok(())
    }
}
