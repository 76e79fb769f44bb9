/**
 * `openrcm sim ...`: the simulator's commands. This session: `sim generate` (issue 4 §5), which writes a
 * synthetic billing organization's practices, patients and months of coded encounters in the import
 * format (docs/import-format.md). `sim serve` and `sim adjudicate` come with the clearinghouse.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import {
  DEFAULT_ERROR_RATES,
  OUTPUT_FORMATS,
  SPECIALTIES,
  firstPassRun,
  generate,
  generateToDirectory,
} from '@openrcm/sim';
import type { ErrorRates, GenerateConfig, OutputFormat, Specialty } from '@openrcm/sim';
import type { CliContext } from '../context.ts';

/** Default first date of service: fixed, so that a seed alone reproduces a data set. */
export const DEFAULT_START_DATE = '2026-01-05';

function positiveInt(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return n;
  };
}

function parseFormat(v: string): OutputFormat {
  const f = OUTPUT_FORMATS.find((x) => x === v);
  if (!f) throw new InvalidArgumentError(`format must be one of ${OUTPUT_FORMATS.join(', ')}`);
  return f;
}

function parseDate(v: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new InvalidArgumentError('start must be YYYY-MM-DD');
  return v;
}

function parseSpecialties(v: string): Specialty[] {
  return v.split(',').map((s) => {
    const f = SPECIALTIES.find((x) => x === s.trim());
    if (!f) throw new InvalidArgumentError(`specialties must be among ${SPECIALTIES.join(', ')}`);
    return f;
  });
}

/** `--rate memberIdTypo=0.05` (repeatable) overrides one injected error rate. */
function parseRate(v: string, previous: Partial<ErrorRates> = {}): Partial<ErrorRates> {
  const [name, value] = v.split('=');
  const key = Object.keys(DEFAULT_ERROR_RATES).find((k) => k === name) as keyof ErrorRates | undefined;
  const p = Number(value);
  if (!key)
    throw new InvalidArgumentError(`rate name must be one of ${Object.keys(DEFAULT_ERROR_RATES).join(', ')}`);
  if (!(p >= 0 && p <= 1)) throw new InvalidArgumentError('rate must be a probability between 0 and 1');
  return { ...previous, [key]: p };
}

interface GenerateOptions {
  practices: number;
  months: number;
  seed: string;
  out: string;
  format: OutputFormat;
  start: string;
  volume: number;
  specialties?: Specialty[];
  rate?: Partial<ErrorRates>;
  quiet?: boolean;
  check?: boolean;
}

/** Adds `sim generate` (and later `sim serve`, `sim adjudicate`) to the program. */
export function register(program: Command, ctx: CliContext): void {
  const sim = program.command('sim').description('simulated practices, clearinghouse and payers');
  sim
    .command('generate')
    .description(
      'write a synthetic billing organization (practices, patients, months of coded encounters) as import files',
    )
    .requiredOption('--out <dir>', 'output directory')
    .option('--practices <n>', 'number of practices', positiveInt('practices'), 3)
    .option('--months <n>', 'number of months of activity', positiveInt('months'), 3)
    .option('--seed <seed>', 'random seed (same seed, same bytes)', '1')
    .option('--format <format>', 'jsonl or csv', parseFormat, 'jsonl' as OutputFormat)
    .option('--start <date>', 'first date of service', parseDate, DEFAULT_START_DATE)
    .option(
      '--volume <x>',
      'multiplier on daily visit volume',
      (v) => {
        const n = Number(v);
        if (!(n > 0 && n <= 100)) throw new InvalidArgumentError('volume must be a number in (0, 100]');
        return n;
      },
      1,
    )
    .option('--specialties <list>', 'comma-separated specialties, assigned round-robin', parseSpecialties)
    .option('--rate <name=p>', 'override an injected error rate (repeatable)', parseRate)
    .option(
      '--check',
      'also adjudicate claims written straight from the charges and print the denial and rejection rates',
    )
    .option('--quiet', 'print only the summary line')
    .action((opts: GenerateOptions) => {
      const t0 = performance.now();
      // Numeric seeds stay numbers so `--seed 1` and `generate({ seed: 1 })` give the same data.
      const seed = /^\d+$/.test(opts.seed) ? Number(opts.seed) : opts.seed;
      const config: GenerateConfig = {
        practices: opts.practices,
        months: opts.months,
        seed,
        startDate: opts.start,
        volume: opts.volume,
        ...(opts.specialties ? { specialties: opts.specialties } : {}),
        ...(opts.rate ? { errorRates: opts.rate } : {}),
      };
      const res = generateToDirectory(config, opts.out, {
        format: opts.format,
        onMonth: (month, counts) => {
          if (!opts.quiet)
            ctx.stderr.write(
              `sim generate: ${month} written, ${counts['encounters'] ?? 0} encounters, ${counts['charges'] ?? 0} charges so far\n`,
            );
        },
      });
      const seconds = (performance.now() - t0) / 1000;
      // The realism check holds the whole data set in memory: meant for demo-sized runs.
      const check = opts.check ? firstPassRun(generate(config)) : null;
      const e = res.expected;
      if (ctx.globals().json) {
        const summary = {
          out: opts.out,
          format: opts.format,
          startDate: res.startDate,
          endDate: res.endDate,
          seconds: Math.round(seconds * 100) / 100,
          rows: res.counts,
          injected: res.stats,
          expectedUnscrubbed: e,
          ...(check
            ? {
                firstPass: {
                  claims: check.claims,
                  rejectionRate: check.rejectionRate,
                  denialRate: check.denialRate,
                  deniedLinesByCarc: check.byCarc,
                },
              }
            : {}),
        };
        ctx.stdout.write(JSON.stringify(summary, null, 2) + '\n');
        return;
      }
      if (!opts.quiet) {
        for (const [file, n] of Object.entries(res.counts)) ctx.stdout.write(`${file.padEnd(16)} ${n}\n`);
        ctx.stdout.write(
          `injected: ${Object.entries(res.stats)
            .map(([k, st]) => `${k} ${st.injected}/${st.eligible}`)
            .join(', ')}\n`,
        );
      }
      ctx.stdout.write(
        `wrote ${opts.out} (${opts.format}, ${res.startDate}..${res.endDate}) in ${seconds.toFixed(2)} s; ground truth expects ` +
          `${pct(e.denialRate)} denials and ${pct(e.rejectionRate)} front-end rejections of ${e.insuredEncounters} insured encounters unscrubbed\n`,
      );
      if (check) {
        ctx.stdout.write(
          `first pass (claims straight from the charges, simulated payers): front-end rejection rate ${pct(check.rejectionRate)}, ` +
            `first-adjudication denial rate ${pct(check.denialRate)} of ${check.claims} claims\n`,
        );
      }
    });
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}
