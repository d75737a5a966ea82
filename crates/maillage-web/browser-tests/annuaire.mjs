// The public directory ("adresses utiles", /annuaire) on a phone, with the keyboard only, in Debian's Chromium
// driven by playwright-core. Run by crates/maillage-web/tests/it/network_browser.rs, which starts the real server on
// the loopback with the demonstration town and reads the JSON report printed on the last line.
//
// Environment: MAILLAGE_URL, MAILLAGE_ARTEFACTS (screenshots), MAILLAGE_CHROMIUM (executable), MAILLAGE_INTERNES
// (JSON list of the names of internal entries, which must never show).
//
// Every request leaving the loopback is recorded and aborted; console errors, page errors and failed answers
// are recorded. The Rust test decides what passes.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const artefacts = process.env.MAILLAGE_ARTEFACTS;
const internes = JSON.parse(process.env.MAILLAGE_INTERNES || "[]");
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

async function capture(page, nom) {
  const chemin = join(artefacts, `${nom}.png`);
  await page.screenshot({ path: chemin, fullPage: true });
  rapport.screenshots.push(chemin);
}

// What has the focus, and does it show it.
const focus = (page) =>
  page.evaluate(() => {
    const e = document.activeElement;
    const s = getComputedStyle(e);
    const label = e.id ? document.querySelector(`label[for="${e.id}"]`) : null;
    return {
      tag: e.tagName.toLowerCase(),
      id: e.id,
      name: e.getAttribute("name") || "",
      text: (e.textContent || "").trim().replace(/\s+/g, " ").slice(0, 100),
      label: label ? label.textContent.trim() : "",
      href: e.getAttribute("href") || "",
      visible: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
    };
  });

const sansContour = [];
async function tabJusqua(page, trouve, max = 80) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    const f = await focus(page);
    if (!f.visible && f.tag !== "body" && f.tag !== "main") sansContour.push(`${f.tag}#${f.id} ${f.text || f.name}`);
    if (trouve(f)) return f;
  }
  throw new Error("élément jamais atteint au clavier");
}

try {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "fr-FR",
  });
  await ctx.route((url) => !local(url.toString()), (route) => {
    rapport.external.push(route.request().url());
    return route.abort();
  });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error") rapport.consoleErrors.push(`${page.url()} : ${m.text()}`); });
  page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) rapport.failed.push(`${r.status()} ${r.url()}`); });

  await page.goto(`${base}/annuaire`);
  rapport.checks.title = await page.locator("h1").innerText();
  rapport.checks.overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await capture(page, "annuaire-telephone");

  // The skip link comes first and leads to the content.
  await page.keyboard.press("Tab");
  rapport.checks.firstFocus = (await focus(page)).text;
  await page.keyboard.press("Enter");
  rapport.checks.afterSkip = (await focus(page)).id;

  // The need, by keyboard: arrows in the list until "Santé mentale, écoute".
  const besoin = await tabJusqua(page, (f) => f.id === "a-besoin");
  rapport.checks.needLabel = besoin.label;
  for (let i = 0; i < 30; i++) {
    if ((await page.inputValue("#a-besoin")) === "sante_mentale") break;
    await page.keyboard.press("ArrowDown");
  }
  rapport.checks.needValue = await page.inputValue("#a-besoin");
  const age = await tabJusqua(page, (f) => f.id === "a-age");
  rapport.checks.ageLabel = age.label;
  await page.keyboard.type("15");
  const bouton = await tabJusqua(page, (f) => f.tag === "button" && f.text === "Rechercher");
  rapport.checks.submitText = bouton.text;
  await Promise.all([page.waitForURL(/besoin=sante_mentale/), page.keyboard.press("Enter")]);
  rapport.checks.url = page.url();
  rapport.checks.status = await page.locator('[role="status"]').first().innerText();
  rapport.checks.results = await page.locator(".fiches-acteurs h3").allInnerTexts();
  const texte = await page.locator("main").innerText();
  rapport.checks.internalShown = internes.filter((n) => texte.includes(n));
  rapport.checks.guideHref = await page.getByRole("link", { name: "Imprimer ce guide (PDF)" }).getAttribute("href");
  rapport.checks.overflowResults = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await capture(page, "annuaire-resultats-telephone");

  // The first result, by keyboard, then its page: the phone number is a link that dials.
  const premier = await tabJusqua(page, (f) => f.tag === "a" && f.href.startsWith("/annuaire/fiche/"));
  rapport.checks.firstResult = premier.text;
  await Promise.all([page.waitForURL(/\/annuaire\/fiche\//), page.keyboard.press("Enter")]);
  rapport.checks.entryTitle = await page.locator("h1").innerText();
  rapport.checks.telLinks = await page.locator('a[href^="tel:"]').count();
  rapport.checks.entryFields = await page.locator(".fiche-acteur dt").allInnerTexts();
  await capture(page, "annuaire-fiche-telephone");

  // Printed: no navigation, no form.
  await page.goto(`${base}/annuaire?besoin=sante_mentale`);
  await page.emulateMedia({ media: "print" });
  rapport.checks.printHeaderDisplay = await page.evaluate(() => getComputedStyle(document.querySelector(".entete")).display);
  rapport.checks.printFormDisplay = await page.evaluate(() => getComputedStyle(document.querySelector("form.recherche-annuaire")).display);
  rapport.checks.focusWithoutOutline = sansContour;
  await ctx.close();
} catch (e) {
  rapport.fatal = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
