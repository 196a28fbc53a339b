import { ConfigError } from '../config/load-config.ts';
import { runSimulatorCli } from '../simulator/run-simulator-cli.ts';
import { runDemoCommand } from './demo-command.ts';
import { runKeysCommand } from './keys-command.ts';
import { UsageError } from './parse-arguments.ts';
import { runStartCommand } from './start-command.ts';
import { runStatsCommand } from './stats-command.ts';

const usage = `bulwark — an AI gateway

Usage:
  bulwark start [--config PATH] [--port N] [--workers N]   serve the gateway (default 127.0.0.1:8787)
  bulwark keys create|list|revoke ...                       manage virtual keys
  bulwark stats [--since 24h] [--until TIME] [--json]       spend, latency, errors, top models and keys
  bulwark simulate [--port 8790] [--ttft-ms N] [--tps N]    run the provider simulator
  bulwark demo [--port 8787] [--duration S|forever]         simulator + gateway + weeks of history + live traffic
  bulwark help`;

const commands: Record<string, (argv: string[]) => Promise<void>> = {
  start: runStartCommand,
  keys: runKeysCommand,
  stats: runStatsCommand,
  simulate: async (argv) => {
    await runSimulatorCli(argv);
  },
  demo: (argv) => runDemoCommand(argv),
};

export const main = async (argv: string[]): Promise<number> => {
  const [name, ...rest] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (command === undefined) {
    console.log(usage);
    return name === undefined || name === 'help' || name === '--help' ? 0 : 2;
  }
  try {
    await command(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }
};

if (import.meta.main) {
  const code = await main(process.argv.slice(2));
  if (code !== 0) process.exitCode = code;
}
