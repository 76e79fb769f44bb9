/**
 * `openrcm x12 ...`: read, validate and pretty-print X12 files with @openrcm/x12 (issue 3 §5).
 *
 *   openrcm x12 parse FILE [--json]   typed transaction sets (JSON with --json, a summary otherwise)
 *   openrcm x12 validate FILE...      diagnostics, one per line: file:line: severity CODE loop.element message
 *   (parse and validate take --code-lists to check the external code lists against @openrcm/codesets: CARC,
 *   RARC, place of service, claim status category and status, entity identifier, service type)
 *   openrcm x12 fmt FILE              one segment per line
 *
 * FILE `-` reads standard input. Exit codes: 0 clean, 1 when any error diagnostic was found, 2 when an input
 * could not be read as X12 at all (missing file, no ISA, unusable delimiters).
 */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { registerErrors } from '@openrcm/core';
import { formatDiagnostic, hasErrors, tokenize, type Diagnostic } from '@openrcm/x12';
import { FATAL_CODES, readX12, type ReaderOptions, type ReadX12Result } from '@openrcm/x12/registry';
import type { CliContext } from '../context.ts';

const x12Error = registerErrors({
  'cli.x12_errors': { retryable: false, summary: 'an X12 input has error diagnostics' },
  'cli.x12_unreadable': {
    retryable: false,
    usage: true,
    summary: 'an X12 input could not be read (missing file, no ISA, unusable delimiters)',
  },
});

class Unreadable extends Error {}

/**
 * The external code lists from the code sets OpenRCM ships (CARC and RARC with every code ever defined, place of
 * service, claim status category and status, entity identifier, service type), loaded only when asked for
 * (`--code-lists`).
 */
async function codeLists(wanted: boolean | undefined): Promise<ReaderOptions> {
  if (wanted !== true) return {};
  const { externalCodeLists } = await import('@openrcm/codesets');
  return { codeLists: externalCodeLists() };
}

async function readInput(file: string): Promise<string> {
  try {
    if (file === '-') {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin)
        chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
      return Buffer.concat(chunks).toString('utf8');
    }
    return await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new Unreadable(`${file}: cannot read (${code})`);
  }
}

function fatal(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => FATAL_CODES.has(d.code));
}

/** Worst outcome over the inputs: 2 unreadable, 1 error diagnostics, 0 clean. */
function finish(outcome: 0 | 1 | 2, files: number): void {
  if (outcome === 2)
    throw x12Error('cli.x12_unreadable', `${files > 1 ? 'an input' : 'the input'} could not be read as X12`);
  if (outcome === 1) throw x12Error('cli.x12_errors', 'error diagnostics found');
}

function summary(file: string, r: ReadX12Result): string[] {
  const lines: string[] = [];
  const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = r.diagnostics.filter((d) => d.severity === 'warning').length;
  lines.push(
    `${file}: ${r.interchanges.length} interchange(s), ${r.transactions.length} transaction set(s), ${r.ta1.length} TA1, ${r.segmentCount} segments, ${errors} error(s), ${warnings} warning(s)`,
  );
  for (const t of r.transactions) {
    const errs = t.diagnostics.filter((d) => d.severity === 'error').length;
    lines.push(
      `  ${t.transactionType} ${t.controlNumber} ${t.implementation}${t.reader === undefined ? ' (no typed reader)' : ''}${errs > 0 ? ` — ${errs} error(s)` : ''}`,
    );
  }
  for (const a of r.ta1) lines.push(`  TA1 ${a.controlNumber} ${a.status} ${a.noteCode}`);
  return lines;
}

export function register(program: Command, ctx: CliContext): void {
  const x12 = program.command('x12').description('read, validate and format X12 5010 files');

  x12
    .command('parse')
    .description('read an X12 file into typed transaction sets (--json prints them)')
    .argument('<file>', 'X12 file, or - for standard input')
    .option(
      '--code-lists',
      'also check codes against the shipped external code lists (CARC, RARC, place of service, claim status, entity, service type)',
    )
    .action(async (file: string, opts: { codeLists?: boolean }) => {
      let text: string;
      try {
        text = await readInput(file);
      } catch (e) {
        ctx.stderr.write(`${(e as Error).message}\n`);
        return finish(2, 1);
      }
      const r = readX12(text, await codeLists(opts.codeLists));
      if (ctx.globals().json) {
        ctx.stdout.write(
          `${JSON.stringify({ file, transactions: r.transactions, ta1: r.ta1, diagnostics: r.diagnostics }, null, 2)}\n`,
        );
      } else {
        for (const line of summary(file, r)) ctx.stdout.write(`${line}\n`);
        for (const d of r.diagnostics)
          if (d.severity !== 'info') ctx.stdout.write(`${formatDiagnostic(d, file)}\n`);
      }
      return finish(fatal(r.diagnostics) ? 2 : hasErrors(r.diagnostics) ? 1 : 0, 1);
    });

  x12
    .command('validate')
    .description(
      'check X12 files; prints one diagnostic per line (file:line: severity CODE loop.element message)',
    )
    .argument('<files...>', 'X12 files, or - for standard input')
    .option(
      '--code-lists',
      'also check codes against the shipped external code lists (CARC, RARC, place of service, claim status, entity, service type)',
    )
    .action(async (files: string[], opts: { codeLists?: boolean }) => {
      const options = await codeLists(opts.codeLists);
      let outcome: 0 | 1 | 2 = 0;
      for (const file of files) {
        let text: string;
        try {
          text = await readInput(file);
        } catch (e) {
          ctx.stderr.write(`${(e as Error).message}\n`);
          outcome = 2;
          continue;
        }
        const r = readX12(text, options);
        for (const d of r.diagnostics)
          if (d.severity !== 'info') ctx.stdout.write(`${formatDiagnostic(d, file)}\n`);
        const result = fatal(r.diagnostics) ? 2 : hasErrors(r.diagnostics) ? 1 : 0;
        if (result > outcome) outcome = result;
      }
      return finish(outcome, files.length);
    });

  x12
    .command('fmt')
    .description('print an X12 file one segment per line (delimiters kept)')
    .argument('<file>', 'X12 file, or - for standard input')
    .action(async (file: string) => {
      let text: string;
      try {
        text = await readInput(file);
      } catch (e) {
        ctx.stderr.write(`${(e as Error).message}\n`);
        return finish(2, 1);
      }
      const segments = tokenize(text);
      let out = '';
      for (const seg of segments)
        out += `${seg.elements.join(seg.delimiters.element)}${seg.delimiters.segment === '\n' ? '' : seg.delimiters.segment}\n`;
      ctx.stdout.write(out);
      return finish(segments.length === 0 ? 2 : 0, 1);
    });
}
