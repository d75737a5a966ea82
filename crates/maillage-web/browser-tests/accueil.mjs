// Reaching what Maillage does, as a person would (issue 13): a visitor goes from the home page `/` to an address
// of the directory and to the public indicators; an observatory user goes from the dashboard to each download
// and to the PDF of the town's health dashboard (every download finishes); the mayor's home during the
// demonstration's heatwave shows the alert and the figures to watch; the CLS's "Nouvelle fiche action" opens its
// form from the top of the page. axe-core checks every page walked through.
// Run by crates/maillage-web/tests/it/home_browser.rs, which reads the JSON report printed on the last line.
//
// Environment: MAILLAGE_URL, MAILLAGE_COMPTES (JSON {"observatoire": [id, password], "elu": [...],
// "coordination": [...]}), MAILLAGE_ARTEFACTS (screenshots), MAILLAGE_CHROMIUM (executable).
import { chromium } from "playwright-core";
import { mkdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const comptes = JSON.parse(process.env.MAILLAGE_COMPTES);
const artefacts = process.env.MAILLAGE_ARTEFACTS;
mkdirSync(artefacts, { recursive: true });
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const rapport = {
  consoleErrors: [],
  pageErrors: [],
  external: [],
  failed: [],
  screenshots: [],
  axe: {},
  checks: {},
};
const local = (u) => {
  try {
    const url = new URL(u);
    if (["data:", "blob:", "about:"].includes(url.protocol)) return true;
    return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
};

const browser = await chromium.launch({
  executablePath: process.env.MAILLAGE_CHROMIUM,
  headless: true,
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
  const ctx = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    locale: "fr-FR",
    acceptDownloads: true,
    ...options,
  });
  // axe-core is put in every page by the browser itself (not a script tag: the site's CSP allows none).
  await ctx.addInitScript({ path: axePath });
  await ctx.route((url) => !local(url.toString()), (route) => {
    rapport.external.push(route.request().url());
    return route.abort();
  });
  ctx.on("page", (page) => {
    page.on("console", (m) => {
      if (m.type() === "error") rapport.consoleErrors.push(`${page.url()} : ${m.text()}`);
    });
    page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
    page.on("response", (r) => {
      if (r.status() >= 400) rapport.failed.push(`${r.status()} ${r.url()}`);
    });
    page.on("requestfailed", (r) => {
      // A download's navigation is cancelled by the browser once the file is taken: not a failure.
      if (local(r.url()) && r.failure()?.errorText !== "net::ERR_ABORTED") {
        rapport.failed.push(`échec ${r.url()} (${r.failure()?.errorText})`);
      }
    });
  });
  return ctx;
}

async function capture(page, nom) {
  const chemin = join(artefacts, `${nom}.png`);
  await page.screenshot({ path: chemin, fullPage: true });
  rapport.screenshots.push(chemin);
}

// The violations axe-core finds on the page, by rule, with the first places.
async function axe(page, nom) {
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, cibles: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
  rapport.axe[nom] = violations;
}

async function connexion(page, [identifiant, motDePasse]) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant").fill(identifiant);
  await page.getByLabel("Mot de passe").fill(motDePasse);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Se connecter" }).click()]);
}

