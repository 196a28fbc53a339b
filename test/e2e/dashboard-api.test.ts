import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startStack, type Stack } from '../support/start-stack.ts';

let stack: Stack;

before(async () => {
  stack = await startStack({ topLevelYaml: 'budgets: [{ name: all traffic, monthlyUsd: 50 }]' });
});
after(() => stack.close());

const url = (path: string) => `${stack.bulwark.url}${path}`;
const login = (body: unknown, raw = false) =>
  fetch(url('/dashboard/login'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: raw ? String(body) : JSON.stringify(body) });

interface ErrorBody {
  error: { message: string; type: string; code: string };
}

/** Logs in and returns the session cookie as the browser would send it back. */
const sessionCookie = async (): Promise<string> => {
  const response = await login({ token: stack.adminToken });
  assert.equal(response.status, 204);
  const setCookie = response.headers.get('set-cookie') ?? '';
  assert.match(setCookie, /HttpOnly/);
  assert.match(setCookie, /SameSite=Strict/);
  assert.match(setCookie, /Path=\/dashboard/);
  return setCookie.split(';')[0] ?? '';
};

const chat = async (): Promise<string> => {
  const client = new OpenAI({ apiKey: stack.key, baseURL: url('/v1'), maxRetries: 0 });
  const { response } = await client.chat.completions.create({ model: 'gpt', messages: [{ role: 'user', content: 'hello dashboard' }] }).withResponse();
  const requestId = response.headers.get('x-request-id');
  assert.ok(requestId);
  return requestId;
};

describe('dashboard page and assets', () => {
  test('the page and its modules are served with a strict content security policy, and revalidate by ETag', async () => {
    const redirect = await fetch(url('/dashboard'), { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('location'), '/dashboard/');
    const page = await fetch(url('/dashboard/'));
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
    const html = await page.text();
    const scripts = [...html.matchAll(/src="([^"]+)"/g)].map((match) => match[1] ?? '');
    assert.ok(scripts.length >= 2, 'the chart library and the app module');
    for (const script of scripts) {
      const asset = await fetch(new URL(script, url('/dashboard/')));
      assert.equal(asset.status, 200, script);
      assert.match(asset.headers.get('content-type') ?? '', /javascript/);
      const etag = asset.headers.get('etag') ?? '';
      await asset.arrayBuffer();
      assert.equal((await fetch(new URL(script, url('/dashboard/')), { headers: { 'if-none-match': etag } })).status, 304);
    }
    const missing = await fetch(url('/dashboard/assets/nothing-here.ts'));
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as ErrorBody).error.code, 'route_not_found');
    assert.equal((await fetch(url('/dashboard/assets/../../package.json'))).status, 404);
  });
});

describe('dashboard login', () => {
  test('a wrong token, a malformed body or a missing session get errors in OpenAI JSON', async () => {
    const wrong = await login({ token: 'not-the-token' });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as ErrorBody).error.code, 'admin_unauthorized');
    for (const [body, raw] of [['{"token":', true], [{ token: '' }, false], [{ token: stack.adminToken, extra: 1 }, false], [[], false]] as const) {
      const response = await login(body, raw);
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(typeof ((await response.json()) as ErrorBody).error.message, 'string');
    }
    const api = await fetch(url('/dashboard/api/overview'));
    assert.equal(api.status, 401);
    const session = await fetch(url('/dashboard/api/session'), { headers: { cookie: 'bulwark_session=99999999999.forged' } });
    assert.deepEqual([session.status, await session.json()], [200, { authenticated: false }]);
    const forged = await fetch(url('/dashboard/api/overview'), { headers: { cookie: 'bulwark_session=99999999999.forged' } });
    assert.equal(forged.status, 401);
  });

  test('a session cookie, or the admin token as a bearer token, opens the API; logout clears the cookie', async () => {
    const cookie = await sessionCookie();
    const session = await fetch(url('/dashboard/api/session'), { headers: { cookie } });
    assert.equal(session.status, 200);
    assert.equal(session.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await session.json(), { authenticated: true });
    const bearer = await fetch(url('/dashboard/api/session'), { headers: { authorization: `Bearer ${stack.adminToken}` } });
    assert.equal(bearer.status, 200);
    const logout = await fetch(url('/dashboard/logout'), { method: 'POST' });
    assert.equal(logout.status, 204);
    assert.match(logout.headers.get('set-cookie') ?? '', /bulwark_session=; .*Max-Age=0/);
  });
});

