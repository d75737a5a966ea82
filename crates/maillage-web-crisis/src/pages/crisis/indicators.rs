//! Epidemic indicators (docs/produit.md §5.4): Santé publique France files imported as published, 7-day incidence,
//! positivity and screening rates recomputed from their daily counts (beside the file's own indicators),
//! thresholds (settings) and trend charts drawn on the server.

use super::chart::{Series, lines};
use super::{CRISIS, MANAGE, Missing, Notice, READ, Taken, Taking, day, done, fr, take};
use crate::data::crisis::{computed, main_series, named_label, series_label};
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::ToSpan;
use jiff::civil::Date;
use maillage_crisis::CrisisError;
use maillage_crisis::epidemic::{Thresholds, level, trend};
use maillage_messages::French;
use maillage_store::audit::Action;
use maillage_store::crisis::{self as store, epidemic as epi};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{csrf_field, number};
use maillage_web_kit::multipart;
use maillage_web_kit::params::{Form, Params, Query};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::Routes;
use maillage_web_kit::state::AppState;
use maud::{Markup, html};
use serde_json::json;
use std::collections::{BTreeMap, BTreeSet};
use tokio::io::AsyncWriteExt;

pub fn routes(r: Routes) -> Routes {
    r.page(Method::GET, "/crise/indicateurs", READ, indicators_page)
        .page(Method::POST, "/crise/indicateurs/import", MANAGE, import)
        .page(
            Method::POST,
            "/crise/indicateurs/population",
            MANAGE,
            set_population,
        )
        .page(
            Method::POST,
            "/crise/indicateurs/seuils",
            MANAGE,
            set_thresholds,
        )
}

const MESSAGES: &[(&str, &str)] = &[
    ("import", "le fichier est importé."),
    (
        "population",
        "la population est enregistrée : les taux sont recalculés avec elle.",
    ),
    ("seuils", "les seuils sont enregistrés."),
];

async fn indicators_page(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query,
) -> Result<Response, WebError> {
    let notice = Notice::from_query(&q, MESSAGES);
    Ok(render(&state, &caller, &q, notice).await?.into_response())
}

fn level_text(value: Option<f64>, thresholds: &[f64]) -> Markup {
    match value {
        None => html! { "—" },
        Some(v) => {
            let k = level(v, thresholds);
            html! {
                @if k == 0 { "sous le premier seuil" }
                @else { strong { "seuil " (number(thresholds[k - 1], 0)) " atteint" } }
            }
        }
    }
}

