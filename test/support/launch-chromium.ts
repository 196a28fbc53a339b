import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Where the browser tests look for Chromium: `CHROMIUM_PATH`, else Debian's package. */
export const chromiumExecutablePath = (): string => process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The switches that keep a test browser to itself: no sandbox (CI runs as root in a container), no GPU,
 * and none of the background traffic a fresh profile would start (updates, sync, field trials), so
 * the only requests it makes are the page's own.
 */
export const chromiumArguments = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches headless Chromium through playwright-core, on a fresh temporary profile that closing the
 * browser deletes. A missing binary fails the test with the fix, rather than skipping it: the
 * dashboard's browser test is part of the acceptance suite.
 */
export const launchChromium = async (): Promise<Browser> => {
  const executablePath = chromiumExecutablePath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new Error(
      `No Chromium at ${executablePath}. The dashboard browser test needs it: install the Debian package ` +
        '`chromium` (apt-get install -y --no-install-recommends chromium), or set CHROMIUM_PATH to a Chromium binary.',
    );
  }
  return chromium.launch({ executablePath, args: chromiumArguments, timeout: 60_000 });
};
