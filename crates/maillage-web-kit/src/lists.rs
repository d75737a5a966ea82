//! The one way every long list is searched and cut into pages: the page asked in the query string (`page`,
//! `par_page`; 50 rows by default), a search form (`q` and the list's own filters) that is a GET form — a search
//! can be bookmarked and shared, the browser's back button returns to it — and the navigation between pages,
//! which keeps the search. Lists read from the store take a [`Window`] (cut in the store); small lists read whole
//! are cut by [`Paging::cut`].

use crate::params::Params;
/// The kit's matching, for the lists a page filters itself (small lists read whole).
pub use maillage_kit::search::{matches_all, search_words};
use maillage_store::listing::{Slice, Window};
use maud::{Markup, html};

/// Rows of a page unless the query asks otherwise.
pub const PER_PAGE: usize = 50;

/// The sizes of page a reader may choose.
const SIZES: &[usize] = &[20, 50, 100, 200];

/// The page asked for and its size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// From 1.
    pub page: usize,
    pub per_page: usize,
}

impl Paging {
    /// Reads `page` and `par_page` (one of 20, 50, 100, 200); anything else reads as the first page of 50.
    pub fn from_query(q: &Params) -> Paging {
        let page = q
            .get("page")
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| *p >= 1)
            .unwrap_or(1);
        let per_page = q
            .get("par_page")
            .and_then(|p| p.parse::<usize>().ok())
            .filter(|p| SIZES.contains(p))
            .unwrap_or(PER_PAGE);
        Paging { page, per_page }
    }

    /// The rows the page shows, for the store.
    pub fn window(&self) -> Window {
        Window::page(self.page, self.per_page)
    }

    /// The page of a list read whole.
    pub fn cut<T>(&self, items: Vec<T>) -> Slice<T> {
        self.window().cut(items)
    }
}

/// The query string of `q` with `page` set to `page` (the other parameters kept, in order).
fn with_page(q: &Params, page: usize) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in q.0.iter().filter(|(k, _)| k != "page" && k != "_csrf") {
        s.append_pair(k, v);
    }
    if page > 1 {
        s.append_pair("page", &page.to_string());
    }
    s.finish()
}

fn link(path: &str, q: &Params, page: usize) -> String {
    let query = with_page(q, page);
    if query.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{query}")
    }
}

/// "51 à 100 sur 198 personnes (page 2 sur 4)" with the navigation between pages ([`pager_links`]), for the list
/// at `path` read with the query `q`. `noun` is (singular, plural). Only the count when everything fits on one
/// page.
pub fn pager(path: &str, q: &Params, paging: &Paging, total: usize, noun: (&str, &str)) -> Markup {
    let pages = total.div_ceil(paging.per_page).max(1);
    let current = paging.page.min(pages);
    let first = (current - 1) * paging.per_page + 1;
    let last = (current * paging.per_page).min(total);
    let word = if total > 1 { noun.1 } else { noun.0 };
    html! {
        @if total == 0 {
            p.pagination-compte role="status" { "Aucun résultat." }
        } @else if pages == 1 {
            p.pagination-compte role="status" { (total) " " (word) "." }
        } @else {
            p.pagination-compte role="status" { (first) " à " (last) " sur " (total) " " (word) " (page " (current) " sur " (pages) ")." }
            (links(path, q, paging, total, "Pages de la liste"))
        }
    }
}

/// The navigation between pages alone, to repeat under a long list (its own label: two navigations of a page
/// must be told apart). Nothing when everything fits on one page.
pub fn pager_links(path: &str, q: &Params, paging: &Paging, total: usize) -> Markup {
    links(path, q, paging, total, "Pages de la liste (bas de liste)")
}

