import { parseArgs } from 'node:util';
import { faultNames, isFaultName, type FaultRule } from './fault-rule.ts';
import type { LatencySettings } from './latency-model.ts';
import type { RunningSimulator, SimulatorOptions } from './simulator-options.ts';
import { startSimulator } from './start-simulator.ts';

export const simulatorUsage = `Usage: bulwark simulate [options]

Serves the OpenAI, Azure OpenAI, Anthropic, Gemini and Bedrock APIs with simulated models.

Options:
  --port <n>             port to listen on (default 8788; 0 picks a free one)
  --host <address>       address to listen on (default 127.0.0.1)
  --ttft-ms <ms>         time to first token (default 0)
  --tps <n>              output tokens per second (default: unlimited)
  --jitter-ms <ms>       random variation of the time to first token (default 0)
  --fault <name[:rate]>  inject a fault into a share of requests (repeatable); faults:
                         ${faultNames.join(', ')}
  --seed <n>             seed for fault rates and jitter
  --help                 show this help`;

export interface SimulatorCliIo {
  print: (line: string) => void;
  /** Close the simulator on SIGINT/SIGTERM. Default true; tests turn it off. */
  handleSignals?: boolean;
}

const readNumber = (name: string, value: string | undefined, minimum: number): number | undefined => {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || number < minimum) throw new RangeError(`--${name} must be a number >= ${minimum}, got "${value}"`);
  return number;
};

const readFault = (value: string): FaultRule => {
  const [name = '', rateText, ...rest] = value.split(':');
  if (!isFaultName(name) || rest.length > 0) throw new RangeError(`--fault: unknown fault "${value}" (known: ${faultNames.join(', ')})`);
  const rate = readNumber('fault rate', rateText, 0);
  if (rate !== undefined && rate > 1) throw new RangeError(`--fault: the rate of "${value}" must be between 0 and 1`);
  return rate === undefined ? { fault: name } : { fault: name, rate };
};

/** Parses `bulwark simulate` arguments into simulator options; throws a RangeError on bad input. */
export const parseSimulatorArguments = (argv: string[]): SimulatorOptions | 'help' => {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'ttft-ms': { type: 'string' }, tps: { type: 'string' },
      'jitter-ms': { type: 'string' }, fault: { type: 'string', multiple: true }, seed: { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help === true) return 'help';
  const port = readNumber('port', values.port, 0) ?? 8788;
  if (!Number.isInteger(port) || port > 65535) throw new RangeError(`--port must be an integer from 0 to 65535, got "${values.port}"`);
  const latency: Partial<LatencySettings> = {};
  const ttftMs = readNumber('ttft-ms', values['ttft-ms'], 0);
  const tokensPerSecond = readNumber('tps', values.tps, Number.MIN_VALUE);
  const jitterMs = readNumber('jitter-ms', values['jitter-ms'], 0);
  if (ttftMs !== undefined) latency.ttftMs = ttftMs;
  if (tokensPerSecond !== undefined) latency.tokensPerSecond = tokensPerSecond;
  if (jitterMs !== undefined) latency.jitterMs = jitterMs;
  const options: SimulatorOptions = { port, host: values.host ?? '127.0.0.1', latency, faults: (values.fault ?? []).map(readFault) };
  const seed = readNumber('seed', values.seed, 0);
  if (seed !== undefined) options.seed = seed;
  return options;
};

/**
 * `bulwark simulate`: starts the simulator from command-line arguments and prints its URL. Resolves
 * with the running simulator (undefined after --help). Bad arguments reject with a message that
 * names the argument; the caller prints it with the usage.
 */
export const runSimulatorCli = async (argv: string[], io: SimulatorCliIo = { print: (line) => console.log(line) }): Promise<RunningSimulator | undefined> => {
  const options = parseSimulatorArguments(argv);
  if (options === 'help') {
    io.print(simulatorUsage);
    return undefined;
  }
  const simulator = await startSimulator(options);
  io.print(`Bulwark provider simulator listening on ${simulator.url}`);
  for (const rule of options.faults ?? []) io.print(`  fault: ${rule.fault}${rule.rate === undefined ? '' : ` at rate ${rule.rate}`}`);
  if (io.handleSignals !== false) {
    const stop = (): void => {
      void simulator.close().then(() => process.exit(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  }
  return simulator;
};