async fn render(
    state: &AppState,
    caller: &Caller,
    q: &Params,
    notice: Notice,
) -> Result<(StatusCode, Markup), WebError> {
    let st = state.store();
    let list = crate::data::crisis::visible_series(state, &caller.scope()).await?;
    let thresholds = store::thresholds(st).await?;
    let chosen = q
        .get("serie")
        .and_then(|key| {
            list.iter()
                .find(|s| format!("{}:{}", s.level, s.zone) == key)
        })
        .or_else(|| main_series(&list));
    let period = q.get("jours").unwrap_or("120");
    let manage = caller.has(Permission::CrisisManage);
    let mut body = html! {};
    if let Some(s) = chosen {
        let last: Date = s.last_day.parse().map_err(|_| WebError::NotFound)?;
        let since = match period {
            "tout" => None,
            p => Some(last.saturating_sub(p.parse::<i64>().unwrap_or(120).clamp(14, 3650).days())),
        };
        let c = computed(state, s, since).await?;
        let published = epi::published(st, &s.level, &s.zone, "taux_incid_glissant").await?;
        let published: BTreeMap<Date, Option<f64>> = published
            .into_iter()
            .filter(|(d, _)| since.is_none_or(|x| *d >= x))
            .collect();
        let published_pos = epi::published(st, &s.level, &s.zone, "taux_posiv_glissant").await?;
        let published_pos: BTreeMap<Date, Option<f64>> = published_pos
            .into_iter()
            .filter(|(d, _)| since.is_none_or(|x| *d >= x))
            .collect();
        let latest = c
            .iter()
            .rev()
            .find(|c| c.incidence.is_some() || c.positivity.is_some() || c.positives_7d.is_some());
        let week_before =
            latest.and_then(|l| c.iter().find(|x| x.day == l.day.saturating_sub(7.days())));
        let inc_thresholds: Vec<(f64, String)> = thresholds
            .incidence
            .iter()
            .map(|t| (*t, format!("seuil {}", number(*t, 0))))
            .collect();
        let pos_thresholds: Vec<(f64, String)> = thresholds
            .positivity
            .iter()
            .map(|t| (*t, format!("seuil {} %", number(*t, 0))))
            .collect();
        let mut inc_series = vec![Series {
            name: "incidence recalculée",
            points: c.iter().map(|x| (x.day, x.incidence)).collect(),
            dashed: false,
        }];
        if !published.is_empty() {
            inc_series.push(Series {
                name: "incidence publiée par SpF",
                points: published.iter().map(|(d, v)| (*d, *v)).collect(),
                dashed: true,
            });
        }
        let mut pos_series = vec![Series {
            name: "positivité recalculée",
            points: c.iter().map(|x| (x.day, x.positivity)).collect(),
            dashed: false,
        }];
        if !published_pos.is_empty() {
            pos_series.push(Series {
                name: "positivité publiée par SpF",
                points: published_pos.iter().map(|(d, v)| (*d, *v)).collect(),
                dashed: true,
            });
        }
        let has_incidence = c.iter().any(|x| x.incidence.is_some()) || !published.is_empty();
        let has_positivity = c.iter().any(|x| x.positivity.is_some()) || !published_pos.is_empty();
        let has_screening = c.iter().any(|x| x.screening.is_some());
        let label = named_label(state, s).await;
        let recent =
            epi::series(st, &s.level, &s.zone, Some(last.saturating_sub(14.days()))).await?;
        let daily: BTreeMap<Date, Option<f64>> =
            recent.iter().map(|d| (d.day, d.positives)).collect();
        body = html! {
            h2 { (label) }
            p { "Données du " (day(s.first_day.parse().unwrap_or(last))) " au " (day(last)) " (" (s.days) " jours). "
                @if let Some(p) = s.population {
                    "Taux recalculés avec la "
                    (maillage_messages::crisis::epidemic_population(s.population_source.as_ref(), p, s.spf_population, &number)) "."
                }
                @else { "Population : " strong { "inconnue" } " — saisissez-la ci-dessous pour calculer l'incidence et le dépistage." } }
            @if let Some(l) = latest {
                ul.tuiles {
                    li { span.chiffre { @if let Some(v) = l.incidence { (number(v, 1)) } @else { "—" } }
                         "cas pour 100 000 habitants sur 7 jours, au " (day(l.day))
                         br; (level_text(l.incidence, &thresholds.incidence))
                         @if let (Some(a), Some(b)) = (l.incidence, week_before.and_then(|w| w.incidence)) { br; "tendance sur 7 jours : " (fr(trend(a, b))) } }
                    li { span.chiffre { @if let Some(v) = l.positivity { (number(v, 1)) " %" } @else { "—" } }
                         "de tests positifs sur 7 jours" br; (level_text(l.positivity, &thresholds.positivity)) }
                    li { span.chiffre { @if let Some(v) = l.screening { (number(v, 0)) } @else { "—" } }
                         "tests pour 100 000 habitants sur 7 jours" }
                    li { span.chiffre { @if let Some(v) = l.positives_7d { (number(v, 0)) } @else { "—" } }
                         "cas positifs sur 7 jours" }
                }
            }
            form.filtres.pas-imprime method="get" action="/crise/indicateurs" {
                div.champ {
                    label for="serie" { "Zone" }
                    select name="serie" id="serie" {
                        @for x in &list {
                            @let key = format!("{}:{}", x.level, x.zone);
                            @if std::ptr::eq(x, s) { option value=(key) selected { (series_label(x)) } }
                            @else { option value=(key) { (series_label(x)) } }
                        }
                    }
                }
                div.champ {
                    label for="jours" { "Période" }
                    select name="jours" id="jours" {
                        @for (v, l) in [("30", "30 jours"), ("120", "4 mois"), ("365", "1 an"), ("tout", "tout")] {
                            @if v == period { option value=(v) selected { (l) } } @else { option value=(v) { (l) } }
                        }
                    }
                }
                button type="submit" { "Afficher" }
            }
            @if has_incidence {
                h3 { "Taux d'incidence" }
                (lines("incidence", &format!("Taux d'incidence sur 7 jours — {label}"),
                    "Nouveaux cas confirmés sur 7 jours glissants pour 100 000 habitants, recalculés à partir des comptes quotidiens, et seuils d'alerte.",
                    "cas pour 100 000 habitants", &inc_series, &inc_thresholds))
            }
            @if has_positivity {
                h3 { "Taux de positivité" }
                (lines("positivite", &format!("Taux de positivité sur 7 jours — {label}"),
                    "Part des tests positifs sur 7 jours glissants, en pourcentage, et seuils d'alerte.",
                    "% de tests positifs", &pos_series, &pos_thresholds))
            }
            @if has_screening {
                h3 { "Taux de dépistage" }
                (lines("depistage", &format!("Taux de dépistage sur 7 jours — {label}"),
                    "Tests réalisés sur 7 jours glissants pour 100 000 habitants.",
                    "tests pour 100 000 habitants", &[Series { name: "dépistage recalculé", points: c.iter().map(|x| (x.day, x.screening)).collect(), dashed: false }], &[]))
            }
            div.defilement {
                table {
                    caption { "Les 14 derniers jours (valeurs des graphiques)" }
                    thead { tr { th scope="col" { "Jour" } th scope="col" { "Cas du jour" } th scope="col" { "Cas sur 7 jours" } th scope="col" { "Incidence recalculée" } th scope="col" { "Incidence publiée" } th scope="col" { "Positivité" } th scope="col" { "Dépistage" } } }
                    tbody {
                        @for x in c.iter().rev().take(14) {
                            tr {
                                th scope="row" { (day(x.day)) }
                                td.nombre { @if let Some(Some(v)) = daily.get(&x.day) { (number(*v, 0)) } @else { "—" } }
                                td.nombre { @if let Some(v) = x.positives_7d { (number(v, 0)) } @else { "—" } }
                                td.nombre { @if let Some(v) = x.incidence { (number(v, 1)) } @else { "—" } }
                                td.nombre { @if let Some(Some(v)) = published.get(&x.day) { (number(*v, 1)) } @else { "—" } }
                                td.nombre { @if let Some(v) = x.positivity { (number(v, 1)) " %" } @else { "—" } }
                                td.nombre { @if let Some(v) = x.screening { (number(v, 0)) } @else { "—" } }
                            }
                        }
                    }
                }
            }
            @if manage {
                form.formulaire.filtres.pas-imprime method="post" action="/crise/indicateurs/population" {
                    (csrf_field(caller))
                    input type="hidden" name="serie" value=(format!("{}:{}", s.level, s.zone));
                    div.champ { label for="pop" { "Population de la zone" } input type="text" name="population" id="pop" inputmode="numeric" required value=(s.population.map(|p| format!("{p:.0}")).unwrap_or_default()); }
                    div.champ { label for="pop-source" { "Source" } input type="text" name="source" id="pop-source" placeholder="INSEE, population municipale 2021"; }
                    button type="submit" { "Enregistrer la population" }
                }
            }
        };
    }
    let content = html! {
        (notice.render())
        @if chosen.is_none() { p { "Aucune donnée épidémique importée. Importez un fichier de Santé publique France (tests et cas par commune ou par département)." } }
        (body)
        h2 { "Méthode et limites" }
        p { "Taux d'incidence : cas positifs des 7 derniers jours (jour affiché compris) × 100 000 / population. Taux de positivité : \
             tests positifs / tests réalisés sur les mêmes 7 jours × 100. Taux de dépistage : tests sur 7 jours × 100 000 / population. \
             La population est celle de la zone dans la base, avec son millésime : INSEE par IRIS ou population légale \
             des communes, la plus récente ; à défaut, celle du fichier de Santé publique France. Santé publique France \
             divise par sa propre population, figée : ses taux publiés s'écartent des taux recalculés d'autant que les deux \
             populations diffèrent (écart indiqué quand son fichier donne sa population). \
             Une semaine incomplète (jour manquant) ne donne pas de valeur. Les comptes viennent des fichiers de Santé publique France \
             (SI-DEP) tels que publiés, datés du jour de prélèvement ; les derniers jours sont souvent consolidés après coup. \
             Les petites communes ont des taux très variables d'un jour à l'autre : à lire avec les comptes." }
        p { "Seuils d'alerte en vigueur — incidence : " (thresholds.incidence.iter().map(|t| number(*t, 0)).collect::<Vec<_>>().join(", "))
            " ; positivité : " (thresholds.positivity.iter().map(|t| format!("{} %", number(*t, 0))).collect::<Vec<_>>().join(", ")) "." }
        @if manage {
            h2 { "Importer un fichier de Santé publique France" }
            form.formulaire method="post" action="/crise/indicateurs/import" enctype="multipart/form-data" {
                // First field: the guard reads the token from it.
                (csrf_field(caller))
                div.champ {
                    label for="fichier" { "Fichier CSV (sp-pos-quot-dep, sp-pos-quot-com, ou fichiers dérivés : cas, incidence, positivité)" }
                    input type="file" name="fichier" id="fichier" accept=".csv,.txt,text/csv" required;
                }
                div.case { input type="checkbox" name="territoire" id="territoire" value="oui" checked; label for="territoire" { "Ne garder que les communes et départements du territoire (et la France)" } }
                button type="submit" { "Importer" }
            }
            h2 { "Seuils" }
            form.formulaire method="post" action="/crise/indicateurs/seuils" {
                (csrf_field(caller))
                div.champ { label for="s-inc" { "Seuils d'incidence (pour 100 000, croissants)" } input type="text" name="incidence" id="s-inc" value=(thresholds.incidence.iter().map(|t| format!("{t}")).collect::<Vec<_>>().join(", ")); }
                div.champ { label for="s-pos" { "Seuils de positivité (%)" } input type="text" name="positivite" id="s-pos" value=(thresholds.positivity.iter().map(|t| format!("{t}")).collect::<Vec<_>>().join(", ")); }
                button type="submit" { "Enregistrer les seuils" }
            }
        }
    };
    Ok((
        notice.status(),
        CRISIS.page(
            state,
            caller,
            "Indicateurs épidémiques",
            "/crise/indicateurs",
            content,
        ),
    ))
}

