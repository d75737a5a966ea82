//! French wording of `maillage-formats` errors and warnings.

use crate::{Cut, French};
use maillage_formats::error::expected;
use maillage_formats::{
    FormatError, FormatErrorKind, FormatWarning, JsonProblem, JsonSyntax, Location, WarningKind,
};

impl French for Location {
    fn french(&self) -> String {
        let mut s = format!("fichier « {} »", self.file.display());
        if let Some(layer) = &self.layer {
            s.push_str(&format!(", couche « {layer} »", layer = Cut(layer)));
        }
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(", feuille « {sheet} »", sheet = Cut(sheet)));
        }
        if let Some(line) = self.line {
            s.push_str(&format!(", ligne {line}"));
        }
        if let Some(column) = self.column {
            s.push_str(&format!(", colonne {column}", column = Cut(column)));
        }
        if let Some(field) = &self.field {
            s.push_str(&format!(" (champ « {field} »)", field = Cut(field)));
        }
        if let Some(feature) = self.feature {
            s.push_str(&format!(", objet n° {}", feature + 1));
        }
        s
    }
}

/// What a value should have been, in French.
fn expected_value(token: &str) -> &str {
    match token {
        expected::NUMBER => "un nombre",
        expected::INTEGER => "un nombre entier",
        expected::DATE => "une date AAAA-MM-JJ",
        expected::COMMUNE_CODE => "un code commune INSEE à 5 caractères",
        expected::DEPARTEMENT_CODE => "un code de département (01 à 95, 2A, 2B, 971 à 976)",
        expected::IRIS_CODE => "un code IRIS à 9 caractères",
        expected::FINESS_NUMBER => "un numéro FINESS à 9 caractères",
        expected::RECORD_TYPE => "un type d'enregistrement FINESS (structureet ou geolocalisation)",
        expected::COORDINATE => "une coordonnée numérique",
        expected::HEX_WKB => "une géométrie WKB en hexadécimal",
        expected::YEAR => "une année",
        expected::QPV_CODE => "un code de quartier prioritaire à 8 caractères (QP… ou QN…)",
        expected::ZONAGE_CELL => "une cellule de moins de 20 000 caractères",
        expected::SHORT_CELL => "une cellule de moins de 200 caractères",
        expected::NATIONAL_ID => {
            "un identifiant national de l'Annuaire santé (8 suivi des 11 chiffres du RPPS, 0 suivi des 9 \
             caractères de l'ADELI) ou un numéro RPPS à 11 chiffres"
        }
        expected::ACT_COUNT => "un nombre d'actes entre 0 et 100 000 par an",
        other => other,
    }
}

