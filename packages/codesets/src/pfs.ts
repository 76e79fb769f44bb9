// Medicare Physician Fee Schedule (CY2024 July release, RVU24C) national amounts and GPCIs, used to seed
// realistic contracted fee schedules (e.g. "commercial payer pays 120 % of Medicare"). Amounts are integer
// cents; RVUs, GPCIs and the conversion factor are kept as exact decimals and combined in integers.

import { columnIndex, fileMeta, lazy, readDataTsv } from './data.ts';

export const PFS_SETTINGS = ['facility', 'nonfacility'] as const;
export type PfsSetting = (typeof PFS_SETTINGS)[number];

/** Modifiers that select a separately priced PFS row (professional / technical component, discontinued). */
export const PFS_PRICING_MODIFIERS = ['26', 'TC', '53'] as const;
export type PfsPricingModifier = (typeof PFS_PRICING_MODIFIERS)[number];

export interface PfsEntry {
  readonly code: string;
  /** '' for the global service, else a pricing modifier. */
  readonly modifier: string;
  /** PFS status indicator (A active, B bundled, C carrier priced, I not valid for Medicare, ...). */
  readonly status: string;
  /** RVUs in hundredths (1.30 → 130). */
  readonly workRvu: number;
  readonly nonfacilityPeRvu: number;
  readonly facilityPeRvu: number;
  readonly mpRvu: number;
  /** National amount (GPCI 1.0) × conversion factor, in cents. */
  readonly nonfacilityCents: number;
  readonly facilityCents: number;
  /** Global surgery days (000, 010, 090, XXX, YYY, ZZZ, MMM). */
  readonly globalDays: string;
  /** PC/TC indicator. */
  readonly pctc: string;
  /** CMS marks the setting "NA": not normally paid in that setting. */
  readonly nonfacilityNa: boolean;
  readonly facilityNa: boolean;
  /**
   * Bilateral surgery indicator: '0' not applicable, '1' a bilateral procedure is paid at 150 % (modifier 50),
   * '2' the code is already bilateral, '3' each side is priced on its own (paired organs, extremity imaging),
   * '9' the concept does not apply. 1 and 3 are the codes performed on one side or the other.
   */
  readonly bilateral: string;
}

const hundredths = (s: string | undefined): number => {
  const [whole = '0', frac = ''] = (s ?? '0').split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
};

const table = lazy((): ReadonlyMap<string, PfsEntry> => {
  const tsv = readDataTsv('pfs_national.tsv.gz');
  const col = (n: string): number => columnIndex(tsv, n);
  const c = {
    code: col('code'),
    mod: col('modifier'),
    status: col('status'),
    work: col('work_rvu'),
    nfPe: col('nonfac_pe_rvu'),
    fPe: col('facility_pe_rvu'),
    mp: col('mp_rvu'),
    nf: col('nonfac_cents'),
    f: col('facility_cents'),
    pctc: col('pctc'),
    global: col('global_days'),
    nfNa: col('nonfac_na'),
    fNa: col('facility_na'),
    bilateral: col('bilateral'),
  };
  const map = new Map<string, PfsEntry>();
  for (const r of tsv.rows) {
    const code = r[c.code] ?? '';
    const modifier = r[c.mod] ?? '';
    map.set(`${code}:${modifier}`, {
      code,
      modifier,
      status: r[c.status] ?? '',
      workRvu: hundredths(r[c.work]),
      nonfacilityPeRvu: hundredths(r[c.nfPe]),
      facilityPeRvu: hundredths(r[c.fPe]),
      mpRvu: hundredths(r[c.mp]),
      nonfacilityCents: Number(r[c.nf]),
      facilityCents: Number(r[c.f]),
      globalDays: r[c.global] ?? '',
      pctc: r[c.pctc] ?? '',
      nonfacilityNa: r[c.nfNa] === 'NA',
      facilityNa: r[c.fNa] === 'NA',
      bilateral: r[c.bilateral] ?? '',
    });
  }
  return map;
});

/** Calendar year of the fee schedule and its conversion factor as a decimal string (e.g. '33.2875'). */
export function pfsVintage(): { readonly year: number; readonly conversionFactor: string } {
  const meta = fileMeta('pfs_national.tsv.gz');
  return { year: Number(meta.year), conversionFactor: String(meta.conversionFactor) };
}

const isPricingModifier = (m: string): m is PfsPricingModifier =>
  (PFS_PRICING_MODIFIERS as readonly string[]).includes(m);

/**
 * The PFS row for a code and modifier. A pricing modifier (26, TC, 53) selects its own row; any other
 * modifier (or none) selects the global row, since modifiers like 25 or 59 do not change the fee.
 */
