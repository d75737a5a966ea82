//! A refused form shown again keeps what was typed: the guard ([`crate::auth::guard`]) hands the page of a 422
//! answer to a posted form, with the posted values, to [`refill`], which puts them back into the form posted
//! (the one whose `action` is the request's path), marks the wrong field (`aria-invalid`, `aria-describedby`
//! pointing at the refusal, `autofocus`), opens the `<details>` holding the form, and tells the page's script
//! which address to show instead of the POST target (so that a reload asks the form page again, never the
//! POST). Done once here rather than in each of the ~150 forms of the modules, whose pages render their forms
//! empty or with the stored values.
//!
//! The page is HTML written by maud: every attribute value double-quoted, `<`, `>`, `&` and `"` escaped in text
//! and values, no inline script. The scanner below relies on that and on nothing more.

use std::collections::HashMap;

/// The id of the refusal's message, which the wrong field's `aria-describedby` names.
pub const REFUSAL_ID: &str = "refus";

/// The script of refused pages: the address shown, the focus (`assets/formulaires.js` of `maillage-web`).
pub const SCRIPT: &str = "/static/formulaires.js";

/// What was posted, and what to do with the page.
pub struct Posted<'a> {
    /// The path the form was posted to (its `action`).
    pub action: &'a str,
    /// The posted fields, in order (a name may repeat: check boxes, multiple selects).
    pub values: &'a [(String, String)],
    /// The field the refusal names, when it names one.
    pub field: Option<&'a str>,
    /// The address the page should show (the form's page), when known.
    pub address: Option<&'a str>,
}

/// Fields never given back: secrets, and the fields the server writes itself.
const NOT_REFILLED: &[&str] = &[
    "hidden", "password", "file", "submit", "button", "reset", "image",
];

/// The page with the posted form refilled (see the module documentation).
pub fn refill(html: &str, posted: &Posted<'_>) -> String {
    let mut values: HashMap<&str, Vec<&str>> = HashMap::new();
    for (k, v) in posted.values {
        values.entry(k.as_str()).or_default().push(v.as_str());
    }
    let mut scan = Scan {
        posted,
        values,
        taken: HashMap::new(),
        out: String::with_capacity(html.len() + 512),
        details: Vec::new(),
        to_open: Vec::new(),
        in_form: false,
        select: None,
        marked_field: false,
        marked_message: false,
    };
    scan.run(html);
    let mut out = scan.out;
    // Insert from the end so that earlier positions stay right.
    let mut to_open = scan.to_open;
    to_open.sort_unstable();
    to_open.dedup();
    for at in to_open.into_iter().rev() {
        out.insert_str(at, " open");
    }
    out
}

struct Scan<'a> {
    posted: &'a Posted<'a>,
    values: HashMap<&'a str, Vec<&'a str>>,
    /// How many values of a repeated text field were given back already.
    taken: HashMap<String, usize>,
    out: String,
    /// Where to insert ` open` for each `<details>` being inside, and whether it holds the form.
    details: Vec<usize>,
    to_open: Vec<usize>,
    in_form: bool,
    /// The name of the select being inside (when the form is the posted one and the name was posted).
    select: Option<String>,
    marked_field: bool,
    marked_message: bool,
}

/// A tag's name and attributes (values unescaped), as read.
struct Tag {
    /// As written (SVG names keep their case), and lower-cased to be compared.
    written: String,
    name: String,
    closing: bool,
    /// `<path … />`: kept, as SVG inside HTML needs it.
    self_closing: bool,
    attributes: Vec<(String, Option<String>)>,
}

