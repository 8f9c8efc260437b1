// Lighthouse audits several pages in one run: one node process and one Chromium (puppeteer-core,
// which Lighthouse brings), each page a cold navigation with Lighthouse's defaults, as its CLI
// would audit it alone. Called by tests/web/test_lighthouse.py:
//   CHROME_PATH=... node lighthouse_pages.mjs LIGHTHOUSE_MODULES OUTPUT CATEGORIES URL...
// LIGHTHOUSE_MODULES is .lighthouse/node_modules; CATEGORIES is comma-separated (seo,accessibility);
// OUTPUT gets a JSON list of the reports (Lighthouse's result, one per URL, in order).
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, output, categories, ...urls] = process.argv.slice(2);
if (!modules || !output || !categories || urls.length === 0) {
  console.error("usage: node lighthouse_pages.mjs LIGHTHOUSE_MODULES OUTPUT CATEGORIES URL...");
  process.exit(2);
}
const load = (name, entry) => import(pathToFileURL(join(modules, name, entry)).href);
const { default: lighthouse } = await load("lighthouse", "core/index.js");
const { default: puppeteer } = await load("puppeteer-core", "lib/esm/puppeteer/puppeteer-core.js");

const browser = await puppeteer.launch({
  executablePath: process.env.CHROME_PATH,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage();
  const reports = [];
  for (const url of urls) {
    const result = await lighthouse(url, { onlyCategories: categories.split(","), logLevel: "error" }, undefined, page);
    if (!result) throw new Error(`Lighthouse gave no result for ${url}`);
    reports.push(result.lhr);
  }
  await writeFile(output, JSON.stringify(reports));
} finally {
  await browser.close();
}
