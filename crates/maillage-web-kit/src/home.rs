//! What a module puts on the home page of a person (`/`): an alert to show first, the figures to watch and what
//! is due, each with the page to open. Each page crate gives its part (`home::part(state, caller)`, only what the
//! caller's permissions and communes reach) and the application draws them together, so that a home page never
//! reads another module's records itself and the page crates stay apart.

use maud::{Markup, html};

/// A figure to watch: "62 %" — "d'appels terminés (Appels canicule)".
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub value: String,
    pub label: String,
    /// The page the figure comes from.
    pub href: String,
}

/// Something to do: "3 actions de suivi en retard".
#[derive(Debug, Clone, PartialEq)]
pub struct Due {
    pub count: u64,
    /// The words after the count, already agreed with it ("actions de suivi en retard").
    pub label: String,
    pub href: String,
    /// Late rather than coming: shown as such, in words.
    pub late: bool,
}

/// A module's part of a home page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Part {
    /// An alert every reader must see first (a crisis at the alert level), with its page.
    pub alert: Option<(String, String)>,
    pub figures: Vec<Figure>,
    pub due: Vec<Due>,
}

impl Part {
    /// Adds what is due, when there is any.
    pub fn due(&mut self, count: u64, label: String, href: impl Into<String>, late: bool) {
        if count > 0 {
            self.due.push(Due {
                count,
                label,
                href: href.into(),
                late,
            });
        }
    }

    pub fn figure(&mut self, value: String, label: String, href: impl Into<String>) {
        self.figures.push(Figure {
            value,
            label,
            href: href.into(),
        });
    }
}

/// The singular or the plural of the words after a count of `n` (the count itself is drawn by [`render`]).
pub fn words(n: u64, one: &str, many: &str) -> String {
    if n > 1 { many } else { one }.to_string()
}

/// The parts of every module, drawn in order: alerts, then figures, then what is due.
pub fn render(parts: &[Part]) -> Markup {
    let alerts: Vec<&(String, String)> = parts.iter().filter_map(|p| p.alert.as_ref()).collect();
    let figures: Vec<&Figure> = parts.iter().flat_map(|p| &p.figures).collect();
    let due: Vec<&Due> = parts.iter().flat_map(|p| &p.due).collect();
    html! {
        @for (text, href) in &alerts {
            div.message.erreur.alerte-accueil role="status" {
                p { strong { "Alerte en cours : " } (text) " " a href=(href) { "Ouvrir la cellule de crise" } }
            }
        }
        @if !figures.is_empty() {
            section aria-labelledby="chiffres-a-suivre" {
                h2 #chiffres-a-suivre { "Chiffres à suivre" }
                ul.tuiles.chiffres-accueil {
                    @for f in &figures {
                        li { span.chiffre { (f.value) } a href=(f.href) { (f.label) } }
                    }
                }
            }
        }
        section aria-labelledby="a-faire" {
            h2 #a-faire { "À faire" }
            @if due.is_empty() {
                p { "Rien n'est en retard ni à échéance proche." }
            } @else {
                ul.a-faire {
                    @for d in &due {
                        li {
                            a href=(d.href) { strong { (crate::layout::number(d.count as f64, 0)) } " " (d.label) }
                            @if d.late { " " span.en-retard { "(en retard)" } }
                        }
                    }
                }
            }
        }
    }
}
