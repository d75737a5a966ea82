// Every page on a phone (issue 13): for each role of the demonstration, the pages its links reach are walked in a
// 360 × 740 screen; none may scroll sideways, axe-core checks each one, and every box that scrolls sideways must
// be reachable by the keyboard. The header's menu button opens the navigation; a search in the register on the
// phone finds a person. Run by crates/maillage-web/tests/it/phone_browser.rs, which reads the JSON report printed
// on the last line.
//
// Environment: MAILLAGE_URL, MAILLAGE_COMPTES (JSON {role: [identifier, password]}), MAILLAGE_REGISTRE (the role
// that keeps the register), MAILLAGE_ARTEFACTS (screenshots), MAILLAGE_CHROMIUM (executable),
// MAILLAGE_PAGES_PAR_ROLE (most pages walked per role, 80 by default).
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const base = process.env.MAILLAGE_URL;
const comptes = JSON.parse(process.env.MAILLAGE_COMPTES);
const registre = process.env.MAILLAGE_REGISTRE;
const artefacts = process.env.MAILLAGE_ARTEFACTS;
const parRole = Number(process.env.MAILLAGE_PAGES_PAR_ROLE || "80");
mkdirSync(artefacts, { recursive: true });
const axePath = createRequire(import.meta.url).resolve("axe-core/axe.min.js");
const LARGEUR = 360;

const rapport = {
  consoleErrors: [],
  pageErrors: [],
  external: [],
  failed: [],
  screenshots: [],
  axe: {},
  checks: { pages: {}, wide: [], unreachableBoxes: [], menu: {}, register: {} },
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
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--lang=fr-FR"],
});

async function contexte() {
  const ctx = await browser.newContext({
    viewport: { width: LARGEUR, height: 740 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "fr-FR",
  });
  // axe-core is put in every page by the browser itself (not a script tag: the site's CSP allows none).
  await ctx.addInitScript({ path: axePath });
  await ctx.route((url) => !local(url.toString()), (route) => {
    rapport.external.push(route.request().url());
    return route.abort();
  });
  ctx.on("page", (page) => {
    page.on("console", (m) => { if (m.type() === "error") rapport.consoleErrors.push(`${page.url()} : ${m.text()}`); });
    page.on("pageerror", (e) => rapport.pageErrors.push(`${page.url()} : ${e.message}`));
    page.on("response", (r) => { if (r.status() >= 400) rapport.failed.push(`${r.status()} ${r.url()}`); });
  });
  return ctx;
}

async function capture(page, nom) {
  const chemin = join(artefacts, `${nom}.png`);
  await page.screenshot({ path: chemin, fullPage: false });
  rapport.screenshots.push(chemin);
}

async function connexion(page, [identifiant, motDePasse]) {
  await page.goto(`${base}/connexion`);
  await page.getByLabel("Identifiant").fill(identifiant);
  await page.getByLabel("Mot de passe").fill(motDePasse);
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith("/connexion")),
    page.getByRole("button", { name: "Se connecter" }).click()]);
}

// Links that download a file, act, or leave the pages: not walked.
const nonPage = /\.(csv|pdf|xlsx|gpkg|geojson|ics|json|zip|png|svg|txt)(\?|$)|\/(api|static|deconnexion)(\/|$)|\/export|\/telecharg|\/agenda\b/;
// Pages of one kind (a person, a zone…) are walked once: the path with its numbers and codes as a pattern.
const patron = (path) => path.replace(/\/[0-9][0-9A-Za-z_-]*/g, "/{n}").replace(/\/[A-Z0-9]{5,}(?=\/|$)/g, "/{code}");

