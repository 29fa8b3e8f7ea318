//! The CLI's integration suite, one module per area (`cargo test -p pob-cli --test cli demo::`
//! runs one). `common` is the harness: `pob` driven in-process against a temporary ledger.
mod bad_input;
mod batching;
mod binary;
mod common;
mod demo;
mod embedded_ledger;
mod governance_commands;
mod rpc_backend;
mod task_commands;
