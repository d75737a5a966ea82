//! The module's rules on concrete cases from the seeds: the Grand Chalon guide record, a search of the public
//! directory, a watch case from report to interpellation, a CLS indicator moving towards its target, overdue
//! actions, the Châteauroux COS cadence, and the calendar feed read back by an independent iCalendar parser.

use jiff::Timestamp;
use jiff::civil::Date;
use maillage_network::codes::*;
use maillage_network::directory::{self, ActorFields, ActorRecord, Search};
use maillage_network::ics::{self, Event, EventStatus, When};
use maillage_network::progress::{self, Direction, FicheInput};
use maillage_network::reminders::{self, Cadence, Due};
use maillage_network::watch::{self, Step};
use maillage_network::{NetworkError, mail};

fn d(y: i16, m: i8, day: i8) -> Date {
    Date::new(y, m, day).unwrap()
}

/// The Maison des Adolescents of the Grand Chalon guide (S003:779-834), as a directory record.
fn maison_des_adolescents() -> ActorFields {
    let mut f = ActorFields::default();
    for (c, v) in [
        ("identifiant", "mda-chalon"),
        ("type", "structure"),
        ("nom", "Maison des Adolescents"),
        (
            "missions",
            "L'accueil, l'écoute, l'information des adolescents et de leur entourage ; l'orientation.",
        ),
        (
            "public_cible",
            "Les jeunes de 11 à 25 ans ; les parents préoccupés par le comportement de leurs jeunes.",
        ),
        (
            "conditions_acces",
            "Domiciliés ou scolarisés dans le département.",
        ),
        ("adresse", "28-30 rue du Pont de fer"),
        ("code_postal", "71100"),
        ("commune", "Chalon-sur-Saône"),
        ("telephone", "03 85 94 01 44"),
        (
            "horaires",
            "Lundi, mercredi et vendredi de 9h à 12h et de 13h à 18h30\nAccueil du public : 7 jours sur 7",
        ),
        ("rendez_vous", "avec_ou_sans_rdv"),
        ("tarif", "gratuit"),
        ("age_min", "11"),
        ("age_max", "25"),
        ("langues", "fr"),
        ("besoins", "sante_mentale|prevention_depistage"),
        ("publics", "jeunes|familles"),
        ("visibilite", "publique"),
    ] {
        f.set(c, v);
    }
    f
}

#[test]
fn the_guide_record_of_the_seeds_is_a_valid_entry_and_survives_a_csv_round_trip() {
    let r = ActorRecord::from_fields(&maison_des_adolescents()).unwrap();
    assert_eq!(r.age_min, Some(11));
    assert_eq!(r.age_max, Some(25));
    assert_eq!(r.appointment, Some(Appointment::Either));
    assert_eq!(r.cost, Some(Cost::Free));
    assert_eq!(r.themes, vec![Theme::MentalHealth, Theme::Prevention]);
    assert!(r.is_public());
    // A text starting with a dash would be a formula in a spreadsheet: protected on export, restored on import.
    let mut other = r.clone();
    other.key = Some("autre".into());
    other.name = "Point écoute".into();
    other.missions = Some("- écoute\n- orientation".into());
    other.position = Some((4.853, 46.78));
    let csv = directory::to_csv(&[r.clone(), other.clone()]);
    let text = String::from_utf8(csv.clone()).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.contains("'- écoute"));
    let back = directory::parse_csv(&csv).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!(back[0].1, r);
    assert_eq!(back[1].1, other);
    assert_eq!(back[1].0, 3, "line numbers count the header");
}

