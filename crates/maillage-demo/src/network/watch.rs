//! The watch cases of the network demonstration: situations, never persons, reported to the health–precarity
//! watch network (`bodies.rs`) and followed from report to solution or interpellation of an institution.

use super::{BY, NEIGHBOUR, NetworkSummary, TOWN, owned};
use crate::context::{Change, Context};
use crate::model;
use maillage_network::codes::WatchStatus;
use maillage_network::watch::Step;
use maillage_store::network::watch::{self, CaseForm};
use maillage_store::network::{self as net, Reach};

/// A watch case: title, category, description, days ago, position (km from the centre), reported by, steps.
type CaseSpec = (
    &'static str,
    &'static str,
    &'static str,
    i64,
    Option<(f64, f64)>,
    &'static str,
    &'static [(WatchStatus, &'static str)],
);

/// The cases, in the order they are written.
const CASES: &[CaseSpec] = &[
    (
        "Refus de rendez-vous aux bénéficiaires de la complémentaire santé solidaire chez un spécialiste",
        "refus_de_soins",
        "Plusieurs personnes orientées par la PASS se voient refuser un rendez-vous dès qu'elles indiquent leur couverture.",
        -95,
        Some((0.4, 0.3)),
        "Médiation santé Bellerive",
        &[
            (WatchStatus::Assigned, "Accès droits santé solidarité"),
            (
                WatchStatus::Interpellation,
                "Caisse primaire d'assurance maladie",
            ),
        ],
    ),
    (
        "Délais de plus de six mois en ophtalmologie",
        "delais_rendez_vous",
        "Les enfants repérés au bilan scolaire attendent plus de six mois une consultation.",
        -70,
        Some((-0.6, 0.8)),
        "Centre social Rive Ouest",
        &[
            (WatchStatus::Assigned, "Coordination du CLS"),
            (WatchStatus::SolutionInProgress, ""),
        ],
    ),
    (
        "Personnes âgées sans médecin traitant après un départ en retraite",
        "medecin_traitant",
        "Le départ en retraite d'un médecin laisse des patients âgés du Val Fleuri sans médecin traitant.",
        -150,
        Some((-2.3, -2.1)),
        "Espace seniors (CLIC)",
        &[
            (WatchStatus::Assigned, "Centre municipal de santé"),
            (
                WatchStatus::Resolved,
                "Orientation vers le centre municipal de santé, qui les accepte comme patients.",
            ),
            (WatchStatus::Closed, ""),
        ],
    ),
    (
        "Interprétariat indisponible à la PASS le week-end",
        "interpretariat",
        "Sans interprète le samedi, des consultations sont reportées.",
        -40,
        Some((1.0, -0.4)),
        "Service d'interprétariat médico-social",
        &[(
            WatchStatus::Interpellation,
            "Direction du centre hospitalier",
        )],
    ),
    (
        "Rupture de droits à l'aide médicale de l'État au renouvellement",
        "droits_couverture",
        "Des renouvellements déposés à temps ne sont pas traités avant l'échéance.",
        -120,
        Some((2.2, 2.1)),
        "Accueil de jour La Passerelle",
        &[
            (WatchStatus::Assigned, "Accès droits santé solidarité"),
            (
                WatchStatus::Resolved,
                "Circuit de dépôt prioritaire convenu avec la CPAM.",
            ),
        ],
    ),
    (
        "Pas de transport vers l'hôpital depuis Les Hauts le matin",
        "mobilite_transport",
        "Le premier bus arrive après l'heure des consultations du matin.",
        -12,
        Some((2.6, 2.6)),
        "Centre social Les Hauts",
        &[],
    ),
    (
        "Démarches de complémentaire santé solidaire impossibles sans aide numérique",
        "demarches_numeriques",
        "Des personnes âgées renoncent à la demande en ligne.",
        -30,
        None,
        "Point d'accès aux démarches numériques",
        &[
            (
                WatchStatus::Assigned,
                "Point d'accès aux démarches numériques",
            ),
            (WatchStatus::SolutionInProgress, ""),
        ],
    ),
    (
        "Avance de frais demandée malgré le tiers payant",
        "reste_a_charge",
        "Une avance de frais est demandée en pharmacie à des personnes qui ont droit au tiers payant.",
        -5,
        Some((-0.3, -1.2)),
        "Centre communal d'action sociale",
        &[],
    ),
];

/// Writes the cases reported to the watch network `lab`, each with its steps.
pub(super) async fn write(
    tx: &mut Change,
    c: &mut Context<NetworkSummary>,
    lab: i64,
) -> Result<(), net::Error> {
    for (n, (title, category, description, observed, position, reported_by, steps)) in
        CASES.iter().enumerate()
    {
        let (lon, lat) = position
            .map(|(x, y)| model::at(x, y))
            .map_or((String::new(), String::new()), |(a, b)| {
                (format!("{a:.6}"), format!("{b:.6}"))
            });
        let id = watch::create_case(
            tx,
            &Reach::everything(),
            &CaseForm {
                // Cases without a place named in town are the neighbour's (the Lab' covers both).
                commune: owned(if position.is_none() && n % 2 == 1 {
                    NEIGHBOUR
                } else {
                    TOWN
                }),
                body_id: Some(lab),
                observed_on: c.day(*observed).to_string(),
                title: format!("{title} (fictif)"),
                description: (*description).into(),
                category: (*category).into(),
                public_concerned: "Personnes en situation de précarité".into(),
                place: position
                    .map(|_| "Bellerive-sur-Clain (fictive)".to_string())
                    .unwrap_or_default(),
                lon,
                lat,
                reported_by: format!("{reported_by} (fictif)"),
            },
            BY,
            c.now,
        )
        .await?;
        for (status, text) in *steps {
            let step = step_for(*status, text);
            watch::step(tx, &Reach::everything(), id, *status, &step, "", BY, c.now).await?;
        }
        c.summary.watch_cases += 1;
    }
    Ok(())
}

/// The details of a step: who takes the case, its solution, or the institution interpellated.
fn step_for(status: WatchStatus, text: &str) -> Step {
    match status {
        WatchStatus::Assigned => Step {
            assignee: Some(text.into()),
            ..Default::default()
        },
        WatchStatus::Resolved => Step {
            solution: Some(text.into()),
            ..Default::default()
        },
        WatchStatus::Interpellation => Step {
            institution: Some(text.into()),
            ..Default::default()
        },
        _ => Step::default(),
    }
}
