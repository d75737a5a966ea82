//! The words and colours of the zonage médecins of the ARS, the same on zone pages, the map layer and exports.

use maillage_store::imports::zonage::{Zonage, ZonageEntry};

/// The colour of a zonage on the map: from the most to the least fragile (dark text reads on the light ones).
pub fn colour(z: Zonage) -> &'static str {
    match z {
        Zonage::Zip => "#a50f15",
        Zonage::Zac => "#ef6548",
        Zonage::Zar => "#fdae6b",
        Zonage::Zv => "#fee391",
        Zonage::Hz => "#d9d9d9",
    }
}

/// "Zone d'intervention prioritaire (certains grands quartiers)".
pub fn label(e: &ZonageEntry) -> String {
    let name = e.kind().map_or(e.zonage.as_str(), |z| z.label());
    if e.quartiers_only {
        format!("{name} (certains grands quartiers)")
    } else {
        name.to_string()
    }
}
