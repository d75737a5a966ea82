//! The guided set-up of a real territory, as a page (the same steps as `maillage installer`): the official files
//! the territory needs, in the order of import, each with its publisher, page, file name, what it brings, and
//! its state — done (with the import's number and date), to do, or older than its publication rhythm — and a
//! link to the import page with the type of file chosen.
//!
//! For the observatory team, who import, and the technical administration, who installs the instance.

use axum::extract::State;
use axum::http::Method;
use maillage_messages::imports::{step_brings, step_label, step_state};
use maillage_store::setup::{self, Step};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::error::WebError;
use maillage_web_kit::layout::{PageMeta, page, warning_box};
use maillage_web_kit::permissions::Permission;
use maillage_web_kit::routes::{Access, Routes};
use maillage_web_kit::state::AppState;
use maud::{Markup, html};

pub fn routes(r: Routes) -> Routes {
    r.page(
        Method::GET,
        "/installation",
        Access::Requires(Permission::TerritorySetup),
        setup_page,
    )
}

async fn setup_page(State(state): State<AppState>, caller: Caller) -> Result<Markup, WebError> {
    let today = maillage_kit::local_time::today(jiff::Timestamp::now());
    let status = setup::status(state.store(), today).await?;
    let can_import = caller.has(Permission::ObservatoryImport);
    let t = &status.territory;
    let content = html! {
        p {
            "Pour observer un territoire réel, Maillage a besoin des fichiers officiels ci-dessous, importés dans \
             cet ordre. Téléchargez-les depuis la page de leur éditeur, tels que publiés, puis importez-les. \
             En ligne de commande, « maillage installer --dossier <dossier> --communes <codes INSEE> » fait de \
             même pour un dossier de fichiers téléchargés."
        }
        h2 { "Territoire" }
        @if t.communes.is_empty() {
            (warning_box(
                "aucun territoire défini : importez d'abord les communes (étape 1), puis définissez-le avec \
                 « maillage territoire definir --communes <codes INSEE> » ou « --epci <SIREN> »."
            ))
        } @else {
            p {
                (t.name.as_deref().unwrap_or("Territoire sans nom")) " : "
                (t.communes.len()) @if t.communes.len() > 1 { " communes" } @else { " commune" }
                " (" (t.communes.iter().cloned().collect::<Vec<_>>().join(", ")) ")"
                ", zone tampon de " (t.neighbours.len())
                @if t.neighbours.len() > 1 { " communes voisines." } @else { " commune voisine." }
            }
        }
        h2 { "Étapes" }
        ol.etapes {
            @for s in &status.steps {
                li {
                    h3 { (step_label(s.step)) }
                    dl.fiche {
                        dt { "État" }
                        dd.etat-etape data-etat=(if !s.done() { "a-faire" } else if s.stale() { "ancien" } else { "fait" }) {
                            (step_state(s))
                        }
                        dt { "Apporte" } dd { (step_brings(s.step)) }
                        dt { "Page de l'éditeur" } dd { code { (s.step.page_url()) } }
                        dt { "Fichier" } dd { (s.step.file_pattern()) }
                    }
                    @if s.step == Step::OpenStreetMap {
                        p {
                            "L'extrait OpenStreetMap ne s'importe pas : il sert au calcul de l'accessibilité, en ligne \
                             de commande (« maillage accessibilite --osm <fichier> »)."
                        }
                    } @else if can_import {
                        p {
                            a href=(format!("/observatoire/imports?type={}", s.step.import_type())) {
                                "Importer : " (step_label(s.step))
                            }
                        }
                    }
                }
            }
        }
        @if status.epci_known == 0 {
            p { "Pour définir le territoire par un EPCI, importez aussi le fichier epci.json (étape 1)." }
        }
    };
    Ok(page(
        &state,
        Some(&caller),
        PageMeta {
            title: "Installation guidée du territoire",
            current: "/installation",
        },
        content,
    ))
}
