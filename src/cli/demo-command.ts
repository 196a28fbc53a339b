import { DemoDirectoryError } from '../demo/prepare-demo-directory.ts';
import { formatDemoBanner } from '../demo/format-demo-banner.ts';
import { startDemo, type DemoOptions, type RunningDemo } from '../demo/start-demo.ts';
import { parseArguments, UsageError } from './parse-arguments.ts';

const usage = `Usage: bulwark demo [--port 8787] [--data DIR] [--history-days 35] [--rate N] [--duration SECONDS|forever] [--seed N]

Starts the provider simulator and Bulwark with a demo config, writes weeks of request history
synthesized from a traffic model, then sends a compressed day of real traffic through the gateway.

Options:
  --port N             Bulwark's port on 127.0.0.1 (default 8787; 0 picks a free one)
  --data DIR           data folder, WIPED at start (default ./data/demo)
  --history-days N     days of synthesized history before today, 0 to 400 (default 35)
  --rate N             live requests per second on average (default 4)
  --duration S         seconds of live traffic, or forever (default forever: until Ctrl-C)
  --seed N             seed of the traffic model (default 1)`;

export type DemoArguments = Pick<DemoOptions, 'port' | 'dataDirectory' | 'historyDays' | 'rate' | 'durationSeconds' | 'seed'>;

const integerPattern = /^\d+$/;
const numberPattern = /^\d+(\.\d+)?$/;

const integerFlag = (flag: string, text: string | undefined, fallback: number, minimum: number, maximum: number): number => {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!integerPattern.test(text) || value < minimum || value > maximum) {
    throw new UsageError(`--${flag} takes an integer from ${minimum} to ${maximum}, not "${text}"\n\n${usage}`);
  }
  return value;
};

const positiveFlag = (flag: string, text: string, maximum: number): number => {
  const value = Number(text);
  if (!numberPattern.test(text) || value <= 0 || value > maximum) {
    throw new UsageError(`--${flag} takes a number above 0 and at most ${maximum}, not "${text}"\n\n${usage}`);
  }
  return value;
};

/** Reads `bulwark demo`'s flags; 'help' for --help. Every malformed value is a UsageError naming the flag. */
export const parseDemoArguments = (argv: string[]): DemoArguments | 'help' => {
  const { values, positionals } = parseArguments(
    argv,
    {
      port: { type: 'string' }, data: { type: 'string' }, 'history-days': { type: 'string' }, rate: { type: 'string' },
      duration: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean' },
    },
    usage,
  );
  if (values.help === true) return 'help';
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"\n\n${usage}`);
  if (values.data !== undefined && values.data.trim() === '') throw new UsageError(`--data takes a folder\n\n${usage}`);
  const duration = values.duration;
  return {
    port: integerFlag('port', values.port, 8787, 0, 65_535),
    dataDirectory: values.data ?? './data/demo',
    historyDays: integerFlag('history-days', values['history-days'], 35, 0, 400),
    rate: values.rate === undefined ? 4 : positiveFlag('rate', values.rate, 1_000),
    durationSeconds: duration === undefined || duration === 'forever' ? undefined : positiveFlag('duration', duration, 31_536_000),
    seed: integerFlag('seed', values.seed, 1, 0, 4_294_967_295),
  };
};

export interface DemoCommandIo {
  print: (line: string) => void;
  /** Stop on SIGINT/SIGTERM. Default true; tests turn it off. */
  handleSignals?: boolean;
}

/** Problems a user can fix from the command line are usage errors: printed plainly, exit code 2. */
const explainStartFailure = (error: unknown, port: number): unknown => {
  if (error instanceof DemoDirectoryError) return new UsageError(error.message);
  if ((error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE') {
    return new UsageError(`port ${port} is already in use: pass --port with another one (0 picks a free one)`);
  }
  return error;
};

/** Resolves on the first SIGINT or SIGTERM; `dispose` removes the listeners. */
const onStopSignal = (): { signalled: Promise<string>; dispose: () => void } => {
  const { promise: signalled, resolve: handler } = Promise.withResolvers<string>();
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
  return {
    signalled,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
};

/**
 * `bulwark demo`: runs the demo until its duration is over or SIGINT/SIGTERM, then stops cleanly
 * (traffic, gateway with its request log flushed, simulator) and prints what the live run sent.
 */
export const runDemoCommand = async (argv: string[], io: DemoCommandIo = { print: (line) => console.log(line) }): Promise<void> => {
  const parsed = parseDemoArguments(argv);
  if (parsed === 'help') {
    io.print(usage);
    return;
  }
  const days = `${parsed.historyDays} day${parsed.historyDays === 1 ? '' : 's'}`;
  io.print(`Preparing ${parsed.dataDirectory} (wiped), the simulator, ${days} of synthesized history and Bulwark...`);
  let demo: RunningDemo;
  try {
    demo = await startDemo({ ...parsed, print: io.print });
  } catch (error) {
    throw explainStartFailure(error, parsed.port);
  }
  for (const line of formatDemoBanner(demo, { rate: parsed.rate, durationSeconds: parsed.durationSeconds, incidents: true })) io.print(line);
  const signals = io.handleSignals === false ? undefined : onStopSignal();
  const reason = await Promise.race([demo.live.finished.then(() => 'the duration is over'), signals?.signalled ?? new Promise<string>(() => {})]);
  io.print(`Stopping (${reason}): finishing the calls in flight, flushing the request log...`);
  const stats = await demo.stop();
  signals?.dispose();
  const statuses = Object.entries(stats.byStatus).map(([status, count]) => `${status}×${count}`).join(' ');
  io.print(`Live run: ${stats.sent} requests sent (${statuses || 'none answered'}), ${stats.feedback} rated, ${stats.skipped} skipped at the in-flight cap.`);
  io.print(`The data stays in ${demo.dataDirectory} until the next run (npx bulwark stats --config ${demo.configPath} --since ${parsed.historyDays + 1}d).`);
};
