//! French wording of the accessibility engine's errors (tables of costs, supply and demand, parameters).

use crate::{Cut, French};
use maillage_access::tables::{TableError, TableErrorKind};
use maillage_access::{
    AccessError, Decay, DemandKind, Metadata, Method, Parameter, Side, StepsError, SupplyUnit,
};

/// A number as a French reader writes it (decimal comma).
fn num(x: f64) -> String {
    if x.is_nan() {
        return "indéfini".into();
    }
    if x.is_infinite() {
        return if x > 0.0 {
            "+∞".into()
        } else {
            "−∞".into()
        };
    }
    format!("{x}").replace('.', ",")
}

/// A weight as a reader wants it in a method note (2/3 → 0,667).
fn rounded(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// "the list of demand zones" / "the list of supply sites", for "absent from …".
fn list_of(side: Side) -> &'static str {
    match side {
        Side::Demand => "des zones de demande",
        Side::Supply => "des sites d'offre",
    }
}

/// "demand zone no. n" / "supply site no. n".
fn item(side: Side, n: u64) -> String {
    match side {
        Side::Demand => format!("zone de demande n° {n}"),
        Side::Supply => format!("site d'offre n° {n}"),
    }
}

impl French for Side {
    fn french(&self) -> String {
        match self {
            Side::Demand => "demande".into(),
            Side::Supply => "offre".into(),
        }
    }
}

impl French for Parameter {
    fn french(&self) -> String {
        match self {
            Parameter::MaxCost => "le coût maximal (nombre ≥ 0)",
            Parameter::Scale => "l'échelle (nombre > 0, par exemple 100000)",
            Parameter::GravityScale => "l'échelle de la gravité (nombre > 0)",
            Parameter::GravityAlpha => "l'exposant alpha de la gravité (nombre fini)",
            Parameter::GravityMinCost => "le coût minimal de la gravité (nombre ≥ 0)",
            Parameter::GaussianSigma => "le sigma de la gaussienne (nombre > 0)",
        }
        .into()
    }
}

impl French for StepsError {
    fn french(&self) -> String {
        match self {
            StepsError::Empty => {
                "aucun palier de poids ; écrivez par exemple « 10:1,20:0.68,30:0.22 » (borne haute incluse : poids)"
                    .into()
            }
            StepsError::Syntax { item, text } => format!(
                "le palier n° {item} « {text} » n'est pas de la forme borne:poids ; écrivez par exemple \
                 « 10:1,20:0.68,30:0.22 »", text = Cut(text)
            ),
            StepsError::NotANumber { item, text } => format!(
                "palier n° {item} : « {text} » n'est pas un nombre ; séparez les paliers par des virgules \
                 et utilisez le point décimal (10:1,20:0.68)", text = Cut(text)
            ),
            StepsError::InvalidBound { bound } => {
                format!("la borne de palier {} doit être un nombre positif ou nul", num(*bound))
            }
            StepsError::DuplicateBound { bound } => {
                format!("la borne de palier {} est donnée deux fois ; gardez-en une seule", num(*bound))
            }
            StepsError::NotAscending { bound } => {
                format!("les bornes des paliers doivent être croissantes (borne {} mal placée)", num(*bound))
            }
            StepsError::InvalidWeight { bound, weight } => format!(
                "le poids {} du palier jusqu'à {} doit être un nombre positif ou nul",
                num(*weight),
                num(*bound)
            ),
        }
    }
}

