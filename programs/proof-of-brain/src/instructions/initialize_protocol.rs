use anchor_lang::prelude::*;

use crate::constants::PROTOCOL_SEED;
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

    /// CHECK: the Protocol PDA (address checked by seeds); the handler refuses an existing one and
    /// creates it, even if someone sent lamports to the address first.
    #[account(mut, seeds = [PROTOCOL_SEED], bump)]
    pub protocol: UncheckedAccount<'info>,

    pub system_program: Program<'info, System>,
}

impl InitializeProtocol<'_> {
    fn validate(&self, params: &ProtocolParams) -> Result<()> {
        require!(!pda_account::exists(&self.protocol), PobError::ProtocolAlreadyInitialized);
        params.validate()
    }

    /// `authority` need not sign: it may be a DAO's PDA (Squads vault, Realms governance).
    pub fn initialize_protocol(ctx: Context<Self>, authority: Pubkey, params: ProtocolParams) -> Result<()> {
        ctx.accounts.validate(&params)?;
        let accounts = &ctx.accounts;
        let bump = ctx.bumps.protocol;
        pda_account::create(
            &accounts.payer,
            &accounts.protocol,
            &accounts.system_program,
            Protocol::DISCRIMINATOR.len() + Protocol::INIT_SPACE,
            &[PROTOCOL_SEED, &[bump]],
        )?;
        let protocol = Protocol {
            authority,
            pending_authority: None,
            paused: false,
            total_member_weight: 0,
            disputes_opened: 0,
            params,
            bump,
        };
        pda_account::write(&accounts.protocol, &protocol)?;
        emit_event!(ProtocolInitialized { authority, params });
        Ok(())
    }
}
