//! Builders shared by the access tests: a zone of the territory with its demand, a site with its supply.

use maillage_access::{Site, Zone};

/// A zone inside the territory.
pub fn zone(id: &str, demand: f64) -> Zone {
    Zone {
        id: id.into(),
        demand,
        outside_territory: false,
    }
}

/// A site inside the territory.
pub fn site(id: &str, supply: f64) -> Site {
    Site {
        id: id.into(),
        supply,
        outside_territory: false,
    }
}
