//! The Conseil d'organisation de la santé of the network demonstration, after Châteauroux's (S003:915-950):
//! 17 typed members co-chaired by an élu and a doctor, four sub-groups, six meetings held every two months with
//! attendance, questions and decisions, the next one planned in three weeks, and its board of files in progress
//! (some overdue, so that reminders show).

use super::actors::slug;
use super::{NetworkSummary, TOWN, owned};
use crate::context::{Change, Context};
use maillage_network::Coded;
use maillage_network::codes::{ActionStatus, Attendance};
use maillage_store::network::bodies::{self, BodyForm, FollowUpForm, MeetingForm, MemberForm};
use maillage_store::network::{self as net, Reach};

/// The members: name, function, organisation, kind, co-chair.
const MEMBERS: &[(&str, &str, &str, &str, bool)] = &[
    (
        "Mme Hélène Marceau",
        "Directrice du centre hospitalier",
        "Centre hospitalier de Bellerive",
        "etablissement",
        false,
    ),
    (
        "M. Bruno Tessier",
        "Directeur de la clinique",
        "Clinique Saint-Roch",
        "etablissement",
        false,
    ),
    (
        "Un représentant des usagers",
        "Représentant des usagers",
        "Association des usagers du Clain",
        "representant_usagers",
        false,
    ),
    (
        "Un représentant des infirmiers",
        "Représentant des infirmiers libéraux",
        "URPS infirmiers",
        "representant_profession",
        false,
    ),
    (
        "Une représentante des agents du centre hospitalier",
        "Représentante du personnel",
        "Centre hospitalier de Bellerive",
        "etablissement",
        false,
    ),
    (
        "Dr Alain Pichon",
        "Président de la commission médicale d'établissement",
        "Centre hospitalier de Bellerive",
        "etablissement",
        false,
    ),
    (
        "Dr Sylvie Caron",
        "Représentante du conseil de l'ordre des médecins",
        "Ordre des médecins",
        "representant_profession",
        false,
    ),
    (
        "Dr Nathalie Roussel",
        "Présidente de la CPTS",
        "CPTS du Clain",
        "representant_profession",
        false,
    ),
    (
        "Mme Inès Baraka",
        "Chargée de mission santé",
        "Agence d'attractivité",
        "institution",
        false,
    ),
    ("Mme Anne Delorme", "Sénatrice", "Sénat", "elu", false),
    (
        "Mme Odile Perret",
        "Vice-présidente déléguée à la santé",
        "Communauté d'agglomération du Clain",
        "elu",
        false,
    ),
    (
        "Mme Claire Fontaine",
        "Maire-adjointe déléguée à l'événementiel",
        "Ville de Bellerive",
        "elu",
        false,
    ),
    (
        "M. Paul Granger",
        "Maire-adjoint délégué à la santé publique",
        "Ville de Bellerive",
        "elu",
        true,
    ),
    (
        "Mme Justine Morel",
        "Coordinatrice du contrat local de santé",
        "Ville de Bellerive",
        "coordination",
        false,
    ),
    (
        "Dr Jean Lebrun",
        "Médecin généraliste, représentant des professions médicales",
        "Cabinet des Tilleuls",
        "professionnel_sante",
        true,
    ),
    (
        "Dr Samia Ouali",
        "Médecin généraliste",
        "Maison de santé des Hauts",
        "professionnel_sante",
        false,
    ),
    (
        "Dr Marc Giraud",
        "Médecin généraliste",
        "Cabinet du Val Fleuri",
        "professionnel_sante",
        false,
    ),
];

/// The sub-groups: name, purpose.
const SUBGROUPS: [(&str, &str); 4] = [
    (
        "Logement et mobilité des étudiants (fictif)",
        "Loger et accueillir les internes et étudiants en santé.",
    ),
    (
        "Locaux pour les professionnels de santé (fictif)",
        "Recenser les locaux vacants et les projets immobiliers.",
    ),
    (
        "Audit de l'offre de soins (fictif)",
        "Suivre l'étude sur l'accès aux soins de premier recours dans le bassin de vie.",
    ),
    (
        "Conditions d'installation (fictif)",
        "Aides, accueil et accompagnement des professionnels qui s'installent.",
    ),
];

