//! One module per `pob` command.
pub mod demo;