impl French for AccessError {
    fn french(&self) -> String {
        use AccessError::*;
        match self {
            EmptyId { side, index } => format!(
                "identifiant vide ({}) ; chaque élément doit avoir un identifiant",
                item(*side, *index as u64 + 1)
            ),
            DuplicateId { side, id, first, second } => format!(
                "identifiant « {id} » en double ({} et n° {}) ; chaque identifiant doit être unique",
                item(*side, *first as u64 + 1),
                second + 1, id = Cut(id)
            ),
            InvalidValue { side, id, value } => format!(
                "valeur de {} invalide pour « {id} » : {} ; une valeur positive ou nulle est attendue",
                side.french(),
                num(*value), id = Cut(id)
            ),
            BandCount { id, expected, found } => format!(
                "la zone « {id} » a {found} tranches d'âge au lieu des {expected} déclarées", id = Cut(id), found = Cut(found)
            ),
            InvalidBandValue { id, band, value } => format!(
                "population invalide {} dans la tranche « {band} » de la zone « {id} » ; une valeur positive ou \
                 nulle est attendue",
                num(*value), band = Cut(band), id = Cut(id)
            ),
            NoNeedBands => "la standardisation par âge demande au moins une tranche d'âge et son poids".into(),
            DuplicateBand { label } => format!("la tranche d'âge « {label} » est déclarée deux fois", label = Cut(label)),
            InvalidNeedWeight { label, weight } => format!(
                "poids de besoin invalide {} pour la tranche « {label} » ; un nombre positif ou nul est attendu",
                num(*weight), label = Cut(label)
            ),
            TooMany { side, count } => format!(
                "trop d'éléments de {} ({count}) ; découpez le territoire",
                side.french()
            ),
            UnknownId { side, id, pair } => format!(
                "le couple n° {} désigne l'identifiant « {id} », absent de la liste {} ; corrigez-le ou retirez \
                 ce couple",
                pair + 1,
                list_of(*side), id = Cut(id)
            ),
            IndexOutOfRange { side, index, len, pair } => format!(
                "le couple n° {} désigne le rang {} de la liste {}, qui n'en compte que {len}",
                pair + 1,
                *index as u64 + 1,
                list_of(*side)
            ),
            InvalidCost { zone, site, cost, pair } => format!(
                "coût invalide {} pour le couple n° {} (« {zone} » → « {site} ») ; un temps positif ou nul est \
                 attendu",
                num(*cost),
                pair + 1, zone = Cut(zone), site = Cut(site)
            ),
            DuplicatePair { zone, site, first, second } => format!(
                "le couple « {zone} » → « {site} » est donné deux fois (n° {} et n° {}) ; gardez-en un seul",
                first + 1,
                second + 1, zone = Cut(zone), site = Cut(site)
            ),
            Steps(e) => e.french(),
            InvalidParameter { parameter, value } => {
                format!("valeur {} invalide pour {}", num(*value), parameter.french())
            }
            MissingMaxCost => {
                "la méthode 2SFCA (zone de chalandise binaire) demande un coût maximal ; précisez-le".into()
            }
            NonFiniteWeight { cost } => format!(
                "la fonction de décroissance donne un poids infini au coût {} ; pour la gravité, fixez un coût \
                 minimal strictement positif",
                num(*cost)
            ),
            TableMismatch { table_zones, table_sites, zones, sites } => format!(
                "la table des coûts a été construite pour {table_zones} zones et {table_sites} sites, mais le calcul \
                 porte sur {zones} zones et {sites} sites"
            ),
            NormalizationUndefined { mean } => format!(
                "normalisation impossible : l'accessibilité moyenne pondérée par la population vaut {} ; aucune \
                 zone n'a accès à l'offre",
                num(*mean)
            ),
        }
    }
}

impl French for TableErrorKind {
    fn french(&self) -> String {
        use TableErrorKind::*;
        match self {
            Io(e) => {
                format!(
                    "lecture impossible ({e}) ; vérifiez le chemin et les droits du fichier",
                    e = Cut(e)
                )
            }
            Empty => "le fichier est vide ; il doit commencer par une ligne d'en-tête".into(),
            BadHeader { expected, found } => format!(
                "en-tête inattendu « {found} » ; la première ligne doit être exactement « {expected} » \
                 (séparateur virgule)",
                found = Cut(found)
            ),
            Malformed(e) => {
                format!(
                    "CSV mal formé ({e}) ; vérifiez les guillemets et les séparateurs",
                    e = Cut(e)
                )
            }
            NotUtf8 => "texte qui n'est pas en UTF-8 ; réenregistrez le fichier en UTF-8".into(),
            FieldCount { expected, found } => format!(
                "{} au lieu de {expected} ; la ligne est peut-être coupée, contient une virgule \
                 de trop (le séparateur décimal est le point) ou un guillemet non fermé",
                crate::count(*found, "champ", "champs")
            ),
            MissingValue { field } => format!(
                "valeur manquante dans la colonne « {field} »",
                field = Cut(field)
            ),
            NotANumber { field, value } => format!(
                "« {value} » n'est pas un nombre (colonne « {field} ») ; utilisez le point comme séparateur \
                 décimal",
                value = Cut(value),
                field = Cut(field)
            ),
            NotFinite { field, value } => {
                format!(
                    "« {value} » n'est pas un nombre fini (colonne « {field} »)",
                    value = Cut(value),
                    field = Cut(field)
                )
            }
            Negative { field, value } => format!(
                "valeur négative {} dans la colonne « {field} » ; une valeur positive ou nulle est attendue",
                num(*value),
                field = Cut(field)
            ),
            InvalidFlag { field, value } => format!(
                "« {value} » dans la colonne « {field} » : 0 (dans le territoire) ou 1 (hors territoire) attendu",
                value = Cut(value),
                field = Cut(field)
            ),
            DuplicateId { id, first_line } => format!(
                "identifiant « {id} » en double (déjà vu ligne {first_line}) ; chaque identifiant doit être unique",
                id = Cut(id)
            ),
            UnknownId { side, id } => format!(
                "identifiant « {id} » inconnu : absent du fichier {} ; corrigez l'identifiant ou retirez la ligne",
                match side {
                    Side::Demand => "de demande (origine)",
                    Side::Supply => "d'offre (destination)",
                },
                id = Cut(id)
            ),
            DuplicatePair {
                origin,
                destination,
                first_line,
            } => format!(
                "le couple « {origin} » → « {destination} » est déjà donné ligne {first_line} ; gardez-en un seul",
                origin = Cut(origin),
                destination = Cut(destination)
            ),
            Access(e) => e.french(),
        }
    }
}

