/**
 * Specialty profiles: providers, payer mix, daily volume and the visit templates that turn an appointment
 * into coded lines (CPT/HCPCS + ICD-10-CM + laterality). Diagnoses are ICD-10-CM codes checked billable in
 * every fiscal year FY2024-FY2027 against the CDC/CMS order files in ../shared/external/codesets/icd10cm
 * (public domain). Taxonomies are NUCC codes (v25.1). Level mixes are typical of CMS E/M utilization
 * (99213/99214 dominate established visits); they are illustrative, not a specific source's figures.
 * The generic NCCI pass in ../generate.ts adds modifiers 25/59 where two lines need them.
 */
import type { Rng } from '../prng.ts';
import type { PayerKind } from '../payers/profiles.ts';
import type { Specialty, VisitType } from '../types.ts';

export interface DraftLine {
  code: string;
  modifiers: string[];
  units: number;
  /** Diagnoses this line is for (pointer targets), most specific first. */
  dx: string[];
}

/** Where the visit happens: the practice's office, or a hospital outpatient department / ASC. */
export type Setting = 'office' | 'facility';

export interface DraftVisit {
  visitType: VisitType;
  setting: Setting;
  durationMinutes: number;
  lines: DraftLine[];
}

export interface VisitContext {
  rng: Rng;
  isNewPatient: boolean;
  age: number;
  primaryKind: PayerKind | null;
  /** 1-12, for seasonal services (flu vaccine). */
  month: number;
}

/** A non-covered service the injector can add (with a diagnosis that makes sense for it). */
export interface NonCoveredOption {
  code: string;
  dx: string;
}

export interface SpecialtyProfile {
  specialty: Specialty;
  label: string;
  physicianTaxonomy: string;
  appTaxonomy: string;
  physicians: readonly [min: number, max: number];
  apps: readonly [min: number, max: number];
  visitsPerDayPhysician: number;
  visitsPerDayApp: number;
  /** Weights by payer profile id ('selfpay' = no coverage). */
  payerMix: Readonly<Record<string, number>>;
  /** Age range of non-Medicare patients. */
  youngAge: readonly [min: number, max: number];
  /** POS of the facility location where 'facility' visits happen, or null when the practice has none. */
  facilityPos: '22' | '24' | null;
  nonCovered: readonly NonCoveredOption[];
  buildVisit(ctx: VisitContext): DraftVisit;
}

type Dist = readonly (readonly [string, number])[];

const EST_PRIMARY: Dist = [['99211', 2], ['99212', 8], ['99213', 45], ['99214', 38], ['99215', 7]];
const NEW_PRIMARY: Dist = [['99202', 5], ['99203', 45], ['99204', 38], ['99205', 12]];
const EST_SPECIALIST: Dist = [['99212', 10], ['99213', 40], ['99214', 40], ['99215', 10]];
const NEW_SPECIALIST: Dist = [['99203', 35], ['99204', 45], ['99205', 20]];

function line(code: string, dx: readonly string[], units = 1, modifiers: string[] = []): DraftLine {
  return { code, modifiers, units, dx: [...dx] };
}

function em(ctx: VisitContext, est: Dist, fresh: Dist, dx: readonly string[]): DraftLine {
  return line(ctx.rng.weighted(ctx.isNewPatient ? fresh : est), dx);
}

/** Pick 1..n distinct diagnoses from a pool. */
function someDx(rng: Rng, pool: readonly string[], max: number): string[] {
  const n = rng.int(1, Math.min(max, pool.length));
  return rng.shuffle([...pool]).slice(0, n);
}

/** A lateral problem: diagnosis for the right or left side and the matching HCPCS modifier. */
function side(rng: Rng, right: string, left: string): { dx: string; mod: 'RT' | 'LT' } {
  return rng.chance(0.5) ? { dx: right, mod: 'RT' } : { dx: left, mod: 'LT' };
}

const FM_CHRONIC = ['E11.9', 'E11.65', 'I10', 'E78.5', 'E66.9', 'E03.9', 'J45.909', 'K21.9', 'F41.1', 'F32.A', 'E55.9', 'I11.9', 'E11.42', 'Z79.4'];
const FM_ACUTE = ['J06.9', 'J02.9', 'J01.90', 'N39.0', 'M54.50', 'R05.9', 'R53.83', 'L30.9'];

