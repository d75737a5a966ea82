//! The crisis module on the web ([`pages::crisis`] for the browser, [`api::crisis`] for `/api/v1/crise/…`, and
//! the figures both show in [`data::crisis`]), built on `maillage-web-kit` and drawn with `maillage-report`.
//! It depends on no other page crate: a link to another module is a path string.

use maillage_web_kit::routes::Routes;

pub mod pages {
    //! The crisis module's HTML pages.
    pub mod crisis;
}

pub mod api {
    //! The crisis module's JSON API.
    pub mod crisis;
}

pub mod data {
    //! What the crisis pages and API show, computed once for both.
    pub mod crisis;
}

pub mod home;

/// Every route of the crisis module: its pages, then its API.
pub fn routes(r: Routes) -> Routes {
    api::crisis::routes(pages::crisis::routes(r))
}
