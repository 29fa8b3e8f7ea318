//! The integration suite, one module per area of the program; `cargo test -p proof-of-brain-tests
//! attacks::` runs one area. The harness is the `proof_of_brain_tests` library (src/lib.rs).
mod attacks;
mod balances;
mod commit_reveal;
mod create_task;
mod disputes;
mod events;
mod governance;
mod invariants;
mod lifecycle;
mod liveness;
mod membership;
mod prefunded;
mod quality;
mod security_txt;
mod settlement;
mod token_2022;
