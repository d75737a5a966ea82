//! The command line quotes at most an extract of a value (about 80 characters), however large the value in the
//! file: a 52 MB bad field once came back whole on the terminal. Every file here is a FIXTURE generated at test
//! time, not real data, in the published layout.

use std::process::Output;

/// The size of the hostile value, as in the report of issue 14.
const VALUE_BYTES: usize = 52 * 1024 * 1024;
/// What a located French error with its extracts may take, with room to spare.
const OUTPUT_MAX: usize = 2048;
const FILLER: &str = "Valeur-de-test-hostile ";

fn hostile() -> String {
    FILLER.repeat(VALUE_BYTES / FILLER.len())
}

/// Longer than any extract: if it is printed, the value was not cut.
fn run_of_the_value() -> String {
    FILLER.repeat(4)
}

fn printed(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_refused_briefly(what: &str, out: &Output, located: &[&str]) {
    let (stdout, stderr) = printed(out);
    assert!(!out.status.success(), "{what}: accepted");
    assert!(
        stderr.len() < OUTPUT_MAX && stdout.len() < OUTPUT_MAX,
        "{what}: {} bytes on stderr, {} on stdout: {}",
        stderr.len(),
        stdout.len(),
        maillage_formats::text::cut(&stderr, 600)
    );
    assert!(
        !stderr.contains(&run_of_the_value()),
        "{what}: the value is printed whole"
    );
    assert!(stderr.starts_with("erreur : "), "{what}: {stderr}");
    for place in located {
        assert!(
            stderr.contains(place),
            "{what}: « {place} » missing: {stderr}"
        );
    }
}

#[test]
fn an_import_with_a_52_mb_value_prints_a_short_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path().join("base.sqlite");
    let base = base.to_str().unwrap();
    let file = dir.path().join("base-ic-evol-struct-pop-2022-fixture.csv");
    std::fs::write(
        &file,
        format!(
            "IRIS;COM;TYP_IRIS;LAB_IRIS;P22_POP\n991010101;99101;H;1;{}\n",
            hostile()
        ),
    )
    .unwrap();
    let out = crate::common::maillage(base, &["import", "insee-iris", file.to_str().unwrap()]);
    assert_refused_briefly(
        "population",
        &out,
        &["base-ic-evol-struct-pop-2022-fixture.csv", "ligne 2"],
    );
    // Nothing was imported.
    let zones = crate::common::maillage(base, &["zones"]);
    assert!(
        !String::from_utf8_lossy(&zones.stdout).contains("991010101"),
        "the refused file changed the base"
    );
}

#[test]
fn an_accessibility_table_with_a_52_mb_value_prints_a_short_located_error() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    };
    let demand = write("D.csv", &format!("id,value\nA,{}\n", hostile()));
    let supply = write("S.csv", "id,value\nS1,2\n");
    let costs = write("T.csv", "origin,destination,cost\nA,S1,5\n");
    let out = crate::common::run(&[
        "e2sfca",
        "--demande",
        demand.to_str().unwrap(),
        "--offre",
        supply.to_str().unwrap(),
        "--temps",
        costs.to_str().unwrap(),
        "--sortie",
        dir.path().join("R.csv").to_str().unwrap(),
    ]);
    assert_refused_briefly("demand", &out, &["D.csv", "ligne 2"]);
    assert!(!dir.path().join("R.csv").exists(), "no result written");
}

#[test]
fn an_option_with_a_long_value_is_quoted_briefly() {
    // The kernel bounds one argument to 128 KB: a long option is as far as the command line goes.
    let steps = format!("10:{}", "x".repeat(100_000));
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let out = crate::common::run(&[
        "e2sfca",
        "--demande",
        &write("D.csv", "id,value\nA,100\n"),
        "--offre",
        &write("S.csv", "id,value\nS1,2\n"),
        "--temps",
        &write("T.csv", "origin,destination,cost\nA,S1,5\n"),
        "--sortie",
        dir.path().join("R.csv").to_str().unwrap(),
        "--poids",
        &steps,
    ]);
    let (_, stderr) = printed(&out);
    assert!(!out.status.success());
    assert!(
        stderr.len() < OUTPUT_MAX
            && stderr.contains("--poids")
            && !stderr.contains(&"x".repeat(200)),
        "{}",
        maillage_formats::text::cut(&stderr, 600)
    );
}