const familyMedicine: SpecialtyProfile = {
  specialty: 'family_medicine',
  label: 'Family Medicine',
  physicianTaxonomy: '207Q00000X',
  appTaxonomy: '363LF0000X',
  physicians: [2, 4],
  apps: [0, 2],
  visitsPerDayPhysician: 20,
  visitsPerDayApp: 16,
  payerMix: { medicare: 28, medicaid: 18, 'commercial-ppo': 20, 'commercial-hmo': 14, 'commercial-hdhp': 12, 'paper-indemnity': 2, selfpay: 6 },
  youngAge: [18, 64],
  facilityPos: null,
  nonCovered: [{ code: '11200', dx: 'L91.8' }],
  buildVisit(ctx) {
    const { rng } = ctx;
    const kind = ctx.isNewPatient
      ? rng.weighted([['new', 80], ['preventive', 20]] as const)
      : rng.weighted([['chronic', 35], ['acute', 30], ['preventive', 20], ['procedure', 8], ['ecg', 7]] as const);
    switch (kind) {
      case 'new':
      case 'acute': {
        const dx = someDx(rng, kind === 'new' ? [...FM_CHRONIC, ...FM_ACUTE] : FM_ACUTE, 2);
        const lines = [em(ctx, EST_PRIMARY, NEW_PRIMARY, dx)];
        if (dx.includes('N39.0')) lines.push(line('81002', ['N39.0']));
        if (kind === 'acute' && rng.chance(0.06)) {
          const ear = side(rng, 'H61.21', 'H61.22');
          lines[0]?.dx.push(ear.dx);
          lines.push(line('69210', [ear.dx], 1, [ear.mod]));
        }
        return { visitType: kind === 'new' ? 'new' : 'established', setting: 'office', durationMinutes: kind === 'new' ? 40 : 20, lines };
      }
      case 'chronic': {
        const dx = someDx(rng, FM_CHRONIC, 3);
        const lines = [em(ctx, EST_PRIMARY, NEW_PRIMARY, dx)];
        if (rng.chance(0.25)) lines.push(line('36415', dx.slice(0, 1)), line('85025', dx.slice(0, 1)));
        if (rng.chance(0.08)) lines.push(line('80053', dx.slice(0, 1)));
        const mood = dx.find((d) => d === 'F41.1' || d === 'F32.A');
        if (mood && rng.chance(0.5)) lines.push(line('96127', [mood])); // screening instrument
        if (rng.chance(0.05)) {
          lines[0]?.dx.push('F17.210');
          lines.push(line('99406', ['F17.210']));
        }
        return { visitType: 'established', setting: 'office', durationMinutes: 20, lines };
      }
      case 'ecg': {
        const dx = rng.pick([['I10', 'R00.2'], ['R07.9'], ['R42'], ['I48.91']]);
        return { visitType: 'established', setting: 'office', durationMinutes: 20, lines: [em(ctx, EST_PRIMARY, NEW_PRIMARY, dx), line('93000', dx)] };
      }
      case 'preventive': {
        const dx = [rng.chance(0.7) ? 'Z00.00' : 'Z00.01'];
        let code: string;
        if (ctx.primaryKind === 'medicare') code = ctx.isNewPatient ? 'G0438' : 'G0439';
        else if (ctx.isNewPatient) code = ctx.age < 40 ? '99385' : '99386';
        else code = ctx.age < 40 ? '99395' : ctx.age < 65 ? '99396' : '99397';
        const lines = [line(code, dx)];
        const fluSeason = ctx.month >= 10 || ctx.month <= 3;
        if (ctx.primaryKind !== 'medicare' && rng.chance(fluSeason ? 0.35 : 0.03)) {
          lines.push(line('90686', ['Z23']), line('90471', ['Z23']));
        }
        if (rng.chance(0.3)) lines.push(line('36415', dx));
        return { visitType: 'preventive', setting: 'office', durationMinutes: 40, lines };
      }
      case 'procedure': {
        const which = rng.weighted([['wart', 3], ['biopsy', 2], ['knee', 4]] as const);
        const lines: DraftLine[] = [];
        if (which === 'wart') lines.push(line('17110', [rng.pick(['B07.8', 'B07.9'])]));
        else if (which === 'biopsy') lines.push(line('11102', ['D48.5']));
        else {
          const s = side(rng, 'M17.11', 'M17.12');
          lines.push(line('20610', [s.dx], 1, [s.mod]));
        }
        if (rng.chance(0.45)) lines.unshift(em(ctx, EST_PRIMARY, NEW_PRIMARY, [...(lines[0]?.dx ?? []), ...someDx(rng, FM_CHRONIC, 1)]));
        return { visitType: 'procedure', setting: 'office', durationMinutes: 30, lines };
      }
    }
  },
};

