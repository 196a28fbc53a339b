import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Secret } from '../../core/secret.ts';
import { dashboardSessionSeconds, issueDashboardSession, readCookie, verifyDashboardSession } from './dashboard-session.ts';

const token = new Secret('admin-token-1');
const now = Date.UTC(2026, 10, 26, 12);

describe('dashboard session', () => {
  test('a session verifies with the token that issued it until it expires', () => {
    const session = issueDashboardSession(token, now);
    assert.ok(verifyDashboardSession(token, session, now));
    assert.ok(verifyDashboardSession(token, session, now + (dashboardSessionSeconds - 1) * 1000));
    assert.ok(!verifyDashboardSession(token, session, now + dashboardSessionSeconds * 1000));
  });

  test('a new admin token ends every session', () => {
    assert.ok(!verifyDashboardSession(new Secret('admin-token-2'), issueDashboardSession(token, now), now));
  });

  test('a changed expiry or signature, and malformed values, are refused', () => {
    const session = issueDashboardSession(token, now);
    const [expires, signature] = session.split('.');
    const cases = [
      `${Number(expires) + 3600}.${signature}`,
      `${expires}.${signature?.slice(0, -1)}A`,
      `${expires}.${signature}.extra`,
      `${expires}`,
      '',
      '.',
      `abc.${signature}`,
      'x'.repeat(500),
      undefined,
    ];
    for (const value of cases) assert.equal(verifyDashboardSession(token, value, now), false, String(value));
  });

  test('reads one cookie among several, and nothing from a missing header', () => {
    assert.equal(readCookie('a=1; bulwark_session=abc.def ; b=2', 'bulwark_session'), 'abc.def');
    assert.equal(readCookie('bulwark_sessionx=1', 'bulwark_session'), undefined);
    assert.equal(readCookie(undefined, 'bulwark_session'), undefined);
    assert.equal(readCookie('novalue; bulwark_session=', 'bulwark_session'), '');
  });
});