impl French for FormatErrorKind {
    fn french(&self) -> String {
        use FormatErrorKind::*;
        match self {
            Io(e) => format!("lecture impossible ({e}) ; vérifiez le chemin et les droits du fichier", e = Cut(e)),
            NotFound => "ce fichier n'existe pas ; vérifiez le chemin (pour un Shapefile, les fichiers .shp, .shx \
                         et .dbf doivent être côte à côte)"
                .into(),
            Empty => "le fichier est vide ; téléchargez-le à nouveau depuis sa source officielle".into(),
            WrongKind { expected, hint } => {
                let mut s = format!("ce n'est pas un fichier {expected}");
                if let Some(h) = hint {
                    s.push_str(&format!(" : il ressemble à un fichier {h}", h = Cut(h)));
                }
                match hint
                    .as_deref()
                    .and_then(maillage_formats::FileKind::from_label)
                    .and_then(|k| k.import_command())
                {
                    Some(command) => s.push_str(&format!(" ; utilisez « maillage import {command} »")),
                    None => s.push_str(" ; vérifiez le type d'import choisi"),
                }
                s
            }
            BadHeader { expected, found } => format!(
                "l'en-tête ne correspond pas au format attendu (attendu : « {expected} » ; trouvé : « {found} ») ; \
                 importez le fichier tel qu'il est publié, sans le modifier", found = Cut(found)
            ),
            MissingColumn { column } => format!(
                "la colonne « {column} » est absente de l'en-tête ; importez le fichier tel qu'il est publié, \
                 sans le modifier", column = Cut(column)
            ),
            FieldCount { expected, found } => format!(
                "nombre de champs incorrect : {expected} attendus, {found} trouvés ; la ligne est peut-être \
                 coupée ou le séparateur modifié", found = Cut(found)
            ),
            Truncated => "la dernière ligne est tronquée ; le fichier semble incomplet, téléchargez-le à nouveau".into(),
            Encoding { expected } => format!(
                "encodage de caractères invalide (attendu : {expected}) ; le fichier a peut-être été réenregistré \
                 par un tableur : reprenez le fichier d'origine"
            ),
            InvalidValue { value, expected } => format!(
                "valeur invalide « {value} » : {} attendu ; corrigez ou retirez cette ligne",
                expected_value(expected), value = Cut(value)
            ),
            MissingValue => "valeur obligatoire absente ; complétez ou retirez cette ligne".into(),
            CoordinatesOutOfRange { x, y } => format!(
                "coordonnées hors limites ({x}, {y}) ; vérifiez le système de coordonnées (WGS84 ou Lambert-93)"
            ),
            DuplicateId { id, first_line } => {
                format!("identifiant « {id} » en double (déjà vu en position {first_line}) ; retirez le doublon", id = Cut(id))
            }
            Geometry(e) => format!("géométrie invalide ({e}) ; corrigez-la dans un logiciel SIG (QGIS : « Réparer les géométries »)", e = Cut(e)),
            RingNotClosed { ring } => format!(
                "le contour n° {ring} n'est pas fermé (son dernier point diffère du premier) ; corrigez la géométrie \
                 dans un logiciel SIG"
            ),
            RingTooShort { ring, positions } => format!(
                "le contour n° {ring} n'a que {positions} points (4 au moins) ; corrigez la géométrie dans un \
                 logiciel SIG"
            ),
            NotPolygon { found } => format!(
                "géométrie de type {found} au lieu d'un polygone ; seuls des contours (polygones) peuvent être importés ici", found = Cut(found)
            ),
            UnsupportedCrs(crs) => format!(
                "système de coordonnées non pris en charge : {crs} ; reprojetez le fichier en WGS84 (EPSG:4326) \
                 ou en Lambert-93 (EPSG:2154)", crs = Cut(crs)
            ),
            Json(e) => format!("JSON invalide ({}) ; téléchargez le fichier à nouveau", json_problem(e)),
            // The reader's own words are English: the file's name and place say enough.
            Spreadsheet(_) => "classeur illisible ; vérifiez qu'il s'agit bien d'un fichier .xlsx".into(),
            NoTable { looked_for } => format!(
                "aucune feuille ne contient le tableau attendu (colonnes recherchées : {looked_for}) ; \
                 importez le classeur tel qu'il est publié", looked_for = Cut(looked_for)
            ),
            // The decoder's own words (`detail`, English) are for developers, not for the message.
            CorruptArchive { format, .. } => format!(
                "archive {format} illisible ou incomplète ; téléchargez-la à nouveau depuis sa source officielle"
            ),
            ArchiveTooLarge { member, limit } => format!(
                "le fichier « {member} » de l'archive dépasse {} Mo une fois décompressé, limite de sécurité \
                 (archive piégée ?) ; décompressez l'archive vous-même et importez le fichier extrait",
                limit / (1024 * 1024), member = Cut(member)
            ),
            NoMember { looked_for, found } => {
                let shown = if found.is_empty() {
                    "elle est vide".to_string()
                } else {
                    format!(
                        "elle contient : {}",
                        crate::quoted_names(found)
                    )
                };
                format!(
                    "l'archive ne contient aucun fichier utilisable ({looked_for} recherché) : {shown} ; \
                     vérifiez qu'il s'agit de l'archive officielle attendue", looked_for = Cut(looked_for)
                )
            }
            NoLayer { found } => {
                let shown = if found.is_empty() {
                    "il n'a aucune couche".to_string()
                } else {
                    format!(
                        "couche{} trouvée{} : {}",
                        if found.len() > 1 { "s" } else { "" },
                        if found.len() > 1 { "s" } else { "" },
                        crate::quoted_names(found)
                    )
                };
                format!(
                    "ce GeoPackage n'a aucune couche de polygones (communes, IRIS, QPV ou quartiers) : {shown} ; \
                     vérifiez qu'il s'agit du fichier de contours attendu"
                )
            }
            EmptyLayer => "la couche ne contient aucun objet ; le fichier semble incomplet, téléchargez-le à nouveau"
                .into(),
            Incomplete => "le fichier s'arrête au milieu du document ; il est incomplet (téléchargement interrompu ?), \
                           téléchargez-le à nouveau"
                .into(),
            RecordTooLarge { limit_bytes } => format!(
                "enregistrement de plus de {}, au-delà de ce qu'un fichier publié contient ; vérifiez qu'il \
                 s'agit bien du fichier officiel",
                if *limit_bytes >= 1024 * 1024 {
                    format!("{} Mo", limit_bytes / (1024 * 1024))
                } else {
                    format!("{} Ko", limit_bytes / 1024)
                }
            ),
            UnknownZonage { value } => format!(
                "zonage inconnu « {} » ; valeurs acceptées : {}",
                maillage_formats::text::cut(value, 80),
                ZONAGE_ACCEPTED
            ),
            MissingArreteDate => "la date de l'arrêté du zonage manque : le fichier n'a pas de colonne « Date \
                 arrêté » (ou elle est vide ici) ; donnez la date de l'arrêté de l'ARS (maillage import zonage \
                 … --arrete AAAA-MM-JJ)"
                .into(),
            LineTooLong { limit_bytes } => format!(
                "ligne de plus de {}, au-delà de ce qu'un fichier publié contient (fichier sans fin de ligne ou \
                 piégé ?) ; vérifiez qu'il s'agit bien du fichier officiel, ou relevez la limite (--limite-ligne)",
                size_fr(*limit_bytes)
            ),
            ExpansionTooLarge {
                format,
                limit_bytes,
                ratio,
            } => format!(
                "le fichier compressé ({format}) dépasse {} une fois décompressé, plus de {ratio} fois sa taille \
                 compressée : limite de sécurité (fichier piégé ?) ; décompressez-le vous-même et importez le \
                 fichier décompressé, ou relevez la limite (--taux-decompression)",
                size_fr(*limit_bytes)
            ),
            CellTooLarge { part, limit_bytes } => format!(
                "une cellule du classeur (partie « {part} ») dépasse {}, plus qu'un tableur n'en permet (32 767 \
                 caractères) : classeur piégé ou endommagé ; enregistrez-le à nouveau depuis le tableur",
                size_fr(*limit_bytes)
            ),
            GeometryTooLarge { limit_bytes } => format!(
                "géométrie de plus de {}, au-delà de tout contour publié ; simplifiez-la dans un logiciel SIG, \
                 ou relevez la limite (--limite-geometrie)",
                size_fr(*limit_bytes)
            ),
            NameTooLong { value, limit_chars } => format!(
                "nom « {} » de plus de {limit_chars} caractères, au-delà de tout nom publié ; corrigez la valeur \
                 dans le fichier",
                maillage_formats::text::cut(value, 80)
            ),
            SheetTooLarge { cells, limit_cells } => format!(
                "la feuille s'étend sur {} millions de cellules de sa première à sa dernière cellule remplie, \
                 plus que la limite de {} millions (classeur piégé, ou cellules isolées loin du tableau ?) ; \
                 supprimez les cellules hors du tableau et enregistrez-le à nouveau",
                cells.div_ceil(1_000_000),
                limit_cells / 1_000_000
            ),
            TooManyVertices { limit } => format!(
                "objet de plus de {limit} sommets (ou d'autant de valeurs dans ses attributs), au-delà de tout \
                 contour publié ; simplifiez sa géométrie dans un logiciel SIG, ou relevez la limite \
                 (--limite-geometrie : un sommet par tranche de 96 octets)"
            ),
            DecoderMemory { limit_bytes } => format!(
                "le fichier compressé demande plus de {} de mémoire pour être décompressé (fichier piégé ou \
                 réglages de compression démesurés) ; décompressez-le vous-même et importez le fichier décompressé",
                size_fr(*limit_bytes)
            ),
            TooManyValues { limit } => format!(
                "élément de plus de {limit} valeurs, au-delà de ce qu'un fichier publié contient ; vérifiez qu'il \
                 s'agit bien du fichier officiel"
            ),
        }
    }
}

