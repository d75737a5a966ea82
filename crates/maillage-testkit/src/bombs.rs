//! Hostile files ("bombs", issue 14) generated at test time: a few MB or KB on disk, gigabytes once expanded,
//! in exactly the published containers (xz, gzip, zip, 7z, xlsx, GeoPackage). FIXTURES, not real data.
//!
//! The expanded content is described as [`Piece`]s, a text repeated `times` times, and is never held in
//! memory: each piece is compressed once and its compressed form repeated. That is valid in every container
//! used here: xz and gzip files may hold several streams one after the other (the readers decode them as one
//! text), and a raw deflate stream may be a sequence of pieces each ended by a sync flush (byte-aligned,
//! non-final, referring to nothing before it), closed by one final empty block.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::Path;

use flate2::Compression;
use flate2::write::{DeflateEncoder, GzEncoder};

pub const MIB: u64 = 1 << 20;
pub const GIB: u64 = 1 << 30;

/// One part of an expanded text: `text` repeated `times` times.
pub struct Piece<'a> {
    pub text: &'a [u8],
    pub times: u64,
}

impl<'a> Piece<'a> {
    pub fn once(text: &'a [u8]) -> Self {
        Piece { text, times: 1 }
    }

    /// `bytes` bytes (rounded down to whole chunks) of `chunk` repeated: `chunk` should be a few MB.
    pub fn filling(chunk: &'a [u8], bytes: u64) -> Self {
        Piece {
            text: chunk,
            times: bytes / chunk.len() as u64,
        }
    }
}

/// A chunk of `len` bytes of `byte` (repeat it with [`Piece::filling`]).
pub fn chunk(byte: u8, len: u64) -> Vec<u8> {
    vec![byte; len as usize]
}

/// The size of the expanded text.
pub fn expanded_len(pieces: &[Piece]) -> u64 {
    pieces.iter().map(|p| p.text.len() as u64 * p.times).sum()
}

fn repeat_into(path: &Path, pieces: &[Piece], compress: impl Fn(&[u8]) -> Vec<u8>) {
    let mut out = BufWriter::new(File::create(path).expect("fixture file"));
    for piece in pieces {
        let compressed = compress(piece.text);
        for _ in 0..piece.times {
            out.write_all(&compressed).unwrap();
        }
    }
    out.flush().unwrap();
}

/// An `.xz` file whose text is `pieces` (one xz stream per piece, repeated).
pub fn write_xz(path: &Path, pieces: &[Piece]) {
    repeat_into(path, pieces, |text| {
        let mut w =
            lzma_rust2::XzWriter::new(Vec::new(), lzma_rust2::XzOptions::with_preset(1)).unwrap();
        w.write_all(text).unwrap();
        w.finish().unwrap()
    });
}

/// A `.gz` file whose text is `pieces` (one gzip member per piece, repeated).
pub fn write_gzip(path: &Path, pieces: &[Piece]) {
    repeat_into(path, pieces, |text| {
        let mut w = GzEncoder::new(Vec::new(), Compression::default());
        w.write_all(text).unwrap();
        w.finish().unwrap()
    });
}

/// One member of a zip written by [`write_zip`]: its raw deflate data, CRC and sizes.
pub struct ZipMember {
    pub name: String,
    deflated: Vec<u8>,
    crc: u32,
    size: u64,
}

impl ZipMember {
    /// The member holding `pieces`, deflated (see the module: each piece compressed once).
    pub fn new(name: &str, pieces: &[Piece]) -> ZipMember {
        let mut deflated = Vec::new();
        let mut crc = flate2::Crc::new();
        for piece in pieces {
            let mut w = DeflateEncoder::new(Vec::new(), Compression::default());
            w.write_all(piece.text).unwrap();
            w.flush().unwrap(); // sync flush: byte-aligned, not final
            let compressed = std::mem::take(w.get_mut());
            for _ in 0..piece.times {
                deflated.extend_from_slice(&compressed);
                crc.update(piece.text);
            }
        }
        deflated.extend(
            DeflateEncoder::new(Vec::new(), Compression::default())
                .finish()
                .unwrap(),
        );
        ZipMember {
            name: name.to_string(),
            deflated,
            crc: crc.sum(),
            size: expanded_len(pieces),
        }
    }
}