#[test]
fn a_bad_csv_line_is_reported_with_its_line_and_column_and_nothing_is_returned() {
    let csv = "nom;type;courriel;age_min;age_max\nCMP enfants;structure;cmp@ch.fr;3;16\nPoint santé;asso;;;\n";
    match directory::parse_csv(csv.as_bytes()) {
        Err(NetworkError::CsvLine {
            line,
            column,
            problem,
        }) => {
            assert_eq!(line, 3);
            assert_eq!(column, "type");
            assert_eq!(*problem, NetworkError::UnknownCode { field: "type" });
        }
        other => panic!("{other:?}"),
    }
    let csv = "nom;age_min;age_max\nA;30;12\n";
    assert!(matches!(
        directory::parse_csv(csv.as_bytes()),
        Err(NetworkError::CsvLine { line: 2, ref column, .. }) if column == "age_min"
    ));
    let csv = "nom;courriel\nA;pas-une-adresse\n";
    assert!(matches!(
        directory::parse_csv(csv.as_bytes()),
        Err(NetworkError::CsvLine { line: 2, ref column, .. }) if column == "courriel"
    ));
    assert_eq!(
        directory::parse_csv(b"nom;couleur\nA;bleu\n"),
        Err(NetworkError::CsvUnknownColumn("couleur".into()))
    );
    assert_eq!(
        directory::parse_csv(b"type\nstructure\n"),
        Err(NetworkError::CsvMissingColumn("nom".into()))
    );
    assert_eq!(directory::parse_csv(b"nom\n"), Err(NetworkError::CsvEmpty));
    assert!(matches!(
        directory::parse_csv(b"identifiant;nom\nx;A\nx;B\n"),
        Err(NetworkError::CsvDuplicateKey {
            first: 2,
            second: 3,
            ..
        })
    ));
    assert!(matches!(
        directory::parse_csv(b"nom;commune\nA;B;C\n"),
        Err(NetworkError::CsvUnreadable { line: 2, .. })
    ));
}

#[test]
fn spreadsheet_exports_in_windows_1252_with_commas_and_accented_headers_are_read() {
    // "Nom,Accessible PMR,Visibilité" then "Épicerie solidaire,oui,publique", in Windows-1252.
    let mut bytes =
        b"Nom,Accessible PMR,Visibilit\xe9\r\n\xc9picerie solidaire,oui,publique\r\n".to_vec();
    bytes.extend_from_slice(b"");
    let rows = directory::parse_csv(&bytes).unwrap();
    assert_eq!(rows[0].1.name, "Épicerie solidaire");
    assert_eq!(rows[0].1.accessible, Some(true));
    assert_eq!(rows[0].1.visibility, Visibility::Public);
    // A missing visibility is internal: nothing becomes public unless someone chose it.
    let rows = directory::parse_csv(b"nom\nA\n").unwrap();
    assert_eq!(rows[0].1.visibility, Visibility::Internal);
}

fn record(name: &str, setup: impl FnOnce(&mut ActorRecord)) -> ActorRecord {
    let mut f = ActorFields::default();
    f.set("nom", name);
    let mut r = ActorRecord::from_fields(&f).unwrap();
    setup(&mut r);
    r
}