try {
  // --- A visitor: from the home page to an address of the directory, then to the public indicators.
  const ctx = await contexte();
  const page = await ctx.newPage();
  await page.goto(`${base}/`);
  rapport.checks.publicTitle = await page.locator("h1").innerText();
  rapport.checks.publicLinks = await page.locator("main a").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  await axe(page, "accueil-public");
  await capture(page, "accueil-public");
  await page.getByRole("link", { name: "Voir tout l'annuaire des adresses utiles" }).click();
  await page.waitForURL(`${base}/annuaire`);
  const fiche = page.locator('main a[href^="/annuaire/fiche/"]').first();
  rapport.checks.directoryEntry = await fiche.innerText();
  await fiche.click();
  await page.waitForURL(/\/annuaire\/fiche\/\d+$/);
  rapport.checks.entryTitle = await page.locator("h1").innerText();
  await axe(page, "fiche-annuaire");
  await capture(page, "fiche-annuaire");
  await page.goto(`${base}/`);
  await page.getByRole("link", { name: "Tous les indicateurs de santé du territoire" }).click();
  await page.waitForURL(`${base}/indicateurs`);
  rapport.checks.indicatorsTitle = await page.locator("h1").innerText();
  rapport.checks.indicatorsTables = await page.locator("main table").count();
  rapport.checks.indicatorsSecret = await page.locator("main td", { hasText: /^< \d+$/ }).count();
  await axe(page, "indicateurs-publics");
  await capture(page, "indicateurs-publics");
  await ctx.close();

  // --- The observatory team: from the dashboard, every download, then the town's PDF from its page.
  const ctxObs = await contexte();
  const obs = await ctxObs.newPage();
  await connexion(obs, comptes.observatoire);
  await obs.getByRole("link", { name: "Observatoire", exact: true }).first().click();
  await obs.waitForURL(`${base}/observatoire`);
  await axe(obs, "tableau-de-bord");
  const hrefs = await obs.locator("main a[download]").evaluateAll((as) => [...new Set(as.map((a) => a.getAttribute("href")))]);
  rapport.checks.downloads = [];
  for (const href of hrefs) {
    // Each from a freshly opened dashboard: Chromium holds back a page's many downloads in a row.
    await obs.goto(`${base}/observatoire`);
    const lien = obs.locator(`main a[download][href="${href}"]`).first();
    const [telechargement] = await Promise.all([obs.waitForEvent("download", { timeout: 120000 }), lien.click()]);
    const chemin = await telechargement.path();
    rapport.checks.downloads.push({
      href,
      fichier: telechargement.suggestedFilename(),
      echec: await telechargement.failure(),
      octets: chemin ? statSync(chemin).size : 0,
    });
  }
  await obs.locator("main section.commune h2 a").first().click();
  await obs.waitForURL(/\/observatoire\/zones\/commune\//);
  await axe(obs, "zone-commune");
  const [pdf] = await Promise.all([
    obs.waitForEvent("download", { timeout: 120000 }),
    obs.getByRole("link", { name: "Télécharger le tableau de bord (PDF)" }).click(),
  ]);
  const cheminPdf = await pdf.path();
  rapport.checks.pdf = {
    fichier: pdf.suggestedFilename(),
    echec: await pdf.failure(),
    octets: cheminPdf ? statSync(cheminPdf).size : 0,
  };
  await ctxObs.close();

  // --- The mayor during the heatwave: the alert first, then the figures to watch.
  const ctxElu = await contexte();
  const elu = await ctxElu.newPage();
  await connexion(elu, comptes.elu);
  rapport.checks.mayorAlert = await elu.locator("main .alerte-accueil").innerText();
  rapport.checks.mayorFigures = await elu.locator("main .chiffres-accueil li").allInnerTexts();
  rapport.checks.mayorDue = await elu.locator("main #a-faire").locator("xpath=..").innerText();
  await axe(elu, "accueil-maire");
  await capture(elu, "accueil-maire");
  await ctxElu.close();

  // --- The coordination: the CLS's new fiche action from the top of its page.
  const ctxCoord = await contexte();
  const coord = await ctxCoord.newPage();
  await connexion(coord, comptes.coordination);
  await axe(coord, "accueil-coordination");
  await coord.goto(`${base}/cls`);
  await coord.locator('main h2 a[href^="/cls/"]').first().click();
  await coord.waitForURL(/\/cls\/\d+$/);
  await coord.getByRole("link", { name: "Nouvelle fiche action" }).click();
  rapport.checks.ficheFormOpen = await coord.locator("#nouvelle-fiche").isVisible();
  await coord.keyboard.press("Tab");
  rapport.checks.ficheFirstFocus = await coord.evaluate(() => {
    const e = document.activeElement;
    return e && e.closest("#nouvelle-fiche") ? e.tagName.toLowerCase() : `hors du formulaire : ${e && e.tagName}`;
  });
  await axe(coord, "cls-contrat");
  await coord.goto(`${base}/reseau`);
  rapport.checks.agendaAddress = await coord.locator("#adresse-agenda").inputValue();
  rapport.checks.copyButtonShown = await coord.getByRole("button", { name: "Copier l'adresse" }).isVisible();
  await axe(coord, "reseau");
  await ctxCoord.close();
} catch (e) {
  rapport.fatal = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