/// A zip of `members` with their true sizes declared (below 4 GiB each: no zip64).
pub fn write_zip(path: &Path, members: &[ZipMember]) {
    let mut out = BufWriter::new(File::create(path).expect("fixture file"));
    let mut central = Vec::new();
    let mut offset = 0u32;
    for m in members {
        let size = u32::try_from(m.size).expect("below 4 GiB");
        let compressed = u32::try_from(m.deflated.len()).unwrap();
        let name = m.name.as_bytes();
        // Version 2.0, no flags, deflate, 1980-01-01 00:00.
        let common = |b: &mut Vec<u8>| {
            for v in [20u16, 0, 8, 0, 0x21] {
                b.extend(v.to_le_bytes());
            }
            b.extend(m.crc.to_le_bytes());
            b.extend(compressed.to_le_bytes());
            b.extend(size.to_le_bytes());
            b.extend((name.len() as u16).to_le_bytes());
            b.extend(0u16.to_le_bytes()); // extra field
        };
        let mut local = 0x04034b50u32.to_le_bytes().to_vec();
        common(&mut local);
        local.extend(name);
        out.write_all(&local).unwrap();
        out.write_all(&m.deflated).unwrap();
        central.extend(0x02014b50u32.to_le_bytes());
        central.extend(20u16.to_le_bytes()); // made by
        common(&mut central);
        for v in [0u16, 0, 0] {
            central.extend(v.to_le_bytes()); // comment, disk, internal attributes
        }
        central.extend(0u32.to_le_bytes()); // external attributes
        central.extend(offset.to_le_bytes());
        central.extend(name);
        offset += (local.len() + m.deflated.len()) as u32;
    }
    out.write_all(&central).unwrap();
    let mut end = 0x06054b50u32.to_le_bytes().to_vec();
    for v in [0u16, 0, members.len() as u16, members.len() as u16] {
        end.extend(v.to_le_bytes());
    }
    end.extend((central.len() as u32).to_le_bytes());
    end.extend(offset.to_le_bytes());
    end.extend(0u16.to_le_bytes());
    out.write_all(&end).unwrap();
    out.flush().unwrap();
}

/// A 7z (LZMA2, as the IGN publishes) holding one member `name` whose content is `pieces`, streamed into the
/// compressor (the 7z container cannot repeat a compressed piece: keep the expanded size to a few hundred MB).
pub fn write_7z(path: &Path, name: &str, pieces: &[Piece]) {
    let mut sz = sevenz_rust2::ArchiveWriter::create(path).expect("fixture file");
    sz.set_content_methods(vec![
        sevenz_rust2::encoder_options::Lzma2Options::from_level(1).into(),
    ]);
    let mut source: Box<dyn Read + '_> = Box::new(std::io::empty());
    for p in pieces {
        source = Box::new(source.chain(Repeat {
            text: p.text,
            times: p.times,
            at: 0,
        }));
    }
    sz.push_archive_entry(sevenz_rust2::ArchiveEntry::new_file(name), Some(source))
        .unwrap();
    sz.finish().unwrap();
}

/// Reads `text` `times` times.
struct Repeat<'a> {
    text: &'a [u8],
    times: u64,
    at: usize,
}

impl Read for Repeat<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.times == 0 || self.text.is_empty() {
            return Ok(0);
        }
        let n = (self.text.len() - self.at).min(buf.len());
        buf[..n].copy_from_slice(&self.text[self.at..self.at + n]);
        self.at += n;
        if self.at == self.text.len() {
            self.at = 0;
            self.times -= 1;
        }
        Ok(n)
    }
}

