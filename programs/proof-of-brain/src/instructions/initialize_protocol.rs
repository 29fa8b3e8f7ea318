use anchor_lang::prelude::*;

use crate::constants::{PROTOCOL_ADDRESS, PROTOCOL_BUMP, PROTOCOL_SEED};
use crate::error::PobError;
use crate::events::emit_event;
use crate::events::ProtocolInitialized;
use crate::pda_account;
use crate::state::{Protocol, ProtocolParams};

#[derive(Accounts)]
pub struct InitializeProtocol<'info> {
    /// Pays the Protocol account's rent. Run by the deployer right after deployment
    /// (migrations/), so nobody else can initialise first.
    #[account(mut)]
    pub payer: Signer<'info>,

    /// CHECK: the Protocol PDA (its address and bump are constants); the handler refuses an
    /// existing one and creates it, even if someone sent lamports to the address first.
    #[account(mut, address = PROTOCOL_ADDRESS)]
    pub protocol: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl InitializeProtocol<'_> {
    fn validate(&self, params: &ProtocolParams) -> Result<()> {
        ensure!(!pda_account::exists(&self.protocol), PobError::ProtocolAlreadyInitialized);
        params.validate()
    }

    /// `authority` need not sign: it may be a DAO's PDA (Squads vault, Realms governance).
    pub fn initialize_protocol(ctx: Context<Self>, authority: Pubkey, params: ProtocolParams) -> Result<()> {
        ctx.accounts.validate(&params)?;
        let accounts = &ctx.accounts;
        let bump = PROTOCOL_BUMP;
        let mut protocol = pda_account::create_zero_copy::<Protocol>(
            &accounts.payer,
            &accounts.protocol,
            &accounts.system_program,
            &[PROTOCOL_SEED, &[bump]],
        )?;
        protocol.authority = authority;
        protocol.set_params(&params);
        protocol.bump = bump;
        emit_event!(ProtocolInitialized { authority, params });
        Ok(())
    }
}
