//! The kinds of zones of the territory (the observatory's levels), shared by the importers, the indicators, the
//! store and the pages: compared as values, never as strings.

crate::coded! {
    /// A kind of zone; its code is the one stored in `zone.kind` and used in the addresses of the pages.
    pub enum ZoneKind {
        Region => "region",
        Departement => "departement",
        Epci => "epci",
        Commune => "commune",
        Arrondissement => "arrondissement",
        Iris => "iris",
        Quartier => "quartier",
        Qpv => "qpv",
    }
}

impl ZoneKind {
    /// Every kind, from the largest.
    pub const ALL: &'static [ZoneKind] = <ZoneKind as crate::codes::Coded>::ALL;

    pub fn as_str(self) -> &'static str {
        crate::codes::Coded::code(self)
    }

    pub fn parse(s: &str) -> Option<ZoneKind> {
        <ZoneKind as crate::codes::Coded>::parse(s)
    }

    /// Whether `code` (a stored `zone.kind`) is this kind.
    pub fn is(self, code: &str) -> bool {
        self.as_str() == code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_zone_kind_reads_back() {
        assert_eq!(crate::codes::check::<ZoneKind>(None), Ok(()));
        assert!(ZoneKind::Commune.is("commune"));
    }
}