/// The board's files: title, owner, due (days from today), status, meeting (rank among those held).
const ACTIONS: &[(&str, &str, i64, ActionStatus, usize)] = &[
    (
        "Recenser les locaux vacants adaptés à un cabinet médical",
        "Justine Morel",
        -20,
        ActionStatus::InProgress,
        1,
    ),
    (
        "Rédiger le cahier des charges de l'étude sur l'accès aux soins",
        "Justine Morel",
        -200,
        ActionStatus::Done,
        0,
    ),
    (
        "Contacter les bailleurs pour trois logements d'internes",
        "Paul Granger",
        -10,
        ActionStatus::ToDo,
        2,
    ),
    (
        "Préparer la restitution de l'étude",
        "Justine Morel",
        10,
        ActionStatus::InProgress,
        5,
    ),
    (
        "Organiser une soirée d'accueil des internes",
        "Odile Perret",
        -45,
        ActionStatus::Done,
        3,
    ),
    (
        "Proposer un stationnement réservé aux soignants à domicile",
        "Claire Fontaine",
        25,
        ActionStatus::ToDo,
        5,
    ),
    (
        "Faire le point avec la CPTS sur les soins non programmés",
        "Nathalie Roussel",
        -3,
        ActionStatus::ToDo,
        4,
    ),
    (
        "Mettre à jour la liste des médecins acceptant de nouveaux patients",
        "Jean Lebrun",
        40,
        ActionStatus::Dropped,
        2,
    ),
];

/// Writes the council with its members, sub-groups, meetings and board.
pub(super) async fn write(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
) -> Result<(), net::Error> {
    let cos = bodies::save_body(
        tx,
        &Reach::everything(),
        None,
        &BodyForm {
            commune: owned(TOWN),
            kind: "cos".into(),
            name: "Conseil d'organisation de la santé (fictif)".into(),
            purpose: "Réunir celles et ceux qui travaillent sur les questions de santé pour améliorer l'accès aux soins et attirer des professionnels.".into(),
            parent_id: None,
            cadence_days: "60".into(),
            consultative: true,
            pilot: "Coordinatrice du service santé publique".into(),
            since: c.day(-600).to_string(),
            active: true,
        },
        c.now,
    )
    .await?;
    let members = write_members(tx, c, cos).await?;
    let subgroups = write_subgroups(tx, c, cos).await?;
    let held = write_meetings(tx, c, cos, &members).await?;
    write_next_meeting(tx, c, cos).await?;
    write_board(tx, c, cos, &held, &subgroups).await?;
    c.summary.meetings += held.len() + 1;
    c.summary.bodies += 1 + subgroups.len();
    Ok(())
}

/// The council's members; returns their ids in the order of `MEMBERS`.
async fn write_members(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    cos: i64,
) -> Result<Vec<i64>, net::Error> {
    let mut members = Vec::new();
    for (name, function, organisation, kind, co_chair) in MEMBERS {
        let id = bodies::save_member(
            tx,
            &Reach::everything(),
            None,
            cos,
            &MemberForm {
                name: (*name).into(),
                function: (*function).into(),
                organisation: (*organisation).into(),
                member_type: (*kind).into(),
                co_chair: *co_chair,
                email: format!("{}@cos.bellerive.invalid", slug(name)),
                phone: String::new(),
                actor_id: None,
                since: c.day(-600).to_string(),
                until: String::new(),
            },
            c.now,
        )
        .await?;
        members.push(id);
    }
    Ok(members)
}

/// The sub-groups, each with one member in four of the council.
async fn write_subgroups(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    cos: i64,
) -> Result<Vec<i64>, net::Error> {
    let mut subgroup_ids = Vec::new();
    for (i, (name, purpose)) in SUBGROUPS.iter().enumerate() {
        let id = bodies::save_body(
            tx,
            &Reach::everything(),
            None,
            &BodyForm {
                commune: owned(TOWN),
                kind: "sous_groupe".into(),
                name: (*name).into(),
                purpose: (*purpose).into(),
                parent_id: Some(cos),
                cadence_days: String::new(),
                consultative: true,
                pilot: String::new(),
                since: c.day(-540).to_string(),
                active: true,
            },
            c.now,
        )
        .await?;
        for (j, (name, function, organisation, kind, _)) in
            MEMBERS.iter().enumerate().filter(|(j, _)| (j + i) % 4 == 0)
        {
            bodies::save_member(
                tx,
                &Reach::everything(),
                None,
                id,
                &MemberForm {
                    name: (*name).into(),
                    function: (*function).into(),
                    organisation: (*organisation).into(),
                    member_type: (*kind).into(),
                    co_chair: j % 8 == 0,
                    ..Default::default()
                },
                c.now,
            )
            .await?;
        }
        subgroup_ids.push(id);
    }
    Ok(subgroup_ids)
}

