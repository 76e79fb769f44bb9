/** Payers (global) and per-practice payer settings. */
import {
  centsFromDb,
  coreError,
  PayerId,
  PracticeId,
  type Cents,
  type Instant,
  type PayerCode,
} from '@openrcm/core';
import type { Queryable, Row } from '../db.ts';
import type { PracticeScope } from '../scope.ts';
import { bool, instant, json, num, optNum, optStr, rethrowConflict, str } from './rows.ts';

export const PAYER_TYPES = ['medicare', 'medicaid', 'commercial', 'other'] as const;
export type PayerType = (typeof PAYER_TYPES)[number];

/** Typical claim filing indicator (2000B SBR09) and timely filing days for a payer type. */
export const PAYER_TYPE_DEFAULTS: Readonly<
  Record<PayerType, { claimFilingIndicator: string; timelyFilingDays: number }>
> = {
  // Medicare: 12 months from the date of service.
  medicare: { claimFilingIndicator: 'MB', timelyFilingDays: 365 },
  medicaid: { claimFilingIndicator: 'MC', timelyFilingDays: 365 },
  commercial: { claimFilingIndicator: 'CI', timelyFilingDays: 90 },
  other: { claimFilingIndicator: 'ZZ', timelyFilingDays: 180 },
};

export interface Payer {
  readonly id: PayerId;
  readonly payerCode: string;
  readonly name: string;
  readonly payerType: PayerType;
  readonly claimFilingIndicator: string;
  readonly timelyFilingDays: number;
  readonly clearinghouseId: number | null;
  readonly autoCrossover: boolean;
  readonly active: boolean;
  readonly createdAt: Instant;
}

const COLUMNS = `id, payer_code, name, payer_type, claim_filing_indicator, timely_filing_days, clearinghouse_id,
  auto_crossover, active, created_at`;

function toPayer(row: Row): Payer {
  return {
    id: PayerId(num(row, 'id')),
    payerCode: str(row, 'payer_code'),
    name: str(row, 'name'),
    payerType: str(row, 'payer_type') as PayerType,
    claimFilingIndicator: str(row, 'claim_filing_indicator'),
    timelyFilingDays: num(row, 'timely_filing_days'),
    clearinghouseId: optNum(row, 'clearinghouse_id'),
    autoCrossover: bool(row, 'auto_crossover'),
    active: bool(row, 'active'),
    createdAt: instant(row, 'created_at'),
  };
}

export interface NewPayer {
  readonly payerCode: PayerCode;
  readonly name: string;
  readonly payerType: PayerType;
  readonly timelyFilingDays?: number;
  readonly claimFilingIndicator?: string;
  readonly clearinghouseId?: number;
  readonly autoCrossover?: boolean;
}