const CARDIO_DX = ['I25.10', 'I48.91', 'I10', 'I50.9', 'I35.0', 'I34.0', 'R07.9', 'R00.2', 'R01.1', 'E78.5', 'I11.9'];

const cardiology: SpecialtyProfile = {
  specialty: 'cardiology',
  label: 'Cardiology',
  physicianTaxonomy: '207RC0000X',
  appTaxonomy: '363A00000X',
  physicians: [2, 4],
  apps: [0, 1],
  visitsPerDayPhysician: 14,
  visitsPerDayApp: 12,
  payerMix: { medicare: 52, medicaid: 8, 'commercial-ppo': 16, 'commercial-hmo': 10, 'commercial-hdhp': 8, 'paper-indemnity': 2, selfpay: 4 },
  youngAge: [35, 64],
  facilityPos: '22',
  nonCovered: [{ code: '93702', dx: 'I50.9' }],
  buildVisit(ctx) {
    const { rng } = ctx;
    const kind = ctx.isNewPatient
      ? rng.weighted([['consult', 85], ['test', 15]] as const)
      : rng.weighted([['followup', 50], ['test', 42], ['cath', 3], ['device', 5]] as const);
    switch (kind) {
      case 'consult':
      case 'followup': {
        const dx = someDx(rng, CARDIO_DX, 3);
        const lines = [em(ctx, EST_SPECIALIST, NEW_SPECIALIST, dx)];
        if (rng.chance(kind === 'consult' ? 0.8 : 0.45)) lines.push(line('93000', dx.slice(0, 1)));
        return { visitType: kind === 'consult' ? 'new' : 'established', setting: 'office', durationMinutes: kind === 'consult' ? 45 : 20, lines };
      }
      case 'test': {
        const t = rng.weighted([['93306', 35], ['78452', 12], ['93350', 8], ['93880', 12], ['93224', 15], ['93922', 10], ['71046', 8]] as const);
        const dxFor: Record<typeof t, readonly string[]> = {
          '93306': ['I50.9', 'I35.0', 'I34.0', 'I48.91', 'R01.1', 'I25.10', 'R06.00', 'I11.9'],
          '78452': ['I25.10', 'R07.9', 'R07.89', 'R06.00'],
          '93350': ['I25.10', 'R07.9', 'R07.89'],
          '93880': ['I65.21', 'I65.22', 'I65.23', 'G45.9', 'R09.89'],
          '93224': ['R00.2', 'R55', 'R42'],
          '93922': ['I73.9', 'R60.0', 'I87.2'],
          '71046': ['R06.00', 'I50.9', 'R05.9'],
        };
        return { visitType: 'diagnostic', setting: 'office', durationMinutes: 60, lines: [line(t, [rng.pick(dxFor[t])])] };
      }
      case 'device':
        return { visitType: 'diagnostic', setting: 'office', durationMinutes: 20, lines: [line('93280', ['Z95.0'])] };
      case 'cath':
        return {
          visitType: 'procedure',
          setting: 'facility',
          durationMinutes: 90,
          lines: [line('93458', [rng.pick(['I25.10', 'R07.9'])], 1)],
        };
    }
  },
};