/// The page again with the reason of a refusal.
async fn again(state: &AppState, caller: &Caller, reason: String) -> Result<Markup, WebError> {
    Ok(
        render(state, caller, &Params::default(), Notice::Refused(reason))
            .await?
            .1,
    )
}

/// The page again with the reason an upload was refused, with its status (413 beyond a limit).
async fn upload_refused(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    reason: String,
) -> Result<Response, WebError> {
    Ok((status, again(state, caller, reason).await?).into_response())
}

fn parse_list(text: &str) -> Option<Vec<f64>> {
    text.split([',', ';', ' '])
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.trim().replace(',', ".").parse::<f64>().ok())
        .collect()
}

async fn set_thresholds(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, _| -> Taking {
            let t = Thresholds {
                incidence: parse_list(f.raw("incidence")).unwrap_or_default(),
                positivity: parse_list(f.raw("positivite")).unwrap_or_default(),
            };
            let invalid = parse_list(f.raw("incidence")).is_none()
                || parse_list(f.raw("positivite")).is_none()
                || t.incidence.is_empty();
            if invalid {
                return Err(CrisisError::InvalidThresholds {
                    field: "seuils_incidence",
                }
                .into());
            }
            t.check()?;
            maillage_store::settings::set(tx, store::keys::THRESHOLDS, &t).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                "crise:seuils",
                json!({ "incidence": t.incidence, "positivite": t.positivity }),
            )
            .then("/crise/indicateurs", "seuils"))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