export function pfsEntry(code: string, modifier?: string): PfsEntry | undefined {
  const m = (modifier ?? '').trim().toUpperCase();
  return table().get(`${code.trim().toUpperCase()}:${isPricingModifier(m) ? m : ''}`);
}

/**
 * National Medicare amount in cents for a code in a setting (CY2024, GPCI 1.0, conversion factor
 * 33.2875), or undefined when the code has no PFS row (e.g. 99213-26). 99213 non-facility → 9087.
 */
export function nationalAmountCents(
  code: string,
  modifier: string | undefined,
  setting: PfsSetting,
): number | undefined {
  const e = pfsEntry(code, modifier);
  if (!e) return undefined;
  return setting === 'facility' ? e.facilityCents : e.nonfacilityCents;
}

/**
 * Whether a procedure is done on one side (PFS bilateral surgery indicator 1 or 3): a line for it should name the
 * side (RT/LT or an anatomic modifier) or be billed bilateral (50). Undefined when the code has no PFS row.
 */
export function isSidedProcedure(code: string): boolean | undefined {
  const e = pfsEntry(code);
  return e === undefined ? undefined : e.bilateral === '1' || e.bilateral === '3';
}

/** All PFS rows (for seeding fee schedules in the simulator). */
export function pfsEntries(): readonly PfsEntry[] {
  return [...table().values()];
}

export interface Gpci {
  /** Medicare administrative contractor number. */
  readonly mac: string;
  readonly locality: string;
  readonly state: string;
  readonly name: string;
  /** GPCIs in thousandths (1.000 → 1000). */
  readonly work: number;
  readonly pe: number;
  readonly mp: number;
}

const thousandths = (s: string | undefined): number => {
  const [whole = '0', frac = ''] = (s ?? '0').split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
};

const gpciTable = lazy((): readonly Gpci[] => {
  const tsv = readDataTsv('pfs_gpci.tsv');
  const col = (n: string): number => columnIndex(tsv, n);
  const [mac, loc, st, name, w, pe, mp] = [
    'mac',
    'locality',
    'state',
    'locality_name',
    'work',
    'pe',
    'mp',
  ].map(col) as [number, number, number, number, number, number, number];
  return tsv.rows.map((r) => ({
    mac: r[mac] ?? '',
    locality: r[loc] ?? '',
    state: r[st] ?? '',
    name: r[name] ?? '',
    work: thousandths(r[w]),
    pe: thousandths(r[pe]),
    mp: thousandths(r[mp]),
  }));
});

/** CY2024 GPCIs for every Medicare payment locality. */
export function gpcis(): readonly Gpci[] {
  return gpciTable();
}

/** Conversion factor in ten-thousandths of a dollar (33.2875 → 332875). */
function conversionFactorUnits(): number {
  const [whole = '0', frac = ''] = pfsVintage().conversionFactor.split('.');
  return Number(whole) * 10_000 + Number(frac.padEnd(4, '0'));
}

/**
 * Locality amount in cents: (work RVU × work GPCI + PE RVU × PE GPCI + MP RVU × MP GPCI) × CF, the CMS
 * PFS payment formula, computed in integers and rounded half up to the cent. Undefined when the code or the
 * locality is unknown.
 */
export function localityAmountCents(
  code: string,
  modifier: string | undefined,
  setting: PfsSetting,
  locality: { readonly mac: string; readonly locality: string },
): number | undefined {
  const e = pfsEntry(code, modifier);
  const g = gpciTable().find((x) => x.mac === locality.mac && x.locality === locality.locality);
  if (!e || !g) return undefined;
  const pe = setting === 'facility' ? e.facilityPeRvu : e.nonfacilityPeRvu;
  // hundredths × thousandths × ten-thousandths of a dollar = 10^-9 dollars = 10^-7 cents.
  const scaled = (e.workRvu * g.work + pe * g.pe + e.mpRvu * g.mp) * conversionFactorUnits();
  const unit = 10_000_000;
  const q = Math.floor(scaled / unit);
  return scaled - q * unit >= unit / 2 ? q + 1 : q;
}

// Places of service paid at the PFS facility rate (CMS, Medicare Claims Processing Manual ch. 12 §20.4.2
// and the CY2024 PFS final rule: POS 10 is paid at the non-facility rate from 2024). Every other POS is
// paid at the non-facility rate.
const FACILITY_POS: ReadonlySet<string> = new Set([
  '02',
  '19',
  '21',
  '22',
  '23',
  '24',
  '26',
  '31',
  '34',
  '41',
  '42',
  '51',
  '52',
  '53',
  '56',
  '61',
]);

/** The PFS setting (facility or non-facility rate) for a place of service. */
export function pfsSettingForPos(pos: string): PfsSetting {
  return FACILITY_POS.has(pos) ? 'facility' : 'nonfacility';
}
