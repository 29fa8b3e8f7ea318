//! Pure protocol arithmetic and hashing: no accounts, no context, unit-tested on their own.
pub mod chamber;
pub mod commitment;
pub mod dispute;
pub mod qualification;
pub mod settlement;
pub mod tally;
