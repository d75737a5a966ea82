//! Who counts as a first-recourse GP, end to end on both backends: an Annuaire file in the published layout
//! (FIXTURE, not real data) with GPs in every kind of practice, the indicator inputs under the default rule,
//! then under a rule the commune changed (no re-import), and the places located by commune code only.

use maillage_indicators::professions::{GP, GP_OTHER, GpRule};
use maillage_indicators::{Indicator, compute};
use maillage_store::imports::{self, Silent};
use maillage_store::{Store, locations, observatory, supply};
use maillage_testkit::TestBase;
use maillage_testkit::fixtures::annuaire::{DoctorActivity, doctors_file};

const GENERAL_MEDICINE: (&str, &str) = ("SM54", "Médecine Générale");
const QUALIFIED: (&str, &str) = ("SM26", "Qualifié en Médecine générale (SM)");
const LIBERAL: (&str, &str) = ("L", "Libéral, indépendant, artisan, commerçant");
const SALARIED: (&str, &str) = ("S", "Salarié");

fn activities() -> Vec<DoctorActivity> {
    let gp = |id, skill, mode, sector| DoctorActivity {
        national_id: id,
        skill,
        mode,
        sector,
        commune: "01001",
    };
    vec![
        gp(
            "810000000101",
            GENERAL_MEDICINE,
            LIBERAL,
            ("SA07", "Cabinet individuel"),
        ),
        gp(
            "810000000102",
            QUALIFIED,
            LIBERAL,
            ("SA08", "Cabinet de groupe"),
        ),
        gp(
            "810000000103",
            GENERAL_MEDICINE,
            SALARIED,
            ("SA05", "Centre de santé"),
        ),
        gp(
            "810000000104",
            GENERAL_MEDICINE,
            SALARIED,
            ("SA52", "Maison de santé ou Pôle de santé"),
        ),
        gp(
            "810000000105",
            GENERAL_MEDICINE,
            SALARIED,
            ("SA01", "Etablissement public de santé"),
        ),
        gp(
            "810000000106",
            QUALIFIED,
            LIBERAL,
            ("SA50", "Permanence de soins ambulatoires hors cabinet"),
        ),
        gp(
            "810000000107",
            GENERAL_MEDICINE,
            SALARIED,
            ("SA15", "PMI et Planification familiale"),
        ),
        // A doctor with no savoir-faire at all, in a cabinet.
        gp(
            "810000000108",
            ("", ""),
            LIBERAL,
            ("SA07", "Cabinet individuel"),
        ),
    ]
}

/// The GP count of commune 01001 for the two GP lines, from the indicator inputs.
async fn gp_counts(store: &Store) -> (Option<f64>, Option<f64>) {
    let rows = compute(&observatory::indicator_inputs(store).await.unwrap());
    let count = |profession: &str| {
        rows.iter()
            .find(|r| {
                r.indicator == Indicator::Count
                    && r.zone_kind == "commune"
                    && r.zone_code == "01001"
                    && r.profession == profession
            })
            .and_then(|r| r.value)
    };
    (count(GP), count(GP_OTHER))
}

/// The same two lines in the département's reference figures, counted while the national file streamed: the
/// rule in force applies to them too (they are stored by ways of practising).
async fn reference_gp_counts(store: &Store) -> (Option<f64>, Option<f64>) {
    let figures = maillage_store::reference::figures(store).await.unwrap();
    let count = |profession: &str| {
        figures
            .iter()
            .find(|f| {
                f.level == maillage_store::reference::Level::Departement
                    && f.code == "01"
                    && f.profession == profession
            })
            .map(|f| f.count as f64)
    };
    (count(GP), count(GP_OTHER))
}

#[tokio::test]
async fn indicator_inputs_follow_the_gp_rule_in_force() {
    let dir = tempfile::tempdir().unwrap();
    // FIXTURE (not real data): the @etalab/decoupage-administratif layout, one commune.
    let communes = dir.path().join("communes.json");
    std::fs::write(
        &communes,
        r#"[{"code":"01001","nom":"Commune fixture","type":"commune-actuelle","population":2000}]"#,
    )
    .unwrap();
    let annuaire = dir
        .path()
        .join("PS_LibreAcces_Personne_activite_202611240000.txt");
    std::fs::write(&annuaire, doctors_file(&activities())).unwrap();
    for base in TestBase::all().await {
        let store = Store::open(&base.location).await.unwrap();
        imports::communes::import(&store, &communes, None, &Silent)
            .await
            .unwrap();
        imports::annuaire::import(&store, &annuaire, &Silent)
            .await
            .unwrap();

        // Default: libéral (SM54 and SM26), centre de santé and MSP count; hospital, PDS and PMI apart; the
        // doctor without savoir-faire is not a GP.
        assert_eq!(supply::gp_rule(&store).await.unwrap(), GpRule::default());
        assert_eq!(
            gp_counts(&store).await,
            (Some(4.0), Some(3.0)),
            "{}",
            base.backend
        );
        assert_eq!(reference_gp_counts(&store).await, (Some(4.0), Some(3.0)));
        let listed = supply::practitioners(&store).await.unwrap();
        assert_eq!(listed.iter().filter(|p| p.profession == GP).count(), 4);
        assert_eq!(
            listed.iter().filter(|p| p.profession == GP_OTHER).count(),
            3
        );

        // The commune counts hospital GPs and doctors without savoir-faire: figures change at once.
        let rule = GpRule {
            hospital: true,
            doctors_without_skill: true,
            ..GpRule::default()
        };
        supply::set_gp_rule(&store, &rule).await.unwrap();
        assert_eq!(supply::gp_rule(&store).await.unwrap(), rule);
        assert_eq!(
            gp_counts(&store).await,
            (Some(6.0), Some(2.0)),
            "{}",
            base.backend
        );
        assert_eq!(reference_gp_counts(&store).await, (Some(6.0), Some(2.0)));
        let listed = supply::practitioners(&store).await.unwrap();
        assert_eq!(listed.iter().filter(|p| p.profession == GP).count(), 6);

        // Back to the default.
        supply::set_gp_rule(&store, &GpRule::default())
            .await
            .unwrap();
        assert_eq!(gp_counts(&store).await, (Some(4.0), Some(3.0)));

        // No BAN import: every site is in its commune by the commune code alone, and the method says so.
        let placement = locations::placement(&store).await.unwrap();
        assert_eq!(
            (placement.sites_by_position, placement.sites_by_commune),
            (0, 7),
            "the site of the doctor without savoir-faire is not counted by default: {placement:?}"
        );
        // Its wording in the method: maillage-messages (`the_method_says_which_gps_count_and_how_places_were_located`).
        assert_eq!(
            observatory::method_context(&store).await.unwrap(),
            observatory::MethodContext {
                rule: GpRule::default(),
                placement
            }
        );

        // Once placed (as the BAN geocoding would), the accessibility supply follows the same rule.
        sqlx::query("UPDATE practice_site SET lon = 4.9, lat = 45.7")
            .execute(store.pool())
            .await
            .unwrap();
        let headcount =
            |sites: Vec<supply::SupplySite>| sites.iter().map(|s| s.headcount).sum::<f64>();
        assert_eq!(
            headcount(supply::supply_sites(&store, GP).await.unwrap()),
            4.0
        );
        assert_eq!(
            headcount(supply::supply_sites(&store, GP_OTHER).await.unwrap()),
            3.0
        );
        let placement = locations::placement(&store).await.unwrap();
        assert_eq!(
            (placement.sites_by_position, placement.sites_by_commune),
            (7, 0)
        );
    }
}