/// An xlsx (the parts a workbook needs, as a spreadsheet saves them) whose one sheet « Feuille1 » has, in
/// its cell A1 of row 1, the inline text `cell` (e.g. a [`Piece::filling`] of 1 GiB).
pub fn write_xlsx_with_cell(path: &Path, cell: &[Piece]) {
    let start = b"<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>";
    let end = b"</t></is></c></row>";
    let mut rows = vec![Piece::once(start)];
    rows.extend(cell.iter().map(|p| Piece {
        text: p.text,
        times: p.times,
    }));
    rows.push(Piece::once(end));
    write_xlsx(path, &rows);
}

/// An xlsx whose one sheet « Feuille1 » holds `rows` (the XML inside `<sheetData>`).
pub fn write_xlsx(path: &Path, rows: &[Piece]) {
    const MAIN: &str = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let content_types = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Override PartName=\"/xl/workbook.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
         <Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
         </Types>".to_string();
    let root_rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>"
    );
    let workbook = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<workbook xmlns=\"{MAIN}\" xmlns:r=\"{REL}\">\
         <sheets><sheet name=\"Feuille1\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
    );
    let workbook_rels = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
         <Relationship Id=\"rId1\" Type=\"{REL}/worksheet\" Target=\"worksheets/sheet1.xml\"/></Relationships>"
    );
    let sheet_start = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet xmlns=\"{MAIN}\"><sheetData>"
    );
    let sheet_end = "</sheetData></worksheet>";
    let mut sheet = vec![Piece::once(sheet_start.as_bytes())];
    sheet.extend(rows.iter().map(|p| Piece {
        text: p.text,
        times: p.times,
    }));
    sheet.push(Piece::once(sheet_end.as_bytes()));
    write_zip(
        path,
        &[
            ZipMember::new(
                "[Content_Types].xml",
                &[Piece::once(content_types.as_bytes())],
            ),
            ZipMember::new("_rels/.rels", &[Piece::once(root_rels.as_bytes())]),
            ZipMember::new("xl/workbook.xml", &[Piece::once(workbook.as_bytes())]),
            ZipMember::new(
                "xl/_rels/workbook.xml.rels",
                &[Piece::once(workbook_rels.as_bytes())],
            ),
            ZipMember::new("xl/worksheets/sheet1.xml", &sheet),
        ],
    );
}

/// A GeoPackage (OGC 12-128 metadata tables) with one polygon layer « communes » (`code_insee`, `nom`) whose
/// one feature's geometry blob is `geometry_bytes` long (zeros, written by SQLite's `zeroblob`, never held).
pub async fn write_gpkg_with_geometry(path: &Path, geometry_bytes: u64) {
    use sqlx::Connection;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true);
    let mut conn = SqliteConnection::connect_with(&options).await.unwrap();
    for sql in [
        "PRAGMA application_id = 1196444487",
        "PRAGMA user_version = 10400",
        "CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, \
         organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, \
         description TEXT)",
        "INSERT INTO gpkg_spatial_ref_sys VALUES ('WGS 84', 4326, 'EPSG', 4326, \
         'GEOGCS[\"WGS 84\",AUTHORITY[\"EPSG\",\"4326\"]]', NULL)",
        "CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, \
         identifier TEXT UNIQUE, srs_id INTEGER)",
        "INSERT INTO gpkg_contents VALUES ('communes', 'features', 'communes', 4326)",
        "CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL, \
         geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL)",
        "INSERT INTO gpkg_geometry_columns VALUES ('communes', 'geom', 'MULTIPOLYGON', 4326, 0, 0)",
        "CREATE TABLE communes (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom BLOB, code_insee TEXT, nom TEXT)",
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .execute(&mut conn)
            .await
            .unwrap();
    }
    sqlx::query(
        "INSERT INTO communes (geom, code_insee, nom) VALUES (zeroblob($1), '69123', 'Fixture')",
    )
    .bind(geometry_bytes as i64)
    .execute(&mut conn)
    .await
    .unwrap();
    conn.close().await.unwrap();
}
