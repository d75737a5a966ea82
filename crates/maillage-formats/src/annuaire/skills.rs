//! The savoir-faire of the bundle's `PS_LibreAcces_SavoirFaire_<date>.txt`, for activity files that no longer
//! carry them: `|`-separated, header row, UTF-8, every line ending with `|`, one row per savoir-faire of a
//! professional (`Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|Prénom
//! d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie
//! professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|`).
//!
//! **One savoir-faire per professional**, chosen as follows: a specialty (type `S`, the ordinal
//! qualification) before any other type (compétences, DESC, capacités…), and among those of the same rank
//! the first that classifies the profession for the observatory ([`super::classify`]), else the first in
//! the file. So a cardiologist with a compétence in general medicine stays a cardiologist, and a GP whose
//! file also lists a capacité stays a GP.
//!
//! **Bounded memory**: only the professionals whose profession depends on the savoir-faire (doctors, see
//! [`super::classification_needs_skill`]) are kept, as their national identifier and a 4-byte index into
//! the distinct savoir-faire (a few hundred), never the file's text.

use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

use super::{classification_needs_skill, classify};
use crate::columns::{self, ColumnSpec};
use crate::error::{FormatError, FormatErrorKind, Location, Result};
use crate::limits::LineBound;
use crate::text;

/// One savoir-faire as the Annuaire words it (codes of TRE_R04 / TRE_R38 and their labels).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Skill {
    pub type_code: Box<str>,
    pub type_label: Box<str>,
    pub code: Box<str>,
    pub label: Box<str>,
}

/// The chosen savoir-faire of each professional (see the module's rule), by national identifier.
#[derive(Debug, Default)]
pub struct SkillTable {
    by_person: HashMap<Box<str>, Choice>,
    skills: Vec<Skill>,
    index_of: HashMap<Skill, u32>,
}

#[derive(Debug, Clone, Copy)]
struct Choice {
    skill: u32,
    rank: u8,
}

/// The columns of the `SavoirFaire` file the join uses.
const SPECS: [ColumnSpec; 7] = [
    ColumnSpec::required("Identification nationale PP", &[]),
    ColumnSpec::optional("Code profession", &[]),
    ColumnSpec::optional("Libellé profession", &[]),
    ColumnSpec::optional("Code type savoir-faire", &[]),
    ColumnSpec::optional("Libellé type savoir-faire", &[]),
    ColumnSpec::required("Code savoir-faire", &[]),
    ColumnSpec::required("Libellé savoir-faire", &[]),
];
const NATIONAL_ID: usize = 0;
const PROFESSION_CODE: usize = 1;
const PROFESSION_LABEL: usize = 2;
const TYPE_CODE: usize = 3;
const TYPE_LABEL: usize = 4;
const CODE: usize = 5;
const LABEL: usize = 6;

/// The type code of a specialty (TRE_R04 "TypeSavoirFaire").
const SPECIALTY: &str = "S";

impl SkillTable {
    /// Reads a whole `SavoirFaire` file; `path` names it in errors.
    pub fn read(reader: impl Read, path: &Path) -> Result<SkillTable> {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(b'|')
            .has_headers(false)
            .flexible(true)
            .quoting(false)
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(1 << 16)
            .from_reader(LineBound::new(std::io::BufReader::new(reader), false));
        let mut rec = csv::ByteRecord::new();
        let csv_error = |e| crate::table::csv_error(path, e);
        let header_at = Location::file(path).line(1);
        if !rdr.read_byte_record(&mut rec).map_err(csv_error)? {
            return Err(FormatError::new(header_at, FormatErrorKind::Empty));
        }
        let names = super::header_names(&rec).ok_or_else(|| {
            FormatError::new(
                header_at.clone(),
                FormatErrorKind::Encoding { expected: "UTF-8" },
            )
        })?;
        let map = columns::resolve(&names, &SPECS, &header_at)?;
        let at = |spec: usize| map.get(spec);
        let mut table = SkillTable::default();
        while rdr.read_byte_record(&mut rec).map_err(csv_error)? {
            let line = rec.position().map_or(0, |p| p.line());
            let field = |spec: usize| -> Result<&str> {
                let Some(i) = at(spec) else { return Ok("") };
                let bytes = rec.get(i).unwrap_or(b"");
                std::str::from_utf8(bytes).map(str::trim).map_err(|_| {
                    FormatError::new(
                        Location::file(path)
                            .line(line)
                            .column(i + 1)
                            .field(SPECS[spec].name),
                        FormatErrorKind::Encoding { expected: "UTF-8" },
                    )
                })
            };
            if !classification_needs_skill(field(PROFESSION_CODE)?, field(PROFESSION_LABEL)?) {
                continue;
            }
            let (id, code, label) = (field(NATIONAL_ID)?, field(CODE)?, field(LABEL)?);
            if id.is_empty() || (code.is_empty() && label.is_empty()) {
                continue;
            }
            let skill = Skill {
                type_code: field(TYPE_CODE)?.into(),
                type_label: field(TYPE_LABEL)?.into(),
                code: code.into(),
                label: label.into(),
            };
            let rank = rank(&skill, field(PROFESSION_CODE)?, field(PROFESSION_LABEL)?);
            table.offer(id, skill, rank);
        }
        Ok(table)
    }

