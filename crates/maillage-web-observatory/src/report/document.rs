//! The content of the "Tableau de bord santé", laid out on A4 pages: title and diffusion notice, key figures,
//! map, chart, tables, method, sources and caveats.

use super::canvas::{Rgb, Stroke};
use super::chart::{self, ChartSpec, Group, Series};
use super::font::Weight;
use super::map::{self, MapSpec, MapZone, Outline};
use super::pdf::{ACCENT, Align, Doc, INK, MUTED, PdfTable};
use super::{Report, ReportKind};
use crate::exports::table::method_label;
use crate::pages::observatory::{drawn, shown};
use geo::{BoundingRect, Contains, InteriorPoint, Rect};
use maillage_indicators::professions::{GP, PHARMACY};
use maillage_indicators::{Indicator, PROFESSIONS, Recourse};
use maillage_store::zones::{Zone, ZoneKind};
use maillage_web_kit::layout::{date, number};

const QUARTIER_LINE: Rgb = (0x33, 0x33, 0x33);
const QPV_LINE: Rgb = (0xc0, 0x39, 0x2b);
const SUBJECT_LINE: Rgb = (0x00, 0x4a, 0x8f);
const SERIES: [Rgb; 3] = [(0x25, 0x34, 0x94), (0xc0, 0x39, 0x2b), (0x7f, 0xb8, 0xd8)];

fn population(z: &Zone) -> String {
    match &z.population {
        Some(p) => format!(
            "{} habitants (millésime {}, {})",
            number(p.value, 0),
            p.vintage,
            method_label(p.method)
        ),
        None => "inconnue (aucune population importée pour cette zone)".into(),
    }
}

fn expand(r: Rect<f64>, share: f64) -> Rect<f64> {
    let dx = r.width() * share;
    let dy = r.height() * share;
    Rect::new(
        geo::coord! { x: r.min().x - dx, y: r.min().y - dy },
        geo::coord! { x: r.max().x + dx, y: r.max().y + dy },
    )
}

/// The IRIS of the quartier: those it is defined from, or (for a drawn quartier) those whose interior lies in
/// its contour.
fn iris_of_quartier(r: &Report) -> Vec<&Zone> {
    let iris = r.zones_of(ZoneKind::Iris);
    if let Some(codes) = r.quartier_iris.get(&r.subject.id) {
        return iris
            .into_iter()
            .filter(|z| codes.contains(&z.code))
            .collect();
    }
    let Some(shape) = r.geometries.get(&r.subject.id) else {
        return Vec::new();
    };
    iris.into_iter()
        .filter(|z| {
            r.geometries
                .get(&z.id)
                .and_then(|g| g.interior_point())
                .is_some_and(|p| shape.contains(&p))
        })
        .collect()
}

