// The background map in a real browser: the observatory map with its tiles drawn by Maillage (ground and names,
// SVG with content), the isochrones' legend (5/10/15 minutes), and a zone page's small map. Run by
// crates/maillage-web/tests/it/map_browser.rs against the real server on the loopback with the demonstration
// town; prints a JSON report on its last line.
//
// Environment: MAILLAGE_URL, MAILLAGE_COMPTE (JSON [id, password]), MAILLAGE_ARTEFACTS, MAILLAGE_CHROMIUM.
// Every request leaving the loopback is recorded and aborted; console errors, page errors and failed answers are
// recorded. The Rust test decides what passes.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const artefacts = process.env.MAILLAGE_ARTEFACTS;
const [identifiant, motDePasse] = JSON.parse(process.env.MAILLAGE_COMPTE);
mkdirSync(artefacts, { recursive: true });

const rapport = { consoleErrors: [], pageErrors: [], external: [], failed: [], screenshots: [], checks: {} };
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
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--lang=fr-FR"],
});

try {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
  await ctx.route((url) => !local(url.toString()), (route) => {
    rapport.external.push(route.request().url());
    return route.abort();
  });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error") rapport.consoleErrors.push(`${page.url()} : ${m.text()}`); });
  page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) rapport.failed.push(`${r.status()} ${r.url()}`); });
  const tuiles = [];
  page.on("response", async (r) => {
    if (/\/carte\/(fond|noms)\//.test(r.url())) {
      const corps = await r.text().catch(() => "");
      tuiles.push({ url: r.url(), status: r.status(), type: r.headers()["content-type"] || "", taille: corps.length,
        traits: (corps.match(/<polyline/g) || []).length, noms: (corps.match(/<text/g) || []).length });
    }
  });

  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant").fill(identifiant);
  await page.getByLabel("Mot de passe").fill(motDePasse);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Se connecter" }).click()]);

  await page.goto(`${base}/observatoire/carte?type=iris`);
  await page.waitForSelector("#carte[data-pret]", { timeout: 30000 });
  rapport.checks.carte = await page.getAttribute("#carte", "data-pret");
  // Tiles shown in <img>, loaded and painted.
  await page.waitForFunction(() => document.querySelectorAll("img.leaflet-tile-loaded").length >= 4, null, { timeout: 30000 });
  await page.waitForTimeout(500);
  rapport.checks.tuilesAffichees = await page.evaluate(() =>
    Array.from(document.querySelectorAll("img.leaflet-tile-loaded")).filter((i) => i.naturalWidth > 0).length);
  rapport.checks.tuiles = tuiles;
  rapport.checks.legendeIsochrones = await page.evaluate(() => {
    const l = document.getElementById("legende-isochrones");
    return l && !l.hidden ? l.textContent.replace(/\s+/g, " ").trim() : "";
  });
  rapport.checks.legende = (await page.textContent("#legende")).replace(/\s+/g, " ").trim();
  const chemin = join(artefacts, "carte.png");
  await page.screenshot({ path: chemin });
  rapport.screenshots.push(chemin);

  // A zone's page: its small map, drawn by the server with the background.
  await page.goto(`${base}/observatoire/zones/quartier/99101-Q01`);
  rapport.checks.petiteCarte = await page.evaluate(() => {
    const svg = document.querySelector("figure.petite-carte svg");
    if (!svg) return null;
    return { nom: svg.getAttribute("aria-label"), traits: svg.querySelectorAll("polyline").length,
      noms: svg.querySelectorAll("text").length };
  });
  const zone = join(artefacts, "zone.png");
  await page.screenshot({ path: zone, fullPage: true });
  rapport.screenshots.push(zone);
} catch (e) {
  rapport.erreur = String(e && e.stack || e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
