//! The départements of France, and the département of a commune from its INSEE code.
//!
//! "France" here is what INSEE calls France: metropolitan France and the five départements d'outre-mer
//! (971 Guadeloupe, 972 Martinique, 973 Guyane, 974 La Réunion, 976 Mayotte). The collectivités d'outre-mer
//! (975 Saint-Pierre-et-Miquelon, 977, 978, 98x) are not départements: neither listed nor counted in France.
//! Names: COG 2026, as published in `@etalab/decoupage-administratif` 6.0.0 (`departements.json`).

/// The 101 départements (code, name), in code order.
pub const DEPARTEMENTS: [(&str, &str); 101] = [
    ("01", "Ain"),
    ("02", "Aisne"),
    ("03", "Allier"),
    ("04", "Alpes-de-Haute-Provence"),
    ("05", "Hautes-Alpes"),
    ("06", "Alpes-Maritimes"),
    ("07", "Ardèche"),
    ("08", "Ardennes"),
    ("09", "Ariège"),
    ("10", "Aube"),
    ("11", "Aude"),
    ("12", "Aveyron"),
    ("13", "Bouches-du-Rhône"),
    ("14", "Calvados"),
    ("15", "Cantal"),
    ("16", "Charente"),
    ("17", "Charente-Maritime"),
    ("18", "Cher"),
    ("19", "Corrèze"),
    ("21", "Côte-d'Or"),
    ("22", "Côtes-d'Armor"),
    ("23", "Creuse"),
    ("24", "Dordogne"),
    ("25", "Doubs"),
    ("26", "Drôme"),
    ("27", "Eure"),
    ("28", "Eure-et-Loir"),
    ("29", "Finistère"),
    ("2A", "Corse-du-Sud"),
    ("2B", "Haute-Corse"),
    ("30", "Gard"),
    ("31", "Haute-Garonne"),
    ("32", "Gers"),
    ("33", "Gironde"),
    ("34", "Hérault"),
    ("35", "Ille-et-Vilaine"),
    ("36", "Indre"),
    ("37", "Indre-et-Loire"),
    ("38", "Isère"),
    ("39", "Jura"),
    ("40", "Landes"),
    ("41", "Loir-et-Cher"),
    ("42", "Loire"),
    ("43", "Haute-Loire"),
    ("44", "Loire-Atlantique"),
    ("45", "Loiret"),
    ("46", "Lot"),
    ("47", "Lot-et-Garonne"),
    ("48", "Lozère"),
    ("49", "Maine-et-Loire"),
    ("50", "Manche"),
    ("51", "Marne"),
    ("52", "Haute-Marne"),
    ("53", "Mayenne"),
    ("54", "Meurthe-et-Moselle"),
    ("55", "Meuse"),
    ("56", "Morbihan"),
    ("57", "Moselle"),
    ("58", "Nièvre"),
    ("59", "Nord"),
    ("60", "Oise"),
    ("61", "Orne"),
    ("62", "Pas-de-Calais"),
    ("63", "Puy-de-Dôme"),
    ("64", "Pyrénées-Atlantiques"),
    ("65", "Hautes-Pyrénées"),
    ("66", "Pyrénées-Orientales"),
    ("67", "Bas-Rhin"),
    ("68", "Haut-Rhin"),
    ("69", "Rhône"),
    ("70", "Haute-Saône"),
    ("71", "Saône-et-Loire"),
    ("72", "Sarthe"),
    ("73", "Savoie"),
    ("74", "Haute-Savoie"),
    ("75", "Paris"),
    ("76", "Seine-Maritime"),
    ("77", "Seine-et-Marne"),
    ("78", "Yvelines"),
    ("79", "Deux-Sèvres"),
    ("80", "Somme"),
    ("81", "Tarn"),
    ("82", "Tarn-et-Garonne"),
    ("83", "Var"),
    ("84", "Vaucluse"),
    ("85", "Vendée"),
    ("86", "Vienne"),
    ("87", "Haute-Vienne"),
    ("88", "Vosges"),
    ("89", "Yonne"),
    ("90", "Territoire de Belfort"),
    ("91", "Essonne"),
    ("92", "Hauts-de-Seine"),
    ("93", "Seine-Saint-Denis"),
    ("94", "Val-de-Marne"),
    ("95", "Val-d'Oise"),
    ("971", "Guadeloupe"),
    ("972", "Martinique"),
    ("973", "Guyane"),
    ("974", "La Réunion"),
    ("976", "Mayotte"),
];

/// The département of a commune (or arrondissement municipal) from its INSEE code: the first two characters
/// (`2A`/`2B` for Corsica; Paris, Lyon and Marseille arrondissements `751xx`, `6938x`, `132xx` fall in 75, 69
/// and 13), three for the départements d'outre-mer (`97x`). `None` for a malformed code and for the
/// collectivités d'outre-mer, which are not départements.
pub fn departement_of_commune(code: &str) -> Option<&'static str> {
    let code = code.trim();
    if code.len() != 5 || !code.is_ascii() {
        return None;
    }
    let prefix = if code.starts_with("97") {
        &code[..3]
    } else {
        &code[..2]
    };
    DEPARTEMENTS
        .iter()
        .find(|(c, _)| *c == prefix)
        .map(|(c, _)| *c)
}

/// The name of a département (`86` → `Vienne`).
pub fn departement_name(code: &str) -> Option<&'static str> {
    DEPARTEMENTS
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, n)| *n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn communes_fall_in_their_departement() {
        assert_eq!(departement_of_commune("86194"), Some("86"));
        assert_eq!(departement_of_commune("2A004"), Some("2A"));
        assert_eq!(departement_of_commune("2B033"), Some("2B"));
        assert_eq!(departement_of_commune("97411"), Some("974"));
        assert_eq!(departement_of_commune("97608"), Some("976"));
        assert_eq!(departement_of_commune("75112"), Some("75"));
        assert_eq!(departement_of_commune("69383"), Some("69"));
        assert_eq!(departement_of_commune("13205"), Some("13"));
        // Collectivités d'outre-mer, and what is not a commune code.
        assert_eq!(departement_of_commune("97502"), None);
        assert_eq!(departement_of_commune("98735"), None);
        assert_eq!(departement_of_commune("20004"), None);
        assert_eq!(departement_of_commune("8619"), None);
        assert_eq!(departement_of_commune(""), None);
        assert_eq!(departement_name("2A"), Some("Corse-du-Sud"));
    }
}
