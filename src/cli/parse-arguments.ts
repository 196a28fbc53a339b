import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Parses a command's flags strictly: an unknown flag is an error with a usage hint, not silently ignored. */
export const parseArguments = <Options extends ParseArgsOptionsConfig>(argv: string[], options: Options, usage: string) => {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\n\n${usage}`);
  }
};

/** A mistake in how a command was called; printed without a stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}
