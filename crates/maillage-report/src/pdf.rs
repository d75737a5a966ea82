//! A small A4 document writer on top of `pdf-writer`: headings, wrapped paragraphs, tables that break across
//! pages with their header repeated, figures drawn on a [`Canvas`], a footer with page numbers, and the
//! embedded subset fonts of [`super::font`]. It writes what a dashboard needs and nothing more; the PDF is
//! compressed (Flate), in French (`/Lang fr-FR`), with its title in the document information.

use super::canvas::{Anchor, Canvas, Rgb, Stroke};
use super::font::{Font, Weight};
use flate2::Compression;
use flate2::write::ZlibEncoder;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo, UnicodeCmap};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::io::Write;

pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const MARGIN: f32 = 48.0;
/// Width of the text column.
pub const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const TOP: f32 = PAGE_H - MARGIN;
/// Lowest baseline of the body (the footer lies below).
const BOTTOM: f32 = 60.0;

pub const INK: Rgb = (0x1f, 0x29, 0x33);
pub const MUTED: Rgb = (0x55, 0x5f, 0x6b);
pub const ACCENT: Rgb = (0x00, 0x4a, 0x8f);
const RULE: Rgb = (0xc4, 0xcb, 0xd3);
const HEADER_BG: Rgb = (0xe6, 0xed, 0xf5);
const ZEBRA: Rgb = (0xf5, 0xf7, 0xfa);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

/// A table to draw: columns (header, share of the width, alignment) and rows of text.
pub struct PdfTable {
    pub caption: String,
    pub columns: Vec<(String, f32, Align)>,
    pub rows: Vec<Vec<String>>,
}

pub struct Doc {
    regular: Font,
    bold: Font,
    pages: Vec<Content>,
    /// Baseline of the next line, in PDF coordinates (from the bottom of the page).
    pub y: f32,
    title: String,
    footer: String,
}

fn rgb(c: Rgb) -> (f32, f32, f32) {
    (
        f32::from(c.0) / 255.0,
        f32::from(c.1) / 255.0,
        f32::from(c.2) / 255.0,
    )
}

fn font_name(w: Weight) -> Name<'static> {
    match w {
        Weight::Regular => Name(b"F1"),
        Weight::Bold => Name(b"F2"),
    }
}

impl Doc {
    pub fn new(title: &str, footer: &str) -> Doc {
        let mut d = Doc {
            regular: Font::new(Weight::Regular),
            bold: Font::new(Weight::Bold),
            pages: Vec::new(),
            y: TOP,
            title: title.to_string(),
            footer: footer.to_string(),
        };
        d.new_page();
        d
    }