const orthopedics: SpecialtyProfile = {
  specialty: 'orthopedics',
  label: 'Orthopedics',
  physicianTaxonomy: '207X00000X',
  appTaxonomy: '363A00000X',
  physicians: [2, 4],
  apps: [1, 2],
  visitsPerDayPhysician: 20,
  visitsPerDayApp: 16,
  payerMix: { medicare: 30, medicaid: 10, 'commercial-ppo': 24, 'commercial-hmo': 14, 'commercial-hdhp': 14, 'paper-indemnity': 3, selfpay: 5 },
  youngAge: [18, 64],
  facilityPos: '24',
  nonCovered: [{ code: '0232T', dx: 'M17.11' }],
  buildVisit(ctx) {
    const { rng } = ctx;
    const problem = rng.weighted([['knee', 40], ['shoulder', 25], ['elbow', 10], ['hand', 10], ['ankle', 8], ['back', 7]] as const);
    const p = (() => {
      switch (problem) {
        case 'knee': {
          const s = rng.weighted([['oa', 60], ['pain', 25], ['tear', 15]] as const);
          const r = rng.chance(0.5);
          const dx = s === 'oa' ? (r ? 'M17.11' : 'M17.12') : s === 'pain' ? (r ? 'M25.561' : 'M25.562') : r ? 'S83.241A' : 'S83.242A';
          return { dx, mod: r ? 'RT' : 'LT', xray: '73560', inject: '20610' as string | null };
        }
        case 'shoulder': {
          const r = rng.chance(0.5);
          const dx = rng.pick(r ? ['M19.011', 'M25.511', 'M75.101'] : ['M19.012', 'M25.512', 'M75.102']);
          return { dx, mod: r ? 'RT' : 'LT', xray: '73030', inject: '20610' };
        }
        case 'elbow': {
          const r = rng.chance(0.5);
          return { dx: r ? 'M77.11' : 'M77.12', mod: r ? 'RT' : 'LT', xray: '73030', inject: '20550' };
        }
        case 'hand': {
          const r = rng.chance(0.5);
          return { dx: r ? 'M65.311' : 'M65.312', mod: r ? 'RT' : 'LT', xray: null, inject: '20550' };
        }
        case 'ankle': {
          const r = rng.chance(0.5);
          return { dx: r ? 'M79.671' : 'M79.672', mod: r ? 'RT' : 'LT', xray: '73610', inject: null };
        }
        case 'back':
          return { dx: rng.pick(['M54.50', 'M54.16']), mod: null, xray: null, inject: null };
      }
    })();
    type OrthoVisit = 'new' | 'followup' | 'injection' | 'mri' | 'surgery' | 'pt' | 'splint';
    let kind: OrthoVisit = ctx.isNewPatient
      ? 'new'
      : rng.weighted([['followup', 40], ['injection', 30], ['mri', 6], ['surgery', 6], ['pt', 8], ['splint', 4], ['followup', 6]] as const);
    // Back pain gets no joint injection or splint in these templates.
    if ((kind === 'injection' && p.inject === null) || (kind === 'splint' && p.mod === null)) kind = 'followup';
    const lat = (code: string | null, units = 1): DraftLine[] => (code ? [line(code, [p.dx], units, p.mod ? [p.mod] : [])] : []);
    switch (kind) {
      case 'new':
      case 'followup': {
        const lines = [em(ctx, EST_SPECIALIST, NEW_SPECIALIST, [p.dx])];
        if (rng.chance(kind === 'new' ? 0.7 : 0.3)) lines.push(...lat(p.xray));
        return { visitType: kind === 'new' ? 'new' : 'established', setting: 'office', durationMinutes: kind === 'new' ? 40 : 20, lines };
      }
      case 'injection': {
        const lines: DraftLine[] = [];
        if (rng.chance(0.55)) lines.push(em(ctx, EST_SPECIALIST, NEW_SPECIALIST, [p.dx]));
        lines.push(...lat(p.inject));
        const drug = rng.weighted([['J3301', 60], ['J1030', 30], ['none', 10]] as const);
        if (drug === 'J3301') lines.push(line('J3301', [p.dx], 4));
        if (drug === 'J1030') lines.push(line('J1030', [p.dx], 1));
        return { visitType: 'procedure', setting: 'office', durationMinutes: 20, lines };
      }
      case 'mri': {
        const r = rng.chance(0.5);
        const dx = rng.pick(r ? ['M17.11', 'S83.241A', 'M25.561'] : ['M17.12', 'S83.242A', 'M25.562']);
        return { visitType: 'diagnostic', setting: 'office', durationMinutes: 45, lines: [line('73721', [dx], 1, [r ? 'RT' : 'LT'])] };
      }
      case 'surgery': {
        const r = rng.chance(0.5);
        return { visitType: 'procedure', setting: 'facility', durationMinutes: 90, lines: [line('29881', [r ? 'S83.241A' : 'S83.242A'], 1, [r ? 'RT' : 'LT'])] };
      }
      case 'pt':
        return { visitType: 'procedure', setting: 'office', durationMinutes: 45, lines: [line('97110', [p.dx], rng.int(2, 4))] };
      case 'splint':
        return { visitType: 'procedure', setting: 'office', durationMinutes: 20, lines: [em(ctx, EST_SPECIALIST, NEW_SPECIALIST, [p.dx]), line('29125', [p.dx], 1, p.mod ? [p.mod] : [])] };
    }
  },
};