/// The choropleth of general practitioners per 10,000 inhabitants by IRIS (by quartier when IRIS have no
/// contour), with quartiers and QPV outlined.
pub fn map_spec(r: &Report) -> MapSpec {
    let base_kind = if r
        .zones_of(ZoneKind::Iris)
        .iter()
        .any(|z| r.geometries.contains_key(&z.id))
    {
        ZoneKind::Iris
    } else {
        ZoneKind::Quartier
    };
    let zones: Vec<MapZone> = r
        .zones_of(base_kind)
        .into_iter()
        .filter_map(|z| {
            let row = r.row(Indicator::Per10k, z, GP);
            Some(MapZone {
                name: z.name.clone(),
                geometry: r.geometries.get(&z.id)?.clone(),
                value: drawn(row),
                secret: row.is_some_and(|x| x.is_secret()),
            })
        })
        .collect();
    let mut outlines = Vec::new();
    let mut legend = Vec::new();
    let quartier_stroke = Stroke::solid(QUARTIER_LINE, 1.1);
    let qpv_stroke = Stroke::dashed(QPV_LINE, 1.3);
    let subject_stroke = Stroke::solid(SUBJECT_LINE, 2.6);
    if base_kind == ZoneKind::Iris {
        let qs: Vec<&Zone> = r.zones_of(ZoneKind::Quartier);
        for q in &qs {
            if let Some(g) = r.geometries.get(&q.id) {
                outlines.push(Outline {
                    geometry: g.clone(),
                    stroke: quartier_stroke,
                });
            }
        }
        if !qs.is_empty() {
            legend.push((quartier_stroke, "limite de quartier".to_string()));
        }
    }
    let qpv: Vec<&Zone> = r.zones_of(ZoneKind::Qpv);
    for q in &qpv {
        if let Some(g) = r.geometries.get(&q.id) {
            outlines.push(Outline {
                geometry: g.clone(),
                stroke: qpv_stroke,
            });
        }
    }
    if !qpv.is_empty() {
        legend.push((qpv_stroke, "quartier prioritaire (QPV)".to_string()));
    }
    let mut view = None;
    if r.kind == ReportKind::Quartier
        && let Some(g) = r.geometries.get(&r.subject.id)
    {
        outlines.push(Outline {
            geometry: g.clone(),
            stroke: subject_stroke,
        });
        legend.push((subject_stroke, format!("quartier : {}", r.subject.name)));
        view = g.bounding_rect().map(|b| expand(b, 0.2));
    }
    MapSpec {
        zones,
        outlines,
        outline_legend: legend,
        view,
        legend_title: format!(
            "Médecins généralistes pour 10 000 habitants, par {}",
            if base_kind == ZoneKind::Iris {
                "IRIS"
            } else {
                "quartier"
            }
        ),
        decimals: 1,
        secrecy: r.secrecy,
        background: r.background.clone(),
    }
}

/// The map as SVG, for web pages.
pub fn map_svg(r: &Report, width: f32, height: f32) -> String {
    let spec = map_spec(r);
    let mut c = super::canvas::SvgCanvas::new(width, height).with_id("carte");
    map::draw(&mut c, &spec, width, height);
    let title = spec.legend_title.clone();
    c.finish(
        &title,
        &format!(
            "Carte de {} : {} ; la valeur de chaque zone est écrite dans la zone quand la place le permet.",
            r.subject.name, title
        ),
    )
}

pub fn chart_spec(r: &Report) -> ChartSpec {
    let commune = &r.commune;
    let has_qpv = !r.zones_of(ZoneKind::Qpv).is_empty();
    let series = |label: String, colour: Rgb| Series { label, colour };
    // Each series: its legend, and which indicator of which zone it shows.
    let lines: Vec<(Series, Indicator, &Zone)> = match r.kind {
        ReportKind::Commune if has_qpv => vec![
            (
                series("Commune".into(), SERIES[0]),
                Indicator::Per10k,
                commune,
            ),
            (
                series("QPV".into(), SERIES[1]),
                Indicator::QpvPer10k,
                commune,
            ),
            (
                series("Hors QPV".into(), SERIES[2]),
                Indicator::RestPer10k,
                commune,
            ),
        ],
        ReportKind::Commune => vec![(
            series("Commune".into(), SERIES[0]),
            Indicator::Per10k,
            commune,
        )],
        ReportKind::Quartier => vec![
            (
                series(format!("Quartier : {}", r.subject.name), SERIES[1]),
                Indicator::Per10k,
                &r.subject,
            ),
            (
                series(format!("Commune : {}", commune.name), SERIES[0]),
                Indicator::Per10k,
                commune,
            ),
        ],
    };
    let groups = PROFESSIONS
        .iter()
        .map(|p| Group {
            label: p.label.to_string(),
            values: lines
                .iter()
                .map(|(_, i, z)| {
                    let row = r.row(*i, z, p.code);
                    (drawn(row), row.is_some_and(|x| x.is_secret()))
                })
                .collect(),
        })
        .collect();
    ChartSpec {
        series: lines.into_iter().map(|(s, ..)| s).collect(),
        groups,
        decimals: 1,
        secrecy: r.secrecy,
    }
}

