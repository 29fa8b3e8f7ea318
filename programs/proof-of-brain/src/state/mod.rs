pub mod mint_config;
pub mod protocol;
pub mod stake;
pub mod submission;
pub mod task;
pub mod worker;

pub use mint_config::*;
pub use protocol::*;
pub use stake::*;
pub use submission::*;
pub use task::*;
pub use worker::*;
