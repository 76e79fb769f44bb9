/**
 * `openrcm scrubber rules list|add|disable|delete`, `openrcm scrubber check CLAIM_ID`,
 * `openrcm scrubber policies import FILE.json|export-sim`: the scrubber's configuration as data (issue 5 §3).
 * A bad rule definition or policy file is user input: one line naming every located problem, exit 2.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { Command } from 'commander';
import { dateInZone, isCalendarDate, type CalendarDate } from '@openrcm/core';
import { migrate, openPglite, practiceScope, type Db } from '@openrcm/db';
import {
  claimDetail,
  codesetsAdapter,
  createRule,
  deleteRule,
  disableRule,
  importPayerPolicies,
  listRules,
  formatSimCheck,
  scrubClaims,
  simulatorCheck,
  type DefinitionError,
  type StoredRule,
} from '@openrcm/engine';
import { payerPolicyManual } from '@openrcm/sim';
import { invalid, positiveInt } from '../args.ts';
import type { CliContext } from '../context.ts';
import type { Column } from '../output.ts';

const RULE_COLUMNS: readonly Column<StoredRule>[] = [
  { header: 'ID', value: (r) => r.id },
  { header: 'KEY', value: (r) => r.key },
  { header: 'PRACTICE', value: (r) => r.practiceCode ?? '(all)' },
  { header: 'PAYER', value: (r) => r.payerCode ?? '(all)' },
  { header: 'SEVERITY', value: (r) => r.severity },
  { header: 'ENABLED', value: (r) => r.enabled },
  { header: 'SOURCE', value: (r) => r.source },
  {
    header: 'VALID',
    value: (r) =>
      r.errors.length === 0 ? 'yes' : `no: ${r.errors.map((e) => `${e.at}: ${e.message}`).join('; ')}`,
  },
  { header: 'DESCRIPTION', value: (r) => r.description },
];

const actor = (): string => `user:${userInfo().username}`;

/** One line for every located problem of a definition (exit 2). */
function badDefinition(what: string, errors: readonly DefinitionError[]): Error {
  return invalid(
    `${what}: ${errors.map((e) => (e.at === '' ? e.message : `${e.at}: ${e.message}`)).join('; ')}`,
  );
}