impl French for TableError {
    fn french(&self) -> String {
        let mut s = format!("fichier « {} »", self.file.display());
        if let Some(line) = self.line {
            s.push_str(&format!(", ligne {line}"));
        }
        if let Some(column) = self.column {
            s.push_str(&format!(", colonne {column}", column = Cut(column)));
        }
        format!("{s} : {}.", self.kind.french())
    }
}

impl French for Method {
    fn french(&self) -> String {
        match self {
            Method::TwoStep => "2SFCA (zone de chalandise binaire)",
            Method::Enhanced => "E2SFCA (poids par paliers)",
            Method::Gravity => "2SFCA à décroissance gravitaire",
            Method::Gaussian => "2SFCA à décroissance gaussienne",
        }
        .into()
    }
}

impl French for Decay {
    fn french(&self) -> String {
        match self {
            Decay::Binary => "poids 1 jusqu'au coût maximal".into(),
            Decay::Steps { steps } => {
                let bands: Vec<String> = steps
                    .iter()
                    .map(|s| format!("≤ {} : {}", num(s.upper), num(rounded(s.weight))))
                    .collect();
                format!("paliers {} ; 0 au-delà", bands.join(" ; "))
            }
            Decay::Gravity {
                scale,
                alpha,
                min_cost,
            } => format!(
                "gravité (max(t ; {}) / {})^{}",
                num(*min_cost),
                num(*scale),
                num(*alpha)
            ),
            Decay::Gaussian { sigma } => format!("gaussienne exp(−t² / 2σ²), σ = {}", num(*sigma)),
        }
    }
}

impl French for SupplyUnit {
    fn french(&self) -> String {
        match self {
            SupplyUnit::Headcount => "professionnels",
            SupplyUnit::Fte => "ETP",
            SupplyUnit::Activity => "consultations par an",
            SupplyUnit::Unspecified => "unités d'offre",
        }
        .into()
    }
}

impl French for Metadata {
    /// One line: method, decay, and the unit of the values.
    fn french(&self) -> String {
        let inhabitants = match self.demand_kind {
            DemandKind::Population => "habitant",
            DemandKind::AgeStandardised { .. } => "habitant standardisé",
        };
        let unit = match self.scale {
            None => "valeurs normalisées (1 = moyenne pondérée par la population)".to_string(),
            Some(1.0) => {
                format!("{} par {inhabitants}", self.supply_unit.french())
            }
            Some(scale) => format!(
                "{} pour {} {inhabitants}s",
                self.supply_unit.french(),
                group_thousands(scale)
            ),
        };
        let max = self
            .max_cost
            .map(|m| format!(", coût maximal {}", num(m)))
            .unwrap_or_default();
        format!(
            "{}, {}{max} ; unité : {unit}",
            self.method.french(),
            self.decay.french()
        )
    }
}

/// 100000 → "100 000" (narrow no-break space as French typography wants).
fn group_thousands(x: f64) -> String {
    if x.fract() != 0.0 || x.abs() >= 1e15 {
        return num(x);
    }
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('\u{202f}');
        }
        out.push(c);
    }
    out
}
