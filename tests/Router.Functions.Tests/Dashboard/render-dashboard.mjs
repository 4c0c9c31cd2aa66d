// Renders the built-in dashboard in Debian's Chromium (driven by playwright-core; no browser
// download) and prints what a person would see, as JSON: data points per task, the break-even
// marks, console errors and any request that left the router's origin.
// Usage: node render-dashboard.mjs <page url> <screenshot path>
import { chromium } from "playwright-core";

const [url, screenshot] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const consoleErrors = [];
  const foreignRequests = [];
  const origin = new URL(url).origin;
  page.on("console", m => { if (m.type() === "error") consoleErrors.push(m.text()); });
  page.on("pageerror", e => consoleErrors.push(String(e)));
  page.on("dialog", d => { consoleErrors.push("unexpected dialog: " + d.message()); d.dismiss(); });
  page.on("request", r => { if (!r.url().startsWith(origin) && !r.url().startsWith("data:")) foreignRequests.push(r.url()); });

  await page.goto(url, { waitUntil: "load" });
  await page.waitForSelector("body[data-loaded=true]", { timeout: 20000 });
  const tasks = await page.$$eval("section.task", sections => sections.map(s => ({
    task: s.dataset.task,
    points: s.querySelectorAll(".point").length,
    charts: s.querySelectorAll("figure svg").length,
    breakEvenMarks: s.querySelectorAll("line.break-even").length,
    todayMarks: s.querySelectorAll("line.today").length,
  })));
  const address = page.url();
  const keyInStorage = await page.evaluate(() => sessionStorage.getItem("router.adminKey") !== null);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ tasks, consoleErrors, foreignRequests, address, keyInStorage }));
} finally {
  await browser.close();
}
