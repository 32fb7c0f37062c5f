// The investigator's journey in a real browser: Debian's chromium driven by
// playwright-core against `qorgau serve --demo`.
//
//   node e2e/journey.mjs http://127.0.0.1:PORT OUTPUT_DIR PAGE_TO_CAPTURE
//
// Every page visited is kept as a PNG in OUTPUT_DIR (the CI run's artifacts).
// A failed step throws: the process exits non-zero with the step's name.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

const [base, out, target] = process.argv.slice(2);
if (!base || !out || !target) {
  console.error("usage: node journey.mjs BASE_URL OUTPUT_DIR PAGE_TO_CAPTURE");
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const PASSWORD = "Demo-Qorgau-2026";
const browser = await chromium.launch({
  executablePath: process.env.QORGAU_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox"],
});

let shots = 0;
async function shot(page, name) {
  shots += 1;
  const file = join(out, `${String(shots).padStart(2, "0")}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
}

function check(condition, what) {
  if (!condition) throw new Error(`journey step failed: ${what}`);
}

async function signIn(context, user, lang) {
  const page = await context.newPage();
  await page.goto(`${base}/cases`);
  check(page.url().includes("/login"), "an anonymous visit goes to sign-in");
  await page.click(`ul.languages a[lang=${lang}]`);
  await page.fill("#username", user);
  await page.fill("#password", PASSWORD);
  await page.press("#password", "Enter");
  await page.waitForURL(`${base}/cases`);
  check((await page.getAttribute("html", "lang")) === lang, `${user} sees the ${lang} interface`);
  return page;
}

try {
  // 1. The investigator signs in (Russian), in the viewport of a laptop.
  const inv = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: "ru-RU" });
  let page = await signIn(inv, "investigator", "ru");
  await page.goto(`${base}/`);
  await page.keyboard.press("Tab");
  check(
    (await page.evaluate(() => document.activeElement?.className)) === "skip",
    "the first Tab reaches the skip link",
  );
  await shot(page, "dashboard-ru");

  // 2. Triage: the riskiest ad, its indicators marked, accepted into a case.
  await page.click("header nav >> text=Очередь сигналов");
  await page.waitForURL(`${base}/triage`);
  check((await page.locator("article.signal").count()) > 3, "the queue has signals");
  const first = page.locator("article.signal").first();
  check((await first.locator("mark.indicator").count()) > 0, "indicators are marked in the text");
  await shot(page, "triage-ru");
  const title = "Дело из очереди: вербовка в Дубай";
  await first.locator("input[name=title]").fill(title);
  await first.locator("form.accept button").click();
  await page.waitForURL(/\/cases\/[0-9a-f-]+$/);
  check((await page.textContent("h1")).includes(title), "the new case opens");
  check((await page.locator("#checklist li.task").count()) > 20, "the case has the checklist of study 5.3");
  check((await page.locator("#documents li").count()) === 1, "the ad is attached to the case");
  await shot(page, "case-ru");

  // 3. Qualify with the assistant, then route: facts saved, referrals sent.
  await page.click("p.actions a");
  await page.waitForURL(/\/qualify/);
  const facts = await page.$$eval("div.question input[value=yes]", (xs) => xs.map((x) => x.name));
  check(facts.length > 10, "the assistant asks its questions");
  for (const name of facts.slice(0, 3)) await page.check(`input[name="${name}"][value=yes]`);
  await page.click("form.questions button");
  await page.waitForLoadState();
  check((await page.locator("ol.candidates li").count()) > 0, "the assistant lists candidate articles");
  await shot(page, "qualify-ru");
  await page.locator("ol.candidates input[type=checkbox]").first().check();
  for (const f of ["minor_involved", "victim_identified", "victim_consent"]) {
    await page.check(`input[name="f:${f}"]`);
  }
  await page.click("form.choose button");
  await page.waitForURL(/\/cases\/[0-9a-f-]+(#referrals)?$/);
  check((await page.locator("#referrals tbody tr").count()) >= 4, "routing sent the referrals the facts require");
  await shot(page, "case-routed-ru");

  // 4. Preserve the ad's page from the case; the capture runs in the
  //    background, its page follows it; then the evidence is checked.
  const caseUrl = page.url().replace(/#.*$/, "");
  await page.fill("#capture-url", target);
  await page.fill("#capture-note", "до блокировки");
  await page.click("#capture button");
  await page.waitForURL(/\/jobs\//);
  await shot(page, "capture-running-ru");
  await page.waitForSelector("#job p[role=status] strong:not(:has-text('Идёт')):not(:has-text('Ожидает'))", { timeout: 120000 });
  check((await page.textContent("#job")).includes("сохранено"), "the capture is stored");
  await shot(page, "capture-done-ru");
  await page.goto(caseUrl);
  check((await page.locator("#evidence tbody tr").count()) > 3, "the capture's files are evidence");
  await page.locator("#evidence a").first().click();
  await page.waitForURL(/\/evidence\//);
  await page.click("#verification button");
  await page.waitForURL(/\/evidence\/[0-9a-f-]+(#verification)?$/);
  check((await page.locator("p.verified.ok").count()) === 1, "the item re-hashes and the ledger vouches for it");
  check((await page.locator("#captured-page").count()) === 1, "a file of a capture shows the page as captured");
  check((await page.locator("#captured-page iframe").count()) === 0, "the captured DOM is never rendered");
  await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0));
  await shot(page, "evidence-ru");

  // 5. The same pages in Kazakh and English.
  for (const lang of ["kk", "en"]) {
    await page.click(`ul.languages a[lang=${lang}]`);
    await page.waitForLoadState();
    check((await page.getAttribute("html", "lang")) === lang, `the page switched to ${lang}`);
    await shot(page, `evidence-${lang}`);
    await page.goto(`${base}/`);
    await shot(page, `dashboard-${lang}`);
  }
  await page.goto(`${base}/cases`);
  await shot(page, "cases-en");
  await page.goto(`${base}/referrals`);
  await shot(page, "referrals-outgoing-en");
  await page.click("header form button");
  await page.waitForURL(`${base}/login`);
  await inv.close();

  // 6. The prosecutor answers a referral whose deadline was missed.
  const pro = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await signIn(pro, "prosecutor", "ru");
  await page.goto(`${base}/referrals`);
  check((await page.locator("tr.overdue").count()) > 0, "missed deadlines are marked");
  await shot(page, "referrals-prosecutor-ru");
  const row = page.locator("#incoming tr.overdue").first();
  await row.locator("select[name=action]").selectOption("acknowledge");
  await row.locator("form.step button").click();
  await page.waitForURL(/\/referrals/);
  await shot(page, "referrals-acknowledged-ru");
  await pro.close();

  // 7. The NGO worker sees the referral and nothing operational, on a projector.
  const ngo = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  page = await signIn(ngo, "ngo", "kk");
  check((await page.locator("header nav a[href='/triage']").count()) === 0, "no signal queue for an NGO");
  await page.goto(`${base}/referrals`);
  await shot(page, "referrals-ngo-kk");
  await page.locator("#incoming a[href^='/cases/']").first().click();
  await page.waitForURL(/\/cases\//);
  for (const part of ["#documents", "#keys", "#evidence", "#timeline", "#notes"]) {
    check((await page.locator(part).count()) === 0, `an NGO does not see ${part}`);
  }
  check((await page.locator("#persons li").count()) === 1, "the NGO sees the victim, by pseudonym");
  await shot(page, "case-ngo-kk");
  await ngo.close();
  // 8. Every other page, for the record (screenshots kept by CI).
  const tour = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await signIn(tour, "investigator", "en");
  for (const [path, name] of [["/network", "networks"], ["/screening", "screening"], ["/identities", "identities"]]) {
    await page.goto(`${base}${path}`);
    check((await page.locator("main h1").count()) === 1, `${path} renders`);
    await shot(page, `${name}-en`);
  }
  await page.goto(`${base}/network`);
  await page.locator("table.networks a").first().click();
  await shot(page, "network-graph-en");
  await page.locator("#documents td a[href^='/network/clusters/']").first().click();
  await shot(page, "cluster-template-en");
  await page.goto(`${base}/cases`);
  await page.click("text=DEMO-2026-021");
  await page.click("p.actions a[href$='/money']");
  check((await page.locator("#flags tbody tr").count()) >= 3, "the money page shows its red flags");
  await shot(page, "money-en");
  await page.goBack();
  await page.click("a[href$='/import']");
  check((await page.locator("form[enctype='multipart/form-data']").count()) === 2, "files are brought in by upload");
  await shot(page, "import-en");
  await page.goto(`${base}/network`);
  check((await page.locator("#mirrors svg").count()) >= 1, "mirror domains are drawn as a timeline");
  await shot(page, "mirror-timeline-en");
  await tour.close();
  const admin = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await signIn(admin, "admin", "ru");
  await page.goto(`${base}/admin`);
  await shot(page, "admin-ru");
  await page.click("a[href='/admin/routing']");
  check((await page.locator("#rules-text").count()) === 1, "the rule editor opens");
  await Promise.all([page.waitForNavigation(), page.click("button[value='check']")]);
  check((await page.locator("div.checked").count()) === 1, "the rules in force check as valid");
  await shot(page, "routing-rules-ru");
  await admin.close();
  const analyst = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  page = await signIn(analyst, "analyst", "kk");
  await page.goto(`${base}/admin/lexicon`);
  check((await page.locator("#lexicon table tbody tr").count()) >= 5, "the lexicon's files are listed");
  await shot(page, "lexicon-kk");
  await page.click("a[href='/admin/lexicon/edit?file=employment_abroad.toml']");
  await Promise.all([page.waitForNavigation(), page.click("button[value='check']")]);
  check((await page.locator("div.checked").count()) === 1, "the lexicon in force checks as loading");
  await shot(page, "lexicon-check-kk");
  await analyst.close();
  const anonymous = await browser.newContext({ viewport: { width: 390, height: 844 } });
  page = await anonymous.newPage();
  await page.goto(`${base}/report`);
  await page.fill("#text", "Синтетическое сообщение: зовут работать в Дубай, просят паспорт");
  await page.fill("#contact", "@dubai_hr_demo");
  await Promise.all([page.waitForNavigation(), page.click("form button")]);
  check((await page.locator("#receipt").count()) === 1, "a citizen's report gets a receipt");
  await shot(page, "report-receipt-ru-phone");
  await anonymous.close();
  console.log(`journey passed; ${shots} screenshots in ${out}`);
} catch (e) {
  console.error(e.message);
  process.exitCode = 1;
} finally {
  await browser.close();
}
