//! The report's fonts: Liberation Sans (SIL OFL 1.1, in `fonts/`), compiled into the binary, measured with
//! `ttf-parser` and embedded in each PDF as a subset (only the glyphs used) so that reports look the same
//! everywhere and stay small. No system font is read at run time.
//!
//! Text is written with 2-byte codes equal to the glyph ids of the full font (Identity-H encoding); the subset
//! renumbers glyphs, which the `CIDToGIDMap` of the PDF font absorbs. A `ToUnicode` map makes the text
//! searchable and extractable.

use std::collections::BTreeMap;

const REGULAR: &[u8] = include_bytes!("fonts/LiberationSans-Regular.ttf");
const BOLD: &[u8] = include_bytes!("fonts/LiberationSans-Bold.ttf");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Weight {
    Regular,
    Bold,
}

pub struct Font {
    pub weight: Weight,
    pub data: &'static [u8],
    face: ttf_parser::Face<'static>,
    pub units_per_em: f32,
    /// Every glyph drawn, with the character it stands for.
    pub used: BTreeMap<u16, char>,
}

impl Font {
    pub fn new(weight: Weight) -> Font {
        let data = match weight {
            Weight::Regular => REGULAR,
            Weight::Bold => BOLD,
        };
        // The fonts are part of the binary (and parsed by the tests): failing here is a build defect.
        let face = ttf_parser::Face::parse(data, 0).expect("the embedded font parses");
        Font {
            weight,
            data,
            units_per_em: f32::from(face.units_per_em()),
            face,
            used: BTreeMap::new(),
        }
    }

    /// PostScript name of the font, as the PDF names it.
    pub fn base_name(&self) -> &'static str {
        match self.weight {
            Weight::Regular => "LiberationSans",
            Weight::Bold => "LiberationSans-Bold",
        }
    }

    pub fn face(&self) -> &ttf_parser::Face<'static> {
        &self.face
    }

    /// The glyph drawn for a character: itself, a plain space for the spaces the font lacks (the narrow no-break
    /// space of French numbers), or the "missing glyph" box.
    fn glyph(&self, c: char) -> (u16, char) {
        if let Some(g) = self.face.glyph_index(c) {
            return (g.0, c);
        }
        let substitute = match c {
            '\u{202f}' | '\u{2009}' | '\u{2007}' => '\u{a0}',
            '\u{2011}' => '-',
            _ => c,
        };
        match self.face.glyph_index(substitute) {
            Some(g) => (g.0, substitute),
            None => match self.face.glyph_index(' ') {
                Some(g) if c.is_whitespace() => (g.0, ' '),
                _ => (0, c),
            },
        }
    }

    /// Advance of a glyph in thousandths of the font size (PDF glyph space).
    pub fn advance(&self, glyph: u16) -> f32 {
        self.face
            .glyph_hor_advance(ttf_parser::GlyphId(glyph))
            .map_or(0.0, |a| f32::from(a) * 1000.0 / self.units_per_em)
    }

    /// The width of a text at a size, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars()
            .map(|c| self.advance(self.glyph(c).0))
            .sum::<f32>()
            * size
            / 1000.0
    }

    /// The text as 2-byte glyph codes, remembering the glyphs used.
    pub fn encode(&mut self, text: &str) -> Vec<u8> {
        let mut out = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let (g, shown) = self.glyph(c);
            self.used.entry(g).or_insert(shown);
            out.extend(g.to_be_bytes());
        }
        out
    }

    /// Ascender, descender and cap height in thousandths of the size.
    pub fn metrics(&self) -> (f32, f32, f32) {
        let k = 1000.0 / self.units_per_em;
        (
            f32::from(self.face.ascender()) * k,
            f32::from(self.face.descender()) * k,
            f32::from(self.face.capital_height().unwrap_or(self.face.ascender())) * k,
        )
    }

    /// The font's bounding box in thousandths of the size.
    pub fn bbox(&self) -> [f32; 4] {
        let k = 1000.0 / self.units_per_em;
        let b = self.face.global_bounding_box();
        [
            f32::from(b.x_min) * k,
            f32::from(b.y_min) * k,
            f32::from(b.x_max) * k,
            f32::from(b.y_max) * k,
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_text_is_measured_and_encoded_with_real_glyphs() {
        let mut f = Font::new(Weight::Regular);
        let text = "Densité « QPV » : 12,5 — œuvre à l’été";
        let codes = f.encode(text);
        assert_eq!(codes.len(), text.chars().count() * 2);
        // No character of French text falls back to the missing-glyph box.
        assert!(!f.used.contains_key(&0), "{:?}", f.used);
        assert!(f.width("Mmmm", 10.0) > f.width("iiii", 10.0));
        // The narrow no-break space of French numbers ([`crate::number`]) has a real glyph too.
        let mut g = Font::new(Weight::Bold);
        g.encode(&crate::number(1234.0, 0));
        assert_eq!(g.used.len(), 5, "{:?}", g.used);
        assert!(!g.used.contains_key(&0), "{:?}", g.used);
        // A character the font lacks is drawn as the missing-glyph box, not dropped.
        let mut h = Font::new(Weight::Regular);
        assert_eq!(h.encode("\u{1F600}"), vec![0, 0]);
    }
}