/// Previous, the first and last pages and those around the current one, next.
fn links(path: &str, q: &Params, paging: &Paging, total: usize, label: &str) -> Markup {
    let pages = total.div_ceil(paging.per_page).max(1);
    let current = paging.page.min(pages);
    let shown: Vec<usize> = (1..=pages)
        .filter(|p| *p == 1 || *p == pages || p.abs_diff(current) <= 2)
        .collect();
    html! {
        @if pages > 1 {
            nav.pagination aria-label=(label) {
                ul {
                    @if current > 1 { li { a href=(link(path, q, current - 1)) rel="prev" { "← Page précédente" } } }
                    @for (i, p) in shown.iter().enumerate() {
                        @if i > 0 && *p > shown[i - 1] + 1 { li aria-hidden="true" { "…" } }
                        li {
                            @if *p == current { a href=(link(path, q, *p)) aria-current="page" aria-label=(format!("Page {p}")) { (p) } }
                            @else { a href=(link(path, q, *p)) aria-label=(format!("Page {p}")) { (p) } }
                        }
                    }
                    @if current < pages { li { a href=(link(path, q, current + 1)) rel="next" { "Page suivante →" } } }
                }
            }
        }
    }
}

/// A search form over a list (GET to `path`): a text field `q` labelled `label`, the list's own `filters`
/// (fields of the same form), the size of page, a button, and a link clearing the search.
pub fn search_form(path: &str, q: &Params, label: &str, filters: Markup) -> Markup {
    let paging = Paging::from_query(q);
    html! {
        form.recherche-liste method="get" action=(path) role="search" aria-label="Recherche dans la liste" {
            div.champ {
                label for="liste-q" { (label) }
                input type="search" name="q" id="liste-q" value=(q.get("q").unwrap_or("")) autocomplete="off";
            }
            (filters)
            div.champ {
                label for="liste-par-page" { "Lignes par page" }
                select name="par_page" id="liste-par-page" {
                    @for n in SIZES {
                        option value=(n) selected[*n == paging.per_page] { (n) }
                    }
                }
            }
            div.actions {
                button type="submit" { "Rechercher" }
                a href=(path) { "Effacer la recherche" }
            }
        }
    }
}

/// A wide table's box: it scrolls sideways inside itself rather than widening the page, and can be reached and
/// scrolled with the keyboard (a focusable region named `label`).
pub fn scroll_box(label: &str, content: Markup) -> Markup {
    html! {
        div.defilement tabindex="0" role="region" aria-label=(label) { (content) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(s: &str) -> Params {
        Params::parse(s.as_bytes())
    }

    #[test]
    fn pages_are_read_from_the_query_and_bounded() {
        assert_eq!(
            Paging::from_query(&query("")),
            Paging {
                page: 1,
                per_page: 50
            }
        );
        let p = Paging::from_query(&query("page=3&par_page=100"));
        assert_eq!((p.page, p.per_page), (3, 100));
        let p = Paging::from_query(&query("page=0&par_page=100000"));
        assert_eq!((p.page, p.per_page), (1, 50));
        assert_eq!(p.window().offset, 0);
    }

    #[test]
    fn the_pager_keeps_the_search_and_counts_rows() {
        let q = query("q=dupont&commune=33063&page=2");
        let html = pager(
            "/crise/registre",
            &q,
            &Paging::from_query(&q),
            198,
            ("personne", "personnes"),
        )
        .into_string();
        assert!(
            html.contains("51 à 100 sur 198 personnes (page 2 sur 4)"),
            "{html}"
        );
        assert!(
            html.contains("href=\"/crise/registre?q=dupont&amp;commune=33063\""),
            "{html}"
        );
        assert!(
            html.contains("q=dupont&amp;commune=33063&amp;page=3"),
            "{html}"
        );
        let one = pager(
            "/x",
            &query(""),
            &Paging::from_query(&query("")),
            1,
            ("fiche", "fiches"),
        );
        assert_eq!(
            one.into_string(),
            "<p class=\"pagination-compte\" role=\"status\">1 fiche.</p>"
        );
    }
}