describe('dashboard API', () => {
  test('the pages\' data reflect requests made through the gateway', async () => {
    const cookie = await sessionCookie();
    await chat();
    await chat();
    await stack.bulwark.flushRequestLog();
    const get = async (path: string) => {
      const response = await fetch(url(path), { headers: { cookie } });
      assert.equal(response.status, 200, path);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const overview = await get('/dashboard/api/overview?range=24h') as { totals: { requests: number }; series: unknown[]; spend: { forecast: { month: string } } };
    assert.ok(overview.totals.requests >= 2);
    assert.ok(overview.series.length >= 1);
    assert.match(overview.spend.forecast.month, /^\d{4}-\d{2}$/);
    const costs = await get('/dashboard/api/costs?range=7d') as { byModel: { group: string }[]; budgets: { name: string; monthlyUsd: number }[] };
    assert.ok(costs.byModel.some((row) => row.group === 'gpt'));
    assert.deepEqual(costs.budgets.map((budget) => [budget.name, budget.monthlyUsd]), [['all traffic', 50]]);
    const latency = await get('/dashboard/api/latency?range=30d') as { byModel: unknown[] };
    assert.ok(latency.byModel.length >= 1);
    const providers = await get('/dashboard/api/providers') as { deployments: { group: string }[] };
    assert.ok(providers.deployments.some((row) => row.group === 'sim-openai/gpt-4o-mini'));
    const quality = await get('/dashboard/api/quality?range=7d') as { routes: { route: string; currentSamples: number }[]; alerts: unknown[]; recentFeedback: unknown[] };
    assert.ok((quality.routes.find((route) => route.route === 'gpt')?.currentSamples ?? 0) >= 2, 'answered requests are scored');
    assert.deepEqual(quality.alerts, []);
    assert.deepEqual(await get('/dashboard/api/alerts'), { alerts: [] });
    const keys = await get('/dashboard/api/keys') as { keys: { name: string; requests24h: number }[] };
    assert.ok((keys.keys.find((key) => key.name === 'e2e')?.requests24h ?? 0) >= 2);
  });

  test('a range outside the list, or an unknown parameter, is a 400', async () => {
    const headers = { authorization: `Bearer ${stack.adminToken}` };
    for (const path of ['/dashboard/api/overview?range=1y', '/dashboard/api/costs?range=', '/dashboard/api/latency?range=24h&x=1']) {
      const response = await fetch(url(path), { headers });
      assert.equal(response.status, 400, path);
      assert.equal(((await response.json()) as ErrorBody).error.type, 'invalid_request_error');
    }
  });

  test('the live tail sends the recent requests, then a new request as it is logged', async () => {
    await chat();
    await stack.bulwark.flushRequestLog();
    const controller = new AbortController();
    const response = await fetch(url('/dashboard/api/live'), { headers: { authorization: `Bearer ${stack.adminToken}` }, signal: controller.signal });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const reader = response.body?.pipeThrough(new TextDecoderStream()).getReader();
    assert.ok(reader);
    let buffered = '';
    const nextEvent = async (): Promise<{ event: string; data: unknown }> => {
      for (;;) {
        const end = buffered.indexOf('\n\n');
        if (end !== -1) {
          const block = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          if (block.startsWith(':')) continue;
          const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
          return { event, data: JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') };
        }
        const { value, done } = await reader.read();
        assert.ok(!done, 'the stream stays open');
        buffered += value;
      }
    };
    const backlog = await nextEvent();
    assert.equal(backlog.event, 'backlog');
    assert.ok(Array.isArray(backlog.data) && backlog.data.length >= 1);
    const requestId = await chat();
    await stack.bulwark.flushRequestLog();
    for (;;) {
      const { event, data } = await nextEvent();
      assert.equal(event, 'request');
      const row = data as { requestId: string; modelRequested: string; status: number; requestBody?: unknown };
      if (row.requestId !== requestId) continue;
      assert.equal(row.modelRequested, 'gpt');
      assert.equal(row.status, 200);
      assert.ok(!('requestBody' in row), 'bodies never reach the live tail');
      break;
    }
    controller.abort();
    await reader.cancel().catch(() => {});
  });
});

describe('dashboard login throttle', () => {
  // Last in this file: once throttled, this address cannot log in for five minutes.
  test('after ten failed logins from one address, even the right token gets 429 with Retry-After', async () => {
    let failures = 0;
    for (;;) {
      const response = await login({ token: 'guess' });
      if (response.status === 429) {
        assert.equal(((await response.json()) as ErrorBody).error.code, 'too_many_login_attempts');
        const retryAfter = Number(response.headers.get('retry-after'));
        assert.ok(retryAfter > 0 && retryAfter <= 300, String(retryAfter));
        break;
      }
      assert.equal(response.status, 401);
      await response.arrayBuffer();
      failures += 1;
      assert.ok(failures <= 10, 'throttled at the latest after ten failures');
    }
    const right = await login({ token: stack.adminToken });
    assert.equal(right.status, 429);
  });
});
