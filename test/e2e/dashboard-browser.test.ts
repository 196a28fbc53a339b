import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from '../support/launch-chromium.ts';
import { dashboardBudgetsYaml, dashboardExtraModelsYaml, dashboardSimulatorLatency, replayDashboardTraffic, type ReplaySummary } from '../support/replay-dashboard-traffic.ts';
import { startStack, type Stack } from '../support/start-stack.ts';
import { watchBrowserProblems, type BrowserProblems } from '../support/watch-browser-problems.ts';

/**
 * The dashboard in a real browser (headless Chromium through playwright-core), over weeks of replayed
 * history and real requests made through the gateway: sign-in, every page drawing its charts and
 * tables without a console error, page error or CSP violation, the live tail showing a request as it
 * is made, and sign-out. The steps run in order on one page, as a person would use it.
 *
 * With BULWARK_SCREENSHOTS=<directory>, each page is also saved there as dashboard-<page>.png (the
 * pictures in docs/images/ come from `BULWARK_SCREENSHOTS=docs/images`).
 */

let stack: Stack;
let replay: ReplaySummary;
let browser: Browser | undefined;
let context: BrowserContext | undefined;
let page: Page;
/** Nothing to report until the browser is watched. */
let problems: BrowserProblems = { take: () => [] };

/** Generous: CI machines have two cores shared by the gateway, its analytics worker and the browser. */
const waitMs = 30_000;
const screenshotDirectory = process.env.BULWARK_SCREENSHOTS === undefined || process.env.BULWARK_SCREENSHOTS === '' ? undefined : resolve(process.env.BULWARK_SCREENSHOTS);

before(
  async () => {
    // The browser first: without Chromium the test fails at once, with the fix in the message.
    browser = await launchChromium();
    stack = await startStack({ extraYaml: dashboardExtraModelsYaml, topLevelYaml: dashboardBudgetsYaml, simulator: { latency: dashboardSimulatorLatency } });
    replay = await replayDashboardTraffic(stack);
    context = await browser.newContext({ baseURL: stack.bulwark.url, viewport: { width: 1440, height: 900 }, colorScheme: 'light', locale: 'en-US', timezoneId: 'UTC' });
    context.setDefaultTimeout(waitMs);
    problems = await watchBrowserProblems(context, stack.bulwark.url);
    page = await context.newPage();
  },
  { timeout: 180_000 },
);

after(async () => {
  await context?.close();
  await browser?.close();
  await stack?.close();
});

const assertNoProblems = (step: string): void => assert.deepEqual(problems.take(), [], `browser problems during: ${step}`);

// Every step ends without a console error, uncaught exception, CSP violation or stray request.
afterEach((step) => assertNoProblems(step.name));

/**
 * Saves the page as `dashboard-<name>.png` when screenshots are asked for. The whole page is captured
 * by growing the viewport to its height first (a full-page capture alone leaves the 100vh sidebar
 * short); `viewportOnly` keeps a long page (the live tail's 50 rows) to its first screen.
 */
const screenshot = async (name: string, { viewportOnly = false } = {}): Promise<void> => {
  if (screenshotDirectory === undefined) return;
  mkdirSync(screenshotDirectory, { recursive: true });
  const viewport = page.viewportSize() ?? { width: 1440, height: 900 };
  const height = viewportOnly ? viewport.height : await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  try {
    await page.screenshot({ path: join(screenshotDirectory, `dashboard-${name}.png`), animations: 'disabled', caret: 'hide' });
  } finally {
    await page.setViewportSize(viewport);
  }
};

/** Waits for the page's first load to finish, and fails with what the page says if it did not succeed. */
const waitForPage = async (name: string): Promise<Locator> => {
  await page.locator(`[data-testid="page-${name}"]:not([data-state="loading"])`).waitFor();
  const root = page.getByTestId(`page-${name}`);
  const state = await root.getAttribute('data-state');
  if (state !== 'ready') assert.fail(`the ${name} page ended in state ${state}: ${await root.innerText()}`);
  return root;
};