/// Six meetings held every two months, with attendance and a question each.
async fn write_meetings(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    cos: i64,
    members: &[i64],
) -> Result<Vec<i64>, net::Error> {
    let mut held = Vec::new();
    for k in (1..=6).rev() {
        let day = -60 * k + 5;
        let id = bodies::save_meeting(
            tx,
            &Reach::everything(),
            None,
            cos,
            &MeetingForm {
                title: format!("Séance n° {}", 7 - k),
                starts_at: c.at(day, 18, 0),
                ends_at: c.at(day, 20, 0),
                place: "Hôtel de ville, salle du conseil".into(),
                status: "tenue".into(),
                agenda: "1. Avancement des dossiers en cours\n2. Point des sous-groupes\n3. Étude sur l'accès aux soins de premier recours\n4. Questions des membres".into(),
                minutes: format!(
                    "Séance n° {} du conseil d'organisation de la santé. Les co-présidents ouvrent la séance. Les sous-groupes présentent leur avancement ; \
                     le cabinet d'études présente l'état de l'étude « évaluation et enjeux de l'accès aux soins de premiers recours sur le bassin de vie ».",
                    7 - k
                ),
            },
            c.now,
        )
        .await?;
        for (n, m) in members.iter().enumerate() {
            let a = match (n + k as usize) % 7 {
                0 => Attendance::Excused,
                1 if k % 2 == 0 => Attendance::Represented,
                6 => Attendance::Absent,
                _ => Attendance::Present,
            };
            bodies::set_attendance(tx, &Reach::everything(), id, *m, a).await?;
        }
        bodies::add_question(
            tx,
            &Reach::everything(),
            id,
            "CPTS du Clain",
            "Où en est la recherche de locaux pour le deuxième cabinet des Hauts ?",
            c.now,
        )
        .await?;
        held.push(id);
    }
    write_outcomes(tx, c, &held).await?;
    Ok(held)
}

/// The answered question and the decisions of the meetings held.
async fn write_outcomes(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    held: &[i64],
) -> Result<(), net::Error> {
    let last = *held.last().unwrap_or(&0);
    let q = bodies::add_question(tx, &Reach::everything(), last, "Un représentant des usagers", "Comment les habitants seront-ils informés de l'ouverture du centre municipal de santé le samedi ?", c.now).await?;
    bodies::answer_question(
        tx,
        &Reach::everything(),
        last,
        q,
        "Par la lettre municipale, les centres sociaux et les médiateurs en santé.",
    )
    .await?;
    bodies::add_decision(
        tx,
        &Reach::everything(),
        held[0],
        "Lancer une étude sur l'accès aux soins de premier recours avec un cabinet d'études.",
        c.now,
    )
    .await?;
    bodies::add_decision(
        tx,
        &Reach::everything(),
        held[2],
        "Proposer trois logements pour les internes dès la rentrée.",
        c.now,
    )
    .await?;
    bodies::add_decision(
        tx,
        &Reach::everything(),
        last,
        "Présenter les conclusions de l'étude au conseil municipal.",
        c.now,
    )
    .await?;
    Ok(())
}

/// The next meeting, in three weeks, with the questions gathered before it.
async fn write_next_meeting(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    cos: i64,
) -> Result<(), net::Error> {
    let next = bodies::save_meeting(
        tx,
        &Reach::everything(),
        None,
        cos,
        &MeetingForm {
            title: "Séance n° 7".into(),
            starts_at: c.at(21, 18, 0),
            ends_at: c.at(21, 20, 0),
            place: "Hôtel de ville, salle du conseil".into(),
            status: "prevue".into(),
            agenda: "1. Restitution de l'étude sur l'accès aux soins\n2. Locaux : projet des Hauts\n3. Logement des internes\n4. Questions recueillies avant la séance".into(),
            minutes: String::new(),
        },
        c.now,
    )
    .await?;
    bodies::add_question(
        tx,
        &Reach::everything(),
        next,
        "Ordre des médecins",
        "Quelles aides à l'installation la commune peut-elle apporter aux jeunes médecins ?",
        c.now,
    )
    .await?;
    bodies::add_question(
        tx,
        &Reach::everything(),
        next,
        "Un représentant des infirmiers",
        "Le stationnement des infirmiers à domicile peut-il être facilité en centre-ville ?",
        c.now,
    )
    .await?;
    Ok(())
}

/// The board: the council's files in progress, and a step note due from each sub-group.
async fn write_board(
    tx: &mut Change,
    c: &Context<NetworkSummary>,
    cos: i64,
    held: &[i64],
    subgroups: &[i64],
) -> Result<(), net::Error> {
    for (title, owner, due, status, meeting) in ACTIONS {
        bodies::save_action(
            tx,
            &Reach::everything(),
            None,
            cos,
            &FollowUpForm {
                meeting_id: held.get(*meeting).copied(),
                title: (*title).into(),
                owner: (*owner).into(),
                owner_email: format!("{}@cos.bellerive.invalid", slug(owner)),
                due_on: c.day(*due).to_string(),
                status: status.code().into(),
                note: String::new(),
            },
            c.now,
        )
        .await?;
    }
    for (i, sg) in subgroups.iter().enumerate() {
        bodies::save_action(
            tx,
            &Reach::everything(),
            None,
            *sg,
            &FollowUpForm {
                meeting_id: None,
                title: format!("Remettre la note d'étape du sous-groupe {}", i + 1),
                owner: "Justine Morel".into(),
                owner_email: "justine-morel@cos.bellerive.invalid".into(),
                due_on: c.day(15 * i as i64 - 20).to_string(),
                status: "en_cours".into(),
                note: String::new(),
            },
            c.now,
        )
        .await?;
    }
    Ok(())
}