const DERM_MEDICAL = ['L70.0', 'L40.0', 'L20.9', 'L30.9', 'L71.9', 'L72.0', 'Z85.828'];

const dermatology: SpecialtyProfile = {
  specialty: 'dermatology',
  label: 'Dermatology',
  physicianTaxonomy: '207N00000X',
  appTaxonomy: '363A00000X',
  physicians: [2, 3],
  apps: [1, 2],
  visitsPerDayPhysician: 24,
  visitsPerDayApp: 20,
  payerMix: { medicare: 30, medicaid: 8, 'commercial-ppo': 26, 'commercial-hmo': 14, 'commercial-hdhp': 14, 'paper-indemnity': 2, selfpay: 6 },
  youngAge: [12, 64],
  facilityPos: null,
  nonCovered: [
    { code: '17380', dx: 'L68.0' },
    { code: '15788', dx: 'L81.4' },
    { code: '11200', dx: 'L91.8' },
  ],
  buildVisit(ctx) {
    const { rng } = ctx;
    const kind = ctx.isNewPatient
      ? rng.weighted([['medical', 75], ['biopsy', 25]] as const)
      : rng.weighted([['medical', 35], ['ak', 20], ['biopsy', 12], ['excision', 8], ['mohs', 5], ['wart', 6], ['shave', 5], ['incision', 4], ['medical', 5]] as const);
    const withEm = (lines: DraftLine[], p: number): DraftLine[] =>
      ctx.isNewPatient || rng.chance(p) ? [em(ctx, EST_SPECIALIST, NEW_SPECIALIST, [...(lines[0]?.dx ?? []), ...someDx(rng, DERM_MEDICAL, 1)]), ...lines] : lines;
    switch (kind) {
      case 'medical':
        return { visitType: ctx.isNewPatient ? 'new' : 'established', setting: 'office', durationMinutes: 20, lines: [em(ctx, EST_SPECIALIST, NEW_SPECIALIST, someDx(rng, DERM_MEDICAL, 2))] };
      case 'ak': {
        const extra = Math.min(13, rng.poisson(4));
        const lines = [line('17000', ['L57.0'])];
        if (extra > 0) lines.push(line('17003', ['L57.0'], extra));
        return { visitType: 'procedure', setting: 'office', durationMinutes: 20, lines: withEm(lines, 0.35) };
      }
      case 'biopsy': {
        const dx = rng.pick(['D48.5', 'D22.5', 'D22.4', 'D22.39']);
        const lines = rng.chance(0.7) ? [line('11102', [dx])] : [line('11104', [dx])];
        if (lines[0]?.code === '11104' && rng.chance(0.3)) lines.push(line('11105', [dx], rng.int(1, 2)));
        return { visitType: ctx.isNewPatient ? 'new' : 'procedure', setting: 'office', durationMinutes: 30, lines: withEm(lines, 0.4) };
      }
      case 'excision': {
        const malignant = rng.chance(0.4);
        const lines = malignant ? [line('11602', [rng.pick(['C44.519', 'C44.41'])])] : [line(rng.pick(['11401', '11402']), ['D22.5'])];
        return { visitType: 'procedure', setting: 'office', durationMinutes: 45, lines };
      }
      case 'mohs': {
        const dx = rng.pick(['C44.311', 'C44.319']);
        const lines = [line('17311', [dx])];
        if (rng.chance(0.4)) lines.push(line('17312', [dx], 1));
        return { visitType: 'procedure', setting: 'office', durationMinutes: 120, lines };
      }
      case 'wart':
        return { visitType: 'procedure', setting: 'office', durationMinutes: 15, lines: withEm([line('17110', [rng.pick(['B07.8', 'B07.9'])])], 0.2) };
      case 'shave':
        return { visitType: 'procedure', setting: 'office', durationMinutes: 20, lines: [line(rng.pick(['11300', '11301']), ['L82.0'])] };
      case 'incision':
        return { visitType: 'procedure', setting: 'office', durationMinutes: 20, lines: withEm([line('10060', [rng.pick(['L02.211', 'L02.411', 'L02.412', 'L72.3'])])], 0.3) };
    }
  },
};

export const SPECIALTY_PROFILES: Readonly<Record<Specialty, SpecialtyProfile>> = {
  family_medicine: familyMedicine,
  cardiology,
  orthopedics,
  dermatology,
};
