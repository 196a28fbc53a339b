import type { BrowserContext, Page } from 'playwright-core';

export interface BrowserProblems {
  /** Everything noticed since the last call, then forgets it: each step checks its own. */
  take(): string[];
}

/**
 * Reports each Content Security Policy violation on the console, where the watcher below sees it.
 * Chromium prints most violations itself; the event also catches the ones reported without a message.
 */
const reportPolicyViolations = (): void => {
  document.addEventListener('securitypolicyviolation', (event) => {
    console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline content'}`);
  });
};

/**
 * Collects what a page must not do in a test: console errors, uncaught exceptions, CSP violations, any
 * request to another origin (the dashboard is self-contained, so that would be a leak or an internet
 * dependency) and same-origin requests that fail. Requests the page cancels itself (a fetch aborted by
 * a navigation, the live stream closed on leaving the page) are normal and not reported.
 */
export const watchBrowserProblems = async (context: BrowserContext, origin: string): Promise<BrowserProblems> => {
  let problems: string[] = [];
  await context.addInitScript(reportPolicyViolations);
  const watchPage = (page: Page): void => {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()} (${message.location().url})`);
    });
    page.on('pageerror', (error) => problems.push(`uncaught: ${error.stack ?? error.message}`));
  };
  context.on('page', watchPage);
  for (const page of context.pages()) watchPage(page);
  context.on('request', (request) => {
    const url = new URL(request.url());
    if (url.protocol === 'data:' || url.protocol === 'blob:') return;
    if (url.origin !== origin) problems.push(`request to another origin: ${request.method()} ${request.url()}`);
  });
  context.on('requestfailed', (request) => {
    const failure = request.failure()?.errorText ?? 'unknown error';
    if (failure === 'net::ERR_ABORTED') return;
    problems.push(`request failed: ${request.method()} ${request.url()}: ${failure}`);
  });
  return {
    take: () => {
      const taken = problems;
      problems = [];
      return taken;
    },
  };
};