/// A size in bytes as users read it: « 32 Mo », « 128 Ko », « 512 octets ».
fn size_fr(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB {
        format!("{} Mo", bytes / MIB)
    } else if bytes >= 1024 {
        format!("{} Ko", bytes / 1024)
    } else {
        format!("{bytes} octet{}", if bytes > 1 { "s" } else { "" })
    }
}

impl French for FormatError {
    fn french(&self) -> String {
        let what = match &self.kind {
            // Where the first one was depends on how this file is located: lines, or objects.
            FormatErrorKind::DuplicateId { id, first_line } => {
                let first = if self.location.feature.is_some() {
                    format!("objet n° {first_line}")
                } else {
                    format!("ligne {first_line}")
                };
                format!(
                    "identifiant « {id} » en double (déjà vu : {first}) ; retirez le doublon",
                    id = Cut(id)
                )
            }
            kind => kind.french(),
        };
        format!("{} : {what}.", self.location.french())
    }
}

impl French for WarningKind {
    fn french(&self) -> String {
        use WarningKind::*;
        match self {
            CoordinatesSwapped { x, y } => {
                format!("coordonnées inversées ({x}, {y}) : remises dans l'ordre")
            }
            OrphanGeolocation { id } => {
                format!("géolocalisation de l'établissement « {id} », absent du fichier : ignorée", id = Cut(id))
            }
            UnknownProjection { source } => format!(
                "système de coordonnées inconnu (« {source} ») : l'établissement est importé sans position", source = Cut(source)
            ),
            CoordinatesOutsideTerritory { x, y } => format!(
                "coordonnées ({x}, {y}) hors du territoire de l'enregistrement : importé sans position"
            ),
            Utf8InsteadOfLatin1 => {
                "le fichier est en UTF-8 et non en Latin-1 comme publié (réenregistré par un autre logiciel ?) : \
                 lu en UTF-8"
                    .into()
            }
            CrsGuessed { epsg } => format!(
                "aucun système de coordonnées déclaré : EPSG:{epsg} déduit des valeurs ; vérifiez la carte"
            ),
            UnknownColumns { columns } => format!(
                "{} {} non utilisée{} par Maillage, ignorée{} : {}",
                columns.len(),
                if columns.len() > 1 { "colonnes" } else { "colonne" },
                if columns.len() > 1 { "s" } else { "" },
                if columns.len() > 1 { "s" } else { "" },
                crate::quoted_names(columns),
            ),
        }
    }
}

