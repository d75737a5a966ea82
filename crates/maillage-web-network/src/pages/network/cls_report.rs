//! The evaluation report of a CLS generation (`/cls/{id}/evaluation.pdf`): the contract, progress overall and by
//! axis, every fiche with its status, every indicator with its baseline, target, latest value and progress, a
//! focus on social and territorial inequalities, funding, consultations of inhabitants, what to carry to the
//! next generation, and the method. Written with the site's PDF writer ([`maillage_report::pdf`]).

use super::{CLS_READ, day, fr, percent, reach, today};
use axum::extract::{Path, State};
use axum::http::{HeaderValue, Method, header};
use axum::response::{IntoResponse, Response};
use maillage_network::codes::{FicheNature, FicheStatus, FundingStatus};
use maillage_network::fields::fold;
use maillage_network::progress::AxisProgress;
use maillage_report::font::Weight;
use maillage_report::pdf::{self, Align, Doc, PdfTable};
use maillage_store::audit::Action;
use maillage_store::network::cls::{self as store, ContractTree, FicheTree};
use maillage_store::network::democracy::Consultation;
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use serde_json::json;

pub fn routes(r: Routes) -> Routes {
    r.page(
        Method::GET,
        "/cls/{id}/evaluation.pdf",
        CLS_READ,
        evaluation,
    )
}

fn money(v: f64) -> String {
    format!("{} €", layout::number(v, 0))
}

fn value(v: f64, unit: Option<&str>) -> String {
    let decimals = if v.fract().abs() < 1e-9 { 0 } else { 1 };
    match unit {
        Some(u) if !u.is_empty() => format!("{} {u}", layout::number(v, decimals)),
        _ => layout::number(v, decimals),
    }
}

fn progress_lines(p: &AxisProgress) -> Vec<String> {
    vec![
        format!(
            "Réalisation des fiches actions : {} ({} : {}, {} en cours, {} à lancer, {}, {}).",
            percent(p.realisation),
            maillage_messages::count(p.fiches, "fiche", "fiches"),
            maillage_messages::count(p.done, "réalisée", "réalisées"),
            p.in_progress,
            p.not_started,
            maillage_messages::count(p.postponed, "reportée", "reportées"),
            maillage_messages::count(p.dropped, "abandonnée", "abandonnées")
        ),
        format!(
            "Atteinte des cibles des indicateurs : {} ({} sur {}, {}).",
            percent(p.targets),
            maillage_messages::count(
                p.indicators_measured,
                "indicateur mesuré",
                "indicateurs mesurés"
            ),
            p.indicators,
            maillage_messages::count(p.indicators_reached, "cible atteinte", "cibles atteintes")
        ),
    ]
}

fn fiches_table(caption: &str, fiches: &[&FicheTree]) -> PdfTable {
    PdfTable {
        caption: caption.to_string(),
        columns: vec![
            ("N°".into(), 0.7, Align::Left),
            ("Fiche action".into(), 4.0, Align::Left),
            ("Pilote".into(), 2.2, Align::Left),
            ("Statut".into(), 1.4, Align::Left),
            ("Budget".into(), 1.3, Align::Right),
        ],
        rows: fiches
            .iter()
            .map(|f| {
                vec![
                    f.fiche.number.clone(),
                    f.fiche.title.clone(),
                    f.fiche.pilot.clone(),
                    fr(f.fiche.status),
                    f.fiche.budget.map(money).unwrap_or_else(|| "—".into()),
                ]
            })
            .collect(),
    }
}

fn indicators_table(caption: &str, fiches: &[&FicheTree]) -> PdfTable {
    let mut rows = Vec::new();
    for f in fiches {
        for i in &f.indicators {
            let p = i.progress();
            let unit = i.indicator.unit.as_deref();
            rows.push(vec![
                format!("{} ({})", i.indicator.label, f.fiche.number),
                i.indicator
                    .baseline
                    .map(|v| value(v, unit))
                    .unwrap_or_else(|| "—".into()),
                i.indicator
                    .target
                    .map(|v| value(v, unit))
                    .unwrap_or_else(|| "—".into()),
                p.latest
                    .map(|(d, v)| format!("{} ({})", value(v, unit), day(d)))
                    .unwrap_or_else(|| "—".into()),
                format!(
                    "{}{}",
                    percent(p.ratio),
                    if p.reached { ", atteinte" } else { "" }
                ),
            ]);
        }
    }
    PdfTable {
        caption: caption.to_string(),
        columns: vec![
            ("Indicateur".into(), 3.6, Align::Left),
            ("Référence".into(), 1.4, Align::Right),
            ("Cible".into(), 1.4, Align::Right),
            ("Dernière valeur".into(), 2.0, Align::Right),
            ("Progression".into(), 1.3, Align::Right),
        ],
        rows,
    }
}

