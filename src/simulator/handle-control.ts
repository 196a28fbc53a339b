import type { IncomingMessage, ServerResponse } from 'node:http';
import { formatIssuePath } from '../formats/shared/parse-with-schema.ts';
import { faultRulesBodySchema } from './fault-rule.ts';
import type { SimulatorRoute } from './match-route.ts';
import { readJsonBody } from './read-json-body.ts';
import { sendJson } from './send-response.ts';
import type { SimulatorContext } from './simulator-context.ts';

type ControlRoute = Extract<SimulatorRoute, { kind: 'control' }>;

const controlError = (response: ServerResponse, status: number, message: string): void =>
  sendJson(response, status, { error: { message } });

/**
 * The simulator's control plane, for tests that drive it over HTTP (e.g. a gateway in another
 * process): `POST /_sim/faults` replaces the fault rules with a JSON list (or `{ "rules": [...] }`),
 * `DELETE /_sim/faults` clears them, `GET /_sim/faults` lists them, `GET /_sim/stats` reports counts.
 */
export const handleControl = async (context: SimulatorContext, route: ControlRoute, request: IncomingMessage, response: ServerResponse): Promise<void> => {
  switch (route.action) {
    case 'list-faults':
      sendJson(response, 200, { rules: context.faults.list() });
      return;
    case 'clear-faults':
      context.faults.clear();
      sendJson(response, 200, { rules: [] });
      return;
    case 'stats':
      sendJson(response, 200, context.stats.snapshot());
      return;
    case 'set-faults': {
      const body = await readJsonBody(request, context.maxBodyBytes);
      if (!body.ok) return controlError(response, 400, body.message);
      const parsed = faultRulesBodySchema.safeParse(body.value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return controlError(response, 400, issue === undefined ? 'Invalid fault rules' : `${formatIssuePath(issue.path) || 'body'}: ${issue.message}`);
      }
      context.faults.set(parsed.data);
      sendJson(response, 200, { rules: context.faults.list() });
    }
  }
};
