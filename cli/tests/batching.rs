//! `Session::send_batched` where the runtime's 64-entry instruction trace, not the transaction
//! size, is the limit: creating associated token accounts is small on the wire but costs five
//! trace entries each (ATA program, system create, three token-program calls).

use crate::common::*;
use anchor_spl::associated_token::spl_associated_token_account::instruction::create_associated_token_account_idempotent;
use pob_cli::session::{fits, Options, Session};
use solana_sdk::pubkey::Pubkey;

#[tokio::test]
async fn batches_over_the_instruction_trace_limit_are_split_and_all_land() {
    let pob = Pob::new();
    pob.run("payer", &["embedded", "airdrop", "10"]).await;
    let minted = pob.run("payer", &["embedded", "mint", "1"]).await;
    let mint = key(&minted["mint"]);
    let (keypair, payer) = pob.wallet("payer");
    let owners: Vec<Pubkey> = (0..20).map(|_| Pubkey::new_unique()).collect();
    let ixs: Vec<_> = owners
        .iter()
        .map(|owner| create_associated_token_account_idempotent(&payer, owner, &mint, &anchor_spl::token::ID))
        .collect();
    let by_size = (1..=ixs.len()).take_while(|n| fits(&payer, &ixs[..*n])).count();
    assert!(by_size * 5 > 64, "{by_size} fit by size: enough to overflow the trace");

    let options = Options {
        url: Some("embedded".into()),
        keypair: Some(keypair),
        ledger: Some(pob.ledger()),
        secrets_file: Some(pob.secrets()),
        ..Options::default()
    };
    let mut session = Session::open(&options).await.unwrap();
    let mut reported = Vec::new();
    let signatures = session.send_batched(ixs, |sent| reported.push(sent)).await.unwrap();
    session.finish().await.unwrap();

    let size_only = owners.len().div_ceil(by_size);
    assert!(
        signatures.len() > size_only,
        "{} transactions: the size-packed batches were split",
        signatures.len()
    );
    assert_eq!(reported.last(), Some(&owners.len()));
    let mut bank = pob.bank().await;
    for owner in &owners {
        let ata = pob_cli::pda::ata(owner, &mint, &anchor_spl::token::ID);
        assert!(bank.account(ata).await.is_some(), "every account was created once");
    }
}