#[test]
fn the_directory_search_filters_by_need_public_language_age_and_place_and_ranks_by_text() {
    let records = [
        record("Centre médico-psychologique adultes", |r| {
            r.themes = vec![Theme::MentalHealth];
            r.publics = vec![Public::Everyone];
            r.age_min = Some(18);
            r.commune = Some("Bellerive-sur-Clain".into());
        }),
        record("Maison des adolescents", |r| {
            r.themes = vec![Theme::MentalHealth, Theme::Prevention];
            r.publics = vec![Public::Young];
            r.age_min = Some(11);
            r.age_max = Some(25);
            r.languages = vec![Language::French, Language::Arabic];
            r.cost = Some(Cost::Free);
            r.appointment = Some(Appointment::Either);
            r.commune = Some("Bellerive-sur-Clain".into());
            r.territory = Some("Quartier des Rives".into());
        }),
        record("Écoute jeunes Saint-Ambroise", |r| {
            r.themes = vec![Theme::MentalHealth];
            r.publics = vec![Public::Young];
            r.missions = Some("Écoute et orientation des adolescents".into());
            r.commune = Some("Saint-Ambroise".into());
        }),
        record("Épicerie solidaire", |r| {
            r.themes = vec![Theme::Precarity];
            r.publics = vec![Public::Precarious];
            r.commune = Some("Bellerive-sur-Clain".into());
        }),
    ];
    let refs: Vec<&ActorRecord> = records.iter().collect();
    let names = |q: &Search| -> Vec<&str> {
        directory::search(&refs, q)
            .iter()
            .map(|h| records[h.index].name.as_str())
            .collect()
    };
    // A need: every mental-health entry; an explicit public ranks before "tout public".
    let q = Search {
        theme: Some(Theme::MentalHealth),
        public: Some(Public::Young),
        ..Default::default()
    };
    assert_eq!(
        names(&q),
        vec![
            "Écoute jeunes Saint-Ambroise",
            "Maison des adolescents",
            "Centre médico-psychologique adultes"
        ]
    );
    // The age of the person excludes the adult CMP; the place keeps the town's entries only.
    let q = Search {
        theme: Some(Theme::MentalHealth),
        age: Some(15),
        place: "bellerive".into(),
        ..Default::default()
    };
    assert_eq!(names(&q), vec!["Maison des adolescents"]);
    // A language: Arabic is spoken at the MDA only; French is assumed where no language is named.
    let q = Search {
        language: Some(Language::Arabic),
        ..Default::default()
    };
    assert_eq!(names(&q), vec!["Maison des adolescents"]);
    let q = Search {
        language: Some(Language::French),
        ..Default::default()
    };
    assert_eq!(names(&q).len(), 4);
    // Text, accents and case aside, word prefixes: the name weighs more than the missions.
    let q = Search {
        text: "ADOLESC".into(),
        ..Default::default()
    };
    assert_eq!(
        names(&q),
        vec!["Maison des adolescents", "Écoute jeunes Saint-Ambroise"]
    );
    let q = Search {
        text: "ecoute orientation".into(),
        ..Default::default()
    };
    assert_eq!(names(&q), vec!["Écoute jeunes Saint-Ambroise"]);
    // Every word must be found somewhere.
    let q = Search {
        text: "écoute piscine".into(),
        ..Default::default()
    };
    assert!(names(&q).is_empty());
    // Plurals, accents and one typo in a long word are tolerated.
    for typed in ["adolescent", "adolécents", "ADOLESCENTES", "adolecsents"] {
        let q = Search {
            text: typed.into(),
            ..Default::default()
        };
        assert_eq!(
            names(&q).first(),
            Some(&"Maison des adolescents"),
            "typed {typed}"
        );
    }
    let q = Search {
        free_only: true,
        without_appointment: true,
        ..Default::default()
    };
    assert_eq!(names(&q), vec!["Maison des adolescents"]);
    let q = Search {
        place: "Quartier des Rives".into(),
        ..Default::default()
    };
    assert_eq!(names(&q), vec!["Maison des adolescents"]);
}

#[test]
fn a_watch_case_goes_from_report_to_interpellation_and_each_step_needs_its_content() {
    use WatchStatus::*;
    let none = Step::default();
    assert_eq!(
        watch::check_step(Reported, Assigned, &none),
        Err(NetworkError::StepNeeds("attribution"))
    );
    let to = Step {
        assignee: Some("AD2S".into()),
        ..Default::default()
    };
    watch::check_step(Reported, Assigned, &to).unwrap();
    watch::check_step(Assigned, SolutionInProgress, &none).unwrap();
    assert_eq!(
        watch::check_step(SolutionInProgress, Interpellation, &none),
        Err(NetworkError::StepNeeds("institution"))
    );
    let cpam = Step {
        institution: Some("CPAM".into()),
        ..Default::default()
    };
    watch::check_step(SolutionInProgress, Interpellation, &cpam).unwrap();
    assert_eq!(
        watch::check_step(Interpellation, Resolved, &none),
        Err(NetworkError::StepNeeds("solution"))
    );
    let solved = Step {
        solution: Some("Permanence CPAM au CCAS".into()),
        ..Default::default()
    };
    watch::check_step(Interpellation, Resolved, &solved).unwrap();
    watch::check_step(Resolved, Closed, &none).unwrap();
    // Skipping steps or moving back from a report to "resolved" is refused.
    assert_eq!(
        watch::check_step(Reported, Resolved, &solved),
        Err(NetworkError::Transition {
            from: Reported,
            to: Resolved
        })
    );
    assert_eq!(
        watch::check_step(Closed, Closed, &none),
        Err(NetworkError::Transition {
            from: Closed,
            to: Closed
        })
    );
    // A dysfunction that comes back reopens the case.
    watch::check_step(Closed, Assigned, &to).unwrap();
    assert!(watch::is_open(Interpellation) && !watch::is_open(Resolved));
}

