//! The observatory on the web: its pages ([`pages::observatory`]) and the imports of its data
//! ([`pages::imports`]), the background map's tiles ([`basemap`]), the downloads ([`exports`]), the "Tableau de bord santé" report as PDF and page
//! ([`report`], drawn with `maillage-report`) and the API v1 of zones, indicators and professionals
//! ([`api::v1`]). Built on `maillage-web-kit`; it depends on no other page crate.

use maillage_web_kit::routes::Routes;

pub mod basemap;
pub mod data;
pub mod exports;
pub mod home;
pub mod report;

pub mod pages {
    //! The observatory's HTML pages and the imports of its data.
    pub mod imports;
    pub mod observatory;
}

pub mod api {
    //! The observatory's JSON API.
    pub mod v1;
}

/// Every route of the observatory: pages, imports, exports, reports, then the API.
pub fn routes(r: Routes) -> Routes {
    let r = pages::observatory::routes(r);
    let r = pages::imports::routes(r);
    let r = exports::routes(r);
    let r = report::routes(r);
    let r = basemap::routes(r);
    api::v1::routes(r)
}
