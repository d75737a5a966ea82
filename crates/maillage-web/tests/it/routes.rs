//! Every route × every role × territory, on a real server, on SQLite and PostgreSQL (there as the application
//! role that row-level security binds, as in production). The table below is written by hand from docs/produit.md §2
//! (not derived from the permission table it checks), and must list every route the application declares: a new
//! route without a line here fails the test. Each role is played by an account holding every commune and by an
//! account holding one commune, which reaches none of the records owned by a commune: every route naming one of
//! them by id answers it exactly as for a record that does not exist.

use crate::common;

use common::{Client, Server};
use maillage_store::accounts::Role;
use maillage_testkit::TestBase;
use maillage_web::Config;
use maillage_web::routes::{Access, Kind};
use std::collections::BTreeSet;

const ALL: &[Role] = Role::ALL;
/// Roles that see the observatory (dashboards, zones, indicators).
const OBSERVATORY: &[Role] = &[
    Role::Elu,
    Role::Coordination,
    Role::Observatoire,
    Role::Offre,
    Role::Mediation,
    Role::Crise,
    Role::Partenaire,
];
/// Imports of official files: the observatory team only (docs/produit.md §2: data imports).
const IMPORT: &[Role] = &[Role::Observatoire];
/// The guided set-up of the territory: those who import and those who install the instance.
const SETUP: &[Role] = &[Role::Observatoire, Role::Admin];
/// Roles that may list professionals by name (and export the list).
const NAMES: &[Role] = &[
    Role::Coordination,
    Role::Observatoire,
    Role::Offre,
    Role::Crise,
];
const ADMIN: &[Role] = &[Role::Admin];
const DPO: &[Role] = &[Role::Dpo];
/// Crisis dashboards without names: élus, coordination, CCAS, crisis cell (docs/produit.md §2).
const CRISIS: &[Role] = &[Role::Elu, Role::Coordination, Role::Ccas, Role::Crise];
/// Steering the crisis cell: coordination and the cell.
const CRISIS_CELL: &[Role] = &[Role::Coordination, Role::Crise];
/// The register by name, calls, volunteers, stocks: CCAS and the cell.
const CRISIS_PEOPLE: &[Role] = &[Role::Ccas, Role::Crise];
/// A volunteer's own missions.
const VOLUNTEER: &[Role] = &[Role::Benevole];
/// The internal directory of actors and its contact persons: those who orient people or run the network.
const DIRECTORY: &[Role] = &[Role::Coordination, Role::Offre, Role::Ccas, Role::Mediation];
/// Running the network and the CLS: the coordination (docs/produit.md §2).
const NETWORK: &[Role] = &[Role::Coordination];
/// The one information relay (lists, messages): the network's coordination and the crisis cell.
const RELAY: &[Role] = &[Role::Coordination, Role::Crise];
/// Bodies, meetings, watch cases and the full CLS, read: élus and coordination.
const NETWORK_READ: &[Role] = &[Role::Elu, Role::Coordination];
/// The shared CLS dashboard (aggregated): élus, coordination, partners.
const CLS_SHARED: &[Role] = &[Role::Elu, Role::Coordination, Role::Partenaire];

/// A network form posted empty (or wrong): granted roles get it back to correct (422), nothing changes.
const fn network_post(
    pattern: &'static str,
    url: &'static str,
    granted: &'static [Role],
    ok: u16,
) -> Line {
    Line {
        method: "POST",
        pattern,
        url,
        form: &[],
        granted,
        ok,
        anon: 303,
    }
}

const fn network_get(
    pattern: &'static str,
    url: &'static str,
    granted: &'static [Role],
    ok: u16,
    anon: u16,
) -> Line {
    Line {
        method: "GET",
        pattern,
        url,
        form: &[],
        granted,
        ok,
        anon,
    }
}

/// A crisis form posted empty (or incomplete): granted roles get the form back to correct (422), nothing changes.
const fn crisis_post(pattern: &'static str, url: &'static str, granted: &'static [Role]) -> Line {
    Line {
        method: "POST",
        pattern,
        url,
        form: &[],
        granted,
        ok: 422,
        anon: 303,
    }
}

const fn crisis_get(pattern: &'static str, url: &'static str, granted: &'static [Role]) -> Line {
    Line {
        method: "GET",
        pattern,
        url,
        form: &[],
        granted,
        ok: 200,
        anon: 303,
    }
}

/// One line of the matrix: `granted` roles get `ok`, the other roles 403, a visitor without session `anon`.
struct Line {
    method: &'static str,
    /// The route as declared.
    pattern: &'static str,
    /// The URL requested (path parameters filled in; `{compte}` is replaced by an existing account's id).
    url: &'static str,
    /// Form fields posted (the session's CSRF token is added).
    form: &'static [(&'static str, &'static str)],
    granted: &'static [Role],
    ok: u16,
    anon: u16,
}

