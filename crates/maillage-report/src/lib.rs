//! The drawing of Maillage's documents, on plain values only (no web, no store): a [`canvas::Canvas`] that the
//! PDF writer ([`pdf`], on `pdf-writer`) implements and [`canvas::SvgCanvas`] writes as SVG, maps ([`map`]) and
//! charts ([`chart`]) drawn on it, the background map under them ([`basemap`]: streets, water, names), and the Liberation Sans fonts compiled in and embedded as subsets ([`font`]).
//! The observatory's dashboard and the crisis and network PDFs are laid out with it.

pub mod basemap;
pub mod canvas;
pub mod chart;
pub mod font;
pub mod map;
pub mod pdf;

/// A number the French way (1 234,5), for people.
pub fn number(value: f64, decimals: usize) -> String {
    let s = format!("{value:.decimals$}");
    let (int, frac) = s
        .split_once('.')
        .map_or((s.as_str(), None), |(i, f)| (i, Some(f)));
    let (sign, digits) = int.strip_prefix('-').map_or(("", int), |d| ("-", d));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{grouped},{f}"),
        None => format!("{sign}{grouped}"),
    }
}
