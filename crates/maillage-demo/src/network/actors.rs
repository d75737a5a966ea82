//! The directory of the network demonstration: about 80 actors of the town (the listed structures, a social
//! centre and a pharmacy in each quartier, professionals, and the internal partners of the coordination), most
//! public and some internal, spread over the town and its neighbour, with contact persons who then join the relay
//! lists (`relay.rs`).

use super::actor_list::{ACTORS, Spec, spec};
use super::{BY, NEIGHBOUR, NetworkSummary, TOWN, phone};
use crate::context::{Change, Context};
use crate::model::{self, COMMUNE_NAME, POSTCODE};
use crate::names::{contact_person, directory_professional, main_street};
use crate::rng::Rng;
use maillage_network::directory::{ActorFields, ActorRecord};
use maillage_store::network::directory::{self, ContactForm};
use maillage_store::network::{self as net, Reach};

/// The contact persons of the directory, by the relay lists they join.
#[derive(Default)]
pub(super) struct Contacts {
    pub precarity: Vec<i64>,
    pub professional: Vec<i64>,
    pub partner: Vec<i64>,
}

const BY_QUARTIER: &[(&str, &str, &str, &str, &str, &str, &str)] = &[
    (
        "structure",
        "Centre social",
        "acces_aux_droits|prevention_depistage",
        "familles|tout_public",
        "Accueil, ateliers santé, permanences d'accès aux droits, actions collectives de prévention.",
        "sans_rdv",
        "gratuit",
    ),
    (
        "structure",
        "Pharmacie",
        "soins_premier_recours|prevention_depistage",
        "tout_public",
        "Délivrance de médicaments, conseil, vaccination, dépistages rapides.",
        "sans_rdv",
        "payant",
    ),
];

/// Professionals: (kind label in the name, needs, missions), placed across the quartiers.
const PROFESSIONALS: &[(&str, &str, &str)] = &[
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale ; nouveaux patients selon disponibilités.",
    ),
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale, visites à domicile.",
    ),
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale, suivi des maladies chroniques.",
    ),
    (
        "Cabinet de médecine générale",
        "soins_premier_recours",
        "Consultations de médecine générale et gynécologie de base.",
    ),
    (
        "Cabinet infirmier",
        "soins_premier_recours|personnes_agees",
        "Soins infirmiers au cabinet et à domicile, 7 jours sur 7.",
    ),
    (
        "Cabinet infirmier",
        "soins_premier_recours|personnes_agees",
        "Soins infirmiers à domicile, pansements, injections.",
    ),
    (
        "Cabinet infirmier",
        "soins_premier_recours",
        "Soins infirmiers, prélèvements, éducation thérapeutique.",
    ),
    (
        "Sage-femme libérale",
        "perinatalite|sante_sexuelle",
        "Suivi de grossesse, préparation à la naissance, suivi gynécologique de prévention.",
    ),
    (
        "Sage-femme libérale",
        "perinatalite",
        "Préparation à la naissance, rééducation périnéale, suivi à domicile après la sortie.",
    ),
    (
        "Psychologue",
        "sante_mentale",
        "Consultations de psychologie, dispositif de séances remboursées.",
    ),
    (
        "Psychologue pour enfants",
        "sante_mentale",
        "Consultations pour enfants et adolescents, guidance parentale.",
    ),
    (
        "Orthophoniste",
        "soins_premier_recours",
        "Bilans et rééducations du langage oral et écrit.",
    ),
    (
        "Masseur-kinésithérapeute",
        "soins_premier_recours|activite_physique_nutrition",
        "Rééducation, kinésithérapie respiratoire, activité physique adaptée.",
    ),
    (
        "Chirurgien-dentiste",
        "soins_premier_recours",
        "Soins dentaires, urgences dentaires en semaine.",
    ),
    (
        "Chirurgien-dentiste",
        "soins_premier_recours",
        "Soins dentaires pour enfants et adultes.",
    ),
];

