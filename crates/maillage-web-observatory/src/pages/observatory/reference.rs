//! Every figure of a commune, quartier or IRIS beside its département's and France's: counted in the same national
//! file with the same rules (see `maillage_store::reference`), divided by the populations of the communes file.
//! Tables call [`Beside::headers`] once and [`Beside::cells`] once per row.

use super::shown;
use crate::data::figures::Snapshot;
use maillage_indicators::{Indicator, IndicatorRow};
use maillage_web_kit::layout::number;
use maud::{Markup, html};
use std::collections::HashMap;

/// The département and France rows to show beside one zone.
pub(super) struct Beside<'a> {
    departement: Option<(String, String)>,
    rows: HashMap<(Indicator, &'a str, &'a str), &'a IndicatorRow>,
}

impl<'a> Beside<'a> {
    /// For a zone of the département `departement` (None when unknown: France only).
    pub fn new(snapshot: &'a Snapshot, departement: Option<&str>) -> Beside<'a> {
        let rows: HashMap<_, _> = snapshot
            .reference_rows()
            .filter(|r| r.zone_kind == "france" || Some(r.zone_code.as_str()) == departement)
            .map(|r| {
                (
                    (r.indicator, r.zone_kind.as_str(), r.profession.as_str()),
                    r,
                )
            })
            .collect();
        let departement = rows
            .values()
            .find(|r| r.zone_kind == "departement")
            .map(|r| (r.zone_code.clone(), r.zone_name.clone()));
        Beside { departement, rows }
    }

    fn any(&self) -> bool {
        !self.rows.is_empty()
    }

    /// The column headers: "Densité dans le département (Vienne)…", "Densité en France…".
    pub fn headers(&self, unit: &str) -> Markup {
        html! {
            @if self.any() {
                @if let Some((code, name)) = &self.departement {
                    th scope="col" { "Département : " (name) " (" (code) "), " (unit) }
                }
                th scope="col" { "France, " (unit) }
            }
        }
    }

    /// The département's and France's value of `indicator` for `profession` (never hidden: national counts).
    pub fn cells(&self, indicator: Indicator, profession: &str, decimals: usize) -> Markup {
        let value = |kind: &str| {
            shown(
                self.rows.get(&(indicator, kind, profession)).copied(),
                decimals,
                None,
            )
        };
        html! {
            @if self.any() {
                @if self.departement.is_some() { td.nombre { (value("departement")) } }
                td.nombre { (value("france")) }
            }
        }
    }

    /// What the reference columns are, under the table: same method, same file, populations and their vintage.
    pub fn note(&self) -> Markup {
        let population = |kind: &str| {
            self.rows
                .values()
                .find(|r| r.zone_kind == kind && r.indicator == Indicator::Per10k)
                .and_then(|r| Some((r.denominator?, r.population_vintage?)))
        };
        html! {
            @if self.any() {
                p {
                    "Département et France : professionnels dénombrés dans le même fichier national que la zone, \
                     avec les mêmes règles (chaque professionnel compté une fois par département et une fois pour \
                     la France), rapportés à la population municipale"
                    @if let Some((p, v)) = population("departement") {
                        " (département : " (number(p, 0)) " habitants, millésime " (v) ")"
                    }
                    @if let Some((p, v)) = population("france") {
                        " (France, métropole et départements d'outre-mer : " (number(p, 0)) " habitants, millésime " (v) ")"
                    }
                    ". Ce sont des chiffres nationaux publics : le secret statistique local ne s'y applique pas."
                }
            }
        }
    }
}
