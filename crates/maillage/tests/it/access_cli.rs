//! `maillage e2sfca`: hand-computed results, French errors without output, and PySAL `access` as reference.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn maillage() -> Command {
    Command::new(env!("CARGO_BIN_EXE_maillage"))
}

struct Case {
    dir: tempfile::TempDir,
}

impl Case {
    fn new() -> Case {
        Case {
            dir: tempfile::tempdir().unwrap(),
        }
    }
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.path(name);
        std::fs::write(&path, text).unwrap();
        path
    }
    /// Run `maillage e2sfca` on D.csv, S.csv, T.csv of this case, writing R.csv.
    fn run(&self, extra: &[&str]) -> Output {
        let mut cmd = maillage();
        cmd.arg("e2sfca");
        for (option, file) in [
            ("--demande", "D.csv"),
            ("--offre", "S.csv"),
            ("--temps", "T.csv"),
            ("--sortie", "R.csv"),
        ] {
            cmd.arg(option).arg(self.path(file));
        }
        cmd.args(extra).output().unwrap()
    }
    fn result(&self) -> Vec<(String, f64)> {
        read_result(&self.path("R.csv"))
    }
}

fn read_result(path: &Path) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("id,access"));
    lines
        .map(|l| {
            let (id, value) = l.split_once(',').unwrap();
            (id.to_string(), value.parse().unwrap())
        })
        .collect()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The PySAL reference case, zones written out of alphabetical order to check the output order.
fn reference_case() -> Case {
    let case = Case::new();
    case.write("D.csv", "id,value\nC,500\nA,1000\nB,2000\n");
    case.write("S.csv", "id,value\nS1,2\nS2,1\n");
    case.write(
        "T.csv",
        "origin,destination,cost\nA,S1,5\nA,S2,25\nB,S1,15\nB,S2,8\nC,S1,35\nC,S2,12\n",
    );
    case
}

#[test]
fn reference_case_by_hand() {
    let case = reference_case();
    let out = case.run(&["--poids", "10:1,20:0.68,30:0.22"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (r1, r2) = (
        2.0 / (1000.0 + 0.68 * 2000.0),
        1.0 / (0.22 * 1000.0 + 2000.0 + 0.68 * 500.0),
    );
    let result = case.result();
    let ids: Vec<&str> = result.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["C", "A", "B"]);
    let expected = [0.68 * r2, r1 + 0.22 * r2, 0.68 * r1 + r2];
    for ((_, got), want) in result.iter().zip(expected) {
        assert!((got - want).abs() <= 1e-15 * want, "{got} vs {want}");
    }
    for ((_, got), quoted) in result.iter().zip([0.000265625, 0.000933395, 0.000966896]) {
        assert!((got - quoted).abs() < 5e-10);
    }
    // Shortest round-trip floats: the printed text parses back to the same number.
    let text = std::fs::read_to_string(case.path("R.csv")).unwrap();
    assert!(text.contains("C,0.000265625\n"), "{text}");
}

#[test]
fn metadata_scale_and_territory_flags() {
    let case = Case::new();
    case.write("D.csv", "id,value,hors_territoire\nA,1000,0\nB,3000,1\n");
    case.write(
        "S.csv",
        "id,value,hors_territoire\nin,1,0\nout,2,1\nlost,4,0\n",
    );
    case.write(
        "T.csv",
        "origin,destination,cost\nA,in,5\nA,out,12\nB,out,4\nB,in,25\n",
    );
    let meta = case.path("meta.json");
    let out = case.run(&[
        "--unite-offre",
        "etp",
        "--metadonnees",
        meta.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("1 site exclu"), "{}", stderr(&out));
    let text = std::fs::read_to_string(case.path("R.csv")).unwrap();
    assert!(text.starts_with("id,access,hors_territoire\n"));
    assert!(text.lines().nth(2).unwrap().ends_with(",1"));
    let r_in = 1.0 / (1000.0 + 0.22 * 3000.0);
    let r_out = 2.0 / (0.68 * 1000.0 + 3000.0);
    let a: f64 = text
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        (a - (r_in + 0.68 * r_out) * 100_000.0).abs() < 1e-9 * a,
        "ETP per 100,000 inhabitants"
    );
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
    assert_eq!(json["methode"], "E2SFCA");
    assert_eq!(json["unite_offre"], "etp");
    assert_eq!(json["echelle"], 100_000.0);
    assert_eq!(json["zones_hors_territoire"], 1);
    assert_eq!(json["sites_hors_territoire"], 1);
    assert_eq!(json["sites_exclus"][0]["id"], "lost");
    assert_eq!(json["sites_exclus"][0]["motif"], "inaccessible");
    assert!(
        json["sources"]["couts"]
            .as_str()
            .unwrap()
            .ends_with("T.csv")
    );
}

#[test]
fn age_standardised_demand() {
    let case = Case::new();
    case.write("D.csv", "id,jeunes,ages\nZ1,100,50\nZ2,0,10\n");
    case.write("S.csv", "id,value\nS,4000\n");
    case.write("T.csv", "origin,destination,cost\nZ1,S,3\nZ2,S,20\n");
    let out = case.run(&[
        "--besoins-par-age",
        "jeunes:0.8,ages:1.4",
        "--unite-offre",
        "activite",
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let (p1, p2) = (100.0 * 0.8 + 50.0 * 1.4, 10.0 * 1.4);
    let r = 4000.0 / (p1 + 0.68 * p2);
    let result = case.result();
    assert!((result[0].1 - r).abs() < 1e-12 * r);
    assert!((result[1].1 - 0.68 * r).abs() < 1e-12 * r);
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains("consultations par an par habitant standardisé")
    );
}

/// A bad input: the file to replace and its text, a cost file text if not the reference one, options,
/// and fragments of the expected message.
type BadInput = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    &'static [&'static str],
);

