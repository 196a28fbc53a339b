import { relative } from 'node:path';
import type { RunningDemo } from './start-demo.ts';

export interface BannerFacts {
  rate: number;
  durationSeconds: number | undefined;
  incidents: boolean;
}

const thousands = (value: number): string => value.toLocaleString('en-US');

/** A path relative to the working folder when it is inside it, as the reader typed it. */
const shown = (path: string): string => {
  const inside = relative(process.cwd(), path);
  return inside === '' || inside.startsWith('..') ? path : `./${inside}`;
};

/** What the demo prints once it runs: where to look, what to sign in with, what is real and what is not. */
export const formatDemoBanner = (demo: RunningDemo, facts: BannerFacts): string[] => {
  const { history } = demo;
  const dayLength = demo.dayLengthMs >= 600_000 ? `${Math.round(demo.dayLengthMs / 60_000)} min` : `${Math.round(demo.dayLengthMs / 1000)} s`;
  const until = facts.durationSeconds === undefined ? 'until Ctrl-C' : `for ${facts.durationSeconds} s`;
  const chat = `curl ${demo.url}/v1/chat/completions -H "Authorization: Bearer ${demo.demoKey}" -H "content-type: application/json" -d '{"model":"fast","messages":[{"role":"user","content":"Hello"}]}'`;
  const messages = `curl ${demo.url}/v1/messages -H "x-api-key: ${demo.demoKey}" -H "anthropic-version: 2023-06-01" -H "content-type: application/json" -d '{"model":"claude","max_tokens":256,"messages":[{"role":"user","content":"Hello"}]}'`;
  return [
    '',
    'Bulwark demo',
    `  dashboard    ${demo.dashboardUrl}`,
    `  admin token  ${demo.adminToken}   (dashboard sign-in and /admin)`,
    `  your key     ${demo.demoKey}   (every model; the demo traffic uses keys of its own)`,
    `  data         ${shown(demo.dataDirectory)}   (wiped at every start; config in bulwark.yaml, gateway log in bulwark.log)`,
    `  simulator    ${demo.simulatorUrl}   (fault control: ${demo.simulatorUrl}/_sim/faults)`,
    '',
    `History: ${thousands(history.requests)} requests over the ${history.days} days before today, SYNTHESIZED from a traffic model`,
    `  (no gateway served them), written in ${(history.elapsedMs / 1000).toFixed(1)} s.`,
    `Today: REAL requests through the gateway to the simulator, ~${facts.rate}/s on average, following a day compressed`,
    `  into ${dayLength}, ${until}${facts.incidents ? '; provider incidents are injected now and then' : ''}.`,
    '',
    'Try:',
    `  ${chat}`,
    `  ${messages}`,
    `  curl ${demo.url}/metrics`,
    `  npx bulwark stats --config ${shown(demo.configPath)} --since 7d`,
    '',
    'Ctrl-C stops: the traffic ends, the request log is flushed, the gateway and simulator close.',
    '',
  ];
};
