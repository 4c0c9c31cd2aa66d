// Renders the built-in dashboard in Debian's Chromium (driven by playwright-core; no browser
// download) and prints what a person would see, as JSON: data points per task, the break-even
// marks, the next-step sentences and header totals, every chart label that overlaps another or is
// clipped by its chart, console errors and any request that left the router's origin.
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
    todayLabel: s.querySelector("text.today")?.textContent ?? null,
    breakEvenLabel: s.querySelector("text.break-even")?.textContent ?? null,
    logAxis: s.querySelector("svg.log-axis") !== null,
    breakEvenWidth: s.querySelector("figure.break-even-chart")?.getBoundingClientRect().width ?? 0,
    cardWidth: s.getBoundingClientRect().width,
    verdict: s.querySelector(".verdict")?.textContent ?? null,
    nextStep: s.querySelector(".next-step")?.textContent ?? null,
    notEligible: s.querySelector(".not-eligible")?.textContent ?? null,
    steps: [...s.querySelectorAll("ol.steps li")].map(li => li.dataset.step),
    evidenceCaption: s.querySelector(".evidence p")?.textContent ?? null,
    evidence: [...s.querySelectorAll(".evidence tr[data-candidate]")].map(tr => ({
      candidate: tr.dataset.candidate,
      meetsBar: tr.classList.contains("meets"),
      text: Object.fromEntries([...tr.querySelectorAll("td")].map(td => [td.dataset.field, td.textContent])),
      values: Object.fromEntries([...tr.querySelectorAll("td[data-value]")].map(td => [td.dataset.field, td.dataset.value])),
    })),
    lifecycle: {
      text: Object.fromEntries([...s.querySelectorAll(".lifecycle dd[data-field]")].map(dd => [dd.dataset.field, dd.textContent])),
      values: Object.fromEntries([...s.querySelectorAll(".lifecycle dd[data-value]")].map(dd => [dd.dataset.field, dd.dataset.value])),
      history: [...s.querySelectorAll(".lifecycle li[data-kind]")].map(li => ({ kind: li.dataset.kind, candidate: li.dataset.candidate, reason: li.dataset.reason, text: li.textContent })),
    },
  })));
  const header = await page.$$eval("#headline b[data-field]", cells => Object.fromEntries(cells.map(c => [c.dataset.field, Number(c.dataset.value)])));
  // Every text of every chart: pairs whose boxes intersect, and boxes reaching outside their svg.
  const labels = await page.$$eval("svg", svgs => {
    const overlaps = [];
    const clipped = [];
    let count = 0;
    for (const svg of svgs) {
      const where = (svg.closest("section")?.dataset.task ?? "?") + " / " + (svg.closest("figure")?.querySelector("figcaption")?.textContent ?? "?");
      const box = svg.getBoundingClientRect();
      const texts = [...svg.querySelectorAll("text")].map(t => ({ text: t.textContent, r: t.getBoundingClientRect() })).filter(t => t.r.width > 0);
      count += texts.length;
      for (const t of texts) {
        if (t.r.left < box.left - 0.5 || t.r.right > box.right + 0.5 || t.r.top < box.top - 0.5 || t.r.bottom > box.bottom + 0.5) clipped.push(`${where}: "${t.text}"`);
      }
      for (let i = 0; i < texts.length; i++) {
        for (let j = i + 1; j < texts.length; j++) {
          const a = texts[i].r, b = texts[j].r;
          if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5) overlaps.push(`${where}: "${texts[i].text}" / "${texts[j].text}"`);
        }
      }
    }
    return { count, overlaps, clipped };
  });
  const address = page.url();
  const keyInStorage = await page.evaluate(() => sessionStorage.getItem("router.adminKey") !== null);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
  console.log(JSON.stringify({ tasks, header, labels, consoleErrors, foreignRequests, address, keyInStorage }));
} finally {
  await browser.close();
}
