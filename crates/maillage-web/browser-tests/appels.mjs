// A caller's session of a phone campaign on a phone-sized screen (Debian's Chromium, driven by playwright-core).
// Run by crates/maillage-web/tests/it/crisis_browser.rs on the demonstration town, whose heatwave campaign is in
// progress. Same conventions as parcours.mjs: requests leaving the machine are recorded and aborted, console and
// page errors and failed answers are recorded, and a JSON report is printed on the last line.
//
// Environment: MAILLAGE_URL, MAILLAGE_COMPTE (JSON [identifier, password]), MAILLAGE_ARTEFACTS, MAILLAGE_CHROMIUM.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const [identifiant, motDePasse] = JSON.parse(process.env.MAILLAGE_COMPTE);
const artefacts = process.env.MAILLAGE_ARTEFACTS;
mkdirSync(artefacts, { recursive: true });

const rapport = { consoleErrors: [], pageErrors: [], external: [], failed: [], expected: [], screenshots: [], checks: {} };
const local = (u) => {
  try {
    const url = new URL(u);
    if (["data:", "blob:", "about:", "tel:"].includes(url.protocol)) return true;
    return ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  } catch {
    return false;
  }
};
// The one answer in error the walk provokes on purpose: a need without its note (422, the form comes back).
let attendu422 = false;

const browser = await chromium.launch({
  executablePath: process.env.MAILLAGE_CHROMIUM,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--lang=fr-FR"],
});

async function capture(page, nom) {
  const chemin = join(artefacts, `${nom}.png`);
  await page.screenshot({ path: chemin, fullPage: true });
  rapport.screenshots.push(chemin);
}

/// What a phone screen must offer: no sideways scrolling, and targets of at least 44 × 44 CSS pixels.
async function mesures(page, selecteurs) {
  const largeur = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, ecran: window.innerWidth }));
  const cibles = {};
  for (const [nom, sel] of Object.entries(selecteurs)) {
    const boites = await page.locator(sel).evaluateAll((els) =>
      els.filter((e) => e.offsetParent !== null).map((e) => { const r = e.getBoundingClientRect(); return [r.width, r.height]; }));
    cibles[nom] = { nombre: boites.length, plusPetiteHauteur: Math.min(...boites.map((b) => b[1])), plusPetiteLargeur: Math.min(...boites.map((b) => b[0])) };
  }
  return { debordement: largeur.page > largeur.ecran + 1, largeurPage: largeur.page, largeurEcran: largeur.ecran, cibles };
}

try {
  // A phone: 390 × 844, touch, French.
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "fr-FR",
  });
  await ctx.route((url) => !local(url.toString()), (route) => { rapport.external.push(route.request().url()); return route.abort(); });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error" && !(attendu422 && m.text().includes("422"))) rapport.consoleErrors.push(`${page.url()} : ${m.text()}`); });
  page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
  page.on("response", (r) => {
    if (r.status() < 400) return;
    if (attendu422 && r.status() === 422 && r.request().method() === "POST") { rapport.expected.push(`${r.status()} ${r.url()}`); return; }
    rapport.failed.push(`${r.status()} ${r.url()}`);
  });

  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant").fill(identifiant);
  await page.getByLabel("Mot de passe").fill(motDePasse);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Se connecter" }).click()]);

  // The campaigns, then the campaign in progress.
  await page.goto(`${base}/crise/appels`);
  await page.getByRole("link", { name: "Appels canicule — jour 1" }).click();
  await page.waitForSelector("[data-progression]");
  rapport.checks.campaignTitle = await page.locator("h1").innerText();
  rapport.checks.campaignPhone = await mesures(page, { suivant: "button.bouton-large" });
  rapport.checks.doneBefore = await page.locator("[data-progression] [data-compte='joint']").first().innerText();
  await capture(page, "appels-campagne-telephone");

  // First person: no answer.
  await Promise.all([page.waitForURL(/\/appel\/\d+(\?.*)?$/), page.getByRole("button", { name: "Appeler la personne suivante" }).click()]);
  rapport.checks.firstPerson = await page.locator("#personne-nom").innerText();
  rapport.checks.telHref = (await page.locator("a.tel").count()) ? await page.locator("a.tel").first().getAttribute("href") : null;
  rapport.checks.callPhone = await mesures(page, { issues: ".issues label", enregistrer: ".appel button[type=submit]" });
  await capture(page, "appels-appel-telephone");
  await page.getByLabel("Pas de réponse").check();
  await Promise.all([page.waitForURL(/\/crise\/appels\/\d+\?fait=appel$/), page.getByRole("button", { name: "Enregistrer le résultat" }).click()]);
  rapport.checks.afterFirst = await page.locator(".message.succes").innerText();

  // Second person: a need, first without its note (the form comes back with the reason), then with it.
  await Promise.all([page.waitForURL(/\/appel\/\d+(\?.*)?$/), page.getByRole("button", { name: "Appeler la personne suivante" }).click()]);
  rapport.checks.secondPerson = await page.locator("#personne-nom").innerText();
  await page.getByLabel("Joint(e), a un besoin").check();
  attendu422 = true;
  await page.getByRole("button", { name: "Enregistrer le résultat" }).click();
  await page.waitForSelector("[role=alert]");
  attendu422 = false;
  rapport.checks.needError = await page.locator("[role=alert]").innerText();
  rapport.checks.errorPhone = await mesures(page, { issues: ".issues label" });
  await capture(page, "appels-erreur-telephone");
  // The form came back: this caller still holds the same person.
  rapport.checks.samePerson = (await page.locator("#personne-nom").innerText()) === rapport.checks.secondPerson;
  await page.getByLabel("Joint(e), a un besoin").check();
  await page.getByLabel(/^Note/).fill("Courses à faire : eau et fruits.");
  await Promise.all([page.waitForURL(/\?fait=appel$/), page.getByRole("button", { name: "Enregistrer le résultat" }).click()]);
  rapport.checks.afterSecond = await page.locator(".message.succes").innerText();

  // Live progress: the page refreshes its figures from the API when it comes back to the front.
  const [reponse] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith("/api/v1/crise/appels") && r.status() === 200, { timeout: 20000 }),
    page.evaluate(() => window.dispatchEvent(new Event("focus"))),
  ]);
  rapport.checks.progressApi = reponse.status();
  await page.waitForFunction(() => document.querySelector("[data-heure]")?.textContent !== "au chargement", null, { timeout: 10000 });
  rapport.checks.progressRefreshedAt = await page.locator("[data-heure]").first().innerText();
  rapport.checks.besoinShown = await page.locator("[data-progression] [data-compte='besoin']").first().innerText();
  await capture(page, "appels-progression-telephone");
  await ctx.close();
} catch (e) {
  rapport.fatal = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
