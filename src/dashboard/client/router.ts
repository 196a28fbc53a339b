/**
 * Hash routes: `#/<page>` with an optional `?range=<range>`, so a reload or a shared link opens the
 * same view. Anything unrecognised falls back to the overview rather than a blank page.
 */

export const pageNames = ['overview', 'costs', 'latency', 'quality', 'providers', 'keys', 'live'] as const;
export type PageName = (typeof pageNames)[number];

export interface Route {
  page: PageName;
  /** The `range` parameter as written; the page decides whether it is one it offers. */
  range: string | null;
}

const isPageName = (value: string): value is PageName => (pageNames as readonly string[]).includes(value);

export const parseRoute = (hash: string): Route => {
  const path = hash.replace(/^#\/?/, '');
  const queryStart = path.indexOf('?');
  const name = (queryStart === -1 ? path : path.slice(0, queryStart)).replace(/\/+$/, '');
  const query = new URLSearchParams(queryStart === -1 ? '' : path.slice(queryStart + 1));
  const range = query.get('range');
  return { page: isPageName(name) ? name : 'overview', range: range === '' ? null : range };
};

export const formatRoute = (route: Route): string =>
  `#/${route.page}${route.range === null ? '' : `?range=${encodeURIComponent(route.range)}`}`;
