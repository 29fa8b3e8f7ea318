//! Pure protocol arithmetic and hashing: no accounts, no context, unit-tested on their own.
pub mod commitment;
pub mod dispute;
pub mod settlement;
pub mod tally;
