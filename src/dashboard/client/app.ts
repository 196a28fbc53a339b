import type { OverviewResponse } from './api-types.ts';
import { ApiError, getJson, hasSession, logIn, logOut, UnauthorizedError } from './api-client.ts';
import { applyChartDefaults, ChartRegistry, readChartTheme } from './charts.ts';
import { renderAlertBanner } from './components/alert-banner.ts';
import { rangeSelector } from './components/range-selector.ts';
import { box, element, icon } from './dom.ts';
import { formatClockTime } from './format.ts';
import { costsPage } from './pages/costs-page.ts';
import { keysPage } from './pages/keys-page.ts';
import { latencyPage } from './pages/latency-page.ts';
import { livePage } from './pages/live-page.ts';
import type { PageContext, PageDefinition } from './pages/page-definition.ts';
import { overviewPage } from './pages/overview-page.ts';
import { providersPage } from './pages/providers-page.ts';
import { qualityPage } from './pages/quality-page.ts';
import { formatRoute, parseRoute, type PageName, type Route } from './router.ts';

const pages: Record<PageName, PageDefinition> = {
  overview: overviewPage,
  costs: costsPage,
  latency: latencyPage,
  quality: qualityPage,
  providers: providersPage,
  keys: keysPage,
  live: livePage,
};

const refreshIntervalMs = 15_000;
/** Pages whose answer has no alerts refresh the banner from the overview, but not on every tick. */
const alertRefreshIntervalMs = 60_000;

const byId = <T extends HTMLElement>(id: string, type: new () => T): T => {
  const found = document.getElementById(id);
  if (!(found instanceof type)) throw new Error(`index.html is missing #${id}`);
  return found;
};

const view = {
  login: byId('login-view', HTMLElement),
  loginForm: byId('login-form', HTMLFormElement),
  token: byId('login-token', HTMLInputElement),
  loginError: byId('login-error', HTMLElement),
  loginSubmit: byId('login-submit', HTMLButtonElement),
  app: byId('app-view', HTMLElement),
  banner: byId('alert-banner', HTMLElement),
  page: byId('page', HTMLElement),
  logout: byId('logout', HTMLButtonElement),
};

const refreshIcon = ['M20 11a8 8 0 1 0-2.3 5.7', 'M20 4v7h-7'];

interface Showing {
  route: Route;
  definition: PageDefinition;
  range: string;
  body: HTMLElement;
  root: HTMLElement;
  updated: HTMLElement;
  updatedAt: number;
  controller: AbortController | null;
  leaveCallbacks: (() => void)[];
}

const charts = new ChartRegistry();
let theme = readChartTheme();
let showing: Showing | null = null;
let alertsFetchedAt = 0;
let signedIn = false;

const describeError = (error: unknown): string =>
  error instanceof ApiError ? error.message : error instanceof Error && error.name !== 'TypeError' ? error.message : 'Could not reach the gateway.';

const leavePage = (): void => {
  if (showing === null) return;
  showing.controller?.abort();
  for (const callback of showing.leaveCallbacks) callback();
  charts.destroyAll();
  showing = null;
};

const showLogin = (message?: string): void => {
  leavePage();
  signedIn = false;
  view.app.hidden = true;
  view.banner.hidden = true;
  view.page.replaceChildren();
  view.login.hidden = false;
  view.loginError.hidden = message === undefined;
  view.loginError.textContent = message ?? '';
  document.title = 'Sign in · Bulwark';
  view.token.focus();
};

const markNavigation = (page: PageName): void => {
  for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-page]')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
};

/** The "Updated 14:05:09" note; while refreshing it keeps its text and only dims, so nothing jumps. */
const setUpdated = (current: Showing, state: 'idle' | 'refreshing' | 'failed', text?: string): void => {
  current.updated.setAttribute('data-state', state);
  if (text !== undefined) current.updated.textContent = text;
};

/** The open alerts for the banner on pages whose own answer does not carry them. */
const refreshAlertsInBackground = (): void => {
  if (Date.now() - alertsFetchedAt < alertRefreshIntervalMs) return;
  alertsFetchedAt = Date.now();
  getJson<OverviewResponse>('overview?range=24h')
    .then((overview) => {
      if (signedIn) renderAlertBanner(view.banner, Array.isArray(overview.alerts) ? overview.alerts : []);
    })
    .catch((error: unknown) => {
      if (error instanceof UnauthorizedError) showLogin();
      // Anything else leaves the banner as it was; the next tick tries again.
      else alertsFetchedAt = 0;
    });
};

/** Builds the page frame (title, range, last update) around an empty body the load then fills. */
const frame = (definition: PageDefinition, route: Route, range: string): Omit<Showing, 'controller' | 'leaveCallbacks'> => {
  const updated = element('span', { className: 'updated', attributes: { 'data-testid': 'updated', 'aria-live': 'polite' } });
  const tools = box('page-tools', [
    definition.autoRefresh ? updated : null,
    definition.autoRefresh
      ? (() => {
          const button = element('button', { className: 'button button-icon', title: 'Refresh now', attributes: { type: 'button', 'aria-label': 'Refresh now' } }, [icon(refreshIcon)]);
          button.addEventListener('click', () => void loadPage('refresh'));
          return button;
        })()
      : null,
    definition.ranges.length > 0 ? rangeSelector(definition.ranges, range, (next) => (location.hash = formatRoute({ page: route.page, range: next }))) : null,
  ]);
  const body = box('page-body', [box('page-loading', [element('span', { className: 'spinner', attributes: { 'aria-hidden': 'true' } }), 'Loading…'])]);
  const root = element('div', { className: `page page-${definition.name}`, attributes: { 'data-testid': `page-${definition.name}`, 'data-state': 'loading', 'aria-busy': 'true' } }, [
    element('header', { className: 'page-header' }, [
      box('page-heading', [element('h1', { className: 'page-title', text: definition.title }), element('p', { className: 'page-description', text: definition.description(range) })]),
      tools,
    ]),
    body,
  ]);
  return { route, definition, range, body, root, updated, updatedAt: 0 };
};