pub fn key_figures(r: &Report) -> PdfTable {
    let s = &r.subject;
    let mut rows = vec![vec!["Population".to_string(), population(s)]];
    match r.kind {
        ReportKind::Commune => {
            let n = |k| r.zones_of(k).len();
            rows.push(vec![
                "Découpage".into(),
                format!(
                    "{} IRIS, {}, {} de la politique de la ville",
                    n(ZoneKind::Iris),
                    maillage_messages::count(n(ZoneKind::Quartier), "quartier", "quartiers"),
                    maillage_messages::count(
                        n(ZoneKind::Qpv),
                        "quartier prioritaire",
                        "quartiers prioritaires"
                    )
                ),
            ]);
        }
        ReportKind::Quartier => {
            let share = match (&s.population, &r.commune.population) {
                (Some(q), Some(c)) if c.value > 0.0 => {
                    format!(
                        "{} % de la population de {}",
                        number(q.value / c.value * 100.0, 1),
                        r.commune.name
                    )
                }
                _ => "part de la population communale inconnue".into(),
            };
            let iris: Vec<String> = iris_of_quartier(r).iter().map(|z| z.name.clone()).collect();
            rows.push(vec!["Poids dans la commune".into(), share]);
            if !iris.is_empty() {
                rows.push(vec!["IRIS du quartier".into(), iris.join(", ")]);
            }
        }
    }
    rows.push(vec![
        "Médecins généralistes".into(),
        format!(
            "{} (soit {} pour 10 000 habitants ; commune : {})",
            shown(r.row(Indicator::Count, s, GP), 0, r.secrecy),
            shown(r.row(Indicator::Per10k, s, GP), 1, r.secrecy),
            shown(r.row(Indicator::Per10k, &r.commune, GP), 1, r.secrecy),
        ),
    ]);
    let c = &r.commune;
    if let Some(ratio) = r.row(Indicator::QpvRatio, c, GP) {
        rows.push(vec![
            "Écart QPV / reste de la commune".into(),
            if ratio.is_secret() {
                "médecins généralistes : masqué par le secret statistique (effectifs trop petits)".into()
            } else {
                format!(
                    "médecins généralistes : {} pour 10 000 habitants dans les QPV, {} ailleurs (rapport {})",
                    shown(r.row(Indicator::QpvPer10k, c, GP), 1, r.secrecy),
                    shown(r.row(Indicator::RestPer10k, c, GP), 1, r.secrecy),
                    shown(Some(ratio), 2, r.secrecy),
                )
            },
        ]);
    }
    let old = r.row(Indicator::Gp60PlusShare, c, GP);
    rows.push(vec![
        "Médecins généralistes de 60 ans et plus".into(),
        match old {
            Some(x) if x.value.is_some() || x.is_secret() => format!(
                "{} % de ceux dont l'âge est connu (commune)",
                shown(old, 0, r.secrecy)
            ),
            _ => "âge des médecins non renseigné dans l'enrichissement local".into(),
        },
    ]);
    rows.push(vec![
        "Pharmacies".into(),
        format!(
            "officines : {}",
            shown(r.row(Indicator::Count, s, PHARMACY), 0, r.secrecy)
        ),
    ]);
    if let Some(a) = &r.apl {
        rows.push(vec![
            "APL aux médecins généralistes (DREES)".into(),
            format!(
                "{} consultations par an et par habitant standardisé en {} (commune ; seuil de sous-densité \
                 2017 : 2,5)",
                a.apl.map_or("—".into(), |v| number(v, 1)),
                a.year
            ),
        ]);
    }
    PdfTable {
        caption: String::new(),
        columns: vec![
            ("Indicateur".into(), 0.34, Align::Left),
            ("Valeur".into(), 0.66, Align::Left),
        ],
        rows,
    }
}

