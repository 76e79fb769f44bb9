/**
 * Benchmarks the figures are compared with: the practice's contracted ones (practices.benchmarks, keyed by figure
 * key, e.g. `{"clean_claim_rate": 0.96, "days_in_ar": 38}`), else the defaults below, from the domain guide's
 * service levels and industry figures (DOMAIN.md). The report says which source each comparison used.
 */

/** `min`: the figure passes at or above the target; `max`: at or below. */
export type BenchmarkDirection = 'min' | 'max';

export interface BenchmarkDefault {
  readonly target: number;
  readonly direction: BenchmarkDirection;
  /** Where the default comes from. */
  readonly basis: string;
}

export const DEFAULT_BENCHMARKS: Readonly<Record<string, BenchmarkDefault>> = {
  clean_claim_rate: { target: 0.95, direction: 'min', basis: 'DOMAIN stage 3: clean claim rate >= 95 %' },
  first_pass_acceptance_rate: { target: 0.95, direction: 'min', basis: 'DOMAIN: 95 % first-pass acceptance' },
  denial_rate: { target: 0.1, direction: 'max', basis: 'DOMAIN industry: initial denial rate about 10-12 %' },
  days_in_ar: { target: 40, direction: 'max', basis: 'DOMAIN industry: days in AR target under 40' },
  net_collection_rate: {
    target: 0.95,
    direction: 'min',
    basis: 'DOMAIN industry: net collection rate 95-99 %',
  },
  charge_lag_median_days: {
    target: 5,
    direction: 'max',
    basis: 'DOMAIN industry: median charge lag 3-5 days',
  },
  charge_lag_p90_days: {
    target: 10,
    direction: 'max',
    basis: 'DOMAIN industry: charge lag tail past 10 days',
  },
  coding_lag_median_days: { target: 2, direction: 'max', basis: 'DOMAIN stage 2: coding within 24-48 h' },
  posting_lag_median_hours: { target: 48, direction: 'max', basis: 'DOMAIN stage 4: posting lag <= 48 h' },
  auto_posting_rate: { target: 0.85, direction: 'min', basis: 'DOMAIN stage 4: auto-posting rate >= 85 %' },
  ar_over_90_share: { target: 0.15, direction: 'max', basis: 'DOMAIN industry: share over 90 days 12-15 %' },
  denial_resolution_hours_mean: {
    target: 72,
    direction: 'max',
    basis: 'DOMAIN stage 5: resolution within 72 h',
  },
  denial_resolved_within_72h: {
    target: 0.9,
    direction: 'min',
    basis: 'DOMAIN stage 5: each denial worked within 72 h',
  },
};

export interface BenchmarkResult {
  readonly target: number;
  readonly direction: BenchmarkDirection;
  readonly source: 'contract' | 'default';
  /** `no-data` when the figure itself has no value (zero denominator). */
  readonly status: 'pass' | 'miss' | 'no-data';
}

function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The contracted target for a figure (snake_case or camelCase key; a number or `{ "target": n }`). */
function contracted(contract: Readonly<Record<string, unknown>>, key: string): number | undefined {
  for (const k of [key, camel(key)]) {
    const v = contract[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'object' && v !== null) {
      const t = (v as Record<string, unknown>)['target'];
      if (typeof t === 'number' && Number.isFinite(t)) return t;
    }
  }
  return undefined;
}

/** Compares a figure with the practice's benchmark (or the default); undefined when neither exists. */
export function compareWithBenchmark(
  key: string,
  value: number | null,
  contract: Readonly<Record<string, unknown>>,
): BenchmarkResult | undefined {
  const d = DEFAULT_BENCHMARKS[key];
  if (d === undefined) return undefined;
  const own = contracted(contract, key);
  const target = own ?? d.target;
  const status =
    value === null
      ? 'no-data'
      : (d.direction === 'min' ? value >= target : value <= target)
        ? 'pass'
        : 'miss';
  return { target, direction: d.direction, source: own === undefined ? 'default' : 'contract', status };
}
