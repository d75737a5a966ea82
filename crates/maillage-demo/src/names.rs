//! Every fictional name of the demonstration, in one place: people's first names and surnames, the town's
//! streets, the home-care services of the register. Each part of the demonstration draws from these lists only,
//! so that a reader finds here everything the demonstration invents about people and places.
//!
//! The lists a part draws from differ where the demonstration needs them to (the register's older first names,
//! contact persons drawn apart from professionals' names, the network's main streets): the tests read the names
//! the demonstration gives, and a draw depends on the list's exact order and length, so the lists are kept as
//! they were and only gathered here. Phone numbers are in the ranges ARCEP keeps for fiction (01 99 00 and
//! 06 39 98).

use crate::rng::Rng;
use std::sync::LazyLock;

/// Surnames of the professionals of the observatory (`model`), of pharmacies and practices; the register draws
/// from them too (`REGISTER_SURNAMES`).
pub(crate) const SURNAMES: &[&str] = &[
    "Martin",
    "Bernard",
    "Thomas",
    "Petit",
    "Robert",
    "Richard",
    "Durand",
    "Dubois",
    "Moreau",
    "Laurent",
    "Simon",
    "Michel",
    "Lefebvre",
    "Leroy",
    "Roux",
    "David",
    "Bertrand",
    "Morel",
    "Fournier",
    "Girard",
    "Bonnet",
    "Dupont",
    "Lambert",
    "Fontaine",
    "Rousseau",
    "Vincent",
    "Muller",
    "Lefèvre",
    "Faure",
    "André",
    "Mercier",
    "Blanc",
    "Guérin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "François",
    "Legrand",
    "Gauthier",
    "Garcia",
    "Perrin",
    "Robin",
    "Clément",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noël",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Rivière",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gérard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoît",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Haddad",
    "Nguyen",
    "Benali",
    "Diallo",
];

/// Women's first names of the professionals of the observatory.
pub(crate) const WOMEN_FIRST_NAMES: &[&str] = &[
    "Marie",
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Catherine",
    "Sophie",
    "Christine",
    "Valérie",
    "Julie",
    "Camille",
    "Léa",
    "Claire",
    "Aurélie",
    "Émilie",
    "Sarah",
    "Inès",
    "Manon",
    "Chloé",
    "Laura",
    "Anne",
    "Hélène",
    "Yasmine",
];

/// Men's first names of the professionals of the observatory.
pub(crate) const MEN_FIRST_NAMES: &[&str] = &[
    "Jean",
    "Pierre",
    "Michel",
    "Philippe",
    "Alain",
    "Nicolas",
    "Christophe",
    "Laurent",
    "Thomas",
    "Julien",
    "Antoine",
    "Maxime",
    "Hugo",
    "Lucas",
    "Karim",
    "Olivier",
    "François",
    "Éric",
    "Sébastien",
    "Mehdi",
    "Paul",
];

/// Surnames the register does not draw: those added to the list after the register was written (and the second
/// spelling of Lefebvre, which the register uses in its place, see `REGISTER_SURNAMES`).
const NOT_IN_REGISTER: &[&str] = &[
    "Lefèvre",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Diallo",
];

/// Surnames of the people of the crisis register, their relatives, doctors and the volunteers: the surnames of
/// the list as the register has them (its draws depend on this exact order).
pub(crate) static REGISTER_SURNAMES: LazyLock<Vec<&'static str>> = LazyLock::new(|| {
    SURNAMES
        .iter()
        .filter(|name| !NOT_IN_REGISTER.contains(name))
        .map(|name| {
            if *name == "Lefebvre" {
                "Lefèvre"
            } else {
                name
            }
        })
        .collect()
});

/// First names of the register's people aged 65 and over (born before 1960).
pub(crate) const ELDERLY_FIRST_NAMES: &[&str] = &[
    "Jeanne",
    "Marie",
    "Germaine",
    "Yvonne",
    "Suzanne",
    "Marcelle",
    "Simone",
    "Paulette",
    "Denise",
    "Odette",
    "Geneviève",
    "Monique",
    "Jacqueline",
    "Colette",
    "Fatima",
    "Josette",
    "Andrée",
    "Lucienne",
    "Raymonde",
    "Huguette",
    "Jean",
    "Marcel",
    "André",
    "René",
    "Roger",
    "Louis",
    "Georges",
    "Robert",
    "Henri",
    "Lucien",
    "Maurice",
    "Pierre",
    "Raymond",
    "Paul",
    "Bernard",
    "Claude",
    "Gérard",
    "Ahmed",
    "Jacques",
    "Michel",
];