/** Opens a page from the sidebar, as a person would, and waits until it has loaded. */
const openFromNavigation = async (name: string): Promise<Locator> => {
  await page.locator(`nav a[data-page="${name}"]`).click();
  await page.waitForURL(new RegExp(`#/${name}(\\?|$)`));
  const root = await waitForPage(name);
  assert.equal(await page.locator(`nav a[data-page="${name}"]`).getAttribute('aria-current'), 'page');
  return root;
};

/** Counts the canvas's painted pixels: Chart.js drew something, not only sized the canvas. */
const paintedPixels = (canvas: Locator): Promise<number> =>
  canvas.evaluate((node) => {
    const element = node as HTMLCanvasElement;
    const drawing = element.getContext('2d');
    if (drawing === null || element.width === 0 || element.height === 0) return 0;
    const pixels = drawing.getImageData(0, 0, element.width, element.height).data;
    let painted = 0;
    for (let index = 3; index < pixels.length; index += 4) if (pixels[index] !== 0) painted++;
    return painted;
  });

const assertChartsDrawn = async (names: readonly string[]): Promise<void> => {
  for (const name of names) {
    const canvas = page.getByTestId(`chart-${name}`);
    const points = Number(await canvas.getAttribute('data-points'));
    assert.ok(points > 0, `chart ${name} has data points (data-points=${points})`);
    assert.ok(await canvas.isVisible(), `chart ${name} is on screen`);
    assert.ok((await paintedPixels(canvas)) > 0, `chart ${name} is drawn`);
  }
};

const tableRows = (testId: string): Locator => page.locator(`[data-testid="${testId}"] tbody tr`);

const assertTablesHaveRows = async (testIds: readonly string[]): Promise<void> => {
  for (const testId of testIds) assert.ok((await tableRows(testId).count()) > 0, `table ${testId} has rows`);
};

/** The first cells (the group column) of a table, as text. */
const groupColumn = (testId: string): Promise<string[]> => page.locator(`[data-testid="${testId}"] tbody tr td:first-child`).allInnerTexts();

