import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Secret } from '../../core/secret.ts';

/** How long a dashboard login lasts. */
export const dashboardSessionSeconds = 12 * 60 * 60;
export const dashboardSessionCookie = 'bulwark_session';

/**
 * The signing key, derived from the admin token: every gateway process (`--workers`, replicas behind a
 * load balancer) accepts a session any of them issued without sharing state, and changing the admin
 * token ends every session at once.
 */
const signingKey = (adminToken: Secret): Buffer => createHmac('sha256', adminToken.reveal()).update('bulwark dashboard session v1').digest();

const sign = (adminToken: Secret, payload: string): string => createHmac('sha256', signingKey(adminToken)).update(payload).digest('base64url');

/**
 * A session value: its expiry (epoch seconds) and an HMAC of it. Stateless by design (see above); the
 * cost is that a logout only clears the browser's cookie, it cannot revoke a copied value before it
 * expires — documented in docs/dashboard.md.
 */
export const issueDashboardSession = (adminToken: Secret, now: number): string => {
  const expires = String(Math.floor(now / 1000) + dashboardSessionSeconds);
  return `${expires}.${sign(adminToken, expires)}`;
};

/** True when the value was issued with this admin token and has not expired. */
export const verifyDashboardSession = (adminToken: Secret, value: string | undefined, now: number): boolean => {
  if (value === undefined || value.length > 200) return false;
  const [expires, signature, ...rest] = value.split('.');
  if (expires === undefined || signature === undefined || rest.length > 0 || !/^\d{1,12}$/.test(expires)) return false;
  const expected = Buffer.from(sign(adminToken, expires));
  const presented = Buffer.from(signature);
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return false;
  return Number(expires) * 1000 > now;
};

/** The named cookie's value from a `Cookie` header, or undefined. */
export const readCookie = (header: string | undefined, name: string): string | undefined => {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator !== -1 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
};
