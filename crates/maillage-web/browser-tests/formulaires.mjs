// Forms as a person uses them (issue 13), in Debian's Chromium driven by playwright-core: a CLS fiche refused
// (a budget that is no amount) comes back with what was typed, its section open and the focus on the budget,
// the address bar showing the contract's page; corrected without retyping, it goes through; a reload of a
// refused form asks for the page again, never the POST; a form's target typed as an address leads to its page;
// a directory entry deleted after its confirmation page, then restored from the trash. axe-core checks every
// page of the walk. Run by crates/maillage-web/tests/it/forms_browser.rs. Same conventions as parcours.mjs:
// requests leaving the machine are recorded and aborted, console and page errors and failed answers are
// recorded (the 422 answers the walk provokes are expected), and a JSON report is printed on the last line.
//
// Environment: MAILLAGE_URL, MAILLAGE_COMPTE (JSON [identifier, password]), MAILLAGE_ACTEUR (JSON [id, name]),
// MAILLAGE_ARTEFACTS, MAILLAGE_CHROMIUM.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const [identifiant, motDePasse] = JSON.parse(process.env.MAILLAGE_COMPTE);
const [acteur, nomActeur] = JSON.parse(process.env.MAILLAGE_ACTEUR);
const artefacts = process.env.MAILLAGE_ARTEFACTS;
mkdirSync(artefacts, { recursive: true });
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

const rapport = {
  consoleErrors: [], pageErrors: [], external: [], failed: [], expected: [], screenshots: [], posts: [], axe: {}, checks: {},
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
// The answers in error the walk provokes on purpose: a refused form (422).
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

// The violations axe-core finds on the page, by rule, with the first places.
async function axe(page, nom) {
  rapport.axe[nom] = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, cibles: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
}

// What has the focus: its name attribute, or its id.
const focus = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e ? (e.getAttribute("name") || e.id || e.tagName) : null;
});

