//! What maps and charts draw on: a [`Canvas`] with its origin at the top-left corner and y downwards (as in
//! SVG). The PDF writer implements it on a page; [`SvgCanvas`] writes the same drawing as SVG for web pages, so
//! a map is drawn by one piece of code whatever the output.

use super::font::{Font, Weight};
use std::fmt::Write;

pub type Rgb = (u8, u8, u8);

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    pub color: Rgb,
    pub width: f32,
    pub dash: bool,
}

impl Stroke {
    pub fn solid(color: Rgb, width: f32) -> Stroke {
        Stroke {
            color,
            width,
            dash: false,
        }
    }

    pub fn dashed(color: Rgb, width: f32) -> Stroke {
        Stroke {
            color,
            width,
            dash: true,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

pub trait Canvas {
    /// A polygon with holes (even-odd rule): rings of points.
    fn polygon(&mut self, rings: &[Vec<(f32, f32)>], fill: Option<Rgb>, stroke: Option<Stroke>);
    fn polyline(&mut self, points: &[(f32, f32)], stroke: Stroke);
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<Stroke>);
    /// One line of text; `y` is its baseline.
    #[allow(clippy::too_many_arguments)]
    fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        anchor: Anchor,
        text: &str,
    );
    fn text_width(&self, text: &str, size: f32, weight: Weight) -> f32;
    /// A label of the background map: centred on (`x`, `y`) (its baseline a third of its size below), turned by
    /// `angle` degrees clockwise, with a white halo that keeps it legible over streets and colours.
    #[allow(clippy::too_many_arguments)]
    fn label(
        &mut self,
        x: f32,
        y: f32,
        angle: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: &str,
    );
    /// Fills drawn from now on let what is under them show through (a choropleth over the background map),
    /// until called with `false`.
    fn translucent(&mut self, on: bool);
    /// Restricts drawing to a rectangle until [`Canvas::end_clip`].
    fn clip(&mut self, x: f32, y: f32, w: f32, h: f32);
    fn end_clip(&mut self);
}

/// An SVG drawing (text measured with the same fonts as the PDF).
pub struct SvgCanvas {
    out: String,
    regular: Font,
    bold: Font,
    clips: usize,
    open_groups: usize,
    translucent: bool,
    width: f32,
    height: f32,
    /// The prefix of the ids the drawing defines (title, description, clips): unique per drawing of a page.
    id: String,
}

fn color(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c.0, c.1, c.2)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The share of what lies under a translucent fill that shows through it.
pub const TRANSLUCENT_OPACITY: f32 = 0.72;

fn paint(fill: Option<Rgb>, stroke: Option<Stroke>, translucent: bool) -> String {
    let mut s = match fill {
        Some(f) => format!(" fill=\"{}\"", color(f)),
        None => " fill=\"none\"".into(),
    };
    if translucent && fill.is_some() {
        let _ = write!(s, " fill-opacity=\"{TRANSLUCENT_OPACITY}\"");
    }
    if let Some(st) = stroke {
        let _ = write!(
            s,
            " stroke=\"{}\" stroke-width=\"{}\"",
            color(st.color),
            st.width
        );
        if st.dash {
            s.push_str(" stroke-dasharray=\"3 2\"");
        }
    }
    s
}

impl SvgCanvas {
    pub fn new(width: f32, height: f32) -> SvgCanvas {
        SvgCanvas {
            out: String::new(),
            regular: Font::new(Weight::Regular),
            bold: Font::new(Weight::Bold),
            clips: 0,
            open_groups: 0,
            translucent: false,
            width,
            height,
            id: "svg".into(),
        }
    }

    /// The same canvas with its ids prefixed by `id` ("carte", "graphique"): two drawings on one page need two.
    pub fn with_id(mut self, id: &str) -> SvgCanvas {
        self.id = id.to_string();
        self
    }

