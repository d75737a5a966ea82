//! The network module's reads shared by its pages and its API: a directory search read from a query string and
//! its entries, best first.

use maillage_network::directory::{self, ActorRecord, Search};
use maillage_network::parse_code;
use maillage_store::network::directory::Actor;
use maillage_web_kit::params::Params;

/// Reads a search from a query string (the public page, the internal one, the guide and the API share it).
/// Unknown codes are ignored rather than refused: a stale bookmark still finds something.
pub(crate) fn search_of(q: &Params) -> Search {
    Search {
        text: q.get("q").unwrap_or("").chars().take(200).collect(),
        theme: q.get("besoin").and_then(|v| parse_code("besoin", v).ok()),
        public: q.get("public").and_then(|v| parse_code("public", v).ok()),
        language: q.get("langue").and_then(|v| parse_code("langue", v).ok()),
        place: q.get("lieu").unwrap_or("").chars().take(100).collect(),
        age: q
            .get("age")
            .and_then(|a| a.parse::<i64>().ok())
            .filter(|a| (0..=120).contains(a)),
        free_only: q.flag("gratuit"),
        without_appointment: q.flag("sans_rdv"),
        accessible_only: q.flag("accessible"),
    }
}

/// The entries matching a search, best first.
pub(crate) fn ranked<'a>(actors: &'a [Actor], s: &Search) -> Vec<&'a Actor> {
    let records: Vec<&ActorRecord> = actors.iter().map(|a| &a.record).collect();
    directory::search(&records, s)
        .into_iter()
        .map(|h| &actors[h.index])
        .collect()
}
