//! Client side of Proof of Brain: PDA derivation and instruction builders, the embedded ledger,
//! and the commands of the `pob` binary.
pub mod accounts;
pub mod amount;
pub mod app;
pub mod backend;
pub mod cluster;
pub mod commands;
pub mod defaults;
pub mod duration;
pub mod embedded;
pub mod events;
pub mod hex;
pub mod ix;
pub mod output;
pub mod pda;
pub mod program_error;
pub mod salt;
pub mod secrets;
pub mod serve;
pub mod session;
pub mod spec;
pub mod spec_store;

pub use proof_of_brain::ID as PROGRAM_ID;
