//! The same "Tableau de bord santé" as an accessible web page: the tables of the PDF as HTML tables, the map
//! and the chart as inline SVG (drawn by the same code as in the PDF, with a title and a description), and a
//! link to the PDF.

use super::canvas::SvgCanvas;
use super::pdf::{Align, PdfTable};
use super::{Report, ReportKind, chart, document, download_path};
use maillage_web_kit::auth::Caller;
use maillage_web_kit::layout::{PageMeta, page};
use maillage_web_kit::state::AppState;
use maud::{Markup, PreEscaped, html};

fn table(t: &PdfTable) -> Markup {
    html! {
        table {
            @if !t.caption.is_empty() { caption { (t.caption) } }
            thead { tr { @for c in &t.columns { th scope="col" { (c.0) } } } }
            tbody {
                @for row in &t.rows {
                    tr {
                        @for (i, cell) in row.iter().enumerate() {
                            @if i == 0 {
                                th scope="row" { (cell) }
                            } @else if t.columns.get(i).is_some_and(|c| c.2 == Align::Right) {
                                td.nombre { (cell) }
                            } @else {
                                td { (cell) }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The report as a page of the site.
pub fn page_of(state: &AppState, caller: &Caller, r: &Report) -> Markup {
    let title = format!("Tableau de bord santé — {}", r.subject.name);
    let spec = document::map_spec(r);
    let map_svg = document::map_svg(r, 720.0, 480.0);
    let bars = document::chart_spec(r);
    let chart_h = chart::height(&bars);
    let mut c = SvgCanvas::new(720.0, chart_h).with_id("graphique");
    chart::draw(&mut c, &bars, 720.0, chart_h);
    let chart_svg = c.finish(
        "Densité pour 10 000 habitants, par profession",
        "Barres horizontales, une par profession et par zone comparée ; la valeur est écrite au bout de chaque \
         barre. Les mêmes chiffres figurent dans le tableau qui suit.",
    );
    let content = html! {
        p {
            @match r.kind {
                ReportKind::Commune => { "Commune — code INSEE " (r.subject.code) }
                ReportKind::Quartier => { "Quartier de " (r.commune.name) " — code " (r.subject.code) }
            }
            @if let Some(t) = &r.territory { " — territoire : " (t) }
            ". Édité le " (r.date) "."
        }
        @match r.secrecy {
            Some(t) => div.message.info role="note" { p {
                strong { "Secret statistique appliqué : " }
                "les effectifs inférieurs à " (t) ", zéro compris, sont remplacés par « < " (t) " », et les valeurs calculées à partir \
                 d'eux par « secret »."
            } },
            None => div.message.info role="note" { p {
                strong { "Usage interne : " }
                "les petits effectifs ne sont pas masqués ; pour une diffusion hors de la commune, ajoutez « diffusion=1 » \
                 à l'adresse."
            } },
        }
        p { a href=(download_path(r.kind, &r.subject.code)) download { "Télécharger ce tableau de bord en PDF" } }
        h2 { "Chiffres clés" }
        (table(&document::key_figures(r)))
        h2 { "Carte" }
        figure.carte-rapport {
            (PreEscaped(map_svg))
            figcaption { (spec.legend_title) ". Le chiffre inscrit dans chaque zone est sa valeur ; zones grises : \
                          valeur non calculable ou masquée." }
        }
        h2 { "Offre de soins par profession" }
        figure.graphique-rapport {
            (PreEscaped(chart_svg))
            figcaption { "Densité pour 10 000 habitants, par profession." }
        }
        (table(&document::supply_table(r)))
        @if let Some(t) = document::zones_table(r) {
            h2 { @if r.kind == ReportKind::Commune { "Quartiers" } @else { "IRIS du quartier" } }
            (table(&t))
        }
        h2 { "Méthode" }
        @for m in document::method_texts(r) { p { (m) } }
        h2 { "Sources et dates" }
        @if r.sources.is_empty() { p { "Aucune donnée importée." } } @else { (table(&document::sources_table(r))) }
        h2 { "Précautions de lecture" }
        ul { @for c in document::caveats(r) { li { (c) } } }
    };
    page(
        state,
        Some(caller),
        PageMeta {
            title: &title,
            current: "/observatoire",
        },
        content,
    )
}
