//! The communes a caller may see. An account is granted either every commune of the instance or a list of
//! commune codes; zones are placed in a commune by their code (communes, arrondissements) or their parent
//! (IRIS, quartiers, QPV). Zones above the commune (EPCI, département...) are seen only with every commune.

use maillage_store::accounts::Account;
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub all: bool,
    pub communes: BTreeSet<String>,
}

impl Scope {
    pub fn of(account: &Account) -> Scope {
        Scope {
            all: account.all_territories,
            communes: account.territories.clone(),
        }
    }

    /// The communes whose personal and internal records the caller reaches (the same grant).
    pub fn reach(&self) -> maillage_store::reach::Reach {
        if self.all {
            maillage_store::reach::Reach::everything()
        } else {
            maillage_store::reach::Reach::communes(self.communes.iter().cloned())
        }
    }

    pub fn sees_commune(&self, code: &str) -> bool {
        self.all || self.communes.contains(code)
    }

    /// Whether an indicator row is the caller's: its zone in the scope; a commune of the buffer (listed for the
    /// EPCI it shares with the territory) only with every commune, since no account is granted it.
    pub fn sees_row(&self, r: &maillage_indicators::IndicatorRow) -> bool {
        (self.all || !r.buffer)
            && self.sees_zone(&r.zone_kind, &r.zone_code, r.zone_parent.as_deref())
    }

    /// Whether a zone (by kind code, code and parent code) lies in the scope.
    pub fn sees_zone(&self, kind: &str, code: &str, parent: Option<&str>) -> bool {
        if self.all {
            return true;
        }
        match kind {
            "commune" => self.communes.contains(code),
            "arrondissement" | "iris" | "quartier" | "qpv" => {
                parent.is_some_and(|p| self.communes.contains(p)) || self.communes.contains(code)
            }
            _ => false,
        }
    }
}