const fn get(pattern: &'static str, granted: &'static [Role], ok: u16, anon: u16) -> Line {
    Line {
        method: "GET",
        pattern,
        url: pattern,
        form: &[],
        granted,
        ok,
        anon,
    }
}

const fn post(
    pattern: &'static str,
    form: &'static [(&'static str, &'static str)],
    granted: &'static [Role],
    ok: u16,
) -> Line {
    Line {
        method: "POST",
        pattern,
        url: pattern,
        form,
        granted,
        ok,
        anon: 303,
    }
}

/// The matrix. Logout comes last: it ends the session.
const MATRIX: &[Line] = &[
    get("/static/maillage.css", ALL, 200, 200),
    get("/static/maillage.js", ALL, 200, 200),
    get("/static/carte.js", ALL, 200, 200),
    get("/static/imports.js", ALL, 200, 200),
    get("/static/formulaires.js", ALL, 200, 200),
    get("/static/vendor/leaflet/leaflet.js", ALL, 200, 200),
    get("/static/vendor/leaflet/leaflet.css", ALL, 200, 200),
    get("/static/vendor/leaflet/images/layers.png", ALL, 200, 200),
    get("/static/vendor/leaflet/images/layers-2x.png", ALL, 200, 200),
    get("/static/vendor/leaflet/LICENSE", ALL, 200, 200),
    get("/sante", ALL, 200, 200),
    get("/api/v1/openapi.json", ALL, 200, 200),
    // Logged in, the login page sends home; a visitor sees the form.
    get("/connexion", ALL, 303, 200),
    // Empty credentials: the form comes back to be corrected.
    Line {
        method: "POST",
        pattern: "/connexion",
        url: "/connexion",
        form: &[],
        granted: ALL,
        ok: 422,
        anon: 422,
    },
    get("/", ALL, 200, 200),
    get("/indicateurs", ALL, 200, 200),
    get("/favicon.ico", ALL, 200, 200),
    get("/static/favicon.svg", ALL, 200, 200),
    get("/static/copier.js", ALL, 200, 200),
    get("/compte/mot-de-passe", ALL, 200, 303),
    post(
        "/compte/mot-de-passe",
        &[
            ("actuel", "pas le bon"),
            ("nouveau", "x"),
            ("confirmation", "x"),
        ],
        ALL,
        422,
    ),
    get("/observatoire", OBSERVATORY, 200, 303),
    get("/observatoire/carte", OBSERVATORY, 200, 303),
    get("/observatoire/qpv", OBSERVATORY, 200, 303),
    Line {
        method: "GET",
        pattern: "/observatoire/zones/{type}/{code}",
        url: "/observatoire/zones/commune/99101",
        form: &[],
        granted: OBSERVATORY,
        ok: 200,
        anon: 303,
    },
    get("/api/v1/geo/zones", OBSERVATORY, 200, 401),
    // Background map tiles: any logged-in account (no personal data), a visitor is sent to log in.
    Line {
        method: "GET",
        pattern: "/carte/fond/{z}/{x}/{y}",
        url: "/carte/fond/14/8269/5776.svg",
        form: &[],
        granted: ALL,
        ok: 200,
        anon: 303,
    },
    Line {
        method: "GET",
        pattern: "/carte/noms/{z}/{x}/{y}",
        url: "/carte/noms/14/8269/5776.svg",
        form: &[],
        granted: ALL,
        ok: 200,
        anon: 303,
    },
    get("/api/v1/geo/professionnels", OBSERVATORY, 200, 401),
    get("/api/v1/geo/etablissements", OBSERVATORY, 200, 401),
    get("/api/v1/geo/isochrones", OBSERVATORY, 200, 401),
    get("/api/v1/geo/zonage", OBSERVATORY, 200, 401),
    get("/observatoire/imports", IMPORT, 200, 303),
    // A form body instead of a file: past the guard, the handler asks for the upload form.
    post(
        "/observatoire/imports",
        &[("type", "annuaire")],
        IMPORT,
        400,
    ),
    get("/observatoire/imports/historique", IMPORT, 200, 303),
    get("/installation", SETUP, 200, 303),
    // No such import: 404 for the roles that may follow imports.
    Line {
        method: "GET",
        pattern: "/observatoire/imports/suivi/{id}",
        url: "/observatoire/imports/suivi/inconnu",
        form: &[],
        granted: IMPORT,
        ok: 404,
        anon: 303,
    },
    Line {
        method: "GET",
        pattern: "/api/v1/imports/{id}",
        url: "/api/v1/imports/inconnu",
        form: &[],
        granted: IMPORT,
        ok: 404,
        anon: 401,
    },
    get("/api/v1/zones", OBSERVATORY, 200, 401),
    get("/api/v1/indicateurs", OBSERVATORY, 200, 401),
    get("/api/v1/professionnels", OBSERVATORY, 200, 401),
    get(
        "/observatoire/export/indicateurs.csv",
        OBSERVATORY,
        200,
        303,
    ),
    get(
        "/observatoire/export/indicateurs.xlsx",
        OBSERVATORY,
        200,
        303,
    ),
    get("/observatoire/export/zones.csv", OBSERVATORY, 200, 303),
    get("/observatoire/export/zones.xlsx", OBSERVATORY, 200, 303),
    get("/observatoire/export/zones.geojson", OBSERVATORY, 200, 303),
    get("/observatoire/export/zones.gpkg", OBSERVATORY, 200, 303),
    get("/observatoire/export/professionnels.csv", NAMES, 200, 303),
    get("/observatoire/export/professionnels.xlsx", NAMES, 200, 303),
    get("/observatoire/export/imports.csv", IMPORT, 200, 303),
    get("/observatoire/export/imports.xlsx", IMPORT, 200, 303),
    Line {
        method: "GET",
        pattern: "/observatoire/rapport/{type}/{fichier}",
        url: "/observatoire/rapport/commune/99101.pdf",
        form: &[],
        granted: OBSERVATORY,
        ok: 200,
        anon: 303,
    },
    get("/admin/utilisateurs", ADMIN, 200, 303),
    post("/admin/utilisateurs", &[], ADMIN, 422),
    Line {
        method: "GET",
        pattern: "/admin/utilisateurs/{id}",
        url: "/admin/utilisateurs/{compte}",
        form: &[],
        granted: ADMIN,
        ok: 200,
        anon: 303,
    },
    Line {
        method: "POST",
        pattern: "/admin/utilisateurs/{id}",
        url: "/admin/utilisateurs/{compte}",
        form: &[("nom", "Sans rôle")],
        granted: ADMIN,
        ok: 422,
        anon: 303,
    },
    Line {
        method: "POST",
        pattern: "/admin/utilisateurs/{id}/mot-de-passe",
        url: "/admin/utilisateurs/{compte}/mot-de-passe",
        form: &[("mot_de_passe", "court")],
        granted: ADMIN,
        ok: 422,
        anon: 303,
    },
    get("/admin/jetons", ADMIN, 200, 303),
    post("/admin/jetons", &[], ADMIN, 422),
    // No such token: 404 for the administrator, who alone may ask.
    Line {
        method: "POST",
        pattern: "/admin/jetons/{id}/revocation",
        url: "/admin/jetons/999999/revocation",
        form: &[],
        granted: ADMIN,
        ok: 404,
        anon: 303,
    },
    get("/dpo/journal", DPO, 200, 303),
    get("/dpo/journal.csv", DPO, 200, 303),
    get("/dpo/journal/verification", DPO, 200, 303),
    // Crisis module (ids are those of the demonstration, built on a fresh base).
    get("/static/crise.css", ALL, 200, 200),
    get("/static/crise.js", ALL, 200, 200),
    get("/continuite", ALL, 200, 200),
    get("/crise", CRISIS, 200, 303),
    get("/crise/main-courante", CRISIS, 200, 303),
    get("/crise/point-de-situation", CRISIS, 200, 303),
    get("/crise/stocks", CRISIS, 200, 303),
    get("/crise/indicateurs", CRISIS, 200, 303),
    get("/crise/clusters", CRISIS, 200, 303),
    get("/crise/continuite", CRISIS, 200, 303),
    get("/crise/registre", CRISIS_PEOPLE, 200, 303),
    crisis_get("/crise/registre/{id}", "/crise/registre/1", CRISIS_PEOPLE),
    get("/crise/appels", CRISIS_PEOPLE, 200, 303),
    crisis_get("/crise/appels/{id}", "/crise/appels/1", CRISIS_PEOPLE),
    crisis_get(
        "/crise/appels/{id}/appel/{call}",
        "/crise/appels/1/appel/1",
        CRISIS_PEOPLE,
    ),
    get("/crise/benevoles", CRISIS_PEOPLE, 200, 303),
    get("/mes-missions", VOLUNTEER, 200, 303),
    crisis_post("/crise/evenements", "/crise/evenements", CRISIS_CELL),
    crisis_post(
        "/crise/evenements/{id}/niveau",
        "/crise/evenements/2/niveau",
        CRISIS_CELL,
    ),
    crisis_post("/crise/membres", "/crise/membres", CRISIS_CELL),
    crisis_post("/crise/taches", "/crise/taches", CRISIS_CELL),
    crisis_post("/crise/taches/{id}", "/crise/taches/1", CRISIS_CELL),
    crisis_post("/crise/main-courante", "/crise/main-courante", CRISIS_CELL),
    crisis_post(
        "/crise/indicateurs/import",
        "/crise/indicateurs/import",
        CRISIS_CELL,
    ),
    Line {
        method: "POST",
        pattern: "/crise/indicateurs/population",
        url: "/crise/indicateurs/population",
        form: &[("serie", "commune:99101")],
        granted: CRISIS_CELL,
        ok: 422,
        anon: 303,
    },
    crisis_post(
        "/crise/indicateurs/seuils",
        "/crise/indicateurs/seuils",
        CRISIS_CELL,
    ),
    crisis_post("/crise/clusters", "/crise/clusters", CRISIS_CELL),
    crisis_post(
        "/crise/clusters/regles",
        "/crise/clusters/regles",
        CRISIS_CELL,
    ),
    crisis_post(
        "/crise/clusters/{id}/cas",
        "/crise/clusters/1/cas",
        CRISIS_CELL,
    ),
    crisis_post(
        "/crise/clusters/{id}/statut",
        "/crise/clusters/1/statut",
        CRISIS_CELL,
    ),
    crisis_post(
        "/crise/clusters/{id}/decision",
        "/crise/clusters/1/decision",
        CRISIS_CELL,
    ),
    crisis_post("/crise/continuite", "/crise/continuite", CRISIS_CELL),
    crisis_post("/crise/registre", "/crise/registre", CRISIS_PEOPLE),
    crisis_post("/crise/registre/{id}", "/crise/registre/1", CRISIS_PEOPLE),
    // The confirmation page of a removal, without its reason: the person's page to choose one.
    Line {
        method: "GET",
        pattern: "/crise/registre/{id}/radiation",
        url: "/crise/registre/1/radiation",
        form: &[],
        granted: CRISIS_PEOPLE,
        ok: 422,
        anon: 303,
    },
    Line {
        method: "POST",
        pattern: "/crise/registre/{id}/radiation",
        url: "/crise/registre/1/radiation",
        form: &[("confirmation", "oui")],
        granted: CRISIS_PEOPLE,
        ok: 422,
        anon: 303,
    },
    crisis_post(
        "/crise/registre/transmission",
        "/crise/registre/transmission",
        CRISIS_PEOPLE,
    ),
    crisis_post("/crise/appels", "/crise/appels", CRISIS_PEOPLE),
    // Takes the next person to call: the caller is sent to the call (or back, when nobody waits).
    Line {
        method: "POST",
        pattern: "/crise/appels/{id}/suivant",
        url: "/crise/appels/1/suivant",
        form: &[],
        granted: CRISIS_PEOPLE,
        ok: 303,
        anon: 303,
    },
    crisis_post(
        "/crise/appels/{id}/cloture",
        "/crise/appels/1/cloture",
        CRISIS_PEOPLE,
    ),
    crisis_post(
        "/crise/appels/{id}/appel/{call}",
        "/crise/appels/1/appel/1",
        CRISIS_PEOPLE,
    ),
    // Giving back a call one does not hold changes nothing and answers the same.
    Line {
        method: "POST",
        pattern: "/crise/appels/{id}/appel/{call}/liberer",
        url: "/crise/appels/1/appel/1/liberer",
        form: &[],
        granted: CRISIS_PEOPLE,
        ok: 303,
        anon: 303,
    },
    crisis_post(
        "/crise/signalements/{id}",
        "/crise/signalements/1",
        CRISIS_PEOPLE,
    ),
    crisis_post("/crise/benevoles", "/crise/benevoles", CRISIS_PEOPLE),
    crisis_post("/crise/demandes", "/crise/demandes", CRISIS_PEOPLE),
    crisis_post(
        "/crise/demandes/{id}/affectation",
        "/crise/demandes/1/affectation",
        CRISIS_PEOPLE,
    ),
    crisis_post(
        "/crise/demandes/{id}/cloture",
        "/crise/demandes/1/cloture",
        CRISIS_PEOPLE,
    ),
    crisis_post("/crise/tournees", "/crise/tournees", CRISIS_PEOPLE),
    crisis_post(
        "/crise/stocks/articles",
        "/crise/stocks/articles",
        CRISIS_PEOPLE,
    ),
    crisis_post(
        "/crise/stocks/receptions",
        "/crise/stocks/receptions",
        CRISIS_PEOPLE,
    ),
    crisis_post(
        "/crise/stocks/distributions",
        "/crise/stocks/distributions",
        CRISIS_PEOPLE,
    ),
    crisis_post("/mes-missions/{id}", "/mes-missions/1", VOLUNTEER),
    crisis_post(
        "/mes-missions/{id}/pas-pu",
        "/mes-missions/1/pas-pu",
        VOLUNTEER,
    ),
    get("/api/v1/crise/situation", CRISIS, 200, 401),
    get("/api/v1/crise/appels", CRISIS, 200, 401),
    get("/api/v1/crise/indicateurs", CRISIS, 200, 401),
    get("/api/v1/crise/clusters", CRISIS, 200, 401),
    get("/api/v1/crise/stocks", CRISIS, 200, 401),
    get("/api/v1/crise/registre/effectifs", CRISIS, 200, 401),
    get("/api/v1/mes-missions", VOLUNTEER, 200, 401),
    // Network and CLS module (ids are those of the demonstration; deletions aim at ids that do not exist).
    get("/static/reseau.css", ALL, 200, 200),
    get("/annuaire", ALL, 200, 200),
    network_get("/annuaire/fiche/{id}", "/annuaire/fiche/1", ALL, 200, 200),
    get("/annuaire/guide.pdf", ALL, 200, 200),
    get("/api/v1/annuaire", ALL, 200, 200),
    // An unsubscribe link without its signature is refused, to anyone.
    get("/desinscription", ALL, 400, 400),
    Line {
        method: "POST",
        pattern: "/desinscription",
        url: "/desinscription",
        form: &[("liste", "1"), ("contact", "1"), ("signature", "00")],
        granted: ALL,
        ok: 400,
        anon: 400,
    },
    // A calendar address with a wrong signature does not exist.
    network_get("/agenda/{jeton}", "/agenda/1-00.ics", ALL, 404, 404),
    get("/reseau", NETWORK_READ, 200, 303),
    get("/reseau/acteurs", DIRECTORY, 200, 303),
    network_post("/reseau/acteurs", "/reseau/acteurs", NETWORK, 422),
    get("/reseau/acteurs.csv", DIRECTORY, 200, 303),
    get("/reseau/contacts.csv", NETWORK, 200, 303),
    // A form body instead of a file: the import asks for the upload form.
    network_post(
        "/reseau/acteurs/import",
        "/reseau/acteurs/import",
        NETWORK,
        400,
    ),
    network_get(
        "/reseau/acteurs/{id}",
        "/reseau/acteurs/1",
        DIRECTORY,
        200,
        303,
    ),
    network_post("/reseau/acteurs/{id}", "/reseau/acteurs/1", NETWORK, 422),
    network_get(
        "/reseau/acteurs/{id}/suppression",
        "/reseau/acteurs/1/suppression",
        NETWORK,
        200,
        303,
    ),
    Line {
        method: "POST",
        pattern: "/reseau/acteurs/{id}/suppression",
        url: "/reseau/acteurs/999999/suppression",
        form: &[("confirmation", "oui")],
        granted: NETWORK,
        ok: 404,
        anon: 303,
    },
    get("/reseau/corbeille", NETWORK, 200, 303),
    network_get(
        "/reseau/contacts/{id}/suppression",
        "/reseau/contacts/1/suppression",
        NETWORK,
        200,
        303,
    ),
    network_get(
        "/reseau/membres/{id}/suppression",
        "/reseau/membres/1/suppression",
        NETWORK,
        200,
        303,
    ),
    network_post(
        "/reseau/corbeille/{id}/restauration",
        "/reseau/corbeille/999999/restauration",
        NETWORK,
        404,
    ),
    network_post(
        "/reseau/acteurs/{id}/contacts",
        "/reseau/acteurs/1/contacts",
        NETWORK,
        422,
    ),
    network_post("/reseau/contacts/{id}", "/reseau/contacts/1", NETWORK, 422),
    network_post(
        "/reseau/contacts/{id}/suppression",
        "/reseau/contacts/999999/suppression",
        NETWORK,
        404,
    ),
    // Reminders without a mail server: nothing is sent, the dashboard says so.
    network_post("/reseau/rappels", "/reseau/rappels", NETWORK, 303),
    get("/reseau/instances", NETWORK_READ, 200, 303),
    network_post("/reseau/instances", "/reseau/instances", NETWORK, 422),
    network_get(
        "/reseau/instances/{id}",
        "/reseau/instances/1",
        NETWORK_READ,
        200,
        303,
    ),
    network_post(
        "/reseau/instances/{id}",
        "/reseau/instances/1",
        NETWORK,
        422,
    ),
    network_post(
        "/reseau/instances/{id}/membres",
        "/reseau/instances/1/membres",
        NETWORK,
        422,
    ),
    network_post(
        "/reseau/membres/{id}/suppression",
        "/reseau/membres/999999/suppression",
        NETWORK,
        404,
    ),
    network_post(
        "/reseau/instances/{id}/reunions",
        "/reseau/instances/1/reunions",
        NETWORK,
        422,
    ),
    network_post(
        "/reseau/instances/{id}/actions",
        "/reseau/instances/1/actions",
        NETWORK,
        422,
    ),
    network_post(
        "/reseau/actions/{id}/statut",
        "/reseau/actions/1/statut",
        NETWORK,
        400,
    ),
    network_get(
        "/reseau/reunions/{id}",
        "/reseau/reunions/1",
        NETWORK_READ,
        200,
        303,
    ),
    network_post("/reseau/reunions/{id}", "/reseau/reunions/1", NETWORK, 422),
    network_post(
        "/reseau/reunions/{id}/questions",
        "/reseau/reunions/1/questions",
        NETWORK,
        422,
    ),
    // No attendance given: nothing to record, back to the meeting.
    network_post(
        "/reseau/reunions/{id}/presences",
        "/reseau/reunions/1/presences",
        NETWORK,
        303,
    ),
    network_post(
        "/reseau/reunions/{id}/decisions",
        "/reseau/reunions/1/decisions",
        NETWORK,
        422,
    ),
    get("/reseau/agenda.ics", NETWORK_READ, 200, 303),
    get("/reseau/relais", RELAY, 200, 303),
    network_post("/reseau/relais/listes", "/reseau/relais/listes", RELAY, 422),
    network_get(
        "/reseau/relais/listes/{id}",
        "/reseau/relais/listes/1",
        RELAY,
        200,
        303,
    ),
    network_post(
        "/reseau/relais/listes/{id}/membres",
        "/reseau/relais/listes/1/membres",
        RELAY,
        422,
    ),
    network_post(
        "/reseau/relais/messages",
        "/reseau/relais/messages",
        RELAY,
        422,
    ),
    network_get(
        "/reseau/relais/messages/{id}",
        "/reseau/relais/messages/1",
        RELAY,
        200,
        303,
    ),
    network_get(
        "/reseau/relais/messages/{id}/export.csv",
        "/reseau/relais/messages/1/export.csv",
        RELAY,
        200,
        303,
    ),
    get("/admin/courriel", ADMIN, 200, 303),
    network_post("/admin/courriel", "/admin/courriel", ADMIN, 422),
    get("/admin/fuseau-horaire", ADMIN, 200, 303),
    post("/admin/fuseau-horaire", &[], ADMIN, 422),
    get("/reseau/veille", NETWORK_READ, 200, 303),
    network_post("/reseau/veille", "/reseau/veille", NETWORK, 422),
    network_get(
        "/reseau/veille/{id}",
        "/reseau/veille/1",
        NETWORK_READ,
        200,
        303,
    ),
    network_post("/reseau/veille/{id}", "/reseau/veille/1", NETWORK, 422),
    network_post(
        "/reseau/veille/{id}/etape",
        "/reseau/veille/1/etape",
        NETWORK,
        422,
    ),
    get("/reseau/democratie", NETWORK_READ, 200, 303),
    network_post("/reseau/democratie", "/reseau/democratie", NETWORK, 422),
    get("/cls", CLS_SHARED, 200, 303),
    network_post("/cls", "/cls", NETWORK, 422),
    network_get("/cls/{id}", "/cls/1", CLS_SHARED, 200, 303),
    network_post("/cls/{id}", "/cls/1", NETWORK, 422),
    network_post("/cls/{id}/signataires", "/cls/1/signataires", NETWORK, 422),
    network_post("/cls/{id}/axes", "/cls/1/axes", NETWORK, 422),
    network_post("/cls/{id}/objectifs", "/cls/1/objectifs", NETWORK, 422),
    network_post("/cls/{id}/fiches", "/cls/1/fiches", NETWORK, 422),
    network_get(
        "/cls/{id}/financements",
        "/cls/1/financements",
        NETWORK_READ,
        200,
        303,
    ),
    network_post(
        "/cls/{id}/financements",
        "/cls/1/financements",
        NETWORK,
        422,
    ),
    network_post(
        "/cls/financements/{id}/bilans",
        "/cls/financements/1/bilans",
        NETWORK,
        422,
    ),
    Line {
        method: "POST",
        pattern: "/cls/bilans/{id}",
        url: "/cls/bilans/1",
        form: &[("date_envoi", "pas une date")],
        granted: NETWORK,
        ok: 422,
        anon: 303,
    },
    network_get("/cls/fiches/{id}", "/cls/fiches/1", NETWORK_READ, 200, 303),
    network_post("/cls/fiches/{id}", "/cls/fiches/1", NETWORK, 422),
    network_post(
        "/cls/fiches/{id}/financeurs",
        "/cls/fiches/1/financeurs",
        NETWORK,
        422,
    ),
    network_post(
        "/cls/fiches/{id}/indicateurs",
        "/cls/fiches/1/indicateurs",
        NETWORK,
        422,
    ),
    network_post(
        "/cls/indicateurs/{id}/mesures",
        "/cls/indicateurs/1/mesures",
        NETWORK,
        422,
    ),
    network_get(
        "/cls/{id}/evaluation.pdf",
        "/cls/1/evaluation.pdf",
        NETWORK_READ,
        200,
        303,
    ),
    get("/api/v1/reseau/acteurs", DIRECTORY, 200, 401),
    get("/api/v1/reseau/instances", NETWORK_READ, 200, 401),
    get("/api/v1/reseau/veille", NETWORK_READ, 200, 401),
    get("/api/v1/reseau/rappels", NETWORK_READ, 200, 401),
    get("/api/v1/cls", CLS_SHARED, 200, 401),
    network_get("/api/v1/cls/{id}", "/api/v1/cls/1", CLS_SHARED, 200, 401),
    post("/deconnexion", &[], ALL, 303),
];