// What a page shows on the phone: its width, the boxes that scroll sideways and cannot be reached by the
// keyboard, axe-core's violations, and the page's links to walk next.
async function examiner(page) {
  return page.evaluate(async () => {
    const boxes = [];
    for (const e of document.querySelectorAll("main *")) {
      const s = getComputedStyle(e);
      if (!["auto", "scroll"].includes(s.overflowX) || e.scrollWidth <= e.clientWidth + 1) continue;
      if (e.tabIndex >= 0 || e.closest(".leaflet-container")) continue;
      boxes.push(`${e.tagName.toLowerCase()}.${e.className} (${e.scrollWidth} > ${e.clientWidth})`);
    }
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    const links = [...document.querySelectorAll("a[href]")]
      .filter((a) => !a.hasAttribute("download"))
      .map((a) => a.href);
    return {
      width: document.documentElement.scrollWidth,
      boxes,
      violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, cibles: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) })),
      links,
    };
  });
}

async function parcourir(role, page) {
  const vus = new Set();
  const faits = [];
  const file = [`${base}/`];
  while (file.length && faits.length < parRole) {
    const url = new URL(file.shift());
    url.hash = "";
    if (!local(url.href) || nonPage.test(url.pathname)) continue;
    const clef = patron(url.pathname) + (url.search ? "?" : "");
    if (vus.has(clef)) continue;
    vus.add(clef);
    const response = await page.goto(url.href);
    if (!response || !(response.headers()["content-type"] || "").startsWith("text/html")) continue;
    const path = url.pathname + url.search;
    const vu = await examiner(page);
    faits.push(path);
    if (vu.width > LARGEUR) {
      rapport.checks.wide.push(`${role} ${path} : ${vu.width} px`);
      await capture(page, `large-${role}-${faits.length}`);
    }
    for (const b of vu.boxes) rapport.checks.unreachableBoxes.push(`${role} ${path} : ${b}`);
    if (vu.violations.length) rapport.axe[`${role} ${path}`] = vu.violations;
    for (const l of vu.links) if (local(l) && !l.includes("#")) file.push(l);
  }
  rapport.checks.pages[role] = faits;
}

try {
  for (const [role, compte] of Object.entries(comptes)) {
    const ctx = await contexte();
    const page = await ctx.newPage();
    await connexion(page, compte);

    if (role === registre) {
      // The header on the phone: compact, its navigation behind the menu button.
      await page.goto(`${base}/`);
      const bouton = page.locator(".menu-bouton");
      const nav = page.getByRole("navigation", { name: "Navigation principale" });
      rapport.checks.menu.headerHeight = await page.locator(".entete").evaluate((e) => e.getBoundingClientRect().height);
      rapport.checks.menu.buttonVisible = await bouton.isVisible();
      rapport.checks.menu.navHiddenBefore = !(await nav.isVisible());
      await bouton.click();
      rapport.checks.menu.expanded = await bouton.getAttribute("aria-expanded");
      rapport.checks.menu.navVisibleAfter = await nav.isVisible();
      rapport.checks.menu.links = await nav.getByRole("link").count();
      await capture(page, "menu-ouvert");
      await page.keyboard.press("Escape");
      rapport.checks.menu.closedByEscape = !(await nav.isVisible());

      // A search in the register on the phone: a surname typed in lower case, without its accents.
      await page.goto(`${base}/crise/registre`);
      const r = rapport.checks.register;
      r.rows = await page.locator("main table tbody tr").count();
      r.count = await page.locator(".pagination-compte").first().innerText();
      const nom = (await page.locator("main table tbody th a").first().innerText()).split(" ")[0];
      const tape = nom.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
      r.typed = tape;
      await page.getByRole("searchbox", { name: "Nom ou adresse" }).fill(tape);
      await Promise.all([page.waitForURL(/[?&]q=/), page.getByRole("button", { name: "Rechercher" }).click()]);
      r.found = await page.locator("main table tbody th a").allInnerTexts();
      r.searchedFor = nom;
      r.width = await page.evaluate(() => document.documentElement.scrollWidth);
      await capture(page, "registre-recherche");
      await page.goto(`${base}/crise/registre?page=2`);
      r.secondPage = await page.locator(".pagination-compte").first().innerText();
    }

    await parcourir(role, page);
    await ctx.close();
  }
} catch (e) {
  rapport.fatal = String(e && e.stack ? e.stack : e);
} finally {
  await browser.close();
}
console.log(JSON.stringify(rapport));