pub fn supply_table(r: &Report) -> PdfTable {
    let c = &r.commune;
    let s = &r.subject;
    let sec = r.secrecy;
    let recourse = |p: &maillage_indicators::Profession| {
        if p.recourse == Recourse::First {
            "1er"
        } else {
            "2nd"
        }
    };
    match r.kind {
        ReportKind::Commune => PdfTable {
            caption: format!("Professionnels exerçant à {}, par profession", c.name),
            columns: vec![
                ("Profession".into(), 0.26, Align::Left),
                ("Recours".into(), 0.09, Align::Left),
                ("Effectif".into(), 0.1, Align::Right),
                ("Pour 10 000 hab.".into(), 0.13, Align::Right),
                ("QPV, pour 10 000 hab.".into(), 0.14, Align::Right),
                ("Hors QPV, pour 10 000 hab.".into(), 0.15, Align::Right),
                ("Rapport QPV / hors QPV".into(), 0.13, Align::Right),
            ],
            rows: PROFESSIONS
                .iter()
                .map(|p| {
                    vec![
                        p.label.to_string(),
                        recourse(p).to_string(),
                        shown(r.row(Indicator::Count, c, p.code), 0, sec),
                        shown(r.row(Indicator::Per10k, c, p.code), 1, sec),
                        shown(r.row(Indicator::QpvPer10k, c, p.code), 1, sec),
                        shown(r.row(Indicator::RestPer10k, c, p.code), 1, sec),
                        shown(r.row(Indicator::QpvRatio, c, p.code), 2, sec),
                    ]
                })
                .collect(),
        },
        ReportKind::Quartier => PdfTable {
            caption: format!(
                "Professionnels exerçant dans le quartier {}, par profession",
                s.name
            ),
            columns: vec![
                ("Profession".into(), 0.27, Align::Left),
                ("Recours".into(), 0.09, Align::Left),
                ("Effectif (quartier)".into(), 0.12, Align::Right),
                ("Pour 10 000 hab. (quartier)".into(), 0.14, Align::Right),
                ("Effectif (commune)".into(), 0.12, Align::Right),
                ("Pour 10 000 hab. (commune)".into(), 0.14, Align::Right),
                ("Indice quartier / commune".into(), 0.12, Align::Right),
            ],
            rows: PROFESSIONS
                .iter()
                .map(|p| {
                    let q = drawn(r.row(Indicator::Per10k, s, p.code));
                    let k = drawn(r.row(Indicator::Per10k, c, p.code));
                    let index = match (q, k) {
                        (Some(q), Some(k)) if k > 0.0 => number(q / k * 100.0, 0),
                        _ => "—".into(),
                    };
                    vec![
                        p.label.to_string(),
                        recourse(p).to_string(),
                        shown(r.row(Indicator::Count, s, p.code), 0, sec),
                        shown(r.row(Indicator::Per10k, s, p.code), 1, sec),
                        shown(r.row(Indicator::Count, c, p.code), 0, sec),
                        shown(r.row(Indicator::Per10k, c, p.code), 1, sec),
                        index,
                    ]
                })
                .collect(),
        },
    }
}

pub fn zones_table(r: &Report) -> Option<PdfTable> {
    let zones: Vec<&Zone> = match r.kind {
        ReportKind::Commune => {
            let mut v = r.zones_of(ZoneKind::Quartier);
            v.extend(r.zones_of(ZoneKind::Qpv));
            v
        }
        ReportKind::Quartier => iris_of_quartier(r),
    };
    if zones.is_empty() {
        return None;
    }
    let sec = r.secrecy;
    let kind_label = |k: ZoneKind| match k {
        ZoneKind::Quartier => "quartier",
        ZoneKind::Qpv => "QPV",
        ZoneKind::Iris => "IRIS",
        _ => "zone",
    };
    Some(PdfTable {
        caption: match r.kind {
            ReportKind::Commune => "Quartiers et quartiers prioritaires (QPV) de la commune".into(),
            ReportKind::Quartier => format!("IRIS du quartier {}", r.subject.name),
        },
        columns: vec![
            ("Zone".into(), 0.25, Align::Left),
            ("Type".into(), 0.09, Align::Left),
            ("Population".into(), 0.12, Align::Right),
            ("Médecins généralistes".into(), 0.13, Align::Right),
            ("Pour 10 000 hab.".into(), 0.12, Align::Right),
            ("Infirmiers".into(), 0.1, Align::Right),
            ("Kinés".into(), 0.08, Align::Right),
            ("Pharmacies".into(), 0.11, Align::Right),
        ],
        rows: zones
            .iter()
            .map(|z| {
                vec![
                    z.name.clone(),
                    kind_label(z.kind).to_string(),
                    z.population
                        .as_ref()
                        .map_or("—".into(), |p| number(p.value, 0)),
                    shown(r.row(Indicator::Count, z, GP), 0, sec),
                    shown(r.row(Indicator::Per10k, z, GP), 1, sec),
                    shown(r.row(Indicator::Count, z, "infirmier"), 0, sec),
                    shown(
                        r.row(Indicator::Count, z, "masseur_kinesitherapeute"),
                        0,
                        sec,
                    ),
                    shown(r.row(Indicator::Count, z, PHARMACY), 0, sec),
                ]
            })
            .collect(),
    })
}

