// The navarch command line: parses arguments, prints help and errors, runs subcommands.
// The only place that writes to the terminal and exits.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commands, type Command } from './commands.ts';

function usage(): string {
  const lines = ['navarch — a Kubernetes-compatible container orchestrator', '', 'Usage: navarch <command> [flags]', '', 'Commands:'];
  for (const c of commands) lines.push(`  ${c.name.padEnd(10)} ${c.summary}`);
  lines.push('', 'Run "navarch <command> --help" for the flags of a command.');
  return lines.join('\n');
}

export function commandHelp(c: Command): string {
  const lines = [`navarch ${c.name} — ${c.summary}`, '', `Usage: navarch ${c.name} ${c.usage}`, ''];
  if (c.description) lines.push(c.description, '');
  lines.push('Flags:');
  for (const f of c.flags) {
    const flag = `--${f.name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(30)} ${f.help}${f.default !== undefined ? ` (default ${f.default})` : ''}`);
  }
  lines.push(`  ${'--help'.padEnd(30)} Show this help.`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name ? 0 : 2;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    process.stderr.write(`navarch: unknown command "${name}"; run "navarch --help" for the list\n`);
    return 2;
  }
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const f of cmd.flags) options[f.name] = { type: f.type };
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options, allowPositionals: cmd.positionals ?? false, strict: true });
  } catch (e) {
    process.stderr.write(`navarch ${cmd.name}: ${(e as Error).message.split('\n')[0]}; run "navarch ${cmd.name} --help"\n`);
    return 2;
  }
  if (parsed.values.help) { process.stdout.write(commandHelp(cmd) + '\n'); return 0; }
  try {
    return await cmd.run(parsed.values as Record<string, string | boolean | undefined>, parsed.positionals);
  } catch (e) {
    const msg = (e as Error)?.message ?? String(e);
    process.stderr.write(`navarch ${cmd.name}: ${msg.split('\n')[0]}\n`);
    if (process.env.NAVARCH_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