    fn font(&self, w: Weight) -> &Font {
        match w {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    pub fn text_width(&self, text: &str, size: f32, w: Weight) -> f32 {
        self.font(w).width(text, size)
    }

    fn content(&mut self) -> &mut Content {
        if self.pages.is_empty() {
            self.pages.push(Content::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// One line of text at a point of the current page (PDF coordinates).
    pub fn draw_text(&mut self, x: f32, y: f32, size: f32, w: Weight, color: Rgb, text: &str) {
        self.content();
        let page = self.pages.len() - 1;
        self.draw_text_on(page, x, y, size, w, color, text);
    }

    #[allow(clippy::too_many_arguments)]
    fn draw_text_on(
        &mut self,
        page: usize,
        x: f32,
        y: f32,
        size: f32,
        w: Weight,
        color: Rgb,
        text: &str,
    ) {
        let codes = match w {
            Weight::Regular => self.regular.encode(text),
            Weight::Bold => self.bold.encode(text),
        };
        let (r, g, b) = rgb(color);
        self.pages[page]
            .begin_text()
            .set_font(font_name(w), size)
            .set_fill_rgb(r, g, b)
            .next_line(x, y)
            .show(Str(&codes))
            .end_text();
    }

    pub fn new_page(&mut self) {
        self.pages.push(Content::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` points still fit above the footer.
    pub fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM {
            self.new_page();
        }
    }

    pub fn space(&mut self, h: f32) {
        self.y -= h;
    }

    /// Greedy line breaking on spaces; a word longer than the line is cut.
    pub fn wrap(&self, text: &str, size: f32, w: Weight, width: f32) -> Vec<String> {
        let font = self.font(w);
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if font.width(&candidate, size) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it where it overflows.
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if font.width(&piece, size) > width && piece.chars().count() > 1 {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                line = piece;
            }
            lines.push(line);
        }
        lines
    }

    /// A heading (level 1: section with a rule, level 2: sub-section), kept with what follows it.
    pub fn heading(&mut self, text: &str, level: u8) {
        let size = if level <= 1 { 14.0 } else { 11.5 };
        self.ensure(size * 2.0 + 60.0);
        self.y -= if level <= 1 { 14.0 } else { 8.0 };
        let lines = self.wrap(text, size, Weight::Bold, WIDTH);
        for l in lines {
            self.y -= size;
            self.draw_text(MARGIN, self.y, size, Weight::Bold, ACCENT, &l);
            self.y -= size * 0.3;
        }
        if level <= 1 {
            let y = self.y - 2.0;
            let (r, g, b) = rgb(RULE);
            self.content()
                .set_stroke_rgb(r, g, b)
                .set_line_width(0.8)
                .move_to(MARGIN, y)
                .line_to(MARGIN + WIDTH, y)
                .stroke();
            self.y -= 8.0;
        } else {
            self.y -= 3.0;
        }
    }

    /// A wrapped paragraph.
    pub fn paragraph(&mut self, text: &str, size: f32, w: Weight, color: Rgb) {
        self.paragraph_at(MARGIN, WIDTH, text, size, w, color);
    }

    fn paragraph_at(&mut self, x: f32, width: f32, text: &str, size: f32, w: Weight, color: Rgb) {
        let leading = size * 1.35;
        for l in self.wrap(text, size, w, width) {
            self.ensure(leading);
            self.y -= leading;
            self.draw_text(x, self.y + size * 0.25, size, w, color, &l);
        }
        self.y -= size * 0.5;
    }

    /// A list with bullets.
    pub fn bullets(&mut self, items: &[String], size: f32) {
        for item in items {
            self.ensure(size * 1.4);
            let top = self.y;
            self.draw_text(
                MARGIN + 4.0,
                top - size * 1.35 + size * 0.25,
                size,
                Weight::Regular,
                INK,
                "•",
            );
            self.paragraph_at(
                MARGIN + 14.0,
                WIDTH - 14.0,
                item,
                size,
                Weight::Regular,
                INK,
            );
        }
    }

    /// A table; rows never split across pages, the header is repeated on each page.
    pub fn table(&mut self, t: &PdfTable) {
        const SIZE: f32 = 8.5;
        const PAD: f32 = 3.5;
        let leading = SIZE * 1.25;
        let total: f32 = t.columns.iter().map(|c| c.1).sum::<f32>().max(0.01);
        let widths: Vec<f32> = t.columns.iter().map(|c| c.1 / total * WIDTH).collect();
        let header: Vec<Vec<String>> = t
            .columns
            .iter()
            .zip(&widths)
            .map(|(c, w)| self.wrap(&c.0, SIZE, Weight::Bold, w - 2.0 * PAD))
            .collect();
        let header_h = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * PAD;
        let rows: Vec<Vec<Vec<String>>> = t
            .rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(&widths)
                    .enumerate()
                    .map(|(c, (cell, w))| {
                        // The first column is bold: measured bold.
                        let weight = if c == 0 {
                            Weight::Bold
                        } else {
                            Weight::Regular
                        };
                        self.wrap(cell, SIZE, weight, w - 2.0 * PAD)
                    })
                    .collect()
            })
            .collect();
        let first_h = rows.first().map_or(0.0, |r| {
            r.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * PAD
        });
        // Caption, header and the first row together.
        self.ensure(SIZE * 2.0 + header_h + first_h + 6.0);
        if !t.caption.is_empty() {
            self.y -= SIZE * 1.4;
            self.draw_text(MARGIN, self.y, SIZE + 0.5, Weight::Bold, MUTED, &t.caption);
            self.y -= 5.0;
        }
        self.table_header(&header, &widths, header_h, &t.columns, leading, SIZE, PAD);
        for (i, row) in rows.iter().enumerate() {
            let h = row.iter().map(Vec::len).max().unwrap_or(1) as f32 * leading + 2.0 * PAD;
            if self.y - h < BOTTOM {
                self.new_page();
                self.table_header(&header, &widths, header_h, &t.columns, leading, SIZE, PAD);
            }
            if i % 2 == 1 {
                let (r, g, b) = rgb(ZEBRA);
                let y = self.y - h;
                self.content()
                    .set_fill_rgb(r, g, b)
                    .rect(MARGIN, y, WIDTH, h)
                    .fill_nonzero();
            }
            let mut x = MARGIN;
            for (c, (lines, w)) in row.iter().zip(&widths).enumerate() {
                let weight = if c == 0 {
                    Weight::Bold
                } else {
                    Weight::Regular
                };
                for (k, l) in lines.iter().enumerate() {
                    let base = self.y - PAD - (k as f32 + 1.0) * leading + SIZE * 0.25;
                    let tx = match t.columns[c].2 {
                        Align::Left => x + PAD,
                        Align::Right => x + w - PAD - self.text_width(l, SIZE, weight),
                    };
                    self.draw_text(tx, base, SIZE, weight, INK, l);
                }
                x += w;
            }
            self.y -= h;
            let (r, g, b) = rgb(RULE);
            let y = self.y;
            self.content()
                .set_stroke_rgb(r, g, b)
                .set_line_width(0.4)
                .move_to(MARGIN, y)
                .line_to(MARGIN + WIDTH, y)
                .stroke();
        }
        self.y -= 10.0;
    }

    #[allow(clippy::too_many_arguments)]
    fn table_header(
        &mut self,
        header: &[Vec<String>],
        widths: &[f32],
        h: f32,
        columns: &[(String, f32, Align)],
        leading: f32,
        size: f32,
        pad: f32,
    ) {
        let (r, g, b) = rgb(HEADER_BG);
        let y = self.y - h;
        self.content()
            .set_fill_rgb(r, g, b)
            .rect(MARGIN, y, WIDTH, h)
            .fill_nonzero();
        let mut x = MARGIN;
        for (c, (lines, w)) in header.iter().zip(widths).enumerate() {
            for (k, l) in lines.iter().enumerate() {
                let base = self.y - pad - (k as f32 + 1.0) * leading + size * 0.25;
                let tx = match columns[c].2 {
                    Align::Left => x + pad,
                    Align::Right => x + w - pad - self.text_width(l, size, Weight::Bold),
                };
                self.draw_text(tx, base, size, Weight::Bold, INK, l);
            }
            x += w;
        }
        self.y -= h;
    }

    /// A figure of `height` points across the text column, drawn by `draw` on a canvas whose origin is its
    /// top-left corner (y downwards, as in SVG).
    pub fn figure(&mut self, height: f32, draw: impl FnOnce(&mut dyn Canvas, f32, f32)) {
        self.ensure(height + 4.0);
        let top = self.y - 4.0;
        let mut canvas = PdfCanvas {
            doc: self,
            x0: MARGIN,
            top,
        };
        draw(&mut canvas, WIDTH, height);
        self.y = top - height - 6.0;
    }

    /// The finished PDF file.
    pub fn finish(mut self) -> Vec<u8> {
        let total = self.pages.len();
        let footer = self.footer.clone();
        let (r, g, b) = rgb(RULE);
        for i in 0..total {
            let label = format!("Page {} / {total}", i + 1);
            let label_w = self.text_width(&label, 7.5, Weight::Regular);
            self.pages[i]
                .set_stroke_rgb(r, g, b)
                .set_line_width(0.5)
                .set_dash_pattern([], 0.0)
                .move_to(MARGIN, 44.0)
                .line_to(PAGE_W - MARGIN, 44.0)
                .stroke();
            self.draw_text_on(i, MARGIN, 32.0, 7.5, Weight::Regular, MUTED, &footer);
            let x = PAGE_W - MARGIN - label_w;
            self.draw_text_on(i, x, 32.0, 7.5, Weight::Regular, MUTED, &label);
        }
        self.write()
    }

    fn write(self) -> Vec<u8> {
        let mut pdf = Pdf::new();
        let mut next = Ref::new(1);
        let catalog = next.bump();
        let tree = next.bump();
        let info = next.bump();
        let fonts = [next.bump(), next.bump()];
        // The graphics states a canvas switches between: opaque fills, and translucent ones over a background map.
        let states = [next.bump(), next.bump()];
        pdf.ext_graphics(states[0]).non_stroking_alpha(1.0);
        pdf.ext_graphics(states[1])
            .non_stroking_alpha(crate::canvas::TRANSLUCENT_OPACITY);
        let page_ids: Vec<(Ref, Ref)> = (0..self.pages.len())
            .map(|_| (next.bump(), next.bump()))
            .collect();

        pdf.catalog(catalog)
            .pages(tree)
            .lang(TextStr("fr-FR"))
            .viewer_preferences()
            .display_doc_title(true);
        pdf.pages(tree)
            .kids(page_ids.iter().map(|(p, _)| *p))
            .count(page_ids.len() as i32);
        pdf.document_info(info)
            .title(TextStr(&self.title))
            .producer(TextStr("Maillage"))
            .creator(TextStr("Maillage — tableau de bord santé"));

        for (content, (page, stream)) in self.pages.into_iter().zip(&page_ids) {
            let mut p = pdf.page(*page);
            p.parent(tree)
                .media_box(Rect::new(0.0, 0.0, PAGE_W, PAGE_H))
                .contents(*stream);
            let mut resources = p.resources();
            resources
                .fonts()
                .pair(Name(b"F1"), fonts[0])
                .pair(Name(b"F2"), fonts[1]);
            resources
                .ext_g_states()
                .pair(Name(OPAQUE_STATE), states[0])
                .pair(Name(TRANSLUCENT_STATE), states[1]);
            resources.finish();
            p.finish();
            let data = compress(&content.finish().into_vec());
            pdf.stream(*stream, &data).filter(Filter::FlateDecode);
        }
        for (font, id) in [(&self.regular, fonts[0]), (&self.bold, fonts[1])] {
            write_font(&mut pdf, &mut next, font, id);
        }
        pdf.finish()
    }
}

const OPAQUE_STATE: &[u8] = b"GS0";
const TRANSLUCENT_STATE: &[u8] = b"GS1";

fn compress(data: &[u8]) -> Vec<u8> {
    let mut e = ZlibEncoder::new(Vec::new(), Compression::default());
    // Writing to a Vec cannot fail.
    let _ = e.write_all(data);
    e.finish().unwrap_or_default()
}

/// Six capital letters naming a subset, derived from the glyphs it holds (PDF 32000 §9.6.4).
fn subset_tag(glyphs: &[u16], weight: Weight) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ weight as u64;
    for g in glyphs {
        h = (h ^ u64::from(*g)).wrapping_mul(0x0100_0000_01b3);
    }
    (0..6)
        .map(|i| char::from(b'A' + ((h >> (i * 5)) % 26) as u8))
        .collect()
}

/// The font as a Type 0 font with a CIDFontType2 descendant, its subset embedded.
fn write_font(pdf: &mut Pdf, next: &mut Ref, font: &Font, type0: Ref) {
    let cid = next.bump();
    let descriptor = next.bump();
    let file = next.bump();
    let to_unicode = next.bump();
    let cid_map = next.bump();

    let glyphs: Vec<u16> = font.used.keys().copied().collect();
    let mut remapper = subsetter::GlyphRemapper::new();
    for g in &glyphs {
        remapper.remap(*g);
    }
    // The subset; should the subsetter fail on a glyph, the whole font is embedded instead (bigger, same text).
    let (data, subset) = match subsetter::subset(font.data, 0, &remapper) {
        Ok(d) => (d, true),
        Err(_) => (font.data.to_vec(), false),
    };
    let name = if subset {
        format!("{}+{}", subset_tag(&glyphs, font.weight), font.base_name())
    } else {
        font.base_name().to_string()
    };

    pdf.type0_font(type0)
        .base_font(Name(name.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(to_unicode);

    let mut c = pdf.cid_font(cid);
    c.subtype(CidFontType::Type2)
        .base_font(Name(name.as_bytes()))
        .system_info(SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"Identity"),
            supplement: 0,
        })
        .font_descriptor(descriptor)
        .default_width(0.0);
    if subset {
        c.cid_to_gid_map_stream(cid_map);
    } else {
        c.cid_to_gid_map_predefined(Name(b"Identity"));
    }
    {
        let mut w = c.widths();
        for g in &glyphs {
            w.consecutive(*g, [font.advance(*g)]);
        }
    }
    c.finish();

    let (ascent, descent, cap) = font.metrics();
    let b = font.bbox();
    pdf.font_descriptor(descriptor)
        .name(Name(name.as_bytes()))
        .flags(FontFlags::NON_SYMBOLIC)
        .bbox(Rect::new(b[0], b[1], b[2], b[3]))
        .italic_angle(0.0)
        .ascent(ascent)
        .descent(descent)
        .cap_height(cap)
        .stem_v(if font.weight == Weight::Bold {
            140.0
        } else {
            80.0
        })
        .font_file2(file);

    let compressed = compress(&data);
    pdf.stream(file, &compressed)
        .filter(Filter::FlateDecode)
        .pair(Name(b"Length1"), data.len() as i32);

    let mut cmap = UnicodeCmap::new(
        Name(b"Maillage-UTF16"),
        SystemInfo {
            registry: Str(b"Adobe"),
            ordering: Str(b"UCS"),
            supplement: 0,
        },
    );
    for (g, c) in &font.used {
        cmap.pair(*g, *c);
    }
    let cmap = cmap.finish();
    pdf.cmap(to_unicode, cmap.as_slice());

    if subset {
        let max = glyphs.iter().copied().max().unwrap_or(0);
        let mut map = Vec::with_capacity((usize::from(max) + 1) * 2);
        for cid in 0..=max {
            map.extend(remapper.get(cid).unwrap_or(0).to_be_bytes());
        }
        let compressed = compress(&map);
        pdf.stream(cid_map, &compressed).filter(Filter::FlateDecode);
    }
}

/// Drawing into a region of the current page.
struct PdfCanvas<'a> {
    doc: &'a mut Doc,
    x0: f32,
    top: f32,
}

impl PdfCanvas<'_> {
    fn p(&self, x: f32, y: f32) -> (f32, f32) {
        (self.x0 + x, self.top - y)
    }

    fn paint(&mut self, fill: Option<Rgb>, stroke: Option<Stroke>, even_odd: bool) {
        let c = self.doc.content();
        if let Some(f) = fill {
            let (r, g, b) = rgb(f);
            c.set_fill_rgb(r, g, b);
        }
        if let Some(s) = stroke {
            let (r, g, b) = rgb(s.color);
            c.set_stroke_rgb(r, g, b).set_line_width(s.width);
            if s.dash {
                c.set_dash_pattern([3.0, 2.0], 0.0);
            } else {
                c.set_dash_pattern([], 0.0);
            }
        }
        match (fill.is_some(), stroke.is_some(), even_odd) {
            (true, true, true) => c.fill_even_odd_and_stroke(),
            (true, true, false) => c.fill_nonzero_and_stroke(),
            (true, false, true) => c.fill_even_odd(),
            (true, false, false) => c.fill_nonzero(),
            (false, true, _) => c.stroke(),
            (false, false, _) => c.end_path(),
        };
    }
}

impl Canvas for PdfCanvas<'_> {
    fn polygon(&mut self, rings: &[Vec<(f32, f32)>], fill: Option<Rgb>, stroke: Option<Stroke>) {
        for ring in rings.iter().filter(|r| r.len() >= 3) {
            let (x, y) = self.p(ring[0].0, ring[0].1);
            self.doc.content().move_to(x, y);
            for &(px, py) in &ring[1..] {
                let (x, y) = self.p(px, py);
                self.doc.content().line_to(x, y);
            }
            self.doc.content().close_path();
        }
        self.paint(fill, stroke, true);
    }

    fn polyline(&mut self, points: &[(f32, f32)], stroke: Stroke) {
        if let Some(first) = points.first() {
            let (x, y) = self.p(first.0, first.1);
            self.doc.content().move_to(x, y);
            for &(px, py) in &points[1..] {
                let (x, y) = self.p(px, py);
                self.doc.content().line_to(x, y);
            }
            self.paint(None, Some(stroke), false);
        }
    }

    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<Stroke>) {
        let (px, py) = self.p(x, y + h);
        self.doc.content().rect(px, py, w, h);
        self.paint(fill, stroke, false);
    }

    fn text(
        &mut self,
        x: f32,
        y: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        anchor: Anchor,
        text: &str,
    ) {
        let w = self.doc.text_width(text, size, weight);
        let x = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - w / 2.0,
            Anchor::End => x - w,
        };
        let (px, py) = self.p(x, y);
        self.doc.draw_text(px, py, size, weight, color, text);
    }

    fn text_width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        self.doc.text_width(text, size, weight)
    }

    fn label(
        &mut self,
        x: f32,
        y: f32,
        angle: f32,
        size: f32,
        weight: Weight,
        color: Rgb,
        text: &str,
    ) {
        // Turned about its centre: the page's y axis points up, so a clockwise angle on the canvas is negative.
        let (px, py) = self.p(x, y);
        let w = self.doc.text_width(text, size, weight);
        let (sin, cos) = (-angle).to_radians().sin_cos();
        self.doc
            .content()
            .save_state()
            .transform([cos, sin, -sin, cos, px, py]);
        self.doc
            .draw_text(-w / 2.0, -size / 3.0, size, weight, color, text);
        self.doc.content().restore_state();
    }

    fn translucent(&mut self, on: bool) {
        let state = if on { TRANSLUCENT_STATE } else { OPAQUE_STATE };
        self.doc.content().set_parameters(Name(state));
    }

    fn clip(&mut self, x: f32, y: f32, w: f32, h: f32) {
        let (px, py) = self.p(x, y + h);
        self.doc
            .content()
            .save_state()
            .rect(px, py, w, h)
            .clip_nonzero()
            .end_path();
    }

    fn end_clip(&mut self) {
        self.doc.content().restore_state();
    }
}