impl French for FormatWarning {
    fn french(&self) -> String {
        format!("{} : {}.", self.location.french(), self.kind.french())
    }
}

/// What is wrong in a JSON document: the parser's words (cut), or the syntax error the FINESS reader met.
fn json_problem(problem: &JsonProblem) -> String {
    match problem {
        // The parser speaks English: its known sentences are said in French.
        JsonProblem::Parser(words) => crate::json_parser_in_french(words),
        JsonProblem::Syntax(syntax) => match syntax {
            JsonSyntax::CommaOrBraceExpected => "',' ou '}' attendu après une valeur",
            JsonSyntax::TextAfterEnd => "caractères après la fin du document",
            JsonSyntax::FieldNameExpected => "nom de champ attendu",
            JsonSyntax::InvalidFieldName => "nom de champ invalide",
            JsonSyntax::ColonExpected => "':' attendu après un nom de champ",
            JsonSyntax::PmejNotArray => "« pmej » doit être un tableau",
            JsonSyntax::GeneratedAtNotText => "« generatedAt » doit être un texte",
            JsonSyntax::CommaOrBracketExpected => {
                "',' ou ']' attendu entre deux éléments de « pmej »"
            }
            JsonSyntax::ValueExpected => "valeur attendue",
            JsonSyntax::NewlineInText => "retour à la ligne dans un texte",
            JsonSyntax::CloseWithoutOpen => "fermeture sans ouverture",
        }
        .to_string(),
    }
}

