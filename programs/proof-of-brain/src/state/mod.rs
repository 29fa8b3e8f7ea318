//! The program's accounts, one per file. All are zero-copy (`#[account(zero_copy)]`, `repr(C)`
//! without implicit padding): instructions read and write them in place, with no (de)serialisation,
//! and their bytes are also their borsh encoding, so generated clients decode them as usual.
pub mod balance;
pub mod dispute;
pub mod fee_balance;
pub mod member;
pub mod mint_config;
pub mod protocol;
pub mod requester;
pub mod submission;
pub mod task;
pub mod vote;
pub mod worker;

pub use balance::*;
pub use dispute::*;
pub use fee_balance::*;
pub use member::*;
pub use mint_config::*;
pub use protocol::*;
pub use requester::*;
pub use submission::*;
pub use task::*;
pub use vote::*;
pub use worker::*;
