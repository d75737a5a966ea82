//! The HTTP-level tests of the web platform, as one binary: each module was a test binary of its own, which
//! linked the whole server again (25 links of ~150 MB each). Every test starts its own server on the loopback
//! over its own base, so they share nothing but the harness ([`common`]). The tests that measure the whole
//! process's memory (`tests/bombs.rs`, `tests/upload_memory.rs`) stay binaries of their own: other tests in
//! the same process would blur what they measure.

mod common;

mod api;
mod api_schemas;
mod audit;
mod browser;
mod connections;
mod crisis;
mod crisis_browser;
mod crisis_communes;
mod crisis_concurrency;
mod crisis_population;
mod exports;
mod forms;
mod forms_browser;
mod home;
mod home_browser;
mod lists;
mod login;
mod map_browser;
mod network;
mod network_browser;
mod network_mail;
mod network_scope;
mod observatory;
mod phone_browser;
mod reference;
mod report;
mod routes;
mod security;
mod setup;
mod territory;
mod words;
mod zonage;