/// Internal entries: institutions and partners of the coordination.
const INTERNAL: &[(&str, &str, &str)] = &[
    (
        "service",
        "Délégation départementale de l'agence régionale de santé",
        "Interlocuteur du CLS, financement FIR, appels à projets.",
    ),
    (
        "service",
        "Direction de la caisse primaire d'assurance maladie",
        "Accès aux droits, mission accompagnement santé, partenariats.",
    ),
    (
        "association",
        "Communauté professionnelle territoriale de santé du Clain",
        "Coordination des professionnels de santé libéraux du territoire.",
    ),
    (
        "structure",
        "Direction du centre hospitalier de Bellerive",
        "Direction de l'hôpital, PASS, urgences, filières.",
    ),
    (
        "structure",
        "Clinique Saint-Roch",
        "Établissement de santé privé.",
    ),
    (
        "service",
        "Conseil départemental — direction de la solidarité",
        "PMI, action sociale, autonomie.",
    ),
    (
        "service",
        "Préfecture — service politique de la ville",
        "Contrat de ville, appels à projets.",
    ),
    (
        "association",
        "Conseil départemental de l'ordre des médecins",
        "Représentation de la profession médicale.",
    ),
    (
        "association",
        "Union régionale des professionnels de santé — médecins libéraux",
        "Représentation des médecins libéraux.",
    ),
    (
        "service",
        "Agence d'attractivité du département",
        "Accueil des professionnels de santé qui s'installent.",
    ),
    (
        "association",
        "Accès droits santé solidarité (association)",
        "Co-pilote du réseau santé précarité ; accompagnement vers les droits.",
    ),
    (
        "structure",
        "Observatoire régional de la santé",
        "Études et diagnostics de santé.",
    ),
];

/// The quartiers of the directory, with their centres (km from the town centre).
const QUARTIERS: &[(&str, f64, f64)] = &[
    ("Centre-ville", 0.2, 0.1),
    ("Les Hauts", 2.0, 2.3),
    ("Val Fleuri", -2.4, -2.2),
    ("Faubourg de l'Est", 2.9, -0.6),
    ("Rive Ouest", -2.8, 0.7),
];

/// Writes the directory and returns its contact persons.
pub(super) async fn write(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
) -> Result<Contacts, net::Error> {
    let mut contacts = Contacts::default();
    write_listed(tx, c, &mut contacts).await?;
    write_in_each_quartier(tx, c, &mut contacts).await?;
    write_professionals(tx, c, &mut contacts).await?;
    write_internal(tx, c, &mut contacts).await?;
    Ok(contacts)
}

/// The listed actors; every other one has a contact person, who relays to the precarity network when the actor
/// works on precarity or rights, to the CLS partners otherwise.
async fn write_listed(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    contacts: &mut Contacts,
) -> Result<(), net::Error> {
    for (i, s) in ACTORS.iter().enumerate() {
        let mut f = record(&mut c.rng, s, s.name, i);
        f.set("horaires", s.hours);
        f.set("conditions_acces", s.conditions);
        f.set("langues", s.languages);
        f.set(
            "age_min",
            s.ages.0.map(|a| a.to_string()).unwrap_or_default(),
        );
        f.set(
            "age_max",
            s.ages.1.map(|a| a.to_string()).unwrap_or_default(),
        );
        f.set(
            "identifiant",
            format!("demo-{}", slug(s.name).chars().take(60).collect::<String>()),
        );
        let id = save(tx, if i % 4 == 3 { NEIGHBOUR } else { TOWN }, &f, c.now).await?;
        c.summary.actors += 1;
        c.summary.public_actors += usize::from(s.public);
        if i % 2 == 0 {
            let person = contact(tx, c, id, "Responsable de l'accueil").await?;
            if s.themes.contains("precarite") || s.themes.contains("acces_aux_droits") {
                contacts.precarity.push(person);
            } else {
                contacts.partner.push(person);
            }
        }
    }
    Ok(())
}

/// A social centre and a pharmacy in each quartier; the social centres' family referents relay to the precarity
/// network.
async fn write_in_each_quartier(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    contacts: &mut Contacts,
) -> Result<(), net::Error> {
    for (q, (name, ..)) in QUARTIERS.iter().enumerate() {
        for (kind, base, themes, publics, missions, appointment, cost) in BY_QUARTIER {
            let full = format!("{base} {name}");
            let s = spec(kind, base, themes, publics, missions, appointment, cost);
            let mut f = record(&mut c.rng, &s, &full, q);
            f.set("identifiant", format!("demo-{}", slug(&full)));
            let id = save(tx, TOWN, &f, c.now).await?;
            c.summary.actors += 1;
            c.summary.public_actors += 1;
            if *base == "Centre social" {
                contacts
                    .precarity
                    .push(contact(tx, c, id, "Référente famille").await?);
            }
        }
    }
    Ok(())
}