/// Each bad input: exit 1, a French message naming file, line and column, and no output file.
#[test]
fn bad_inputs_are_refused_in_french_without_output() {
    let cases: &[BadInput] = &[
        // (file to break, its text, costs, options, expected fragments)
        (
            "D.csv",
            "id;value\nA;1000\n",
            "",
            &[],
            &["D.csv", "ligne 1", "colonne 1", "en-tête", "« id,value »"],
        ),
        (
            "D.csv",
            "id,value\nA,1000\nB,-5\n",
            "",
            &[],
            &["ligne 3", "colonne 2", "négative"],
        ),
        (
            "D.csv",
            "id,value\nA,1000\nB,\n",
            "",
            &[],
            &["ligne 3", "colonne 2", "manquante"],
        ),
        (
            "D.csv",
            "id,value\nA,1000\nA,20\n",
            "",
            &[],
            &["ligne 3", "colonne 1", "« A »", "double", "ligne 2"],
        ),
        (
            "D.csv",
            "id,value\nA,1000,3\n",
            "",
            &[],
            &["ligne 2", "3 champs au lieu de 2"],
        ),
        (
            "D.csv",
            "id,value\nA,mille\n",
            "",
            &[],
            &["ligne 2", "colonne 2", "« mille » n'est pas un nombre"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS1,1\n",
            "",
            &[],
            &["S.csv", "ligne 3", "double"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS2,1\n",
            "origin,destination,cost\nA,S1,5\nA,S9,7\n",
            &[],
            &["T.csv", "ligne 3", "colonne 2", "« S9 » inconnu"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS2,1\n",
            "origin,destination,cost\nA,S1,5\nX,S2,7\n",
            &[],
            &["ligne 3", "colonne 1", "« X » inconnu"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS2,1\n",
            "origin,destination,cost\nA,S1,-5\n",
            &[],
            &["ligne 2", "colonne 3", "négative"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS2,1\n",
            "origin,destination,cost\nA,S1,5\nA,S1,6\n",
            &[],
            &["ligne 3", "déjà donné ligne 2"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS2,1\n",
            "origin,destination,cost\n\"A,S1,5\n",
            &[],
            &["T.csv", "ligne 2", "1 champ au lieu de 3", "guillemet"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\nS2,1\n",
            "origin,dest,cost\nA,S1,5\n",
            &[],
            &["ligne 1", "colonne 2", "en-tête"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\n",
            "",
            &["--poids", "10:1,20"],
            &["--poids", "palier n° 2", "borne:poids"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\n",
            "",
            &["--poids", "10:1,10:0.5"],
            &["--poids", "deux fois"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\n",
            "",
            &["--poids", "10:1,20:0,68"],
            &["--poids", "n° 3", "borne:poids"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\n",
            "",
            &["--methode", "2sfca"],
            &["coût maximal"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\n",
            "",
            &["--methode", "gravite"],
            &["--alpha"],
        ),
        (
            "S.csv",
            "id,value\nS1,2\n",
            "",
            &["--methode", "gaussienne", "--poids", "10:1"],
            &["--poids", "e2sfca"],
        ),
    ];
    for (file, text, costs, options, fragments) in cases {
        let case = reference_case();
        case.write(file, text);
        if !costs.is_empty() {
            case.write("T.csv", costs);
        }
        let out = case.run(options);
        let message = stderr(&out);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{text:?} {options:?}: {message}"
        );
        assert!(message.starts_with("erreur : "), "{message}");
        for fragment in *fragments {
            assert!(
                message.contains(fragment),
                "{text:?} {options:?}: « {fragment} » absent de : {message}"
            );
        }
        assert!(!case.path("R.csv").exists(), "{text:?}: no output on error");
        let leftovers: Vec<_> = std::fs::read_dir(case.dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 3, "{leftovers:?}");
    }
}

#[test]
fn an_error_leaves_a_previous_result_untouched() {
    let case = reference_case();
    case.write("R.csv", "previous\n");
    case.write("T.csv", "origin,destination,cost\nA,S1,-1\n");
    let out = case.run(&[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(case.path("R.csv")).unwrap(),
        "previous\n"
    );
}

// ---------------------------------------------------------------------------------------------------
// PySAL `access` as reference.

/// `.venv/bin/python` of the repository, or None (and a visible skip) when it is missing and references
/// are not required.
fn reference_python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python");
    if python.exists() {
        return Some(python);
    }
    if std::env::var("MAILLAGE_EXIGER_REFERENCES").as_deref() == Ok("1") {
        panic!(
            "MAILLAGE_EXIGER_REFERENCES=1 but {} is missing (pip install access)",
            python.display()
        );
    }
    eprintln!(
        "SKIPPED: {} absent — PySAL access reference not run",
        python.display()
    );
    None
}

/// A small deterministic generator (64-bit LCG): no dependency, same inputs everywhere.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Inputs exercising docs/produit.md §5.1 edge cases: zero populations, zero supply, costs exactly on the
/// 10/20/30 bounds and beyond the last, zones without any pair, sites reached only beyond 30 minutes or
/// only by empty zones.
fn generated_case(seed: u64) -> Case {
    let case = Case::new();
    let mut rng = Lcg(seed);
    let (zones, sites) = (300, 120);
    let mut d = String::from("id,value\n");
    let mut population = Vec::new();
    for i in 0..zones {
        let p = if rng.below(15) == 0 {
            0
        } else {
            50 + rng.below(5000)
        };
        population.push(p);
        d.push_str(&format!("Z{i:03},{p}\n"));
    }
    let mut s = String::from("id,value\n");
    for j in 0..sites {
        let supply = if rng.below(30) == 0 {
            0.0
        } else {
            (1 + rng.below(800)) as f64 / 100.0
        };
        s.push_str(&format!("S{j:03},{supply}\n"));
    }
    let mut t = String::from("origin,destination,cost\n");
    for (i, &p) in population.iter().enumerate() {
        if i % 37 == 5 {
            continue; // no pair at all
        }
        for j in 0..sites {
            if j % 41 == 7 {
                continue; // never reached
            }
            if rng.below(4) != 0 {
                continue;
            }
            let cost = match rng.below(10) {
                0 => [10.0, 20.0, 30.0][rng.below(3) as usize],
                _ => rng.below(3800) as f64 / 100.0,
            };
            // Site 13 lies beyond the last step for everyone; site 29 is reached only by empty zones.
            let cost = if j == 13 { 30.5 + cost / 10.0 } else { cost };
            if j == 29 && p != 0 {
                continue;
            }
            t.push_str(&format!("Z{i:03},S{j:03},{cost}\n"));
        }
    }
    case.write("D.csv", &d);
    case.write("S.csv", &s);
    case.write("T.csv", &t);
    case
}

/// Compare ours with PySAL's: equal within 1e-9 (relative); where PySAL has NaN (no pair) ours is 0; where
/// PySAL has ∞ (a zero-population zone reaching a site no populated zone reaches) ours is finite, that
/// site being excluded (docs/produit.md §5.1). Returns how many zones fell in each case (equal, NaN, ∞).
fn compare(
    ours: &[(String, f64)],
    pysal: &[(String, f64)],
    excluded_without_demand: usize,
) -> [usize; 3] {
    assert_eq!(ours.len(), pysal.len());
    let mut counts = [0; 3];
    for ((id, a), (pid, b)) in ours.iter().zip(pysal) {
        assert_eq!(id, pid);
        if b.is_nan() {
            assert_eq!(*a, 0.0, "{id}: PySAL NaN (no pair), ours {a}");
            counts[1] += 1;
        } else if b.is_infinite() {
            assert!(
                a.is_finite() && excluded_without_demand > 0,
                "{id}: PySAL ∞, ours {a}"
            );
            counts[2] += 1;
        } else {
            let scale = b.abs().max(1e-300);
            assert!((a - b).abs() <= 1e-9 * scale, "{id}: ours {a}, PySAL {b}");
            counts[0] += 1;
        }
    }
    counts
}

#[test]
fn same_results_as_pysal_access() {
    let Some(python) = reference_python() else {
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/reference/pysal_e2sfca.py");
    let case = generated_case(2026);
    let runs: &[&[&str]] = &[
        &["--poids", "10:1,20:0.68,30:0.22"],
        &[
            "--poids",
            "10:1,15:0.6666666666666666,20:0.3333333333333333",
            "--cout-max",
            "18",
        ],
        &["--normaliser"],
        &["--methode", "2sfca", "--cout-max", "20"],
        &[
            "--methode",
            "gravite",
            "--alpha",
            "-1.5",
            "--gravite-echelle",
            "10",
            "--cout-min",
            "1",
            "--cout-max",
            "30",
        ],
        &["--methode", "gaussienne", "--sigma", "12"],
    ];
    for options in runs {
        let meta = case.path("meta.json");
        let out = case.run(&[options, &["--metadonnees", meta.to_str().unwrap()][..]].concat());
        assert!(out.status.success(), "{options:?}: {}", stderr(&out));
        let reference = case.path("P.csv");
        let status = Command::new(&python)
            .arg(&script)
            .args([
                case.path("D.csv"),
                case.path("S.csv"),
                case.path("T.csv"),
                reference.clone(),
            ])
            .args(*options)
            .status()
            .unwrap();
        assert!(status.success(), "PySAL failed on {options:?}");
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&meta).unwrap()).unwrap();
        let without_demand = json["sites_sans_demande"].as_u64().unwrap() as usize;
        let [exact, nan, inf] = compare(&case.result(), &read_result(&reference), without_demand);
        assert!(exact > 250, "{options:?}: only {exact} zones compared");
        if options.len() == 2 {
            // E2SFCA without a maximum cost: both of PySAL's undefined cases occur.
            assert!(nan > 0 && inf > 0, "{options:?}: {nan} NaN, {inf} ∞");
        }
        // The generated edge cases are really there.
        assert!(json["zones_sans_population"].as_u64().unwrap() > 0);
        assert!(json["sites_inaccessibles"].as_u64().unwrap() > 0);
        assert!(json["zones_sans_acces"].as_u64().unwrap() > 0);
    }
}
