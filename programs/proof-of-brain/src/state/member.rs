use anchor_lang::prelude::*;

/// A DAO member, at `["member", wallet]`: votes on disputes with `weight`.
#[account]
#[derive(InitSpace)]
pub struct Member {
    pub wallet: Pubkey,
    pub weight: u64,
    pub kind: MemberKind,
    pub votes_cast: u32,
    /// Paid this account's rent; gets it back when the member leaves or is removed.
    pub rent_payer: Pubkey,
    pub bump: u8,
}

#[derive(AnchorSerialize, AnchorDeserialize, InitSpace, Clone, Copy, Debug, PartialEq, Eq)]
pub enum MemberKind {
    /// Added by the protocol authority.
    Appointed,
    /// An experienced, staked worker who joined by themselves.
    WorkerChamber,
}