#[test]
fn indicators_progress_from_baseline_to_target_both_ways() {
    // Share of patients without a médecin traitant (Châteauroux ≈ 20 %), target 15 %.
    let p = progress::indicator(
        Some(20.0),
        Some(15.0),
        &[(d(2025, 6, 30), 18.0), (d(2026, 6, 30), 17.0)],
    );
    assert_eq!(p.direction, Some(Direction::Decrease));
    assert_eq!(p.latest, Some((d(2026, 6, 30), 17.0)));
    assert!((p.ratio.unwrap() - 0.6).abs() < 1e-12);
    assert!(!p.reached);
    // Measures given out of order: the latest date wins.
    let p = progress::indicator(
        Some(0.0),
        Some(10.0),
        &[(d(2026, 1, 1), 12.0), (d(2025, 1, 1), 3.0)],
    );
    assert!((p.raw.unwrap() - 1.2).abs() < 1e-12);
    assert_eq!(
        p.ratio,
        Some(1.0),
        "beyond the target is kept within 1 for averages"
    );
    assert!(p.reached);
    // Moving away from the target.
    let p = progress::indicator(Some(100.0), Some(200.0), &[(d(2026, 1, 1), 80.0)]);
    assert!((p.raw.unwrap() + 0.2).abs() < 1e-12);
    assert_eq!(p.ratio, Some(0.0));
    // Maintain a level: reached when at least the target.
    let p = progress::indicator(Some(3.0), Some(3.0), &[(d(2026, 1, 1), 3.0)]);
    assert_eq!(
        (p.direction, p.ratio, p.reached),
        (Some(Direction::Maintain), Some(1.0), true)
    );
    // Nothing to compute without baseline, target or measure.
    assert_eq!(
        progress::indicator(None, Some(3.0), &[(d(2026, 1, 1), 3.0)]).ratio,
        None
    );
    assert_eq!(progress::indicator(Some(1.0), Some(3.0), &[]).ratio, None);
}

#[test]
fn axis_progress_keeps_actions_carried_out_apart_from_targets_reached() {
    let measured =
        |b: f64, t: f64, v: f64| progress::indicator(Some(b), Some(t), &[(d(2026, 1, 1), v)]);
    let fiches = vec![
        FicheInput {
            status: FicheStatus::Done,
            indicators: vec![measured(0.0, 10.0, 10.0), measured(0.0, 10.0, 2.0)],
        },
        FicheInput {
            status: FicheStatus::InProgress,
            indicators: vec![progress::indicator(Some(1.0), Some(2.0), &[])],
        },
        FicheInput {
            status: FicheStatus::NotStarted,
            indicators: vec![],
        },
        FicheInput {
            status: FicheStatus::Dropped,
            indicators: vec![],
        },
    ];
    let a = progress::axis(&fiches);
    assert_eq!(
        (a.fiches, a.done, a.in_progress, a.not_started, a.dropped),
        (4, 1, 1, 1, 1)
    );
    // (1 + 0.5 + 0) / 3: the abandoned fiche does not count.
    assert!((a.realisation.unwrap() - 0.5).abs() < 1e-12);
    assert_eq!(
        (a.indicators, a.indicators_measured, a.indicators_reached),
        (3, 2, 1)
    );
    assert!((a.targets.unwrap() - 0.6).abs() < 1e-12);
    let empty = progress::axis(&[]);
    assert_eq!((empty.realisation, empty.targets), (None, None));
}