try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
  // axe-core is put in every page by the browser itself (not a script tag: the site's CSP allows none).
  await ctx.addInitScript({ path: axePath });
  await ctx.route((url) => !local(url.toString()), (route) => { rapport.external.push(route.request().url()); return route.abort(); });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error" && !(attendu422 && m.text().includes("422"))) rapport.consoleErrors.push(`${page.url()} : ${m.text()}`); });
  page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
  page.on("request", (r) => { if (r.method() === "POST") rapport.posts.push(new URL(r.url()).pathname); });
  page.on("response", (r) => {
    if (r.status() < 400) return;
    if (attendu422 && r.status() === 422 && r.request().method() === "POST") { rapport.expected.push(`${r.status()} ${r.url()}`); return; }
    rapport.failed.push(`${r.status()} ${r.url()}`);
  });

  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant", { exact: true }).fill(identifiant);
  await page.getByLabel("Mot de passe", { exact: true }).fill(motDePasse);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Se connecter" }).click()]);

  // A new fiche of the contract, with a budget that is no amount.
  await page.goto(`${base}/cls/1`);
  const section = page.locator("details", { has: page.locator("summary", { hasText: "Ajouter une fiche action" }) });
  await section.locator("summary").click();
  await section.getByLabel(/^Numéro\ \(1\.2\.3\)/).fill("9.9.1");
  await section.getByLabel(/^Intitulé/).fill("Aller vers les personnes isolées");
  await section.getByLabel(/^Description,\ données\ de\ contexte/).fill("Repérage par les pharmacies.\nVisites à domicile.");
  await section.getByLabel(/^Pilote/).fill("CCAS");
  await section.getByLabel(/^Budget\ \(€\)/).fill("abc");
  await section.getByLabel(/^Statut/).selectOption("en_cours");
  attendu422 = true;
  await section.getByRole("button", { name: "Enregistrer la fiche" }).click();
  await page.waitForSelector("[role=alert]");
  await page.waitForFunction(() => window.location.pathname === "/cls/1");
  rapport.checks.refusedUrl = new URL(page.url()).pathname;
  rapport.checks.refusal = await page.locator("[role=alert]").first().innerText();
  rapport.checks.focusAfterRefusal = await focus(page);
  const refused = page.locator("form[data-refuse]");
  rapport.checks.sectionOpen = await refused.evaluate((f) => f.closest("details")?.open ?? null);
  rapport.checks.kept = {
    titre: await refused.getByLabel(/^Intitulé/).inputValue(),
    description: await refused.getByLabel(/^Description,\ données\ de\ contexte/).inputValue(),
    budget: await refused.getByLabel(/^Budget\ \(€\)/).inputValue(),
    statut: await refused.getByLabel(/^Statut/).inputValue(),
  };
  rapport.checks.budgetInvalid = await refused.getByLabel(/^Budget\ \(€\)/).getAttribute("aria-invalid");
  rapport.checks.budgetDescribedBy = await refused.getByLabel(/^Budget\ \(€\)/).getAttribute("aria-describedby");
  await axe(page, "formulaire-refuse");
  await capture(page, "fiche-refusee");
  attendu422 = false;

  // Corrected without retyping anything else: only the budget.
  await refused.getByLabel(/^Budget\ \(€\)/).fill("12000");
  await Promise.all([page.waitForURL(/\/cls\/fiches\/\d+\?fait=fiche$/), refused.getByRole("button", { name: "Enregistrer la fiche" }).click()]);
  rapport.checks.afterCorrection = await page.locator(".message.succes").innerText();
  rapport.checks.ficheTitle = await page.locator("h1").innerText();
  rapport.checks.ficheBudget = await page.locator("dl.fiche").innerText();

  // Refused again, then reloaded: the page is asked for again, the form is not sent a second time.
  await page.goto(`${base}/cls/1`);
  await section.locator("summary").click();
  await section.getByLabel(/^Numéro\ \(1\.2\.3\)/).fill("9.9.2");
  await section.getByLabel(/^Intitulé/).fill("Une autre fiche");
  await section.getByLabel(/^Pilote/).fill("CCAS");
  await section.getByLabel(/^Budget\ \(€\)/).fill("beaucoup");
  attendu422 = true;
  await section.getByRole("button", { name: "Enregistrer la fiche" }).click();
  await page.waitForSelector("[role=alert]");
  await page.waitForFunction(() => window.location.pathname === "/cls/1");
  attendu422 = false;
  const postsBefore = rapport.posts.length;
  const reload = await page.reload();
  rapport.checks.reloadStatus = reload.status();
  rapport.checks.reloadMethod = reload.request().method();
  rapport.checks.reloadUrl = new URL(page.url()).pathname;
  rapport.checks.postsOnReload = rapport.posts.length - postsBefore;
  rapport.checks.alertAfterReload = await page.locator("[role=alert]").count();

  // A form's target typed as an address: its page, in French.
  const typed = await page.goto(`${base}/cls/1/fiches`);
  rapport.checks.typedTarget = { status: typed.status(), url: new URL(page.url()).pathname };

  // A directory entry: deleted after its confirmation page, then restored from the trash.
  await page.goto(`${base}/reseau/acteurs/${acteur}`);
  await Promise.all([
    page.waitForURL(`${base}/reseau/acteurs/${acteur}/suppression`),
    page.getByRole("link", { name: "Supprimer la fiche et ses contacts…" }).click(),
  ]);
  rapport.checks.confirmationTitle = await page.locator("h1").innerText();
  rapport.checks.confirmationText = await page.locator(".confirmation").innerText();
  rapport.checks.dangerColour = await page.getByRole("button", { name: "Supprimer la fiche" })
    .evaluate((b) => getComputedStyle(b).backgroundColor);
  await axe(page, "confirmation-suppression");
  await capture(page, "confirmation-suppression");
  await Promise.all([page.waitForURL(`${base}/reseau/acteurs?fait=supprime`), page.getByRole("button", { name: "Supprimer la fiche" }).click()]);
  rapport.checks.afterDelete = await page.locator(".message.succes").innerText();
  await page.getByRole("link", { name: "Corbeille" }).click();
  await page.waitForURL(`${base}/reseau/corbeille`);
  rapport.checks.trash = await page.locator("main").innerText();
  await axe(page, "corbeille");
  await capture(page, "corbeille");
  await Promise.all([
    page.waitForURL(`${base}/reseau/acteurs/${acteur}?fait=restaure`),
    page.getByRole("button", { name: `Restaurer ${nomActeur}` }).click(),
  ]);
  rapport.checks.restored = await page.locator(".message.succes").innerText();
  rapport.checks.restoredTitle = await page.locator("h1").innerText();
  await ctx.close();
} catch (e) {
  rapport.fatal = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
