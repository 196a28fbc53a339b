import type { Redis } from 'ioredis';
import type { BucketCharge, ConsumeResult, RateLimitStore } from '../shared-state-contracts.ts';
import { adjustScript, consumeScript } from './redis-rate-limit-scripts.ts';
import { expectList, parseLuaNumber } from './redis-script.ts';
import { assertCharges, assertNow } from './validate-shared-state-input.ts';

/** Token buckets in Redis, shared by every host: each call is one script, so one round trip and atomic. */
export class RedisRateLimitStore implements RateLimitStore {
  readonly #client: Redis;
  readonly #prefix: string;

  /** `prefix` ends with a colon, e.g. `bulwark:prod:`; buckets live under `<prefix>rl:<key>`. */
  constructor(client: Redis, prefix: string) {
    this.#client = client;
    this.#prefix = `${prefix}rl:`;
  }

  async consume(charges: readonly BucketCharge[], now: number): Promise<ConsumeResult> {
    assertNow(now);
    assertCharges(charges, false);
    if (charges.length === 0) return { allowed: true, retryAfterSeconds: 0, remaining: [] };
    const reply = expectList(await consumeScript.run(this.#client, this.#keys(charges), this.#args(charges, now)));
    if (reply.length !== charges.length + 2) throw new TypeError('redis: the consume script answered the wrong number of values');
    return {
      allowed: reply[0] === 1,
      retryAfterSeconds: parseLuaNumber(reply[1]),
      remaining: reply.slice(2).map(parseLuaNumber),
    };
  }

  async adjust(charges: readonly BucketCharge[], now: number): Promise<void> {
    assertNow(now);
    assertCharges(charges, true);
    if (charges.length === 0) return;
    await adjustScript.run(this.#client, this.#keys(charges), this.#args(charges, now));
  }

  #keys(charges: readonly BucketCharge[]): string[] {
    return charges.map((charge) => this.#prefix + charge.key);
  }

  #args(charges: readonly BucketCharge[], now: number): number[] {
    const args = [now];
    for (const charge of charges) args.push(charge.capacity, charge.refillPerSecond, charge.amount);
    return args;
  }
}
