import type { ParseArgsConfig } from 'node:util';

/** An error in how a command was called or in its input: exit code 2 with a clear message. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** What a command hands back: a summary for `--json`, human lines, and the exit code. */
export interface CommandResult {
  json: unknown;
  lines: string[];
  exitCode: 0 | 1;
}

/** One CLI command: its options (node:util parseArgs form), help text and body. */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  options: NonNullable<ParseArgsConfig['options']>;
  /** Lines of help describing each option. */
  help: string[];
  run(values: Record<string, string | boolean | undefined>, positionals: string[]): Promise<CommandResult>;
}

/** Returns an integer option, or throws a UsageError naming the option. */
export function integerOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^-?[0-9]+$/.test(raw) || !Number.isSafeInteger(n)) {
    throw new UsageError(`--${name} must be an integer, got "${String(raw)}"`);
  }
  return n;
}

/** Returns a positive number option, or throws a UsageError naming the option. */
export function positiveOption(values: Record<string, unknown>, name: string, fallback: number): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive number, got "${String(raw)}"`);
  }
  return n;
}