#[test]
fn reminders_of_actions_reports_and_cadence() {
    let today = d(2026, 3, 10);
    assert_eq!(
        reminders::action(ActionStatus::ToDo, Some(d(2026, 3, 1)), today, 7),
        Some(Due::Overdue { days: 9 })
    );
    assert_eq!(
        reminders::action(ActionStatus::InProgress, Some(d(2026, 3, 17)), today, 7),
        Some(Due::Soon { days: 7 })
    );
    assert_eq!(
        reminders::action(ActionStatus::InProgress, Some(d(2026, 3, 18)), today, 7),
        None
    );
    assert_eq!(
        reminders::action(ActionStatus::Done, Some(d(2026, 1, 1)), today, 7),
        None
    );
    assert_eq!(reminders::action(ActionStatus::ToDo, None, today, 7), None);
    assert_eq!(
        reminders::report(d(2026, 3, 10), None, today, 30),
        Some(Due::Soon { days: 0 })
    );
    assert_eq!(
        reminders::report(d(2026, 2, 28), Some(d(2026, 2, 27)), today, 30),
        None
    );
    // The COS meets every two months (60 days): last met on 5 January, nothing planned on 10 March.
    assert_eq!(
        reminders::cadence(Some(60), Some(d(2026, 1, 5)), None, today, 21),
        Some(Cadence::Late {
            expected: d(2026, 3, 6),
            days: 4
        })
    );
    assert_eq!(
        reminders::cadence(
            Some(60),
            Some(d(2026, 1, 5)),
            Some(d(2026, 3, 20)),
            today,
            21
        ),
        None
    );
    assert_eq!(
        reminders::cadence(Some(60), Some(d(2026, 1, 20)), None, today, 21),
        Some(Cadence::ToSchedule {
            expected: d(2026, 3, 21)
        })
    );
    assert_eq!(reminders::cadence(Some(60), None, None, today, 21), None);
}

