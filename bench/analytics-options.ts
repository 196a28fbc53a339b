import { parseArgs } from 'node:util';
import { positive } from './bench-options.ts';

export const analyticsBenchUsage = `Usage: npm run bench:analytics -- [options]

Measures the admin analytics API of a Bulwark child process on a generated request log, and what the
analytics queries do to chat traffic going through the same process.

Options:
  --rows <n>           request records to generate over 30 days ending now (default 1000000)
  --rounds <n>         measured rounds of the query mix at each concurrency (default 10)
  --concurrency <list> comma-separated concurrent admin callers (default 1,4)
  --chat-seconds <s>   length of each chat window, with and without analytics load (default 15)
  --chat-windows <n>   windows of each kind, alternated: without, with, without, ... (default 2)
  --help               show this help`;

export type AnalyticsBenchOptions =
  | { kind: 'run'; rows: number; rounds: number; concurrencies: number[]; chatSeconds: number; chatWindows: number }
  | { kind: 'help' };


/** Parses `npm run bench:analytics` arguments; throws a RangeError naming the bad argument. */
export const parseAnalyticsBenchOptions = (argv: string[]): AnalyticsBenchOptions => {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      rows: { type: 'string' }, rounds: { type: 'string' }, concurrency: { type: 'string' },
      'chat-seconds': { type: 'string' }, 'chat-windows': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help === true) return { kind: 'help' };
  const concurrencies = (values.concurrency ?? '1,4').split(',').map((item) => positive('concurrency', item.trim(), 1));
  return {
    kind: 'run',
    rows: positive('rows', values.rows, 1_000_000),
    rounds: positive('rounds', values.rounds, 10),
    concurrencies: [...new Set(concurrencies)],
    chatSeconds: positive('chat-seconds', values['chat-seconds'], 15, false),
    chatWindows: positive('chat-windows', values['chat-windows'], 2),
  };
};