    /// Keeps `skill` for `national_id` when it ranks above the one kept so far (ties: the first stays).
    fn offer(&mut self, national_id: &str, skill: Skill, rank: u8) {
        if self
            .by_person
            .get(national_id)
            .is_some_and(|kept| kept.rank >= rank)
        {
            return;
        }
        let next = self.skills.len() as u32;
        let index = *self.index_of.entry(skill.clone()).or_insert(next);
        if index == next {
            self.skills.push(skill);
        }
        self.by_person
            .insert(national_id.into(), Choice { skill: index, rank });
    }

    /// The chosen savoir-faire of a professional, if the file gives one.
    pub fn get(&self, national_id: &str) -> Option<&Skill> {
        let choice = self.by_person.get(national_id)?;
        self.skills.get(choice.skill as usize)
    }

    /// Professionals with a savoir-faire.
    pub fn len(&self) -> usize {
        self.by_person.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_person.is_empty()
    }
}

/// Higher is preferred: a specialty first, then a savoir-faire that classifies the profession.
fn rank(skill: &Skill, profession_code: &str, profession_label: &str) -> u8 {
    let specialty = text::fold(&skill.type_code) == SPECIALTY;
    let classifies =
        classify(profession_code, profession_label, &skill.code, &skill.label).is_some();
    u8::from(specialty) * 2 + u8::from(classifies)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|\
        Prénom d'exercice|Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie \
        professionnelle|Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|";

    fn row(id: &str, profession: &str, kind: &str, code: &str, label: &str) -> String {
        format!("8|{id}|8{id}|FIXTURE|Test|{profession}|P|C|Civil|{kind}|T|{code}|{label}|")
    }

    #[test]
    fn a_specialty_wins_then_what_classifies() {
        let text = [
            HEADER.to_string(),
            // A cardiologist with a compétence in general medicine stays a cardiologist.
            row("1", "10", "C", "SM54", "Médecine générale"),
            row("1", "10", "S", "SM04", "Cardiologie"),
            // Two specialties: the one that classifies wins.
            row("2", "10", "S", "SM04", "Cardiologie"),
            row("2", "10", "S", "SM54", "Médecine générale"),
            // A nurse's savoir-faire is not kept (it does not decide the profession).
            row("3", "60", "S", "X1", "Pratique avancée"),
        ]
        .join("\n");
        let table = SkillTable::read(text.as_bytes(), Path::new("sf.txt")).unwrap();
        assert_eq!(table.get("81").map(|s| &*s.code), Some("SM04"));
        assert_eq!(table.get("82").map(|s| &*s.code), Some("SM54"));
        assert_eq!(table.get("83"), None);
        assert_eq!(table.len(), 2);
        // Distinct savoir-faire are stored once: SM04 (S) offered twice, SM54 as C and as S.
        assert_eq!(table.skills.len(), 3);
    }

    #[test]
    fn a_missing_column_is_named() {
        let text = HEADER.replace("Code savoir-faire|", "");
        let e = SkillTable::read(text.as_bytes(), Path::new("sf.txt")).unwrap_err();
        assert_eq!(
            e.kind,
            FormatErrorKind::MissingColumn {
                column: "Code savoir-faire".into()
            }
        );
        assert_eq!(e.location.line, Some(1));
    }
}
