import type { BucketCharge, CircuitPolicy } from '../shared-state-contracts.ts';

/**
 * Checks of what callers pass to the shared-state stores. A bad value is a bug in the caller, not an
 * outage: it throws a RangeError (which the Redis fallback lets through rather than switching to local
 * state), naming the field but never echoing the value.
 */
const fail = (what: string): never => {
  throw new RangeError(`shared state: ${what}`);
};

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

export function assertNow(now: number): void {
  if (!Number.isFinite(now) || now < 0) fail('now must be a finite, non-negative epoch-millisecond number');
}

/** `signedAmount`: adjust may give back (positive) or take (negative); consume only takes. */
export function assertCharges(charges: readonly BucketCharge[], signedAmount: boolean): void {
  if (!Array.isArray(charges)) fail('charges must be an array');
  for (const charge of charges) {
    if (typeof charge !== 'object' || charge === null) fail('each charge must be an object');
    if (!isNonEmptyString(charge.key)) fail('a charge key must be a non-empty string');
    if (!Number.isFinite(charge.capacity) || charge.capacity <= 0) fail('a bucket capacity must be a finite number above zero');
    if (!Number.isFinite(charge.refillPerSecond) || charge.refillPerSecond < 0) fail('refillPerSecond must be a finite number, zero or above');
    if (!Number.isFinite(charge.amount) || (!signedAmount && charge.amount < 0)) {
      fail(signedAmount ? 'an amount must be a finite number' : 'an amount to consume must be a finite number, zero or above');
    }
  }
}

export function assertLeaseRequest(key: string, limit: number, leaseMs: number): void {
  if (!isNonEmptyString(key)) fail('a concurrency key must be a non-empty string');
  if (!Number.isSafeInteger(limit) || limit < 0) fail('a concurrency limit must be a whole number, zero or above');
  if (!Number.isFinite(leaseMs) || leaseMs <= 0) fail('leaseMs must be a finite number above zero');
}

export function assertLease(lease: { key: string; id: string }): void {
  if (typeof lease !== 'object' || lease === null || !isNonEmptyString(lease.key) || !isNonEmptyString(lease.id)) {
    fail('a lease must have a non-empty key and id');
  }
}

export function assertDeployment(deployment: string): void {
  if (!isNonEmptyString(deployment)) fail('a deployment must be a non-empty string');
}

export function assertPolicy(policy: CircuitPolicy): void {
  if (typeof policy !== 'object' || policy === null) fail('a circuit policy must be an object');
  if (!Number.isSafeInteger(policy.consecutiveFailures) || policy.consecutiveFailures < 1) fail('consecutiveFailures must be a whole number, 1 or above');
  if (!(policy.failureRateThreshold > 0 && policy.failureRateThreshold <= 1)) fail('failureRateThreshold must be above 0 and at most 1');
  if (!Number.isSafeInteger(policy.minimumRequests) || policy.minimumRequests < 1) fail('minimumRequests must be a whole number, 1 or above');
  if (!Number.isFinite(policy.windowMs) || policy.windowMs <= 0) fail('windowMs must be a finite number above zero');
  if (!Number.isFinite(policy.openMs) || policy.openMs < 0) fail('openMs must be a finite number, zero or above');
  if (!Number.isSafeInteger(policy.halfOpenProbes) || policy.halfOpenProbes < 1) fail('halfOpenProbes must be a whole number, 1 or above');
}

export function assertOutcome(outcome: string): void {
  if (outcome !== 'success' && outcome !== 'failure') fail('an outcome must be "success" or "failure"');
}
