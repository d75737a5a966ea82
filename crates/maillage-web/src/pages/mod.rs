//! HTML pages, one module per area. Each exposes `fn routes(r: Routes) -> Routes`.

pub mod account;
pub mod admin;
pub mod crisis;
pub mod dpo;
pub(crate) mod form;
pub mod imports;
pub mod login;
pub mod network;
pub mod observatory;
pub mod setup;