impl Tag {
    fn get(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_deref().unwrap_or(""))
    }

    fn has(&self, name: &str) -> bool {
        self.attributes.iter().any(|(n, _)| n == name)
    }

    fn set(&mut self, name: &str, value: Option<&str>) {
        let value = value.map(str::to_string);
        match self.attributes.iter_mut().find(|(n, _)| n == name) {
            Some(a) => a.1 = value,
            None => self.attributes.push((name.to_string(), value)),
        }
    }

    fn remove(&mut self, name: &str) {
        self.attributes.retain(|(n, _)| n != name);
    }

    fn write(&self, out: &mut String) {
        out.push('<');
        if self.closing {
            out.push('/');
        }
        out.push_str(&self.written);
        for (n, v) in &self.attributes {
            out.push(' ');
            out.push_str(n);
            if let Some(v) = v {
                out.push_str("=\"");
                out.push_str(&escape(v));
                out.push('"');
            }
        }
        out.push_str(if self.self_closing { "/>" } else { ">" });
    }
}

impl Scan<'_> {
    fn run(&mut self, html: &str) {
        let mut rest = html;
        while let Some(start) = rest.find('<') {
            self.out.push_str(&rest[..start]);
            rest = &rest[start..];
            let Some(end) = rest.find('>') else { break };
            let raw = &rest[..=end];
            rest = &rest[end + 1..];
            match parse(raw) {
                Some(tag) => {
                    let textarea = self.tag(tag);
                    if let Some(value) = textarea {
                        // The area's content is replaced by what was posted.
                        let close = rest.find("</textarea").unwrap_or(rest.len());
                        self.out.push_str(&escape(&value));
                        rest = &rest[close..];
                    }
                }
                None => self.out.push_str(raw),
            }
        }
        self.out.push_str(rest);
    }

    /// Writes a tag, changed as the form needs; a textarea to refill returns the value to put in it.
    fn tag(&mut self, mut tag: Tag) -> Option<String> {
        let mut area = None;
        match (tag.name.as_str(), tag.closing) {
            ("head", true) => {
                self.out.push_str("<script src=\"");
                self.out.push_str(SCRIPT);
                self.out.push_str("\" defer></script>");
            }
            ("body", false) => {
                if let Some(a) = self.posted.address {
                    tag.set("data-adresse", Some(a));
                }
            }
            ("details", false) => {
                let at = self.out.len() + 1 + tag.written.len();
                if !tag.has("open") {
                    self.details.push(at);
                } else {
                    self.details.push(usize::MAX);
                }
            }
            ("details", true) => {
                self.details.pop();
            }
            ("div", false) if !self.marked_message && is_refusal_box(&tag) => {
                self.marked_message = true;
                if !tag.has("id") {
                    tag.set("id", Some(REFUSAL_ID));
                }
                tag.set("tabindex", Some("-1"));
            }
            ("form", false) => {
                let action = tag.get("action").unwrap_or("");
                let post = tag
                    .get("method")
                    .is_some_and(|m| m.eq_ignore_ascii_case("post"));
                self.in_form = post && same_path(action, self.posted.action);
                if self.in_form {
                    tag.set("data-refuse", None);
                    self.to_open
                        .extend(self.details.iter().copied().filter(|&p| p != usize::MAX));
                }
            }
            ("form", true) => {
                self.in_form = false;
                self.select = None;
            }
            ("input", false) if self.in_form => self.input(&mut tag),
            ("textarea", false) if self.in_form => {
                let name = tag.get("name").unwrap_or("").to_string();
                area = self.next_value(&name).map(str::to_string);
                self.mark(&mut tag, &name);
            }
            ("select", false) if self.in_form => {
                let name = tag.get("name").unwrap_or("").to_string();
                self.mark(&mut tag, &name);
                self.select = self.values.contains_key(name.as_str()).then_some(name);
            }
            ("select", true) => self.select = None,
            ("option", false) => {
                if let (Some(name), Some(value)) = (&self.select, tag.get("value")) {
                    let chosen = self
                        .values
                        .get(name.as_str())
                        .is_some_and(|vs| vs.contains(&value));
                    if chosen {
                        tag.set("selected", None);
                    } else {
                        tag.remove("selected");
                    }
                }
            }
            _ => {}
        }
        tag.write(&mut self.out);
        area
    }

    fn input(&mut self, tag: &mut Tag) {
        let kind = tag.get("type").unwrap_or("text").to_ascii_lowercase();
        let name = tag.get("name").unwrap_or("").to_string();
        if name.is_empty() || NOT_REFILLED.contains(&kind.as_str()) {
            return;
        }
        if kind == "checkbox" || kind == "radio" {
            let value = tag.get("value").unwrap_or("on").to_string();
            let posted = self
                .values
                .get(name.as_str())
                .is_some_and(|vs| vs.contains(&value.as_str()));
            // An unticked box is absent from the posted fields: absent means unticked, for a radio only when
            // another of its group was posted.
            if posted {
                tag.set("checked", None);
            } else if kind == "checkbox" || self.values.contains_key(name.as_str()) {
                tag.remove("checked");
            }
        } else if let Some(v) = self.next_value(&name) {
            let v = v.to_string();
            tag.set("value", Some(&v));
        }
        self.mark(tag, &name);
    }

    /// The next posted value of a field (a text field repeated gets its values in order).
    fn next_value(&mut self, name: &str) -> Option<&str> {
        let vs = self.values.get(name)?;
        let n = self.taken.entry(name.to_string()).or_default();
        let v = vs.get(*n).or(vs.last()).copied();
        *n += 1;
        v
    }

    /// Marks the field the refusal names (the first one of that name).
    fn mark(&mut self, tag: &mut Tag, name: &str) {
        if self.marked_field || self.posted.field != Some(name) {
            return;
        }
        self.marked_field = true;
        tag.set("aria-invalid", Some("true"));
        let describedby = match tag.get("aria-describedby") {
            Some(d) if !d.is_empty() => format!("{REFUSAL_ID} {d}"),
            _ => REFUSAL_ID.to_string(),
        };
        tag.set("aria-describedby", Some(&describedby));
        tag.set("autofocus", None);
    }
}

