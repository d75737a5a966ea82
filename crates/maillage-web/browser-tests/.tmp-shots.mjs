import { chromium } from "playwright-core";
const [id, pw] = process.argv.slice(2);
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", headless: true, args: ["--no-sandbox"] });
const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "fr-FR" });
const page = await ctx.newPage();
const base = "http://127.0.0.1:8765";
await page.goto(`${base}/connexion`);
await page.getByLabel("Identifiant").fill(id);
await page.getByLabel("Mot de passe").fill(pw);
await Promise.all([page.waitForURL(`${base}/`), page.getByRole("button", { name: "Se connecter" }).click()]);
for (const p of process.argv.slice(4)) {
  const r = await page.goto(base + p);
  await page.screenshot({ path: `/tmp/crise/shot-${p.replace(/[^a-z0-9]/g, "_")}.png`, fullPage: true });
  console.log(p, r.status());
}
await browser.close();
