use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
use crate::events::ProtocolInitialized;
use crate::state::{Protocol, ProtocolParams};

#[derive(Accounts)]
pub struct InitializeProtocol<'info> {
    /// Pays the Protocol account's rent. Run by the deployer right after deployment
    /// (migrations/), so nobody else can initialise first.
    #[account(mut)]
    pub payer: Signer<'info>,

    #[account(init, payer = payer, space = Protocol::DISCRIMINATOR.len() + Protocol::INIT_SPACE,
              seeds = [PROTOCOL_SEED], bump)]
    pub protocol: Account<'info, Protocol>,

    pub system_program: Program<'info, System>,
}

impl InitializeProtocol<'_> {
    /// `authority` need not sign: it may be a DAO's PDA (Squads vault, Realms governance).
    pub fn initialize_protocol(ctx: Context<Self>, authority: Pubkey, params: ProtocolParams) -> Result<()> {
        params.validate()?;
        ctx.accounts.protocol.set_inner(Protocol {
            authority,
            pending_authority: None,
            paused: false,
            total_member_weight: 0,
            params,
            bump: ctx.bumps.protocol,
        });
        emit!(ProtocolInitialized { authority, params });
        Ok(())
    }
}