export async function createPayer(q: Queryable, input: NewPayer): Promise<Payer> {
  const defaults = PAYER_TYPE_DEFAULTS[input.payerType];
  try {
    const r = await q.query(
      `INSERT INTO payers (payer_code, name, payer_type, claim_filing_indicator, timely_filing_days, clearinghouse_id, auto_crossover)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        input.payerCode,
        input.name,
        input.payerType,
        input.claimFilingIndicator ?? defaults.claimFilingIndicator,
        input.timelyFilingDays ?? defaults.timelyFilingDays,
        input.clearinghouseId ?? null,
        input.autoCrossover ?? false,
      ],
    );
    if (!r.rows[0]) throw coreError('core.internal', 'payer insert returned no row');
    return toPayer(r.rows[0]);
  } catch (e) {
    rethrowConflict(e, `payer with code ${input.payerCode}`);
  }
}

/** All payers (global reference data, shared by practices). */
export async function listPayers(q: Queryable): Promise<Payer[]> {
  const r = await q.query(`SELECT ${COLUMNS} FROM payers ORDER BY name, id`);
  return r.rows.map(toPayer);
}

export async function findPayerByCode(q: Queryable, payerCode: string): Promise<Payer | null> {
  const r = await q.query(`SELECT ${COLUMNS} FROM payers WHERE payer_code = $1`, [payerCode]);
  return r.rows[0] ? toPayer(r.rows[0]) : null;
}

export async function getPayer(q: Queryable, id: PayerId): Promise<Payer> {
  const r = await q.query(`SELECT ${COLUMNS} FROM payers WHERE id = $1`, [id]);
  if (!r.rows[0]) throw coreError('core.not_found', `payer ${id} not found`);
  return toPayer(r.rows[0]);
}

/** Resolves a payer given by payer code or numeric id (CLI `--payer`). */
export async function resolvePayer(q: Queryable, ref: string): Promise<Payer> {
  const byCode = await findPayerByCode(q, ref);
  if (byCode) return byCode;
  if (/^[1-9]\d{0,15}$/.test(ref)) {
    const r = await q.query(`SELECT ${COLUMNS} FROM payers WHERE id = $1`, [Number(ref)]);
    if (r.rows[0]) return toPayer(r.rows[0]);
  }
  throw coreError('core.not_found', `no payer with code or id ${ref}`);
}

// ---------------------------------------------------------------------------------------------

export interface PracticePayerSettings {
  readonly id: number;
  readonly practiceId: PracticeId;
  readonly payerId: PayerId;
  readonly underpaymentToleranceCents: Cents;
  readonly underpaymentToleranceBp: number;
  readonly timelyFilingDaysOverride: number | null;
  readonly priorAuthRequired: boolean;
  readonly autoPost: boolean;
  readonly contractBenchmarks: Record<string, unknown>;
  readonly scrubberProfile: string | null;
  readonly active: boolean;
}

const SETTINGS_COLUMNS = `id, practice_id, payer_id, underpayment_tolerance_cents, underpayment_tolerance_bp,
  timely_filing_days_override, prior_auth_required, auto_post, contract_benchmarks, scrubber_profile, active`;

function toSettings(row: Row): PracticePayerSettings {
  return {
    id: num(row, 'id'),
    practiceId: PracticeId(num(row, 'practice_id')),
    payerId: PayerId(num(row, 'payer_id')),
    underpaymentToleranceCents: centsFromDb(
      row['underpayment_tolerance_cents'],
      'underpayment_tolerance_cents',
    ),
    underpaymentToleranceBp: num(row, 'underpayment_tolerance_bp'),
    timelyFilingDaysOverride: optNum(row, 'timely_filing_days_override'),
    priorAuthRequired: bool(row, 'prior_auth_required'),
    autoPost: bool(row, 'auto_post'),
    contractBenchmarks: json(row, 'contract_benchmarks'),
    scrubberProfile: optStr(row, 'scrubber_profile'),
    active: bool(row, 'active'),
  };
}

export interface PayerSettingsInput {
  readonly underpaymentToleranceCents?: Cents;
  readonly underpaymentToleranceBp?: number;
  readonly timelyFilingDaysOverride?: number | null;
  readonly priorAuthRequired?: boolean;
  readonly autoPost?: boolean;
  readonly contractBenchmarks?: Record<string, unknown>;
  readonly scrubberProfile?: string | null;
}

/** Creates or replaces the practice's settings for one payer. */
export async function upsertPracticePayerSettings(
  q: Queryable,
  scope: PracticeScope,
  payerId: PayerId,
  input: PayerSettingsInput = {},
): Promise<PracticePayerSettings> {
  const r = await q.query(
    `INSERT INTO practice_payer_settings (practice_id, payer_id, underpayment_tolerance_cents, underpayment_tolerance_bp,
       timely_filing_days_override, prior_auth_required, auto_post, contract_benchmarks, scrubber_profile)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     ON CONFLICT (practice_id, payer_id) DO UPDATE SET
       underpayment_tolerance_cents = EXCLUDED.underpayment_tolerance_cents,
       underpayment_tolerance_bp = EXCLUDED.underpayment_tolerance_bp,
       timely_filing_days_override = EXCLUDED.timely_filing_days_override,
       prior_auth_required = EXCLUDED.prior_auth_required,
       auto_post = EXCLUDED.auto_post,
       contract_benchmarks = EXCLUDED.contract_benchmarks,
       scrubber_profile = EXCLUDED.scrubber_profile
     RETURNING ${SETTINGS_COLUMNS}`,
    [
      scope.practiceId,
      payerId,
      input.underpaymentToleranceCents ?? 0,
      input.underpaymentToleranceBp ?? 0,
      input.timelyFilingDaysOverride ?? null,
      input.priorAuthRequired ?? false,
      input.autoPost ?? true,
      JSON.stringify(input.contractBenchmarks ?? {}),
      input.scrubberProfile ?? null,
    ],
  );
  if (!r.rows[0]) throw coreError('core.internal', 'payer settings upsert returned no row');
  return toSettings(r.rows[0]);
}

export async function listPracticePayerSettings(
  q: Queryable,
  scope: PracticeScope,
): Promise<PracticePayerSettings[]> {
  const r = await q.query(
    `SELECT ${SETTINGS_COLUMNS} FROM practice_payer_settings WHERE practice_id = $1 ORDER BY payer_id`,
    [scope.practiceId],
  );
  return r.rows.map(toSettings);
}
