import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Gateway } from '../../gateway/create-gateway.ts';

/** What the route needs of the metrics registry (server/ may not import observability/). */
export interface MetricsSource {
  readonly contentType: string;
  render(): Promise<string>;
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export const isLoopback = (address: string | undefined): boolean => {
  if (address === undefined || isIP(address) === 0) return false;
  const ipv4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return ipv4.startsWith('127.') || address === '::1';
};

/**
 * `GET /metrics` in the Prometheus text format. With `metrics.token` set, a scraper must send it as
 * `Authorization: Bearer <token>`; without one only loopback callers are served, so a gateway listening
 * on all interfaces does not publish its traffic to the network by default. Refusals are plain text:
 * this is a scrape target, not an API speaking OpenAI or Anthropic errors.
 */
export const registerMetricsRoute = (app: FastifyInstance, gateway: Gateway, metrics: MetricsSource): void => {
  app.get('/metrics', async (request, reply) => {
    const token = gateway.config().metrics.token;
    reply.header('cache-control', 'no-store');
    if (token !== undefined) {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      if (match?.[1] === undefined || !timingSafeEqual(digest(match[1]), digest(token.reveal()))) {
        return reply.code(401).header('www-authenticate', 'Bearer').type('text/plain; charset=utf-8').send('Send the metrics token as "Authorization: Bearer <token>".\n');
      }
    } else if (!isLoopback(request.socket.remoteAddress)) {
      return reply.code(403).type('text/plain; charset=utf-8').send('Metrics are served only to loopback callers unless metrics.token is set.\n');
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
};
