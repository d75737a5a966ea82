//! What the observatory's pages and API answers show: the kit's figures cut to the caller
//! ([`maillage_web_kit::data`], re-exported here), and the observatory's own: the labels of zonage
//! ([`zonage`]) and of accessibility runs ([`accessibility`]).

pub use maillage_web_kit::data::*;

pub mod accessibility;
pub mod zonage;