/// The refusal's box ([`crate::layout::error_box`]).
fn is_refusal_box(tag: &Tag) -> bool {
    tag.get("role") == Some("alert")
        && tag
            .get("class")
            .is_some_and(|c| c.split(' ').any(|c| c == "erreur"))
}

/// Whether a form's action names the path posted to (its query and fragment aside).
fn same_path(action: &str, posted: &str) -> bool {
    let path = |s: &str| s.split(['?', '#']).next().unwrap_or("").to_string();
    !action.is_empty() && path(action) == path(posted)
}

/// Reads a tag (`<name attr="value" flag>`); `None` for what is no element tag (a comment, the doctype).
fn parse(raw: &str) -> Option<Tag> {
    let inner = raw.strip_prefix('<')?.strip_suffix('>')?;
    let (self_closing, inner) = match inner.strip_suffix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(i) => (true, i),
        None => (false, inner),
    };
    let name_end = inner
        .find(|c: char| c.is_ascii_whitespace())
        .unwrap_or(inner.len());
    let name = &inner[..name_end];
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let mut attributes = Vec::new();
    let mut rest = inner[name_end..].trim_start();
    while !rest.is_empty() {
        let end = rest
            .find(|c: char| c == '=' || c.is_ascii_whitespace())
            .unwrap_or(rest.len());
        let attr = rest[..end].to_string();
        rest = &rest[end..];
        if let Some(after) = rest.strip_prefix("=\"") {
            let close = after.find('"')?;
            attributes.push((attr, Some(unescape(&after[..close]))));
            rest = &after[close + 1..];
        } else if rest.starts_with('=') {
            // Not maud's writing: left as it is.
            return None;
        } else {
            attributes.push((attr, None));
        }
        rest = rest.trim_start();
    }
    Some(Tag {
        written: name.to_string(),
        name: name.to_ascii_lowercase(),
        closing,
        self_closing,
        attributes,
    })
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    const PAGE: &str = concat!(
        "<!DOCTYPE html><html><head><title>t</title></head><body>",
        "<svg viewBox=\"0 0 10 10\"><linearGradient id=\"g\"/><path d=\"M0 0\"/></svg>",
        "<div class=\"message erreur\" role=\"alert\"><p>non</p></div>",
        "<details class=\"modifier\"><summary>Autre</summary>",
        "<form method=\"post\" action=\"/autre\"><input type=\"text\" name=\"budget\" value=\"\"></form></details>",
        "<details class=\"modifier\"><summary>Modifier</summary>",
        "<form class=\"formulaire\" method=\"post\" action=\"/cls/fiches/3\">",
        "<input type=\"hidden\" name=\"_csrf\" value=\"jeton\">",
        "<input type=\"text\" name=\"titre\" id=\"t\" value=\"\">",
        "<input type=\"text\" name=\"budget\" id=\"b\" value=\"12\">",
        "<input type=\"password\" name=\"secret\" value=\"\">",
        "<select name=\"statut\"><option value=\"a\" selected>A</option><option value=\"b\">B &amp; C</option></select>",
        "<input type=\"checkbox\" name=\"theme\" value=\"x\" checked><input type=\"checkbox\" name=\"theme\" value=\"y\">",
        "<textarea name=\"description\" rows=\"3\">ancien</textarea>",
        "<button type=\"submit\">Enregistrer</button></form></details></body></html>"
    );

    #[test]
    fn the_posted_form_gets_its_values_back_and_its_wrong_field_marked() {
        let posted = values(&[
            ("_csrf", "autre"),
            ("titre", "Aller \"vers\" <les> & autres"),
            ("budget", "abc"),
            ("secret", "motdepasse"),
            ("statut", "b"),
            ("theme", "y"),
            ("description", "nouveau <texte>"),
        ]);
        let out = refill(
            PAGE,
            &Posted {
                action: "/cls/fiches/3",
                values: &posted,
                field: Some("budget"),
                address: Some("/cls/fiches/3"),
            },
        );
        assert!(out.contains(
            "name=\"titre\" id=\"t\" value=\"Aller &quot;vers&quot; &lt;les&gt; &amp; autres\""
        ));
        assert!(out.contains(
            "name=\"budget\" id=\"b\" value=\"abc\" aria-invalid=\"true\" aria-describedby=\"refus\" autofocus>"
        ));
        // The other form's field of the same name is neither refilled nor marked.
        assert!(out.contains("<input type=\"text\" name=\"budget\" value=\"\">"));
        assert!(out.contains("name=\"_csrf\" value=\"jeton\""));
        assert!(!out.contains("motdepasse"));
        assert!(out.contains(
            "<option value=\"a\">A</option><option value=\"b\" selected>B &amp; C</option>"
        ));
        assert!(
            out.contains(
                "value=\"x\"><input type=\"checkbox\" name=\"theme\" value=\"y\" checked>"
            )
        );
        assert!(out.contains(
            "<textarea name=\"description\" rows=\"3\">nouveau &lt;texte&gt;</textarea>"
        ));
        assert!(out.contains(
            "<div class=\"message erreur\" role=\"alert\" id=\"refus\" tabindex=\"-1\">"
        ));
        // Only the details holding the posted form open.
        assert_eq!(
            out.matches("<details open class=\"modifier\"><summary>Modifier")
                .count(),
            1
        );
        assert_eq!(out.matches("<details open").count(), 1);
        assert!(out.contains("<body data-adresse=\"/cls/fiches/3\">"));
        assert!(out.contains("<script src=\"/static/formulaires.js\" defer></script></head>"));
        assert!(out.contains(
            "<form class=\"formulaire\" method=\"post\" action=\"/cls/fiches/3\" data-refuse>"
        ));
    }

    #[test]
    fn a_page_without_the_posted_form_is_left_as_it_was_but_for_its_script() {
        let posted = values(&[("budget", "abc")]);
        let out = refill(
            PAGE,
            &Posted {
                action: "/ailleurs",
                values: &posted,
                field: Some("budget"),
                address: None,
            },
        );
        assert!(!out.contains("abc"));
        assert!(!out.contains("aria-invalid"));
        assert!(!out.contains("<details open"));
        assert!(out.contains("<body>"));
        assert!(out.contains(
            "<svg viewBox=\"0 0 10 10\"><linearGradient id=\"g\"/><path d=\"M0 0\"/></svg>"
        ));
    }
}