const errorState = (message: string): HTMLElement => {
  const retry = element('button', { className: 'button', text: 'Try again', attributes: { type: 'button' } });
  retry.addEventListener('click', () => void loadPage('refresh'));
  return box('error-state', [element('p', { className: 'error-state-title', text: 'This page could not be loaded' }), element('p', { className: 'error-state-detail', text: message }), retry]);
};

/**
 * Loads the current page's data and draws it. A refresh keeps what is on screen until the new answer
 * is ready (and keeps it, with a note, if the refresh fails); a navigation shows a loading state.
 */
const loadPage = async (mode: 'navigate' | 'refresh'): Promise<void> => {
  if (!signedIn) return;
  if (mode === 'navigate' || showing === null) {
    leavePage();
    const route = parseRoute(location.hash);
    const definition = pages[route.page];
    const range = route.range !== null && definition.ranges.includes(route.range) ? route.range : definition.defaultRange;
    showing = { ...frame(definition, route, range), controller: null, leaveCallbacks: [] };
    view.page.replaceChildren(showing.root);
    markNavigation(route.page);
    document.title = `${definition.title} · Bulwark`;
  }
  const current = showing;
  current.controller?.abort();
  const controller = new AbortController();
  current.controller = controller;
  const context: PageContext = {
    range: current.range,
    signal: controller.signal,
    charts,
    theme,
    onLeave: (callback) => current.leaveCallbacks.push(callback),
    requireLogin: () => showLogin('Your session ended. Sign in again.'),
  };
  if (current.updatedAt > 0) setUpdated(current, 'refreshing');
  try {
    const build = await current.definition.load(context);
    if (controller.signal.aborted || showing !== current) return;
    charts.beginRender();
    const built = build();
    charts.finishRender();
    current.body.replaceChildren(...built.content.filter((child): child is Node => child instanceof Node));
    current.root.setAttribute('data-state', 'ready');
    current.root.removeAttribute('aria-busy');
    current.updatedAt = Date.now();
    setUpdated(current, 'idle', `Updated ${formatClockTime(current.updatedAt)}`);
    if (built.alerts === undefined) refreshAlertsInBackground();
    else {
      renderAlertBanner(view.banner, built.alerts);
      alertsFetchedAt = Date.now();
    }
  } catch (error) {
    if (controller.signal.aborted || showing !== current) return;
    if (error instanceof UnauthorizedError) return showLogin();
    console.warn('Dashboard page failed to load:', error);
    if (current.updatedAt > 0) {
      setUpdated(current, 'failed', `Refresh failed: ${describeError(error)}`);
    } else {
      current.root.setAttribute('data-state', 'error');
      current.root.removeAttribute('aria-busy');
      current.body.replaceChildren(errorState(describeError(error)));
    }
  }
};

const showApp = (): void => {
  signedIn = true;
  view.login.hidden = true;
  view.app.hidden = false;
  void loadPage('navigate');
};

view.loginForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const token = view.token.value.trim();
  if (token === '') {
    view.loginError.textContent = 'Enter the admin token.';
    view.loginError.hidden = false;
    return;
  }
  view.loginSubmit.disabled = true;
  view.loginSubmit.textContent = 'Signing in…';
  logIn(token)
    .then(() => {
      view.token.value = '';
      view.loginError.hidden = true;
      showApp();
    })
    .catch((error: unknown) => {
      view.loginError.textContent = describeError(error);
      view.loginError.hidden = false;
      view.token.select();
    })
    .finally(() => {
      view.loginSubmit.disabled = false;
      view.loginSubmit.textContent = 'Sign in';
    });
});

view.logout.addEventListener('click', () => {
  logOut()
    .catch(() => undefined)
    .finally(() => showLogin());
});

window.addEventListener('hashchange', () => void loadPage('navigate'));

setInterval(() => {
  if (document.hidden || showing === null || !showing.definition.autoRefresh) return;
  void loadPage('refresh');
}, refreshIntervalMs);

// Back on a tab that was hidden past a refresh: catch up at once rather than on the next tick.
document.addEventListener('visibilitychange', () => {
  if (document.hidden || showing === null || !showing.definition.autoRefresh) return;
  if (Date.now() - showing.updatedAt >= refreshIntervalMs) void loadPage('refresh');
});

// The OS switched between light and dark: charts read their colours once, so draw them again.
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => {
  theme = readChartTheme();
  applyChartDefaults(theme);
  if (showing === null || !showing.definition.autoRefresh) return;
  charts.destroyAll();
  void loadPage('refresh');
});

applyChartDefaults(theme);
hasSession()
  .then((authenticated) => (authenticated ? showApp() : showLogin()))
  .catch((error: unknown) => showLogin(describeError(error)));
