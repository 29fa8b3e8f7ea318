//! Client side of Proof of Brain: PDA derivation and instruction builders shared by the `pob`
//! command and the integration tests.
pub mod ix;
pub mod pda;

pub use proof_of_brain::ID as PROGRAM_ID;
