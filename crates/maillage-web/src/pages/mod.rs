//! HTML pages of the platform itself (login, account, administration, setup, DPO), one module per area; each
//! exposes `fn routes(r: Routes) -> Routes`. The modules' pages live in their crates, re-exported here.

pub mod account;
pub mod admin;
pub mod dpo;
pub mod home;
pub mod instance;
pub mod login;
pub mod setup;

pub use maillage_web_crisis::pages::crisis;
pub use maillage_web_network::pages::network;
pub use maillage_web_observatory::pages::{imports, observatory};