/// The values a zonage file may hold (what `maillage_formats::zonage::parse_zonage` reads), for the error that
/// meets another one.
pub(crate) const ZONAGE_ACCEPTED: &str = "ZIP, ZAC, ZAR, ZV, HZ (ou leur nom en toutes lettres, p. ex. « Zone \
     d'intervention prioritaire »), numérotées comme dans CartoSanté (1_ZIP, 2_ZAC…) et avec GQ_ pour un zonage \
     de grands quartiers (8_GQ_ZIP)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_of_another_kind_names_the_command_to_use() {
        let e = FormatError::new(
            Location::file("etalab-cs1100507-stock.csv"),
            FormatErrorKind::WrongKind {
                expected: "GeoJSON",
                hint: Some(
                    maillage_formats::FileKind::FinessExtraction
                        .label()
                        .to_string(),
                ),
            },
        );
        assert_eq!(
            e.french(),
            "fichier « etalab-cs1100507-stock.csv » : ce n'est pas un fichier GeoJSON : il ressemble à un \
             fichier FINESS (extraction des établissements) ; utilisez « maillage import finess »."
        );
        let layer = FormatError::new(
            Location::file("CONTOURS-IRIS.7z/CONTOURS-IRIS.gpkg").layer("contours_iris"),
            FormatErrorKind::EmptyLayer,
        );
        assert_eq!(
            layer.french(),
            "fichier « CONTOURS-IRIS.7z/CONTOURS-IRIS.gpkg », couche « contours_iris » : la couche ne contient \
             aucun objet ; le fichier semble incomplet, téléchargez-le à nouveau."
        );
    }

    #[test]
    fn every_location_part_is_worded() {
        let e = FormatError::new(
            Location::file("apl.xlsx")
                .sheet("APL 2022")
                .line(11)
                .column(3)
                .field("APL"),
            FormatErrorKind::InvalidValue {
                value: "x".into(),
                expected: expected::NUMBER,
            },
        );
        assert_eq!(
            e.french(),
            "fichier « apl.xlsx », feuille « APL 2022 », ligne 11, colonne 3 (champ « APL ») : valeur invalide « x » : \
             un nombre attendu ; corrigez ou retirez cette ligne."
        );
        let d = FormatError::new(
            Location::file("communes.json").feature(1).field("code"),
            FormatErrorKind::DuplicateId {
                id: "01001".into(),
                first_line: 1,
            },
        );
        assert_eq!(
            d.french(),
            "fichier « communes.json » (champ « code »), objet n° 2 : identifiant « 01001 » en double (déjà vu : \
             objet n° 1) ; retirez le doublon."
        );
        let w = FormatWarning {
            location: Location::file("f.csv").line(19),
            kind: WarningKind::CoordinatesSwapped { x: 1.0, y: 2.0 },
        };
        assert_eq!(
            w.french(),
            "fichier « f.csv », ligne 19 : coordonnées inversées (1, 2) : remises dans l'ordre."
        );
    }

    #[test]
    fn a_flux_cut_short_or_too_large_is_located() {
        let cut = FormatError::new(
            Location::file("finess-structures-journalier-20261207.json.gz")
                .line(48_213)
                .column(17),
            FormatErrorKind::Incomplete,
        );
        assert_eq!(
            cut.french(),
            "fichier « finess-structures-journalier-20261207.json.gz », ligne 48213, colonne 17 : le fichier \
             s'arrête au milieu du document ; il est incomplet (téléchargement interrompu ?), téléchargez-le à \
             nouveau."
        );
        let big = FormatError::new(
            Location::file("flux.json").line(3).column(5).feature(1),
            FormatErrorKind::RecordTooLarge {
                limit_bytes: 16 * 1024 * 1024,
            },
        );
        assert_eq!(
            big.french(),
            "fichier « flux.json », ligne 3, colonne 5, objet n° 2 : enregistrement de plus de 16 Mo, au-delà de \
             ce qu'un fichier publié contient ; vérifiez qu'il s'agit bien du fichier officiel."
        );
    }
}