#[test]
fn the_calendar_feed_is_valid_rfc_5545_read_back_by_an_independent_parser() {
    let stamp: Timestamp = "2026-03-01T08:00:00Z".parse().unwrap();
    let long = "Ordre du jour : point sur l'étude « évaluation et enjeux de l'accès aux soins de premier recours \
                sur le bassin de vie » ; logements et mobilité des étudiants, locaux, audit de l'offre de soins.\n\
                Questions des membres, recueillies avant la séance.";
    let events = vec![
        Event {
            uid: "reunion-1@maillage".into(),
            when: When::At {
                start: "2026-03-12T13:30:00Z".parse().unwrap(),
                end: Some("2026-03-12T15:30:00Z".parse().unwrap()),
            },
            summary: "COS, séance n° 12; ordre, du jour".into(),
            description: Some(long.into()),
            location: Some("Hôtel de ville, salle du conseil".into()),
            status: EventStatus::Confirmed,
            modified: stamp,
            url: Some("https://sante.bellerive.example/reseau/reunions/1".into()),
            categories: vec!["COS".into(), "Réunion".into()],
        },
        Event {
            uid: "bilan-4@maillage".into(),
            when: When::Day(d(2026, 3, 31)),
            summary: "Bilan FIR à envoyer à l'ARS".into(),
            description: None,
            location: None,
            status: EventStatus::Tentative,
            modified: stamp,
            url: None,
            categories: vec![],
        },
    ];
    let text = ics::calendar("Réseau santé — Bellerive", &events, stamp);

    // Lines end with CRLF, and no physical line exceeds 75 octets.
    assert!(text.ends_with("\r\n"));
    for l in text.split("\r\n") {
        assert!(l.len() <= 75, "line of {} octets: {l}", l.len());
        assert!(!l.contains('\n') && !l.contains('\r'));
    }
    assert!(
        text.split("\r\n").any(|l| l.starts_with(' ')),
        "the long description is folded"
    );

    let mut parser = ical::IcalParser::new(text.as_bytes());
    let cal = parser.next().expect("one calendar").expect("parses");
    assert!(parser.next().is_none());
    let prop = |props: &[ical::property::Property], name: &str| -> Option<String> {
        props
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(prop(&cal.properties, "VERSION").as_deref(), Some("2.0"));
    assert_eq!(cal.events.len(), 2);
    let e = &cal.events[0].properties;
    // Unfolded, unescaped: the text is the one given.
    let unescape = |s: String| {
        s.replace("\\n", "\n")
            .replace("\\,", ",")
            .replace("\\;", ";")
            .replace("\\\\", "\\")
    };
    assert_eq!(unescape(prop(e, "DESCRIPTION").unwrap()), long);
    assert_eq!(
        unescape(prop(e, "SUMMARY").unwrap()),
        "COS, séance n° 12; ordre, du jour"
    );
    assert_eq!(prop(e, "DTSTART").as_deref(), Some("20260312T133000Z"));
    assert_eq!(prop(e, "DTEND").as_deref(), Some("20260312T153000Z"));
    assert_eq!(prop(e, "UID").as_deref(), Some("reunion-1@maillage"));
    assert_eq!(prop(e, "STATUS").as_deref(), Some("CONFIRMED"));
    assert_eq!(prop(e, "DTSTAMP").as_deref(), Some("20260301T080000Z"));
    let day = &cal.events[1].properties;
    let start = day.iter().find(|p| p.name == "DTSTART").unwrap();
    assert_eq!(start.value.as_deref(), Some("20260331"));
    assert_eq!(
        start.params.as_ref().unwrap()[0],
        ("VALUE".to_string(), vec!["DATE".to_string()])
    );
    assert_eq!(prop(day, "DTEND").as_deref(), Some("20260401"));
}

#[test]
fn folding_never_cuts_a_multibyte_character() {
    let stamp: Timestamp = "2026-03-01T08:00:00Z".parse().unwrap();
    let e = Event {
        uid: "x".into(),
        when: When::Day(d(2026, 1, 1)),
        summary: "é".repeat(200),
        description: None,
        location: None,
        status: EventStatus::Confirmed,
        modified: stamp,
        url: None,
        categories: vec![],
    };
    let text = ics::calendar("c", &[e], stamp);
    // Every physical line is valid UTF-8 on its own (split on bytes).
    for l in text.as_bytes().split(|b| *b == b'\n') {
        assert!(std::str::from_utf8(l).is_ok());
        assert!(l.len() <= 76, "75 octets and the CR");
    }
    let cal = ical::IcalParser::new(text.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    let summary = cal.events[0]
        .properties
        .iter()
        .find(|p| p.name == "SUMMARY")
        .unwrap()
        .value
        .clone()
        .unwrap();
    assert_eq!(summary, "é".repeat(200));
}

#[test]
fn relayed_messages_carry_the_list_and_the_unsubscribe_link() {
    let url = mail::public_url("https://sante.bellerive.example/").unwrap();
    assert_eq!(url, "https://sante.bellerive.example");
    assert!(mail::public_url("https://x.fr/?a=1").is_err());
    let link = mail::unsubscribe_url(&url, 3, 17, "abcd");
    assert_eq!(
        link,
        "https://sante.bellerive.example/desinscription?liste=3&contact=17&signature=abcd"
    );
    assert_eq!(
        mail::list_id(3, "http://127.0.0.1:8080"),
        "liste-3.reseau.127.0.0.1"
    );
    // The footer's wording: maillage-messages (`relayed_messages_end_with_the_list_and_the_link`).
    assert!(
        mail::subject("Ligne\nBcc: x@y.fr").is_err(),
        "no header injection through the subject"
    );
    // The reminder's wording: maillage-messages (`a_reminder_lists_each_action_with_its_delay`).
}