async fn set_population(
    State(state): State<AppState>,
    caller: Caller,
    Form(f): Form,
) -> Result<Response, WebError> {
    let Some((level, zone)) = f.get("serie").and_then(|s| s.split_once(':')) else {
        return Err(WebError::BadRequest("« serie » manque.".into()));
    };
    // Another commune's series is not the caller's to change.
    if level == "commune" && !caller.scope().sees_commune(zone) {
        return Err(WebError::NotFound);
    }
    let source = f
        .get("source")
        .unwrap_or("saisie de la cellule de crise")
        .chars()
        .take(200)
        .collect::<String>();
    take(
        &state,
        &caller,
        Missing::Refused,
        async |tx, _| -> Taking {
            let population = maillage_crisis::fields::decimal("population", f.raw("population"))?
                .ok_or(CrisisError::Field(
                maillage_crisis::FieldError::MissingField {
                    field: "population",
                },
            ))?;
            epi::set_population(tx, level, zone, population, &source).await?;
            Ok(Taken::audit(
                Action::CrisisChanged,
                format!("crise:population:{level}:{zone}"),
                json!({ "population": population }),
            )
            .then(
                format!("/crise/indicateurs?serie={level}:{zone}"),
                "population",
            ))
        },
        async |reason| again(&state, &caller, reason).await,
    )
    .await
}

/// Communes and départements of the territory (and France), to keep from a national file.
async fn territory_zones(state: &AppState) -> Result<Option<BTreeSet<String>>, WebError> {
    let zones = maillage_store::zones::list(state.store()).await?;
    let mut keep = BTreeSet::new();
    for z in zones.iter().filter(|z| z.kind.as_str() == "commune") {
        keep.insert(z.code.clone());
        let dep = if z.code.starts_with("97") || z.code.starts_with("98") {
            &z.code[..3]
        } else {
            &z.code[..2]
        };
        keep.insert(dep.to_string());
    }
    for z in zones.iter().filter(|z| z.kind.as_str() == "departement") {
        keep.insert(z.code.clone());
    }
    if keep.is_empty() {
        return Ok(None);
    }
    keep.insert("FR".into());
    Ok(Some(keep))
}

