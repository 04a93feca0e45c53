// Browser tests of the playground: Debian's headless Chromium driven by playwright-core, against a
// built site served on BASE_URL. Each test leaves a screenshot in SHOT_DIR. Prints `N passed, N failed`.
//   BASE_URL=http://127.0.0.1:8000/ SHOT_DIR=/tmp/shots node test/browser.test.mjs
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BASE = process.env.BASE_URL || 'http://127.0.0.1:8000/';
const SHOTS = process.env.SHOT_DIR || join(tmpdir(), 'zhiping-playground-shots');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
mkdirSync(SHOTS, { recursive: true });

const userDataDir = mkdtempSync(join(tmpdir(), 'zhiping-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  viewport: { width: 1440, height: 900 },
  locale: 'zh-CN',
});
context.setDefaultTimeout(15000);

const tests = [];
const test = (name, fn) => tests.push({ name, fn });

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function openPage(url = BASE) {
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`  [page error] ${e.message}`));
  page.on('dialog', (d) => d.accept());
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await settle(page);
  return page;
}

// Waits until the worker has answered the latest request (the status shows the time it took).
async function settle(page) {
  await page.waitForFunction(() => {
    const s = document.querySelector('#status');
    return s && !s.classList.contains('busy');
  });
}

async function codes(page) {
  return page.$$eval('#result .finding[data-code]', (els) => els.map((e) => e.dataset.code));
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function pickExample(page, name) {
  await page.selectOption('#example', `zhengzhou-2024/${name}`);
  await page.waitForFunction(() => document.querySelector('#status').classList.contains('busy') === false);
  await settle(page);
}

// Puts the cursor at a line of a policy file and types there, as a person would.
async function typeAtLine(page, file, line, text) {
  await page.click(`#file-tabs .tab[data-path$="${file}"]`);
  await page.evaluate(([f, l]) => window.zhipingPlayground.placeCursor(f, l), [file, line]);
  await page.keyboard.type(text);
}

test('the page loads and shows the first result', async () => {
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(BASE);
  await page.waitForSelector('#result .banner[data-decision]');
  const wall = Date.now() - t0;
  const inPage = await page.evaluate(() => window.zhipingPlayground.firstResultMs);
  const timing = await page.evaluate(() => window.zhipingPlayground.firstTiming);
  console.log(`  first result on screen: ${Math.round(inPage)} ms after navigation start (${wall} ms wall clock; worker: module ready ${timing.module} ms, policy load ${timing.load} ms, evaluation ${timing.evaluate} ms)`);
  await settle(page);
  assert((await page.$$('#file-tabs .tab[data-path]')).length >= 10, 'the Zhengzhou files are shown as tabs');
  await shot(page, '01-loaded');
  // The time to the first result is measured from the navigation's start (performance.now() in the
  // page) and reported above, not asserted: a timed test would fail on a busy machine. The 2 s goal
  // is checked by reading this figure (README, "The playground"). Only a result that never came is
  // a failure (waitForSelector above), and a figure that is not a number.
  assert(Number.isFinite(inPage) && inPage > 0, `the page reports when its first result was painted: ${inPage}`);
  await page.close();
});

test('example teacher without 文号 gets TEACHER-DOC-NUMBER-MISSING', async () => {
  const page = await openPage();
  await pickExample(page, 'teacher-no-docnum');
  await page.waitForSelector('#result .finding[data-code="TEACHER-DOC-NUMBER-MISSING"]');
  const finding = await page.textContent('#result .finding[data-code="TEACHER-DOC-NUMBER-MISSING"]');
  assert(finding.includes('二（三）6') && finding.includes('achievements[0]') && finding.includes('文号'), `finding shows clause, item and message: ${finding}`);
  assert((await page.textContent('#result .banner')).includes('不通过'), 'decision is fail');
  // Clicking the finding opens its rule in the editor.
  await page.click('#result .finding[data-code="TEACHER-DOC-NUMBER-MISSING"] .message');
  const active = await page.getAttribute('#file-tabs .tab.active', 'data-path');
  assert(active.endsWith('40-platform.zp'), `clicking the finding opens 40-platform.zp, not ${active}`);
  const cursorLine = await page.evaluate(() => window.zhipingPlayground.cursorLine());
  const src = await page.textContent('#result .finding[data-code="TEACHER-DOC-NUMBER-MISSING"] .source');
  assert(src.includes(`:${cursorLine}:`), `cursor at line ${cursorLine}, finding at ${src}`);
  await shot(page, '02-teacher-no-docnum');
  await page.close();
});

test('a syntax error is shown at its line, in the editor and the result', async () => {
  const page = await openPage();
  await typeAtLine(page, '30-review.zp', 36, '@@ ');
  await page.waitForSelector('#result .diagnostics .finding');
  await settle(page);
  const src = await page.textContent('#result .diagnostics .source');
  assert(src.startsWith('30-review.zp:36:'), `diagnostic at ${src}`);
  await page.waitForSelector('.editor-box:not([hidden]) .cm-lintRange-error');
  const markerLine = await page.evaluate(() => window.zhipingPlayground.lintMarkerLines());
  assert(markerLine.includes(36), `gutter marker on line 36, got ${markerLine}`);
  const badge = await page.textContent('#file-tabs .tab[data-path$="30-review.zp"] .badge');
  assert(badge === '1', `error badge on the tab: ${badge}`);
  await shot(page, '03-syntax-error');
  // Undo brings the policy back.
  await page.keyboard.press('Control+z');
  await page.waitForSelector('#result .banner[data-decision]');
  await page.close();
});

test('changing a date in the form makes the tenure finding appear and vanish', async () => {
  const page = await openPage();
  await pickExample(page, 'teacher-pass');
  assert(!(await codes(page)).includes('TENURE-INSUFFICIENT'), 'teacher-pass has no tenure finding');
  const date = '#form input[type="date"][data-path="current_title.appointed"]';
  await page.fill(date, '2021-01-01');
  await page.waitForSelector('#result .finding[data-code="TENURE-INSUFFICIENT"]');
  const json = await page.evaluate(() => JSON.parse(window.zhipingPlayground.inputText()));
  assert(json.current_title.appointed === '2021-01-01', 'the JSON view follows the form');
  assert((await page.textContent('#result tr[data-name="tenure_years"] td')) === '3', 'tenure_years is 3');
  await shot(page, '04-tenure-insufficient');
  await page.fill(date, '2020-12-31');
  await page.waitForFunction(() => !document.querySelector('#result .finding[data-code="TENURE-INSUFFICIENT"]') && document.querySelector('#result .banner[data-decision]'));
  assert((await page.textContent('#result tr[data-name="tenure_years"] td')) === '4', 'tenure_years is 4');
  await shot(page, '05-tenure-ok');
  await page.close();
});

test('the JSON view drives the form', async () => {
  const page = await openPage();
  await pickExample(page, 'teacher-pass');
  await page.click('[data-input-tab="json"]');
  await page.evaluate(() => {
    const v = JSON.parse(window.zhipingPlayground.inputText());
    v.name = '测试人';
    window.zhipingPlayground.setInputText(JSON.stringify(v, null, 2));
  });
  await settle(page);
  await page.click('[data-input-tab="form"]');
  assert((await page.inputValue('#form input[data-path="name"]')) === '测试人', 'the form shows the edited name');
  // Lists: add an education entry in the form; the JSON has it.
  const before = (await page.evaluate(() => JSON.parse(window.zhipingPlayground.inputText()))).education.length;
  await page.click('#form fieldset[data-path="education"] > button[data-action="add"]');
  const after = (await page.evaluate(() => JSON.parse(window.zhipingPlayground.inputText()))).education.length;
  assert(after === before + 1, `education has ${after} entries, expected ${before + 1}`);
  await page.click(`#form fieldset[data-path="education"] .list-item[data-path="education[${before}]"] button[data-action="remove"]`);
  const removed = (await page.evaluate(() => JSON.parse(window.zhipingPlayground.inputText()))).education.length;
  assert(removed === before, 'remove takes the entry out');
  await page.close();
});

test('a share link restores the same policy and input', async () => {
  const page = await openPage();
  await pickExample(page, 'engineer-one-month-short');
  await typeAtLine(page, '70-fees.zp', 1, '// 分享测试：修改过的规则\n');
  await page.fill('#form input[data-path="name"]', '分享测试人');
  await settle(page);
  await page.click('#share');
  const url = await page.inputValue('#share-url');
  assert(url.includes('#s='), `share url: ${url.slice(0, 80)}`);
  console.log(`  share link: ${url.length} characters`);
  const state = await page.evaluate(() => window.zhipingPlayground.snapshot());
  const resultText = await page.textContent('#result');
  await shot(page, '06-share-source');
  const other = await openPage(url);
  const restored = await other.evaluate(() => window.zhipingPlayground.snapshot());
  assert(JSON.stringify(restored.files) === JSON.stringify(state.files), 'policy files restored exactly');
  assert(restored.input === state.input, 'input restored exactly');
  assert(restored.subject === state.subject, 'subject restored');
  assert((await other.textContent('#result')) === resultText, 'same result');
  await shot(other, '07-share-restored');
  await other.close();
  await page.close();
});

test('a committee example switches to the committee subject and its form', async () => {
  const page = await openPage();
  await pickExample(page, 'committee-plan-late-national-day');
  await page.waitForSelector('#form input[type="date"][data-path="plan_filed"]');
  assert((await page.inputValue('#subject')) === 'committee', 'subject is committee');
  assert((await codes(page)).includes('COMMITTEE-PLAN-LATE'), `codes: ${await codes(page)}`);
  assert((await page.$$('#form fieldset[data-path="experts"] .list-item')).length > 0, 'the experts list is in the form');
  await shot(page, '11-committee');
  await page.close();
});

test('the applicant view shows the form and the result, no editor', async () => {
  const page = await openPage(`${BASE}?view=applicant&example=teacher-no-docnum`);
  await page.waitForSelector('#result .finding[data-code="TEACHER-DOC-NUMBER-MISSING"]');
  assert(!(await page.isVisible('#editors')), 'no policy editor');
  assert(!(await page.isVisible('#json-editor')), 'no JSON editor');
  const visibleEditors = await page.$$eval('.cm-editor', (els) => els.filter((e) => e.getClientRects().length > 0).length);
  assert(visibleEditors === 0, `${visibleEditors} editors visible`);
  assert(await page.isVisible('#form input[data-path="name"]'), 'the form is shown');
  assert(await page.isVisible('#result .banner'), 'the result is shown');
  assert((await page.$$('#result .finding .source')).length === 0, 'no rule locations for applicants');
  await shot(page, '08-applicant-view');
  // The switch leads back to the staff view.
  await page.click('#view-staff');
  assert(await page.isVisible('#editors'), 'the staff view shows the editor');
  await page.close();
});

test('the policy tests run in their own tab, failures with their case', async () => {
  const page = await openPage();
  await page.click('#tab-tests');
  await page.waitForSelector('#tests .test-summary');
  const summary = await page.textContent('#tests .test-summary');
  assert(/^\d+ 通过，0 失败$/.test(summary), `summary: ${summary}`);
  // Break one expectation: the failing case is listed with its name and place.
  const line = await page.evaluate(() => window.zhipingPlayground.findLine('30-review.zp', 'expect output tenure_years = 3'));
  await page.evaluate(([l]) => window.zhipingPlayground.replaceInLine('30-review.zp', l, 'tenure_years = 3', 'tenure_years = 5'), [line]);
  await page.waitForFunction(() => /1 失败/.test(document.querySelector('#tests .test-summary')?.textContent || ''));
  const failure = await page.textContent('#tests .finding');
  assert(failure.includes('工程师差一个月满4年') && failure.includes(`30-review.zp:${line}:`), `failure: ${failure}`);
  await shot(page, '09-tests');
  await page.close();
});

test('a policy over the step budget shows the error and the page stays alive', async () => {
  const page = await openPage();
  const hundred = `[${Array.from({ length: 100 }, (_, i) => i).join(', ')}]`;
  const rule = `\nrule TOO-MUCH-WORK "太多计算" {\n  severity warning\n  cite "测试"\n  when ${hundred}.all(a, ${hundred}.all(b, ${hundred}.all(c, a + b + c >= 0)))\n  message "算完了"\n}\n`;
  await page.evaluate(([text]) => window.zhipingPlayground.appendToFile('30-review.zp', text), [rule]);
  await page.waitForSelector('#result .finding[data-code="EVALUATION-ERROR"]', { timeout: 20000 });
  const text = await page.textContent('#result .finding[data-code="EVALUATION-ERROR"]');
  assert(/步数上限|step/.test(text), `the error names the step budget: ${text}`);
  // Still responsive: pick another example and get its result.
  await pickExample(page, 'teacher-no-docnum');
  await page.waitForSelector('#result .finding[data-code="TEACHER-DOC-NUMBER-MISSING"]');
  await shot(page, '10-step-budget');
  await page.close();
});

let passed = 0;
let failed = 0;
for (const t of tests) {
  try {
    await t.fn();
    passed++;
    console.log(`ok   ${t.name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${t.name}\n     ${e.message.split('\n').join('\n     ')}`);
    for (const p of context.pages()) {
      await p.screenshot({ path: join(SHOTS, `failed-${passed + failed}.png`) }).catch(() => {});
      await p.close().catch(() => {});
    }
  }
}
await context.close();
rmSync(userDataDir, { recursive: true, force: true });
console.log(`screenshots in ${SHOTS}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