/// First names of the register's younger adults, their relatives and the volunteers.
pub(crate) const ADULT_FIRST_NAMES: &[&str] = &[
    "Nathalie",
    "Isabelle",
    "Sylvie",
    "Sophie",
    "Julie",
    "Camille",
    "Claire",
    "Émilie",
    "Inès",
    "Hélène",
    "Yasmine",
    "Nicolas",
    "Christophe",
    "Laurent",
    "Thomas",
    "Julien",
    "Antoine",
    "Hugo",
    "Karim",
    "Olivier",
    "Mehdi",
    "Paul",
];

/// Home-care services named in the register.
pub(crate) const HOME_CARE_SERVICES: &[&str] = &[
    "SAAD du CCAS (aide à domicile, matin)",
    "Cabinet infirmier des Tilleuls (passage quotidien)",
    "Portage de repas du CCAS",
    "ADMR du Clain (aide au ménage, mardi et vendredi)",
    "SSIAD Bellerive (toilette, matin)",
];

/// First names of the professionals of the network's directory (public: their practice's name).
const DIRECTORY_FIRST_NAMES: &[&str] = &[
    "Claire", "Nadia", "Julien", "Sophie", "Karim", "Élodie", "Thomas", "Aïcha", "Marc", "Léa",
    "Hugo", "Fatou", "Pierre", "Inès",
];

/// Surnames of the professionals of the network's directory.
const DIRECTORY_SURNAMES: &[&str] = &[
    "Arnaud",
    "Benali",
    "Chevalier",
    "Delmas",
    "Fabre",
    "Garnier",
    "Hamon",
    "Joly",
    "Lemaire",
    "Marchand",
    "Nicolas",
    "Perrin",
    "Roche",
    "Vidal",
];

/// First names of the directory's contact persons (personal data): none is a professional's.
const CONTACT_FIRST_NAMES: &[&str] = &[
    "Agathe", "Bastien", "Céline", "Damien", "Estelle", "Farid", "Gaëlle", "Hélène", "Ismaël",
    "Jeanne", "Loïc", "Maëlle",
];

/// Surnames of the directory's contact persons: none is a professional's.
const CONTACT_SURNAMES: &[&str] = &[
    "Aubry", "Besson", "Collin", "Dumont", "Étienne", "Ferrand", "Guillot", "Hervé", "Jacquet",
    "Klein", "Langlois", "Mallet",
];

/// A street of the fictional town; the main ones hold the network directory's addresses.
pub(crate) struct Street {
    pub name: &'static str,
    pub main: bool,
}

const fn street(name: &'static str, main: bool) -> Street {
    Street { name, main }
}

/// The streets of the fictional town (shared by every part of the demonstration).
pub(crate) const STREETS: &[Street] = &[
    street("rue Victor-Hugo", true),
    street("avenue Jean-Jaurès", true),
    street("rue de la République", true),
    street("boulevard Gambetta", true),
    street("rue Pasteur", true),
    street("place du Marché", true),
    street("rue des Tilleuls", true),
    street("allée des Érables", false),
    street("rue du Moulin", true),
    street("avenue de la Gare", true),
    street("rue Émile-Zola", true),
    street("rue des Écoles", true),
    street("chemin des Vignes", false),
    street("rue Jules-Ferry", true),
    street("impasse des Lilas", false),
    street("rue du Clain", false),
    street("quai des Tanneurs", true),
    street("rue Anatole-France", false),
    street("avenue de Verdun", true),
    street("rue des Acacias", true),
];

/// Any street of the town.
pub(crate) fn any_street(rng: &mut Rng) -> &'static str {
    rng.pick(STREETS).name
}

/// One of the main streets (the network directory's addresses).
pub(crate) fn main_street(rng: &mut Rng) -> &'static str {
    let main: Vec<&str> = STREETS.iter().filter(|s| s.main).map(|s| s.name).collect();
    rng.pick::<&str>(&main)
}

/// A directory professional's name (public: it is the name of their practice).
pub(crate) fn directory_professional(rng: &mut Rng) -> String {
    format!(
        "{} {}",
        rng.pick(DIRECTORY_FIRST_NAMES),
        rng.pick(DIRECTORY_SURNAMES)
    )
}

/// A contact person's name (personal data, never public): drawn apart from professionals' names.
pub(crate) fn contact_person(rng: &mut Rng) -> String {
    format!(
        "{} {}",
        rng.pick(CONTACT_FIRST_NAMES),
        rng.pick(CONTACT_SURNAMES)
    )
}

/// A phone number in the ranges ARCEP keeps for fiction, from its last two pairs of digits.
pub(crate) fn fictional_phone(mobile: bool, pair: usize, last_pair: usize) -> String {
    let prefix = if mobile { "06 39 98" } else { "01 99 00" };
    format!("{prefix} {pair:02} {last_pair:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_persons_are_never_named_like_professionals() {
        for name in CONTACT_SURNAMES {
            assert!(!DIRECTORY_SURNAMES.contains(name), "{name}");
        }
        for name in CONTACT_FIRST_NAMES {
            assert!(!DIRECTORY_FIRST_NAMES.contains(name), "{name}");
        }
    }
}