/** `JSON` or `@file.json`, parsed; a parse failure names the option. */
function jsonArg(value: string, option: string): unknown {
  let text = value;
  if (value.startsWith('@')) {
    try {
      text = readFileSync(value.slice(1), 'utf8');
    } catch {
      throw invalid(`${option}: cannot read ${value.slice(1)}`);
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalid(`${option}: not valid JSON`);
  }
}

async function practiceId(db: Db, code: string | undefined): Promise<number | null> {
  if (code === undefined) return null;
  const res = await db.query<{ id: number }>('SELECT id FROM practices WHERE code = $1', [code]);
  const id = res.rows[0]?.id;
  if (id === undefined) throw invalid(`--practice: no practice with code ${code}`);
  return id;
}

async function payerId(db: Db, code: string | undefined): Promise<number | null> {
  if (code === undefined) return null;
  const res = await db.query<{ id: number }>('SELECT id FROM payers WHERE payer_code = $1', [code]);
  const id = res.rows[0]?.id;
  if (id === undefined) throw invalid(`--payer: no payer with payer id ${code}`);
  return id;
}

function dateArg(v: string | undefined, option: string): CalendarDate | undefined {
  if (v === undefined) return undefined;
  if (!isCalendarDate(v)) throw invalid(`${option}: expected a date YYYY-MM-DD`);
  return v;
}

interface ScopeOptions {
  practice?: string;
  payer?: string;
}

interface AddOptions extends ScopeOptions {
  key: string;
  description: string;
  severity: string;
  condition: string;
  message?: string;
  fix?: string;
  field?: string;
  documentation?: string;
  effectiveFrom?: string;
  effectiveTo?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const scrubber = program
    .command('scrubber')
    .description('scrubber rules, payer policies, re-checking a claim');
  const rules = scrubber.command('rules').description('configured scrubber rules (stored as data)');

  rules
    .command('list')
    .description('list configured rules (with --practice: the global rules and that practice’s)')
    .option('--practice <code>', 'practice code')
    .option('--payer <payerId>', 'only the rules of this payer (clearinghouse payer id)')
    .action((o: ScopeOptions) =>
      ctx.withDb(async (db) => {
        const practice = await practiceId(db, o.practice);
        const payer = await payerId(db, o.payer);
        const rows = await listRules(db, {
          ...(practice === null ? {} : { practiceId: practice }),
          ...(payer === null ? {} : { payerId: payer }),
        });
        ctx.output().records(rows, RULE_COLUMNS);
      }),
    );

  rules
    .command('add')
    .description('add a rule: it fires (reports an issue) when its condition is true')
    .requiredOption('--key <key>', 'kebab-case rule key, e.g. sim02-therapy-gp')
    .requiredOption('--description <text>', 'what the rule requires (its title)')
    .requiredOption('--severity <severity>', 'error (holds the claim) or warning')
    .requiredOption('--condition <json>', 'condition tree as JSON, or @file.json (see scrubber README)')
    .option('--practice <code>', 'only this practice (default: every practice)')
    .option('--payer <payerId>', 'only claims to this payer (default: every payer)')
    .option('--message <text>', 'text shown on the issue (default: the description)')
    .option('--fix <text>', 'suggested fix shown on the issue')
    .option('--field <path>', 'claim path the issue points at (default: from the condition)')
    .option('--documentation <text>', 'why the rule exists (payer bulletin, contract clause)')
    .option('--effective-from <date>', 'first date of service the rule applies to')
    .option('--effective-to <date>', 'last date of service the rule applies to')
    .action((o: AddOptions) =>
      ctx.withDb(async (db) => {
        const condition = jsonArg(o.condition, '--condition');
        const from = dateArg(o.effectiveFrom, '--effective-from');
        const to = dateArg(o.effectiveTo, '--effective-to');
        const res = await createRule(
          db,
          {
            practiceId: await practiceId(db, o.practice),
            payerId: await payerId(db, o.payer),
            key: o.key,
            description: o.description,
            severity: o.severity,
            condition,
            ...(o.message === undefined ? {} : { message: o.message }),
            ...(o.fix === undefined ? {} : { suggestedFix: o.fix }),
            ...(o.field === undefined ? {} : { field: o.field }),
            ...(o.documentation === undefined ? {} : { documentation: o.documentation }),
            ...(from === undefined ? {} : { effectiveFrom: from }),
            ...(to === undefined ? {} : { effectiveTo: to }),
          },
          { at: ctx.clock.now(), actor: actor() },
        );
        if (!res.ok) throw badDefinition(`rule ${o.key} not added`, res.errors);
        ctx.output().record({ id: res.value.id, key: o.key }, [
          { header: 'ID', value: (r) => r.id },
          { header: 'KEY', value: (r) => r.key },
        ]);
      }),
    );

  for (const verb of ['disable', 'delete'] as const) {
    rules
      .command(`${verb} <keys...>`)
      .description(
        verb === 'disable'
          ? 'disable rules (kept for the issues that point at them)'
          : 'delete rules no claim issue points at',
      )
      .option('--practice <code>', 'the practice’s rule (default: the global rule)')
      .option('--payer <payerId>', 'only the rule of this payer (default: every payer’s rule with the key)')
      .action((keys: string[], o: ScopeOptions) =>
        ctx.withDb(async (db) => {
          const practice = await practiceId(db, o.practice);
          const payer = await payerId(db, o.payer);
          const by = { at: ctx.clock.now(), actor: actor() };
          const out = [];
          for (const key of keys) {
            const target = { key, practiceId: practice, ...(payer === null ? {} : { payerId: payer }) };
            const res =
              verb === 'disable' ? await disableRule(db, target, by) : await deleteRule(db, target, by);
            if (!res.ok) throw invalid(`rule ${key}: ${res.errors.map((e) => e.message).join('; ')}`);
            out.push({ key, rows: 'disabled' in res.value ? res.value.disabled : res.value.deleted });
          }
          ctx.output().records(out, [
            { header: 'KEY', value: (r) => r.key },
            { header: verb === 'disable' ? 'DISABLED' : 'DELETED', value: (r) => r.rows },
          ]);
        }),
      );
  }

  scrubber
    .command('sim-check')
    .description(
      'issue 5 Done-when: a generated data set run as in production (270/271, scrub, 837P, 999/277CA) on a throwaway database; holds + rejections vs injected errors, rejections of scrubbed claims',
    )
    // The defaults are the issue's data set: 3 practices × 3 months.
    .option('--practices <n>', 'practices to generate', '3')
    .option('--months <n>', 'months of visits', '3')
    .option('--seed <n>', 'generator seed', '7')
    .option('--volume <x>', 'visit volume multiplier', '1')
    .action(async (o: { practices: string; months: string; seed: string; volume: string }) => {
      const volume = Number(o.volume);
      if (!(volume > 0)) throw invalid('--volume: a positive number');
      // Never the configured database: the check imports a whole generated data set.
      const db = await openPglite();
      try {
        await migrate(db);
        const out = ctx.output();
        const wall0 = performance.now();
        const cpu0 = process.cpuUsage();
        const report = await simulatorCheck(
          db,
          {
            practices: positiveInt(o.practices, '--practices'),
            months: positiveInt(o.months, '--months'),
            seed: positiveInt(o.seed, '--seed'),
            volume,
          },
          (line) => out.message(line),
        );
        for (const line of formatSimCheck(report)) out.message(line);
        // This process's CPU time (the embedded database and the simulated clearinghouse run in it) beside the
        // wall time, which depends on what else loads the machine.
        const cpu = process.cpuUsage(cpu0);
        out.message(
          `run: ${((performance.now() - wall0) / 1000).toFixed(1)} s wall, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`,
        );
      } finally {
        await db.close();
      }
    });

  scrubber
    .command('check <claimId>')
    .description('re-scrub one claim that has not left (draft, held, ready) and print its issues')
    .requiredOption('--practice <code>', 'practice code')
    .action((claimArg: string, o: { practice: string }) =>
      ctx.withDb(async (db) => {
        const claimId = positiveInt(claimArg, 'CLAIM_ID');
        const scope = practiceScope((await practiceId(db, o.practice)) ?? 0);
        const before = await claimDetail(db, scope, claimId);
        if (before === undefined) throw invalid(`CLAIM_ID: no claim ${claimId} in practice ${o.practice}`);
        if (!['draft', 'held', 'ready'].includes(before.claim.status))
          throw invalid(
            `CLAIM_ID: claim ${claimId} is ${before.claim.status}: only claims that have not left are re-scrubbed`,
          );
        const at = ctx.clock.now();
        const run = await scrubClaims(db, scope, {
          asOf: dateInZone(at, 'UTC'),
          at,
          codeSets: codesetsAdapter(),
          claimIds: [claimId],
          actor: actor(),
        });
        const after = await claimDetail(db, scope, claimId);
        const out = ctx.output();
        for (const bad of run.invalidRules)
          out.message(
            `warning: configured rule ${bad.ruleKey} (id ${bad.scrubberRuleId}) does not validate and was not run: ${bad.errors.map((e) => `${e.at}: ${e.message}`).join('; ')}`,
          );
        out.message(
          `claim ${claimId}: ${after?.claim.status ?? '?'}${after?.claim.hold_reason ? ` (${after.claim.hold_reason})` : ''}`,
        );
        out.records(
          (after?.issues ?? []).filter((i) => i.status === 'open'),
          [
            { header: 'RULE', value: (i) => i.rule_key },
            { header: 'SEVERITY', value: (i) => i.severity },
            { header: 'WHERE', value: (i) => i.location },
            { header: 'MESSAGE', value: (i) => i.message },
          ],
        );
      }),
    );

  const policies = scrubber
    .command('policies')
    .description('payer policies (prior authorization, coverage, bundling)');

  policies
    .command('import <file>')
    .description('store payer policies (format openrcm-payer-policies/1) as payer settings and payer rules')
    .action((file: string) =>
      ctx.withDb(async (db) => {
        const input = jsonArg(`@${file}`, 'FILE');
        const res = await importPayerPolicies(db, input, { at: ctx.clock.now(), actor: actor() });
        if (!res.ok) throw badDefinition(`${file} not imported`, res.errors);
        ctx.output().record(res.value, [
          { header: 'PAYERS', value: (r) => r.payers },
          { header: 'RULES WRITTEN', value: (r) => r.rules },
          { header: 'RULES DISABLED', value: (r) => r.disabled },
        ]);
      }),
    );

  policies
    .command('export-sim')
    .description('write the simulator payers’ published policy manual (the input of `policies import`)')
    .requiredOption('--out <file>', 'where to write the JSON')
    .action((o: { out: string }) => {
      const manual = payerPolicyManual();
      writeFileSync(o.out, `${JSON.stringify(manual, null, 2)}\n`);
      ctx.output().message(`wrote the policies of ${Object.keys(manual.payers).length} payers to ${o.out}`);
    });
}