pub fn sources_table(r: &Report) -> PdfTable {
    PdfTable {
        caption: "Dernier import de chaque source utilisée".into(),
        columns: vec![
            ("Source".into(), 0.14, Align::Left),
            ("Fichier".into(), 0.52, Align::Left),
            ("Millésime".into(), 0.14, Align::Left),
            ("Importé le".into(), 0.2, Align::Left),
        ],
        rows: r
            .sources
            .iter()
            .map(|b| {
                vec![
                    maillage_messages::imports::source_label(&b.kind).to_string(),
                    b.file_name.clone(),
                    b.vintage.clone().unwrap_or_else(|| "—".into()),
                    date(&b.imported_at),
                ]
            })
            .collect(),
    }
}

pub fn caveats(r: &Report) -> Vec<String> {
    let mut v = vec![
        "Les professionnels sont ceux des fichiers officiels à la date de leur import (voir « Sources et dates ») : \
         les installations et départs plus récents n'y figurent pas. Un professionnel qui exerce dans plusieurs \
         lieux compte dans chaque zone où il exerce, une seule fois par zone."
            .to_string(),
        "Un effectif n'est pas une offre de soins en temps : temps partiel, activité réelle et acceptation de \
         nouveaux patients ne sont connus que par l'enrichissement local."
            .to_string(),
        "La population et l'offre n'ont pas toujours le même millésime ; dans les petites zones (un IRIS compte \
         environ 2 000 habitants), un seul professionnel de plus ou de moins change fortement la densité."
            .to_string(),
        "Les habitants consultent aussi hors de leur zone : une densité faible ne dit pas à elle seule qu'un \
         quartier est mal desservi. L'accessibilité (APL de la DREES, calcul E2SFCA de Maillage) tient compte \
         des temps de trajet et de l'offre voisine."
            .to_string(),
        "Les pharmacies sont comptées comme officines (FINESS, catégorie 620), pas comme pharmaciens.".to_string(),
    ];
    v.push(match r.secrecy {
        Some(t) => format!(
            "Secret statistique : les effectifs inférieurs à {t}, zéro compris, sont remplacés par « < {t} », ainsi que les \
             valeurs calculées à partir d'eux et celles qui permettraient de les retrouver par différence."
        ),
        None => "Document à usage interne : les petits effectifs ne sont pas masqués. Pour une diffusion hors \
                 de la commune, éditez-le avec le secret statistique (option « diffusion »)."
            .to_string(),
    });
    if r.demo {
        v.push(
            "Démonstration : le territoire, les professionnels et les chiffres sont fictifs."
                .into(),
        );
    }
    v
}

/// How every figure is computed, in words.
pub fn method_texts(r: &Report) -> Vec<String> {
    let mut v: Vec<String> = [
        ("Effectif", Indicator::Count),
        ("Densité", Indicator::Per10k),
        ("Densité dans les QPV", Indicator::QpvPer10k),
        ("Densité hors QPV", Indicator::RestPer10k),
        ("Rapport QPV / hors QPV", Indicator::QpvRatio),
        ("Médecins de 60 ans et plus", Indicator::Gp60PlusShare),
    ]
    .into_iter()
    .map(|(name, i)| format!("{name} : {}", maillage_messages::indicators::method(i)))
    .collect();
    v.push(r.method_context.clone());
    v.push(
        "Population : celle publiée par l'INSEE pour la zone ; pour un quartier défini comme une union d'IRIS, \
         la somme de ses IRIS ; pour un quartier dessiné ou un QPV sans population publiée, une estimation au \
         prorata de la surface des IRIS qu'il recouvre."
            .into(),
    );
    v.push(
        "Carte : classes par quantiles des valeurs de la carte ; zones grises : valeur non calculable ou masquée."
            .into(),
    );
    v
}