describe('the dashboard in headless Chromium', () => {
  test('the login view comes first; a wrong token is refused with a message; the admin token signs in', async () => {
    assert.ok(replay.historyRequests > 1_000 && replay.liveRequestIds.length >= 10, 'the replay filled the log');
    await page.goto('/dashboard/');
    await page.getByTestId('login').waitFor();
    assert.equal(await page.locator('#app-view').isHidden(), true);
    assert.match(await page.title(), /Sign in/);
    assertNoProblems('the first visit');
    await screenshot('login');

    await page.locator('#login-token').fill('not-the-admin-token');
    await page.locator('#login-submit').click();
    const error = page.locator('#login-error');
    await error.waitFor();
    assert.match(await error.innerText(), /not the admin token/);
    assert.equal(await page.locator('#app-view').isHidden(), true);
    // The refused login is the one error the console may show: Chromium reports the 401 answer.
    const refused = problems.take().filter((problem) => !(/status of 401/.test(problem) && problem.includes('/dashboard/login')));
    assert.deepEqual(refused, [], 'nothing but the refused login');

    await page.locator('#login-token').fill(stack.adminToken);
    await page.locator('#login-submit').click();
    await waitForPage('overview');
    assert.equal(await page.getByTestId('login').isHidden(), true);
    assertNoProblems('signing in');
  });

  test('overview: traffic and latency charts over the last 24 hours, and the top models', async () => {
    await openFromNavigation('overview');
    await assertChartsDrawn(['overview-traffic', 'overview-latency']);
    await assertTablesHaveRows(['top-models']);
    for (const card of ['kpi-rps', 'kpi-error-rate', 'kpi-latency', 'kpi-spend-today', 'kpi-month-to-date', 'kpi-forecast']) {
      assert.ok(await page.getByTestId(card).isVisible(), `${card} is shown`);
    }
    await screenshot('overview');
  });

  test('costs: daily spend by model, budget burn-downs, spend by model, team, key and end user; the range selector', async () => {
    await openFromNavigation('costs');
    await assertChartsDrawn(['costs-daily', 'budget-0', 'budget-1']);
    await assertTablesHaveRows(['costs-by-model', 'costs-by-team', 'costs-by-key', 'costs-by-end-user']);
    assert.deepEqual(await page.locator('[data-budget]').evaluateAll((panels) => panels.map((panel) => panel.getAttribute('data-budget'))), ['All traffic', 'Support team']);
    assert.ok((await groupColumn('costs-by-team')).some((team) => team.includes('support')), 'the history\'s teams');
    await screenshot('costs');

    await page.getByTestId('range-selector').locator('[data-range="7d"]').click();
    await page.waitForURL(/#\/costs\?range=7d$/);
    await waitForPage('costs');
    assert.equal(await page.getByTestId('range-selector').locator('[data-range="7d"]').getAttribute('aria-pressed'), 'true');
    await assertChartsDrawn(['costs-daily']);
  });

  test('latency: percentile and time-to-first-token charts, by model and by provider', async () => {
    await openFromNavigation('latency');
    await assertChartsDrawn(['latency-percentiles', 'latency-ttfb']);
    await assertTablesHaveRows(['latency-by-model', 'latency-by-provider']);
    // `gpt` is an alias of the test stack, not of the replayed history: today's requests are in the figures.
    assert.ok((await groupColumn('latency-by-model')).includes('gpt'), 'the requests made through the gateway today');
    await screenshot('latency');
  });

  test('quality: scores per route, the routes table and recent feedback', async () => {
    await openFromNavigation('quality');
    await assertChartsDrawn(['quality-scores']);
    await assertTablesHaveRows(['quality-routes', 'recent-feedback']);
    assert.match(await page.getByTestId('recent-feedback').innerText(), /too long-winded/);
    await screenshot('quality');
  });

  test('providers: circuit breakers, deployments of the last hour and errors by code', async () => {
    await openFromNavigation('providers');
    await assertTablesHaveRows(['circuits', 'deployments', 'errors-by-code']);
    const codes = await groupColumn('errors-by-code');
    assert.ok(codes.includes('model_not_found'), `the unknown model's error is counted (${codes.join(', ')})`);
    await screenshot('providers');
  });

  test('keys: every virtual key with its team and figures', async () => {
    await openFromNavigation('keys');
    await assertTablesHaveRows(['keys']);
    const keys = await page.getByTestId('keys').innerText();
    for (const name of ['e2e', 'support-assistant', 'document-pipeline']) assert.ok(keys.includes(name), `key ${name} is listed`);
    await screenshot('keys');
  });

  test('live: the backlog, then a request made now appears at the top within seconds', async () => {
    await openFromNavigation('live');
    await page.locator('[data-testid="live-status"][data-state="live"]').waitFor();
    const rows = page.locator('[data-testid="live-table"] tbody tr.live-row');
    await rows.first().waitFor();
    const backlog = await rows.evaluateAll((found) => found.map((row) => row.getAttribute('data-request-id')));
    assert.ok(replay.liveRequestIds.some((id) => backlog.includes(id)), 'the backlog holds the requests just made');

    const endUser = `browser-${randomUUID().slice(0, 8)}`;
    const openai = new OpenAI({ apiKey: stack.key, baseURL: `${stack.bulwark.url}/v1`, maxRetries: 0 });
    const { response } = await openai.chat.completions.create({ model: 'gpt', user: endUser, messages: [{ role: 'user', content: 'watch me arrive' }] }).withResponse();
    const requestId = response.headers.get('x-request-id');
    assert.ok(requestId);
    // No flush: the request log writes on its own interval and the server tails it, as in production.
    const row = page.locator(`[data-testid="live-table"] tbody tr[data-request-id="${requestId}"]`);
    await row.waitFor({ timeout: 20_000 });
    assert.match(await row.innerText(), new RegExp(`user ${endUser}`));
    assert.equal(await row.getAttribute('data-status'), '200');
    assert.equal(await rows.first().getAttribute('data-request-id'), requestId, 'the newest request is on top');
    await screenshot('live', { viewportOnly: true });
  });

  test('signing out returns to the login view, and a reload stays there', async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login').waitFor();
    assert.equal(await page.locator('#app-view').isHidden(), true);
    await page.reload();
    await page.getByTestId('login').waitFor();
    assert.equal(await page.locator('#app-view').isHidden(), true);
  });
});
