//! The fields of the modules' forms: selects and check boxes of coded values with their French labels, text
//! fields and areas with their labels. Each renders the value it is given, so that a form shown again after a
//! refusal keeps what was typed.

use maillage_kit::codes::Coded;
use maillage_messages::French;
use maud::{Markup, html};

/// The first option of a select where choosing nothing is not meant to stay.
pub const CHOOSE: &str = "— choisir —";

/// A `select` of coded values with their French labels, `selected` chosen; `empty`: the label of a first option
/// with no value.
pub fn select<T>(name: &str, id: &str, selected: Option<&str>, empty: Option<&str>) -> Markup
where
    T: Coded + French,
{
    html! {
        select name=(name) id=(id) {
            @if let Some(e) = empty { option value="" { (e) } }
            @for v in T::ALL {
                @if Some(v.code()) == selected { option value=(v.code()) selected { (v.french()) } }
                @else { option value=(v.code()) { (v.french()) } }
            }
        }
    }
}

/// Check boxes of coded values (a fieldset with its legend), `checked` ticked.
pub fn checkboxes<T>(name: &str, legend: &str, checked: &[T]) -> Markup
where
    T: Coded + French + PartialEq,
{
    html! {
        fieldset.cases {
            legend { (legend) }
            @for v in T::ALL {
                @let id = format!("{name}-{}", v.code());
                div.case {
                    input type="checkbox" name=(name) value=(v.code()) id=(id) checked[checked.contains(v)];
                    label for=(id) { (v.french()) }
                }
            }
        }
    }
}

/// A text field with its label; `kind` is the input's type (text, date, email...).
pub fn field(name: &str, id: &str, label: &str, value: &str, kind: &str, required: bool) -> Markup {
    html! {
        div.champ {
            label for=(id) { (label) @if required { " " abbr title="obligatoire" { "*" } } }
            input type=(kind) name=(name) id=(id) value=(value) required[required];
        }
    }
}

/// A text area with its label.
pub fn area(name: &str, id: &str, label: &str, value: &str, rows: u32) -> Markup {
    html! {
        div.champ {
            label for=(id) { (label) }
            textarea name=(name) id=(id) rows=(rows) { (value) }
        }
    }
}
