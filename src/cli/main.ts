import { parseArgs } from 'node:util';
import { assignCommand } from './assign-command';
import { classifyCommand } from './classify-command';
import { type Command, UsageError } from './command';
import { loadDemoCommand, migrateCommand, restoreBackupCommand } from './database-commands';
import { demoCommand } from './demo-command';
import { exportCommand } from './export-command';
import { heatmapCommand } from './heatmap-command';
import { hotspotsCommand } from './hotspots-command';
import { atlasCommand, reportCommand } from './report-command';
import { validateCommand } from './validate-command';

const COMMANDS: Command[] = [
  demoCommand,
  assignCommand,
  validateCommand,
  heatmapCommand,
  hotspotsCommand,
  classifyCommand,
  exportCommand,
  reportCommand,
  atlasCommand,
  migrateCommand,
  loadDemoCommand,
  restoreBackupCommand,
];

function overview(): string {
  return [
    'GridAtlas CLI',
    '',
    'usage: npm run cli -- <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'Every command takes --help and --json. Exit codes: 0 ok, 1 problems found, 2 bad arguments or unreadable input.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return [
    `usage: npm run cli -- ${c.usage}`,
    '',
    c.summary,
    '',
    ...c.help,
    '--json             print a machine-readable JSON summary',
    '--help             show this help',
  ].join('\n');
}

/** Runs the CLI with `argv` (without node and script); returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${overview()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`gridatlas: unknown command "${name}"\n\n${overview()}\n`);
    return 2;
  }
  let json = false;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...command.options, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    });
    json = values.json === true;
    if (values.help) {
      process.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const result = await command.run(values as Record<string, string | boolean | undefined>, positionals);
    process.stdout.write(json ? `${JSON.stringify(result.json)}\n` : `${result.lines.join('\n')}\n`);
    return result.exitCode;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const usage = error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (json) process.stdout.write(`${JSON.stringify({ error: message })}\n`);
    process.stderr.write(`gridatlas ${name}: ${message}\n${usage ? `\n${commandHelp(command)}\n` : ''}`);
    return 2;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