    /// The SVG document, with a title and description for screen readers.
    pub fn finish(mut self, title: &str, description: &str) -> String {
        for _ in 0..self.open_groups {
            self.out.push_str("</g>");
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
             role=\"img\" aria-labelledby=\"{id}-titre {id}-desc\" font-family=\"Liberation Sans, Arial, sans-serif\">\
             <title id=\"{id}-titre\">{t}</title><desc id=\"{id}-desc\">{d}</desc>{body}</svg>",
            id = self.id,
            w = self.width,
            h = self.height,
            t = escape(title),
            d = escape(description),
            body = self.out
        )
    }
}

impl SvgCanvas {
    /// A standalone SVG file with a title only (a map tile, shown in an `<img>` that says what it is).
    pub fn finish_bare(mut self, title: &str) -> String {
        for _ in 0..self.open_groups {
            self.out.push_str("</g>");
        }
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
             font-family=\"Liberation Sans, Arial, sans-serif\"><title>{t}</title>{body}</svg>",
            w = self.width,
            h = self.height,
            t = escape(title),
            body = self.out
        )
    }
}

impl Canvas for SvgCanvas {
    fn polygon(&mut self, rings: &[Vec<(f32, f32)>], fill: Option<Rgb>, stroke: Option<Stroke>) {
        let mut d = String::new();
        for ring in rings.iter().filter(|r| r.len() >= 3) {
            for (i, (x, y)) in ring.iter().enumerate() {
                let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { "L" });
            }
            d.push('Z');
        }
        let _ = write!(
            self.out,
            "<path d=\"{d}\" fill-rule=\"evenodd\"{}/>",
            paint(fill, stroke, self.translucent)
        );
    }

    fn polyline(&mut self, points: &[(f32, f32)], stroke: Stroke) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            self.out,
            "<polyline points=\"{}\"{}/>",
            pts.join(" "),
            paint(None, Some(stroke), false)
        );
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<Stroke>) {
        let _ = write!(
            self.out,
            "<rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"{}/>",
            paint(fill, stroke, self.translucent)
        );
    }

    fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color_: Rgb,
        anchor: Anchor,
        text: &str,
    ) {
        let anchor = match anchor {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        };
        let bold = if weight == Weight::Bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let _ = write!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{y:.1}\" font-size=\"{size}\" text-anchor=\"{anchor}\" fill=\"{}\"{bold}>{}</text>",
            color(color_),
            escape(text)
        );
    }

    fn text_width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        match weight {
            Weight::Regular => self.regular.width(text, size),
            Weight::Bold => self.bold.width(text, size),
        }
    }

    fn label(
        &mut self,
        x: f32,
        y: f32,
        angle: f32,
        size: f32,
        weight: Weight,
        color_: Rgb,
        text: &str,
    ) {
        let bold = if weight == Weight::Bold {
            " font-weight=\"bold\""
        } else {
            ""
        };
        let turn = if angle.abs() > 0.5 {
            format!(" transform=\"rotate({angle:.1} {x:.1} {y:.1})\"")
        } else {
            String::new()
        };
        let _ = write!(
            self.out,
            "<text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"{size}\" text-anchor=\"middle\" fill=\"{}\"{bold}{turn} \
             stroke=\"#ffffff\" stroke-width=\"{:.1}\" stroke-linejoin=\"round\" paint-order=\"stroke\">{}</text>",
            y + size / 3.0,
            color(color_),
            (size / 4.0).max(1.5),
            escape(text)
        );
    }

    fn translucent(&mut self, on: bool) {
        self.translucent = on;
    }

    fn clip(&mut self, x: f32, y: f32, w: f32, h: f32) {
        self.clips += 1;
        let id = format!("{}-decoupe-{}", self.id, self.clips);
        let _ = write!(
            self.out,
            "<clipPath id=\"{id}\"><rect x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\"/></clipPath>\
             <g clip-path=\"url(#{id})\">"
        );
        self.open_groups += 1;
    }

    fn end_clip(&mut self) {
        if self.open_groups > 0 {
            self.out.push_str("</g>");
            self.open_groups -= 1;
        }
    }
}
