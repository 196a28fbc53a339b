import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix, relative, sep } from 'node:path';
import { after, describe, test } from 'node:test';
import { chartVendorPath, dashboardContentSecurityPolicy, dashboardPagePath, loadDashboardAssets, type DashboardAsset } from './load-dashboard-assets.ts';

const clientDirectory = join(import.meta.dirname, 'client');
const clientFiles = readdirSync(clientDirectory, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile())
  .map((entry) => relative(clientDirectory, join(entry.parentPath, entry.name)).split(sep).join('/'));
const servedFiles = clientFiles.filter((path) => !path.endsWith('.test.ts'));
const scratch = mkdtempSync(join(tmpdir(), 'bulwark-dashboard-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

const assets = await loadDashboardAssets();
const asset = (path: string): DashboardAsset => {
  const found = assets.get(path);
  assert.ok(found, `${path} is served`);
  return found;
};
const modules = [...assets].filter(([path]) => path.endsWith('.ts'));
const html = asset(dashboardPagePath).body.toString('utf8');

describe('loadDashboardAssets', () => {
  test('serves index.html at /dashboard/, every other client file under /dashboard/assets/, and Chart.js as vendor', () => {
    const expected = [
      dashboardPagePath,
      ...servedFiles.filter((path) => path !== 'index.html').map((path) => `/dashboard/assets/${path}`),
      '/dashboard/assets/vendor/chart.umd.min.js',
    ].toSorted();
    assert.deepEqual([...assets.keys()].toSorted(), expected);
    assert.equal(chartVendorPath, '/dashboard/assets/vendor/chart.umd.min.js');
  });

  test('never serves test files', () => {
    assert.ok(clientFiles.some((path) => path.endsWith('.test.ts')), 'the client folder has tests beside its modules');
    assert.equal([...assets.keys()].filter((path) => path.endsWith('.test.ts')).length, 0);
  });

  test('labels each file with the content type a browser needs: TypeScript goes out as JavaScript', () => {
    assert.equal(asset(dashboardPagePath).contentType, 'text/html; charset=utf-8');
    assert.equal(asset('/dashboard/assets/styles.css').contentType, 'text/css; charset=utf-8');
    assert.equal(asset('/dashboard/assets/app.ts').contentType, 'text/javascript; charset=utf-8');
    assert.equal(asset(chartVendorPath).contentType, 'text/javascript; charset=utf-8');
    assert.equal(asset('/dashboard/assets/favicon.svg').contentType, 'image/svg+xml');
  });

  test('strips every module to JavaScript that parses as an ES module', () => {
    assert.ok(modules.length >= 10);
    for (const [path, { body }] of modules) {
      const file = join(scratch, `${posix.basename(path, '.ts')}.mjs`);
      writeFileSync(file, body);
      const check = spawnSync(process.execPath, ['--check', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, `${path}: ${check.stderr}`);
    }
  });

  test('keeps line positions, so browser errors point at the right line of the .ts source', () => {
    for (const [path, { body }] of modules) {
      const source = readFileSync(join(clientDirectory, path.replace('/dashboard/assets/', '')), 'utf8');
      assert.equal(body.toString('utf8').split('\n').length, source.split('\n').length, path);
    }
  });

  test('modules import only other served modules: no bare package names the browser cannot resolve', () => {
    const importPattern = /^\s*(?:import|export)\b[^'"]*?from\s*'([^']+)'|^\s*import\s*'([^']+)'/gm;
    for (const [path, { body }] of modules) {
      for (const match of body.toString('utf8').matchAll(importPattern)) {
        const specifier = match[1] ?? match[2] ?? '';
        assert.ok(specifier.startsWith('./') || specifier.startsWith('../'), `${path} imports "${specifier}"`);
        assert.ok(specifier.endsWith('.ts'), `${path} imports "${specifier}" without its .ts extension`);
        const target = posix.join(posix.dirname(path), specifier);
        assert.ok(assets.has(target), `${path} imports ${target}, which is not served`);
      }
    }
  });

  test('the page loads Chart.js before the app module, and only from the gateway itself', () => {
    const sources = [...html.matchAll(/\s(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    for (const source of sources.filter((value) => !value.startsWith('#'))) {
      assert.ok(assets.has(source), `index.html references ${source}, which is not served`);
    }
    assert.ok(html.indexOf(chartVendorPath) < html.indexOf('/dashboard/assets/app.ts'));
    assert.doesNotMatch(html + asset('/dashboard/assets/styles.css').body.toString('utf8'), /https?:\/\/(?!www\.w3\.org\/2000\/svg)/, 'no external URL');
    assert.doesNotMatch(asset('/dashboard/assets/styles.css').body.toString('utf8'), /@import|@font-face/);
  });

  test('the page has nothing the CSP would block: no inline script, no style element or attribute', () => {
    for (const script of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
      assert.match(script[1] ?? '', /\ssrc="/, 'every script has a src');
      assert.equal((script[2] ?? '').trim(), '', 'no inline script body');
    }
    assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=/i);
  });

  test('client code never writes markup from strings: text goes in through textContent', () => {
    for (const [path, { body }] of modules) {
      assert.doesNotMatch(body.toString('utf8'), /\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|setAttribute\(\s*'style'/, path);
    }
  });

  test('the Chart.js file is the UMD build, without a source-map reference to a file that is not served', () => {
    const vendor = asset(chartVendorPath).body.toString('utf8');
    assert.match(vendor, /Chart\.js v4\./);
    assert.match(vendor, /window\.Chart=/);
    assert.doesNotMatch(vendor, /sourceMappingURL/);
  });

  test('ETags are quoted, derived from the body, and stable from one load to the next', async () => {
    const again = await loadDashboardAssets();
    for (const [path, { etag, body }] of assets) {
      assert.match(etag, /^"[\w-]{20,}"$/, path);
      assert.equal(again.get(path)?.etag, etag, path);
      assert.ok(body.length > 0, path);
    }
    assert.equal(new Set([...assets.values()].map(({ etag }) => etag)).size, assets.size, 'different bodies, different tags');
  });
});

describe('dashboardContentSecurityPolicy', () => {
  test('allows only the gateway itself and forbids framing', () => {
    const directives = new Map(dashboardContentSecurityPolicy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }));
    assert.equal(directives.get('default-src'), "'self'");
    assert.equal(directives.get('script-src'), "'self'");
    assert.equal(directives.get('style-src'), "'self'");
    assert.equal(directives.get('connect-src'), "'self'");
    assert.equal(directives.get('frame-ancestors'), "'none'");
    assert.equal(directives.get('base-uri'), "'none'");
    assert.doesNotMatch(dashboardContentSecurityPolicy, /unsafe-inline|unsafe-eval|\*/);
  });
});
