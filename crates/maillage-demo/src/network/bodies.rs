//! The other bodies of the network demonstration: the health–precarity watch network after Grand Nancy's Lab'
//! (S003:844-862), co-piloted by the town and an association, with its members and three thematic meetings a
//! year (the watch cases it follows are `watch.rs`'s); the CLS steering committee and the local mental health
//! council, each with a plenary meeting.

use super::{NetworkSummary, TERRITORY, owned};
use crate::context::{Change, Context};
use maillage_store::network::bodies::{self, BodyForm, MeetingForm, MemberForm};
use maillage_store::network::{self as net, Reach};

/// The Lab's members: name, function, kind, co-pilot.
const LAB_MEMBERS: &[(&str, &str, &str, bool)] = &[
    (
        "Mme Justine Morel",
        "Coordinatrice du CLS",
        "coordination",
        true,
    ),
    (
        "M. Yanis Haddad",
        "Directeur de l'association Accès droits santé solidarité",
        "association",
        true,
    ),
    (
        "Mme Lucie Bertin",
        "Assistante sociale de la PASS",
        "etablissement",
        false,
    ),
    (
        "M. Olivier Raynal",
        "Responsable accès aux droits",
        "institution",
        false,
    ),
    (
        "Mme Fatou Diallo",
        "Médiatrice en santé",
        "association",
        false,
    ),
    (
        "Mme Agnès Kervella",
        "Responsable du CCAS",
        "service_municipal",
        false,
    ),
    (
        "Une personne accompagnée",
        "Personne concernée",
        "habitant",
        false,
    ),
    (
        "M. Rachid Meziane",
        "Éducateur de l'accueil de jour",
        "association",
        false,
    ),
    (
        "Dr Camille Roy",
        "Médecin généraliste",
        "professionnel_sante",
        false,
    ),
    (
        "Mme Sandrine Petit",
        "Bénévole de la Croix-Rouge",
        "association",
        false,
    ),
];

/// Writes the watch network with its members and meetings; returns its id.
pub(super) async fn write_watch_network(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
) -> Result<i64, net::Error> {
    let lab = bodies::save_body(
        tx,
        &Reach::everything(),
        None,
        &BodyForm {
            commune: owned(TERRITORY),
            kind: "reseau".into(),
            name: "Lab' santé solidarité précarité (fictif)".into(),
            purpose: "Encourager le partenariat ; repérer les dysfonctionnements de l'accès aux soins et interpeller les institutions ; sensibiliser et former les professionnels.".into(),
            parent_id: None,
            cadence_days: "120".into(),
            consultative: false,
            pilot: "Ville de Bellerive et association Accès droits santé solidarité (co-pilotage)".into(),
            since: c.day(-2000).to_string(),
            active: true,
        },
        c.now,
    )
    .await?;
    for (name, function, kind, co_chair) in LAB_MEMBERS {
        bodies::save_member(
            tx,
            &Reach::everything(),
            None,
            lab,
            &MemberForm {
                name: (*name).into(),
                function: (*function).into(),
                member_type: (*kind).into(),
                co_chair: *co_chair,
                ..Default::default()
            },
            c.now,
        )
        .await?;
    }
    write_themes(tx, c, lab).await?;
    c.summary.bodies += 1;
    Ok(lab)
}

/// The thematic meetings: two held with a decision to write to the institutions, one to come.
async fn write_themes(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    lab: i64,
) -> Result<(), net::Error> {
    let themes = [
        (-230, "Inclusion bancaire et lutte contre le surendettement"),
        (-110, "Dépistage du cancer du sein"),
        (10, "Permanence d'accès aux soins de santé"),
    ];
    for (day, theme) in themes {
        let id = bodies::save_meeting(
            tx,
            &Reach::everything(),
            None,
            lab,
            &MeetingForm {
                title: format!("Rencontre thématique : {theme}"),
                starts_at: c.at(day, 9, 30),
                ends_at: c.at(day, 12, 0),
                place: "Centre social Centre-ville".into(),
                status: if day < 0 { "tenue".into() } else { "prevue".into() },
                agenda: format!("Thème retenu par les membres : {theme}.\nÉtude de cas, dysfonctionnements repérés, pistes de solution."),
                minutes: if day < 0 { format!("Rencontre sur le thème « {theme} ». Les partenaires présentent les situations rencontrées.") } else { String::new() },
            },
            c.now,
        )
        .await?;
        if day < 0 {
            bodies::add_decision(
                tx,
                &Reach::everything(),
                id,
                &format!("Écrire aux institutions concernées sur le thème « {theme} »."),
                c.now,
            )
            .await?;
        }
        c.summary.meetings += 1;
    }
    Ok(())
}

/// The CLS steering committee and the CLSM, each with a plenary meeting held.
pub(super) async fn write_steering(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
) -> Result<(), net::Error> {
    for (kind, name, cadence) in [
        (
            "comite_pilotage",
            "Comité de pilotage du contrat local de santé (fictif)",
            "180",
        ),
        ("clsm", "Conseil local de santé mentale (fictif)", "90"),
    ] {
        let id = bodies::save_body(
            tx,
            &Reach::everything(),
            None,
            &BodyForm {
                kind: kind.into(),
                name: name.into(),
                cadence_days: cadence.into(),
                active: true,
                ..Default::default()
            },
            c.now,
        )
        .await?;
        bodies::save_meeting(
            tx,
            &Reach::everything(),
            None,
            id,
            &MeetingForm {
                title: "Séance plénière".into(),
                starts_at: c.at(-200, 14, 0),
                place: "Hôtel d'agglomération".into(),
                status: "tenue".into(),
                ..Default::default()
            },
            c.now,
        )
        .await?;
        c.summary.bodies += 1;
        c.summary.meetings += 1;
    }
    Ok(())
}
