//! `--limite-…` options of `maillage import` and `maillage serve`: the bounds every reader honours
//! ([`maillage_formats::limits`]), set once for the whole process.

use clap::Args;
use maillage_formats::limits::{self, Limits};

/// Limites de sécurité des lecteurs de fichiers (valeurs par défaut bien au-delà de tout fichier publié)
#[derive(Args, Debug, Clone, Default)]
pub struct LimitArgs {
    /// Longueur maximale d'une ligne ou d'un enregistrement de fichier texte (ex. 32M ; 32 Mo par défaut)
    #[arg(long, value_name = "TAILLE", value_parser = size, help_heading = "Limites de sécurité")]
    pub limite_ligne: Option<u64>,
    /// Taille maximale d'une cellule de classeur (ex. 128K ; 128 Ko par défaut, 32 767 caractères)
    #[arg(long, value_name = "TAILLE", value_parser = size, help_heading = "Limites de sécurité")]
    pub limite_cellule: Option<u64>,
    /// Taille maximale de la géométrie d'un objet (ex. 64M ; 64 Mo par défaut)
    #[arg(long, value_name = "TAILLE", value_parser = size, help_heading = "Limites de sécurité")]
    pub limite_geometrie: Option<u64>,
    /// Nombre maximal de caractères d'un nom (commune, zone, établissement, professionnel ; 500 par défaut)
    #[arg(long, value_name = "CARACTÈRES", help_heading = "Limites de sécurité")]
    pub limite_nom: Option<u64>,
    /// Combien de fois sa taille compressée un fichier (.gz, .xz, .zip, .7z, .xlsx) peut atteindre une fois
    /// décompressé (100 par défaut, au-delà de 64 Mo)
    #[arg(long, value_name = "FOIS", help_heading = "Limites de sécurité")]
    pub taux_decompression: Option<u64>,
}

impl LimitArgs {
    /// The limits these options give (the defaults for those not given).
    pub fn limits(&self) -> Limits {
        let mut l = Limits::DEFAULT;
        if let Some(v) = self.limite_ligne {
            l.line_bytes = v;
            l.record_bytes = v;
        }
        if let Some(v) = self.limite_cellule {
            l.cell_bytes = v;
        }
        if let Some(v) = self.limite_geometrie {
            l.geometry_bytes = v;
        }
        if let Some(v) = self.limite_nom {
            l.name_chars = v;
        }
        if let Some(v) = self.taux_decompression {
            l.expansion_ratio = v;
        }
        l
    }

    /// Puts them in force for this process.
    pub fn apply(&self) {
        limits::set(self.limits());
    }
}

/// `32M`, `128K`, `1G`, `512` (octets), also `32Mo`, `128 Ko`.
fn size(text: &str) -> Result<u64, String> {
    let t = text.trim().to_ascii_lowercase();
    let t = t.strip_suffix('o').unwrap_or(&t).trim_end();
    let (digits, factor) = match t.char_indices().last() {
        Some((i, 'k')) => (&t[..i], 1u64 << 10),
        Some((i, 'm')) => (&t[..i], 1 << 20),
        Some((i, 'g')) => (&t[..i], 1 << 30),
        _ => (t, 1),
    };
    digits
        .trim()
        .parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .and_then(|n| n.checked_mul(factor))
        .ok_or_else(|| {
            format!(
                "taille invalide « {} » : un nombre suivi de K, M ou G est attendu (par exemple 32M)",
                maillage_formats::text::cut(text, 80)
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_as_users_write_them() {
        assert_eq!(size("32M"), Ok(32 << 20));
        assert_eq!(size("128 Ko"), Ok(128 << 10));
        assert_eq!(size("1g"), Ok(1 << 30));
        assert_eq!(size("512"), Ok(512));
        assert!(size("beaucoup").is_err());
        assert!(size("0").is_err());
    }
}
