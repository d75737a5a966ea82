// Maillage in a real browser (Debian's Chromium, driven by playwright-core; no browser is downloaded).
// Run by crates/maillage-web/tests/it/browser.rs, which starts the real server on the loopback with the
// demonstration town and reads the JSON report this script prints on its last line of output.
//
// Environment: MAILLAGE_URL (http://127.0.0.1:port), MAILLAGE_COMPTES (JSON {"observatoire": [id, password],
// "partenaire": [id, password]}), MAILLAGE_ARTEFACTS (folder for screenshots), MAILLAGE_CHROMIUM (executable),
// MAILLAGE_FICHIER_INSEE (a population file to upload), MAILLAGE_FICHIER_ZONAGE (a CartoSanté zonage export) and
// MAILLAGE_COMMUNE_ZONAGE (a commune it classes as a zone d'intervention prioritaire).
//
// Every request that does not go to the loopback is recorded and aborted; every console error, page error and
// failed answer (4xx/5xx) is recorded. The Rust test decides what passes.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const comptes = JSON.parse(process.env.MAILLAGE_COMPTES);
const artefacts = process.env.MAILLAGE_ARTEFACTS;
mkdirSync(artefacts, { recursive: true });

const rapport = { consoleErrors: [], pageErrors: [], external: [], failed: [], screenshots: [], checks: {} };
const local = (u) => {
  try {
    const url = new URL(u);
    if (url.protocol === "data:" || url.protocol === "blob:" || url.protocol === "about:") return true;
    return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
};

const browser = await chromium.launch({
  executablePath: process.env.MAILLAGE_CHROMIUM,
  headless: true,
  // Playwright gives each launch a fresh temporary profile (user data dir).
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--lang=fr-FR",
  ],
});

async function contexte(options = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR", ...options });
  await ctx.route((url) => !local(url.toString()), (route) => {
    rapport.external.push(route.request().url());
    return route.abort();
  });
  ctx.on("page", surveiller);
  return ctx;
}

function surveiller(page) {
  page.on("console", (m) => {
    if (m.type() === "error") rapport.consoleErrors.push(`${page.url()} : ${m.text()}`);
  });
  page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
  page.on("response", (r) => {
    if (r.status() >= 400) rapport.failed.push(`${r.status()} ${r.url()}`);
  });
  page.on("requestfailed", (r) => {
    // Leaflet cancels the background tiles that leave the view while it zooms: not a failure.
    const tuile = /\/carte\/(fond|noms)\//.test(r.url()) && r.failure()?.errorText === "net::ERR_ABORTED";
    if (local(r.url()) && !tuile) rapport.failed.push(`échec ${r.url()} (${r.failure()?.errorText})`);
  });
}

async function capture(page, nom, element) {
  const chemin = join(artefacts, `${nom}.png`);
  if (element) await page.locator(element).screenshot({ path: chemin });
  else await page.screenshot({ path: chemin, fullPage: true });
  rapport.screenshots.push(chemin);
}

async function connexion(page, [identifiant, motDePasse]) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant").fill(identifiant);
  await page.getByLabel("Mot de passe").fill(motDePasse);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Se connecter" }).click()]);
}

async function carteChargee(page) {
  await page.waitForSelector('#carte[data-pret]', { timeout: 30000 });
  return page.getAttribute("#carte", "data-pret");
}