/// Whether a fiche targets inequalities: its public or territory names priority quartiers or vulnerable people.
fn about_inequalities(f: &FicheTree) -> bool {
    let text = fold(&format!(
        "{} {} {}",
        f.fiche.target_public.as_deref().unwrap_or(""),
        f.fiche.territory.as_deref().unwrap_or(""),
        f.fiche.title
    ));
    [
        "qpv",
        "quartier prioritaire",
        "precar",
        "vulnerab",
        "inegalit",
        "sans medecin traitant",
        "migrant",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// The report's PDF.
pub(crate) fn render(t: &ContractTree, consultations: &[Consultation], demo: bool) -> Vec<u8> {
    let c = &t.contract;
    let title = format!("Rapport d'évaluation — {}", c.name);
    let mut doc = Doc::new(
        &title,
        &format!(
            "{} — évaluation établie le {} avec Maillage",
            c.name,
            day(today())
        ),
    );
    doc.heading(&title, 1);
    if demo {
        doc.paragraph(
            "Démonstration : territoire, contrat et données fictifs.",
            9.0,
            Weight::Bold,
            pdf::MUTED,
        );
    }
    let signatories = if t.signatories.is_empty() {
        "non renseignés".to_string()
    } else {
        t.signatories
            .iter()
            .map(|s| s.name.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    doc.bullets(
        &[
            format!(
                "Génération : {} — période du {} au {}.",
                c.generation,
                day(c.starts_on),
                day(c.ends_on)
            ),
            format!("Territoire : {}.", c.territory),
            format!(
                "Statut : {}{}.",
                fr(c.status),
                c.signed_on
                    .map(|d| format!(", signé le {}", day(d)))
                    .unwrap_or_default()
            ),
            format!("Signataires ({}) : {}.", t.signatories.len(), signatories),
        ],
        9.5,
    );
    if let Some(s) = &c.summary {
        doc.paragraph(s, 9.5, Weight::Regular, pdf::INK);
    }

    doc.heading("Synthèse", 1);
    let total = t.progress();
    doc.bullets(&progress_lines(&total), 9.5);
    let budget: f64 = t.fiches().filter_map(|f| f.fiche.budget).sum();
    let granted: f64 = t
        .fundings
        .iter()
        .filter(|f| {
            matches!(
                f.funding.status,
                FundingStatus::Granted | FundingStatus::Settled
            )
        })
        .filter_map(|f| f.funding.granted)
        .sum();
    doc.paragraph(
        &format!(
            "Budget des fiches actions : {} ; financements accordés : {}.",
            money(budget),
            money(granted)
        ),
        9.5,
        Weight::Regular,
        pdf::INK,
    );
    doc.table(&PdfTable {
        caption: "Avancement par axe".into(),
        columns: vec![
            ("Axe".into(), 4.5, Align::Left),
            ("Fiches".into(), 0.9, Align::Right),
            ("Réalisation".into(), 1.3, Align::Right),
            ("Indicateurs mesurés".into(), 1.4, Align::Right),
            ("Atteinte des cibles".into(), 1.4, Align::Right),
        ],
        rows: t
            .axes
            .iter()
            .map(|a| {
                let p = a.progress();
                vec![
                    format!("{}. {}", a.axis.position, a.axis.title),
                    p.fiches.to_string(),
                    percent(p.realisation),
                    format!("{} / {}", p.indicators_measured, p.indicators),
                    percent(p.targets),
                ]
            })
            .collect(),
    });

    for a in &t.axes {
        doc.heading(&format!("Axe {} — {}", a.axis.position, a.axis.title), 1);
        if let Some(d) = &a.axis.description {
            doc.paragraph(d, 9.5, Weight::Regular, pdf::INK);
        }
        doc.bullets(&progress_lines(&a.progress()), 9.0);
        for o in &a.objectives {
            doc.heading(
                &format!(
                    "Objectif {}.{} — {}",
                    a.axis.position, o.objective.position, o.objective.title
                ),
                2,
            );
            let fiches: Vec<&FicheTree> = o.fiches.iter().collect();
            if fiches.is_empty() {
                doc.paragraph("Aucune fiche action.", 9.0, Weight::Regular, pdf::MUTED);
                continue;
            }
            doc.table(&fiches_table("Fiches actions", &fiches));
            if fiches.iter().any(|f| !f.indicators.is_empty()) {
                doc.table(&indicators_table("Indicateurs", &fiches));
            }
        }
    }

    doc.heading("Focus : inégalités sociales et territoriales de santé", 1);
    let focused: Vec<&FicheTree> = t.fiches().filter(|f| about_inequalities(f)).collect();
    if focused.is_empty() {
        doc.paragraph(
            "Aucune fiche action ne vise explicitement les quartiers prioritaires ou des publics vulnérables (public cible et territoire des fiches).",
            9.5,
            Weight::Regular,
            pdf::INK,
        );
    } else {
        doc.paragraph(
            "Fiches actions dont le public cible ou le territoire vise les quartiers prioritaires ou des publics vulnérables :",
            9.5,
            Weight::Regular,
            pdf::INK,
        );
        doc.table(&fiches_table("Fiches visant les inégalités", &focused));
        if focused.iter().any(|f| !f.indicators.is_empty()) {
            doc.table(&indicators_table("Leurs indicateurs", &focused));
        }
    }

    doc.heading("Financements", 1);
    if t.fundings.is_empty() {
        doc.paragraph(
            "Aucun financement enregistré.",
            9.5,
            Weight::Regular,
            pdf::MUTED,
        );
    } else {
        doc.table(&PdfTable {
            caption: "Demandes de financement et bilans".into(),
            columns: vec![
                ("Intitulé".into(), 3.2, Align::Left),
                ("Financeur".into(), 2.0, Align::Left),
                ("Statut".into(), 1.1, Align::Left),
                ("Accordé".into(), 1.2, Align::Right),
                ("Bilans".into(), 2.5, Align::Left),
            ],
            rows: t
                .fundings
                .iter()
                .map(|f| {
                    let reports = f
                        .reports
                        .iter()
                        .map(|r| match r.submitted_on {
                            Some(s) => format!("{} : envoyé le {}", r.label, day(s)),
                            None => format!("{} : attendu le {}", r.label, day(r.due_on)),
                        })
                        .collect::<Vec<_>>()
                        .join(" ; ");
                    vec![
                        f.funding.title.clone(),
                        format!("{} ({})", f.funding.funder, fr(f.funding.scheme)),
                        fr(f.funding.status),
                        f.funding.granted.map(money).unwrap_or_else(|| "—".into()),
                        if reports.is_empty() {
                            "—".into()
                        } else {
                            reports
                        },
                    ]
                })
                .collect(),
        });
    }

    doc.heading("Démocratie en santé", 1);
    if consultations.is_empty() {
        doc.paragraph(
            "Aucune consultation d'habitants n'est rattachée à ce contrat.",
            9.5,
            Weight::Regular,
            pdf::MUTED,
        );
    } else {
        let items: Vec<String> = consultations
            .iter()
            .map(|k| {
                format!(
                    "{} — {}, le {}{}.",
                    k.title,
                    fr(k.kind),
                    day(k.held_on),
                    k.participants
                        .map(|n| format!(
                            ", {}",
                            maillage_messages::count(n, "participant", "participants")
                        ))
                        .unwrap_or_default()
                )
            })
            .collect();
        doc.bullets(&items, 9.0);
    }

    doc.heading("Préparer la génération suivante", 1);
    let carried: Vec<&FicheTree> = t
        .fiches()
        .filter(|f| {
            f.fiche.nature == FicheNature::Future
                || matches!(
                    f.fiche.status,
                    FicheStatus::NotStarted | FicheStatus::Postponed | FicheStatus::InProgress
                )
        })
        .collect();
    if carried.is_empty() {
        doc.paragraph(
            "Toutes les fiches actions sont réalisées ou abandonnées.",
            9.5,
            Weight::Regular,
            pdf::INK,
        );
    } else {
        doc.paragraph(
            "Fiches en perspective, à lancer, reportées ou encore en cours : à reprendre ou à clore dans la prochaine génération.",
            9.5,
            Weight::Regular,
            pdf::INK,
        );
        doc.table(&fiches_table("Fiches à reprendre", &carried));
    }

    doc.heading("Méthode et limites", 1);
    doc.paragraph(
        "Réalisation : part des fiches actions réalisées ; une fiche en cours compte pour moitié, une fiche abandonnée n'est pas comptée. \
         Atteinte des cibles : pour chaque indicateur qui a une valeur de référence, une cible et au moins une mesure, (dernière mesure − référence) ÷ (cible − référence), \
         ramenée entre 0 et 100 % ; une cible égale à la référence est atteinte quand la dernière mesure est au moins égale. La moyenne porte sur les indicateurs mesurés \
         seulement : un indicateur sans mesure n'est pas compté, il est signalé dans les tableaux par un tiret.",
        9.0,
        Weight::Regular,
        pdf::INK,
    );
    doc.paragraph(
        "Les valeurs viennent des mesures saisies par la coordination, avec leur source ; celles qui suivent un indicateur de l'observatoire sont relevées dans Maillage \
         à la date indiquée. Une réalisation n'est pas un résultat : les deux sont présentés séparément.",
        9.0,
        Weight::Regular,
        pdf::INK,
    );
    doc.finish()
}

async fn evaluation(
    State(state): State<AppState>,
    caller: Caller,
    Path(file): Path<String>,
) -> Result<Response, WebError> {
    let id: i64 = file.parse().map_err(|_| WebError::NotFound)?;
    let t = store::tree(state.store(), &reach(&caller), id)
        .await?
        .ok_or(WebError::NotFound)?;
    let consultations: Vec<Consultation> =
        maillage_store::network::democracy::consultations(state.store(), &reach(&caller))
            .await?
            .into_iter()
            .filter(|k| k.contract_id == Some(id))
            .collect();
    let bytes = render(&t, &consultations, state.is_demo());
    maillage_web_kit::audit::record(
        &state,
        &caller,
        Action::DataExported,
        &format!("cls:contrat:{id}:evaluation.pdf"),
        json!({ "octets": bytes.len() }),
    )
    .await?;
    let mut r = bytes.into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/pdf"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"evaluation-cls.pdf\""),
    );
    Ok(r)
}