/// The report as a PDF file.
pub fn render(r: &Report) -> Vec<u8> {
    let place = match r.kind {
        ReportKind::Commune => r.subject.name.clone(),
        ReportKind::Quartier => format!("{} ({})", r.subject.name, r.commune.name),
    };
    let title = format!("Tableau de bord santé — {place}");
    let mut d = Doc::new(&title, &format!("Maillage — {title} — édité le {}", r.date));

    d.paragraph("TABLEAU DE BORD SANTÉ", 9.5, Weight::Bold, ACCENT);
    d.paragraph(&r.subject.name, 21.0, Weight::Bold, INK);
    let what = match r.kind {
        ReportKind::Commune => format!("Commune — code INSEE {}", r.subject.code),
        ReportKind::Quartier => format!(
            "Quartier de {} — code {} (commune {})",
            r.commune.name, r.subject.code, r.commune.code
        ),
    };
    let territory = r
        .territory
        .as_deref()
        .map(|t| format!(" — territoire : {t}"))
        .unwrap_or_default();
    d.paragraph(&format!("{what}{territory}"), 10.0, Weight::Regular, MUTED);
    d.paragraph(
        &format!(
            "Édité le {} avec Maillage, à partir des données importées dans la base (voir « Sources et dates »).",
            r.date
        ),
        8.5,
        Weight::Regular,
        MUTED,
    );
    let notice = match r.secrecy {
        Some(t) => format!(
            "Diffusion : secret statistique appliqué (effectifs inférieurs à {t}, zéro compris, masqués « < {t} »)."
        ),
        None => "Usage interne : petits effectifs non masqués — ne pas diffuser hors de la commune en l'état."
            .into(),
    };
    d.paragraph(
        &notice,
        9.0,
        Weight::Bold,
        if r.secrecy.is_some() {
            INK
        } else {
            (0xa0, 0x3a, 0x00)
        },
    );
    if r.demo {
        d.paragraph(
            "Démonstration : territoire et données fictifs.",
            9.0,
            Weight::Bold,
            (0xa0, 0x3a, 0x00),
        );
    }

    d.heading("Chiffres clés", 1);
    d.table(&key_figures(r));

    // A heading, its figure's title and the figure stay on one page.
    const MAP_H: f32 = 330.0;
    d.ensure(MAP_H + 80.0);
    d.heading("Carte", 1);
    let spec = map_spec(r);
    d.paragraph(&spec.legend_title, 9.5, Weight::Bold, INK);
    d.figure(MAP_H, |c, w, h| map::draw(c, &spec, w, h));
    d.paragraph(
        "Lecture : plus la teinte est foncée, plus la densité est élevée. Densité = médecins généralistes exerçant \
         dans la zone ÷ population de la zone × 10 000. Contours : IGN / INSEE ; population : INSEE.",
        7.5,
        Weight::Regular,
        MUTED,
    );

    let chart = chart_spec(r);
    d.ensure(chart::height(&chart) + 80.0);
    d.heading("Offre de soins par profession", 1);
    d.paragraph(
        "Densité pour 10 000 habitants, par profession",
        9.5,
        Weight::Bold,
        INK,
    );
    let h = chart::height(&chart);
    d.figure(h, |c, w, h| chart::draw(c, &chart, w, h));
    d.table(&supply_table(r));
    if let Some(t) = zones_table(r) {
        d.heading(
            match r.kind {
                ReportKind::Commune => "Quartiers",
                ReportKind::Quartier => "IRIS du quartier",
            },
            1,
        );
        d.table(&t);
    }

    d.heading("Méthode", 1);
    for text in method_texts(r) {
        d.paragraph(&text, 8.5, Weight::Regular, INK);
    }

    d.heading("Sources et dates", 1);
    if r.sources.is_empty() {
        d.paragraph("Aucune donnée importée.", 9.0, Weight::Regular, INK);
    } else {
        d.table(&sources_table(r));
    }

    d.heading("Précautions de lecture", 1);
    d.bullets(&caveats(r), 8.5);
    d.finish()
}