try {
  // --- The observatory team: dashboard, map, a zone, QPV, an import with its progress.
  const ctx = await contexte();
  const page = await ctx.newPage();
  await connexion(page, comptes.observatoire);

  await page.goto(`${base}/observatoire`);
  rapport.checks.dashboardTitle = await page.locator("h1").innerText();
  rapport.checks.dashboardCharts = await page.locator('svg[role="img"]').count();
  await capture(page, "tableau-de-bord");

  await page.goto(`${base}/observatoire/carte?type=iris&profession=medecin_generaliste&indicateur=densite_10000`);
  rapport.checks.mapReady = await carteChargee(page);
  rapport.checks.mapZones = await page.locator("#carte path.leaflet-interactive").count();
  rapport.checks.mapClassLabels = await page.locator("#carte .etiquette-classe").count();
  rapport.checks.mapPoints = await page.locator("#carte path.leaflet-interactive[fill='#f2b134']").count();
  rapport.checks.mapStatus = await page.locator("#carte-etat").innerText();
  rapport.checks.legendClasses = await page.locator("#legende ol li").count();
  await capture(page, "carte");
  await capture(page, "carte-seule", "#carte");
  // Keyboard: a zone takes the focus, says its value, and Enter opens its details.
  const zone = page.locator('#carte path[tabindex="0"][role="button"]').first();
  await zone.focus();
  rapport.checks.focusedZoneLabel = await zone.getAttribute("aria-label");
  await page.keyboard.press("Enter");
  await page.waitForSelector(".leaflet-popup-content a", { timeout: 10000 });
  rapport.checks.popupText = await page.locator(".leaflet-popup-content").innerText();
  await capture(page, "carte-detail-zone", "#carte");

  // Isochrones on (they start hidden): the layer control is a labelled check box.
  const isochrones = page.getByLabel("Isochrones (5, 10, 15 minutes)");
  if (await isochrones.count()) {
    await isochrones.check();
    rapport.checks.isochronePaths = await page.locator("#carte path[stroke='#1a9850'], #carte path[stroke='#d98a00'], #carte path[stroke='#b2182b'], #carte path[stroke='#5e3c99']").count();
    await capture(page, "carte-isochrones", "#carte");
  } else {
    rapport.checks.isochronePaths = 0;
  }

  const lienZone = await page.locator("#tableau-zones tbody th a").first().getAttribute("href");
  await page.goto(`${base}${lienZone}`);
  rapport.checks.zoneTitle = await page.locator("h1").innerText();
  rapport.checks.zoneCharts = await page.locator('svg[role="img"]').count();
  await capture(page, "zone");

  await page.goto(`${base}/observatoire/qpv`);
  rapport.checks.qpvTables = await page.locator("table").count();
  await capture(page, "qpv");

  await page.goto(`${base}/observatoire/imports`);
  await page.getByLabel("Type de fichier").selectOption("insee-iris");
  await page.getByLabel("Fichier", { exact: true }).setInputFiles(process.env.MAILLAGE_FICHIER_INSEE);
  await page.getByRole("button", { name: "Importer" }).click();
  await page.waitForFunction(
    () => /terminé|refusé/.test(document.getElementById("import-etat").innerText),
    null,
    { timeout: 60000 },
  );
  rapport.checks.importStatus = await page.locator("#import-etat").innerText();
  await capture(page, "import");
  await page.goto(`${base}/observatoire/imports/historique`);
  await capture(page, "historique-imports");
  await ctx.close();

  // --- On a phone: the guided set-up leads to the import page with the type chosen; the zonage médecins of
  //     the ARS imported there shows on the map (layer menu, legend) and on the commune's page.
  const ctxTel = await contexte({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const tel = await ctxTel.newPage();
  await connexion(tel, comptes.observatoire);
  await tel.getByRole("link", { name: "Installation" }).first().click();
  await tel.waitForURL(`${base}/installation`);
  rapport.checks.setupTitle = await tel.locator("h1").innerText();
  rapport.checks.setupSteps = await tel.locator("ol.etapes > li").count();
  rapport.checks.setupOverflow = await tel.evaluate(() => document.documentElement.scrollWidth - 390);
  await capture(tel, "telephone-installation");
  await tel.getByRole("link", { name: /^Importer : .*FINESS/ }).click();
  rapport.checks.setupImportType = await tel.getByLabel("Type de fichier").inputValue();
  await tel.getByLabel("Type de fichier").selectOption("zonage");
  await tel.getByLabel("Fichier", { exact: true }).setInputFiles(process.env.MAILLAGE_FICHIER_ZONAGE);
  await tel.getByLabel(/date de l'arrêté/).fill("2025-03-12");
  await tel.getByRole("button", { name: "Importer" }).click();
  await tel.waitForFunction(
    () => /terminé|refusé|aucune ligne/.test(document.getElementById("import-etat").innerText),
    null,
    { timeout: 60000 },
  );
  rapport.checks.zonageImportStatus = await tel.locator("#import-etat").innerText();
  rapport.checks.importOverflow = await tel.evaluate(() => document.documentElement.scrollWidth - 390);
  await capture(tel, "telephone-import-zonage");
  await tel.goto(`${base}/observatoire/carte?type=commune`);
  await carteChargee(tel);
  const coucheZonage = tel.getByLabel("Zonage médecins (ARS)");
  rapport.checks.zonageLayerOffered = await coucheZonage.count();
  if (rapport.checks.zonageLayerOffered) {
    await coucheZonage.check({ force: true });
  }
  rapport.checks.zonageLegend = await tel.locator("body").innerText();
  await capture(tel, "telephone-carte-zonage");
  await tel.goto(`${base}/observatoire/zones/commune/${process.env.MAILLAGE_COMMUNE_ZONAGE}`);
  rapport.checks.zonageZonePage = await tel.locator("main").innerText();
  await capture(tel, "telephone-zone-zonage");
  await ctxTel.close();

  // --- A partner: the same map under statistical secrecy, points aggregated by zone.
  const ctx2 = await contexte();
  const p2 = await ctx2.newPage();
  await connexion(p2, comptes.partenaire);
  await p2.goto(`${base}/observatoire/carte?type=iris&profession=pediatre&indicateur=effectif`);
  rapport.checks.partnerMapReady = await carteChargee(p2);
  rapport.checks.partnerSecretLabels = await p2.locator("#carte .etiquette-classe span", { hasText: /^S$/ }).count();
  rapport.checks.partnerLegend = await p2.locator("#legende").innerText();
  await capture(p2, "carte-partenaire");
  await ctx2.close();

  // --- Without JavaScript: the page still gives every figure, in its table.
  const ctx3 = await contexte({ javaScriptEnabled: false });
  const p3 = await ctx3.newPage();
  await connexion(p3, comptes.observatoire);
  await p3.goto(`${base}/observatoire/carte?type=iris`);
  rapport.checks.noScriptRows = await p3.locator("#tableau-zones tbody tr").count();
  rapport.checks.noScriptMapZones = await p3.locator("#carte path").count();
  await capture(p3, "carte-sans-javascript");
  await ctx3.close();
} catch (e) {
  rapport.fatal = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
