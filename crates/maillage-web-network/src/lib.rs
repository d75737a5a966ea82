//! The network and Contrat local de santé module on the web ([`pages::network`] for the browser,
//! [`api::network`] for `/api/v1/annuaire`, `/api/v1/reseau/…` and `/api/v1/cls…`, and the directory's ranking
//! in [`data::network`]), built on `maillage-web-kit` and drawn with `maillage-report`. It depends on no other
//! page crate: a link to another module is a path string.

use maillage_web_kit::routes::Routes;

pub mod pages {
    //! The network module's HTML pages.
    pub mod network;
}

pub mod api {
    //! The network module's JSON API.
    pub mod network;
}

pub mod data {
    //! What the network pages and API show, computed once for both.
    pub mod network;
}

/// Every route of the network module: its pages, then its API.
pub fn routes(r: Routes) -> Routes {
    api::network::routes(pages::network::routes(r))
}