/// The commune of the accounts limited to one commune (the demonstration's town).
const COMMUNE_HELD: &str = "99101";
/// The commune every record owned by a commune is given to before the matrix runs.
const COMMUNE_ELSEWHERE: &str = "99102";

/// Routes whose path parameters name something other than a record owned by a commune: zones, imports,
/// accounts, tokens, and the public directory and agenda (read by visitors alike).
const NOT_OWNED_BY_ID: &[&str] = &[
    "/carte/fond/{z}/{x}/{y}",
    "/carte/noms/{z}/{x}/{y}",
    "/observatoire/zones/{type}/{code}",
    "/observatoire/imports/suivi/{id}",
    "/api/v1/imports/{id}",
    "/observatoire/rapport/{type}/{fichier}",
    "/admin/utilisateurs/{id}",
    "/admin/utilisateurs/{id}/mot-de-passe",
    "/admin/jetons/{id}/revocation",
    "/annuaire/fiche/{id}",
    "/agenda/{jeton}",
];

/// Whether a line names a record owned by a commune by its id.
fn names_owned_record(line: &Line) -> bool {
    line.pattern.contains('{') && !NOT_OWNED_BY_ID.contains(&line.pattern)
}

/// The same URL with every id replaced by one that does not exist.
fn missing_record_url(url: &str) -> String {
    url.split('/')
        .map(|segment| {
            if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                "999999"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

#[test]
fn the_lines_naming_records_are_recognised() {
    assert_eq!(
        missing_record_url("/crise/appels/1/appel/12"),
        "/crise/appels/999999/appel/999999"
    );
    let named: Vec<&str> = MATRIX
        .iter()
        .filter(|l| names_owned_record(l))
        .map(|l| l.pattern)
        .collect();
    assert!(named.contains(&"/crise/registre/{id}"));
    assert!(named.contains(&"/reseau/contacts/{id}"));
    assert!(!named.contains(&"/admin/utilisateurs/{id}"));
    // Every exception is a route of the matrix.
    for pattern in NOT_OWNED_BY_ID {
        assert!(
            MATRIX.iter().any(|l| l.pattern == *pattern),
            "{pattern} is not in the matrix"
        );
    }
    // Every line naming a record names it by a number, so that its missing twin differs from it (or is it).
    for line in MATRIX.iter().filter(|l| names_owned_record(l)) {
        assert!(
            line.url
                .split('/')
                .any(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())),
            "{}",
            line.url
        );
    }
}

#[test]
fn the_matrix_lists_every_declared_route_and_no_other() {
    let declared: BTreeSet<(String, String)> = maillage_web::route_table()
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    let tested: BTreeSet<(String, String)> = MATRIX
        .iter()
        .map(|l| (l.method.to_string(), l.pattern.to_string()))
        .collect();
    let untested: Vec<_> = declared.difference(&tested).collect();
    let unknown: Vec<_> = tested.difference(&declared).collect();
    assert!(
        untested.is_empty(),
        "routes without a line in the role × route matrix: {untested:?}"
    );
    assert!(
        unknown.is_empty(),
        "matrix lines for routes that do not exist: {unknown:?}"
    );
    assert_eq!(
        tested.len(),
        MATRIX.len(),
        "a route is listed twice in the matrix"
    );
}

#[test]
fn only_the_login_health_assets_and_api_description_are_public() {
    let public: BTreeSet<(String, &str)> = maillage_web::route_table()
        .iter()
        .filter(|r| r.access == Access::Public)
        .map(|r| (r.method.to_string(), r.path))
        .collect();
    let expected: BTreeSet<(String, &str)> = [
        ("GET", "/connexion"),
        ("POST", "/connexion"),
        ("GET", "/sante"),
        ("GET", "/static/maillage.css"),
        ("GET", "/static/maillage.js"),
        ("GET", "/static/carte.js"),
        ("GET", "/static/imports.js"),
        ("GET", "/static/formulaires.js"),
        ("GET", "/static/vendor/leaflet/leaflet.js"),
        ("GET", "/static/vendor/leaflet/leaflet.css"),
        ("GET", "/static/vendor/leaflet/images/layers.png"),
        ("GET", "/static/vendor/leaflet/images/layers-2x.png"),
        ("GET", "/static/vendor/leaflet/LICENSE"),
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/static/crise.css"),
        ("GET", "/static/crise.js"),
        ("GET", "/continuite"),
        ("GET", "/static/reseau.css"),
        ("GET", "/annuaire"),
        ("GET", "/annuaire/fiche/{id}"),
        ("GET", "/annuaire/guide.pdf"),
        ("GET", "/api/v1/annuaire"),
        ("GET", "/desinscription"),
        ("POST", "/desinscription"),
        ("GET", "/agenda/{jeton}"),
        ("GET", "/"),
        ("GET", "/indicateurs"),
        ("GET", "/favicon.ico"),
        ("GET", "/static/favicon.svg"),
        ("GET", "/static/copier.js"),
    ]
    .into_iter()
    .map(|(m, p)| (m.to_string(), p))
    .collect();
    assert_eq!(public, expected);
    // Every API route is documented (the OpenAPI document is built from these).
    for r in maillage_web::route_table()
        .iter()
        .filter(|r| r.kind == Kind::Api)
    {
        assert!(
            r.doc.is_some(),
            "{} {} has no documentation",
            r.method,
            r.path
        );
    }
}

async fn request(
    client: &mut Client,
    line: &Line,
    url: &str,
    account_id: i64,
    csrf: &str,
) -> (String, u16, String) {
    let url = url.replace("{compte}", &account_id.to_string());
    let reply = if line.method == "GET" {
        client.get(&url).await
    } else {
        let mut fields: Vec<(&str, &str)> = line.form.to_vec();
        fields.push(("_csrf", csrf));
        client.post_form(&url, &fields).await
    };
    (url, reply.status, reply.body)
}

#[tokio::test]
async fn every_route_answers_every_role_and_territory_as_the_matrix_says() {
    for base in TestBase::all().await {
        let owner = maillage_store::Store::open(&base.location).await.unwrap();
        maillage_demo::build(&owner, maillage_demo::DEFAULT_SEED)
            .await
            .unwrap();
        common::give_owned_records_to(&owner, COMMUNE_ELSEWHERE).await;
        let store = common::application_store(&base, owner).await;
        let ids = common::one_account_per_role(&store).await;
        for &role in Role::ALL {
            common::commune_account(
                &store,
                &format!("commune-{}", role.as_str()),
                &[role],
                &[COMMUNE_HELD],
            )
            .await;
        }
        let server = Server::start_on(store, base.backend, Config::default()).await;
        let target = ids[&Role::Benevole];
        let mut checked = 0;

        // A visitor: no session at all (for a POST, the login form's CSRF cookie and token, which a browser has).
        let mut visitor = server.client();
        let csrf = visitor.get("/connexion").await.csrf();
        for line in MATRIX {
            let (url, status, body) = request(&mut visitor, line, line.url, target, &csrf).await;
            assert_eq!(
                status, line.anon,
                "[{}] visitor {} {url}: {body}",
                server.backend, line.method
            );
            checked += 1;
        }

        for &role in Role::ALL {
            // Every commune: the matrix as written. First, how each route naming a record answers for a record
            // that does not exist: what the account of another commune must get for the records it does not reach.
            let mut client = server.client();
            let csrf = client.login_ok(role.as_str()).await;
            let mut missing: Vec<Option<u16>> = Vec::new();
            for line in MATRIX {
                missing.push(
                    if line.granted.contains(&role) && names_owned_record(line) {
                        let url = missing_record_url(line.url);
                        Some(request(&mut client, line, &url, target, &csrf).await.1)
                    } else {
                        None
                    },
                );
            }
            for line in MATRIX {
                let expected = if line.granted.contains(&role) {
                    line.ok
                } else {
                    403
                };
                let (url, status, body) = request(&mut client, line, line.url, target, &csrf).await;
                assert_eq!(
                    status,
                    expected,
                    "[{}] {} {} {url}: {body}",
                    server.backend,
                    role.as_str(),
                    line.method
                );
                if status == 403 {
                    assert!(
                        body.contains("Accès refusé") || body.contains("\"statut\":403"),
                        "French 403: {body}"
                    );
                }
                checked += 1;
            }
            // After logout, the session is gone.
            assert_eq!(
                client.get("/compte/mot-de-passe").await.status,
                303,
                "{} is logged out",
                role.as_str()
            );

            // One commune: the same permissions; the records of the other commune are as if they did not exist.
            let mut client = server.client();
            let csrf = client.login_ok(&format!("commune-{}", role.as_str())).await;
            for (line, missing) in MATRIX.iter().zip(&missing) {
                let expected = match missing {
                    Some(status) => *status,
                    None if line.granted.contains(&role) => line.ok,
                    None => 403,
                };
                let (url, status, body) = request(&mut client, line, line.url, target, &csrf).await;
                assert_eq!(
                    status,
                    expected,
                    "[{}] {} of commune {COMMUNE_HELD} {} {url} (a record of {COMMUNE_ELSEWHERE} answers as a \
                     missing one): {body}",
                    server.backend,
                    role.as_str(),
                    line.method
                );
                checked += 1;
            }
        }
        assert_eq!(checked, MATRIX.len() * (2 * Role::ALL.len() + 1));
        eprintln!(
            "[{}] {checked} route × role × territory checks",
            server.backend
        );
        server.stop().await;
    }
}