async fn import(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, WebError> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let Some(boundary) = multipart::boundary(&headers) else {
        return upload_refused(
            &state,
            &caller,
            unprocessable,
            "Choisissez le fichier à importer (formulaire d'import).".into(),
        )
        .await;
    };
    let dir = tempfile::Builder::new()
        .prefix("maillage-spf-")
        .tempdir()
        .map_err(|e| {
            WebError::Store(Box::new(maillage_store::StoreError::Io {
                path: "dossier temporaire".into(),
                reason: e.to_string(),
            }))
        })?;
    let mut form = multipart::Form::new(body, boundary);
    let mut file: Option<(std::path::PathBuf, String)> = None;
    let mut only_territory = false;
    // A refused upload is told on the page, with its status (413 beyond a limit).
    macro_rules! or_refuse {
        ($read:expr) => {
            match $read {
                Ok(v) => v,
                Err(r) => return upload_refused(&state, &caller, r.status, r.message).await,
            }
        };
    }
    while let Some(mut field) = or_refuse!(form.next_field().await) {
        match field.name().unwrap_or("") {
            "fichier" => {
                let raw = field.file_name().unwrap_or("fichier.csv").to_string();
                let name: String = raw
                    .rsplit(['/', '\\'])
                    .next()
                    .unwrap_or("fichier.csv")
                    .chars()
                    .filter(|c| !c.is_control())
                    .take(120)
                    .collect();
                let name = if name.trim().trim_start_matches('.').is_empty() {
                    "fichier.csv".to_string()
                } else {
                    name
                };
                let path = dir.path().join(&name);
                let mut out = tokio::fs::File::create(&path)
                    .await
                    .map_err(|e| io_failure(&path, e))?;
                let mut size = 0usize;
                while let Some(chunk) =
                    or_refuse!(field.chunk().await.map_err(|e| multipart::refusal(&e)))
                {
                    size += chunk.len();
                    if size > 512 << 20 {
                        return upload_refused(
                            &state,
                            &caller,
                            StatusCode::PAYLOAD_TOO_LARGE,
                            "Le fichier dépasse 512 Mo.".into(),
                        )
                        .await;
                    }
                    out.write_all(&chunk)
                        .await
                        .map_err(|e| io_failure(&path, e))?;
                }
                out.flush().await.map_err(|e| io_failure(&path, e))?;
                if size > 0 {
                    file = Some((path, name));
                }
            }
            "territoire" => {
                only_territory =
                    or_refuse!(field.text().await.map_err(|e| multipart::refusal(&e))) == "oui"
            }
            _ => {}
        }
    }
    let Some((path, name)) = file else {
        return upload_refused(
            &state,
            &caller,
            unprocessable,
            "Choisissez un fichier non vide à importer.".into(),
        )
        .await;
    };
    let keep = if only_territory {
        territory_zones(&state).await?
    } else {
        None
    };
    match epi::import_spf(state.store(), &path, keep.as_ref()).await {
        Ok(report) => {
            let details = json!({ "fichier": name, "lot": report.batch_id, "lignes_lues": report.counts.rows_read,
                "ajoutees": report.counts.inserted, "mises_a_jour": report.counts.updated, "ecartees": report.counts.filtered });
            maillage_web_kit::audit::record(
                &state,
                &caller,
                Action::CrisisChanged,
                "crise:import-spf",
                details,
            )
            .await?;
            Ok(done("/crise/indicateurs", "import"))
        }
        Err(e @ maillage_store::StoreError::Format(_)) => {
            // A refused file is audited like the observatory's: its kind and place, never its data.
            maillage_web_kit::audit::record(
                &state,
                &caller,
                Action::ImportFinished,
                "crise:import-spf",
                maillage_web_kit::audit::import_failure(&e, &name),
            )
            .await?;
            upload_refused(
                &state,
                &caller,
                unprocessable,
                // Errors name the file by its path: show the name the user knows, not the temporary folder.
                maillage_messages::sentence(
                    &e.french()
                        .replace(&format!("{}/", dir.path().display()), ""),
                ),
            )
            .await
        }
        Err(e) => Err(WebError::Store(Box::new(e))),
    }
}

fn io_failure(path: &std::path::Path, e: std::io::Error) -> WebError {
    WebError::Store(Box::new(maillage_store::StoreError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    }))
}
