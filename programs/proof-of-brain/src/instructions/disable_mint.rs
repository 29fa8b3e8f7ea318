use anchor_lang::prelude::*;

use crate::constants::{MINT_CONFIG_SEED, PROTOCOL_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::MintDisabled;
use crate::state::{MintConfig, Protocol};

#[derive(Accounts)]
pub struct DisableMint<'info> {
    pub authority: Signer<'info>,

    #[account(seeds = [PROTOCOL_SEED], bump = protocol.bump,
              has_one = authority @ PobError::NotProtocolAuthority)]
    pub protocol: Account<'info, Protocol>,

    #[account(mut, seeds = [MINT_CONFIG_SEED, mint_config.mint.as_ref()], bump = mint_config.bump)]
    pub mint_config: Account<'info, MintConfig>,
}

impl DisableMint<'_> {
    /// Stops new tasks and new stake in this mint. Open tasks still settle; stake can still leave.
    pub fn disable_mint(ctx: Context<Self>) -> Result<()> {
        let mint_config = &mut ctx.accounts.mint_config;
        mint_config.enabled = false;
        emit_event!(MintDisabled { mint: mint_config.mint });
        Ok(())
    }
}