/// Professionals, named after a fictional person; one in three is the professionals' letter's contact.
async fn write_professionals(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    contacts: &mut Contacts,
) -> Result<(), net::Error> {
    for (i, (label, themes, missions)) in PROFESSIONALS.iter().enumerate() {
        let who = directory_professional(&mut c.rng);
        let full = format!("{label} {who}");
        let s = spec(
            "professionnel",
            label,
            themes,
            "tout_public",
            missions,
            "avec_rdv",
            "payant",
        );
        let mut f = record(&mut c.rng, &s, &full, i);
        f.set("identifiant", format!("demo-pro-{}", i + 1));
        let id = save(tx, if i % 3 == 2 { NEIGHBOUR } else { TOWN }, &f, c.now).await?;
        c.summary.actors += 1;
        c.summary.public_actors += 1;
        if i % 3 == 0 {
            contacts
                .professional
                .push(contact(tx, c, id, "Professionnel(le) de santé").await?);
        }
    }
    Ok(())
}

/// The institutions and partners of the coordination: internal, each with a contact among the CLS partners.
async fn write_internal(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    contacts: &mut Contacts,
) -> Result<(), net::Error> {
    for (i, (kind, name, missions)) in INTERNAL.iter().enumerate() {
        let s = Spec {
            public: false,
            ..spec(
                kind,
                name,
                "",
                "professionnels",
                missions,
                "avec_rdv",
                "gratuit",
            )
        };
        let mut f = record(&mut c.rng, &s, name, i);
        f.set("identifiant", format!("demo-int-{}", i + 1));
        let id = save(tx, if i % 2 == 1 { NEIGHBOUR } else { TOWN }, &f, c.now).await?;
        c.summary.actors += 1;
        contacts
            .partner
            .push(contact(tx, c, id, "Chargé(e) de mission").await?);
    }
    Ok(())
}

/// The slug of a name, for identifiers and e-mail addresses.
pub(super) fn slug(s: &str) -> String {
    maillage_network::fields::slug(s)
}

/// The fields of an actor named `name`, placed in the `quartier`-th quartier (modulo their number).
fn record(rng: &mut Rng, s: &Spec, name: &str, quartier: usize) -> ActorFields {
    let (q, x, y) = QUARTIERS[quartier % QUARTIERS.len()];
    let (lon, lat) = model::at(x + rng.range(-0.5, 0.5), y + rng.range(-0.4, 0.4));
    let mut f = ActorFields::default();
    f.set("type", s.kind);
    f.set("nom", format!("{name} (fictif)"));
    f.set("besoins", s.themes);
    f.set("publics", s.publics);
    f.set("missions", s.missions);
    f.set("rendez_vous", s.appointment);
    f.set("tarif", s.cost);
    f.set(
        "adresse",
        format!("{} {}", 1 + rng.below(80), main_street(rng)),
    );
    f.set("code_postal", POSTCODE);
    f.set("commune", COMMUNE_NAME);
    f.set("territoire", format!("Quartier {q}"));
    f.set("telephone", phone(rng, false));
    f.set(
        "courriel",
        format!(
            "accueil@{}.bellerive.invalid",
            slug(name).chars().take(30).collect::<String>()
        ),
    );
    f.set(
        "horaires",
        "Du lundi au vendredi, de 9 h à 12 h et de 14 h à 17 h",
    );
    f.set("langues", "fr");
    f.set(
        "accessible_pmr",
        if rng.chance(0.75) { "oui" } else { "non" },
    );
    f.set("visibilite", if s.public { "publique" } else { "interne" });
    f.set("longitude", format!("{lon:.6}"));
    f.set("latitude", format!("{lat:.6}"));
    f
}

/// Saves an actor kept by `commune`.
async fn save(
    tx: &mut Change,
    commune: Option<&str>,
    f: &ActorFields,
    now: jiff::Timestamp,
) -> Result<i64, net::Error> {
    let r = ActorRecord::from_fields(f)?;
    directory::save_actor(tx, &Reach::everything(), None, commune, &r, BY, now).await
}

/// A contact person of `actor` (a contact is its actor's commune's), counted in the summary.
async fn contact(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    actor: i64,
    role: &str,
) -> Result<i64, net::Error> {
    let name = contact_person(&mut c.rng);
    let form = ContactForm {
        email: format!("{}@contacts.bellerive.invalid", slug(&name)),
        name,
        role: role.into(),
        phone: phone(&mut c.rng, true),
    };
    let id = directory::save_contact(
        tx,
        &Reach::everything(),
        None,
        Some(actor),
        None,
        &form,
        c.now,
    )
    .await?;
    c.summary.contacts += 1;
    Ok(id)
}
