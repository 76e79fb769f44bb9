import { describe, expect, it } from 'vitest';
import { X12WriteError } from '../core/writer.ts';
import { SCENARIOS } from '../../test/golden/837p/scenarios.ts';
import type { Batch837P, Claim837P, ServiceLine, Subscriber } from './model.ts';
import { read837P } from './read.ts';
import { build837PSegments, split837PBatch, write837P } from './write.ts';

function scenario(name: string): { batch: Batch837P; envelope: (typeof SCENARIOS)[number]['envelope'] } {
  const s = SCENARIOS.find((x) => x.name === name);
  if (s === undefined) throw new Error(name);
  return { batch: s.batch, envelope: s.envelope };
}

const base = scenario('primary-single-line').batch;
const first = base.claims[0] as Claim837P;
const firstLine = first.lines[0] as ServiceLine;

/** The batch with its one claim changed. */
function withClaim(change: (c: Claim837P) => Claim837P): Batch837P {
  return { header: base.header, claims: [change(first)] };
}

describe('837P writer refuses what it knows is invalid', () => {
  const cases: [string, Batch837P, RegExp][] = [
    [
      'CLM02 not equal to the line sum',
      withClaim((c) => ({ ...c, claim: { ...c.claim, totalChargeCents: 999 } })),
      /CLM02/,
    ],
    [
      'replacement claim without REF*F8',
      withClaim((c) => ({ ...c, claim: { ...c.claim, frequencyCode: '7' } })),
      /REF\*F8/,
    ],
    [
      'void claim without REF*F8',
      withClaim((c) => ({ ...c, claim: { ...c.claim, frequencyCode: '8' } })),
      /REF\*F8/,
    ],
    [
      'thirteen diagnoses',
      withClaim((c) => ({
        ...c,
        claim: { ...c.claim, diagnoses: Array.from({ length: 13 }, (_, i) => `Z${100 + i}`) },
      })),
      /HI/,
    ],
    [
      'ICD-9-CM codes for a 2026 date of service',
      withClaim((c) => ({
        ...c,
        claim: { ...c.claim, diagnoses: ['4659', '7806'], diagnosisCodeSet: 'icd9' },
      })),
      /ICD-9-CM/,
    ],
    [
      'a diagnosis code with a dot',
      withClaim((c) => ({ ...c, claim: { ...c.claim, diagnoses: ['J06.9'] } })),
      /HI/,
    ],
    [
      'a pointer past the diagnoses',
      withClaim((c) => ({ ...c, lines: [{ ...firstLine, pointers: [3] }] })),
      /SV107/,
    ],
    [
      'five pointers',
      withClaim((c) => ({ ...c, lines: [{ ...firstLine, pointers: [1, 2, 1, 2, 1] }] })),
      /SV107/,
    ],
    [
      'five modifiers',
      withClaim((c) => ({
        ...c,
        lines: [
          {
            ...firstLine,
            procedure: { qualifier: 'HC', code: '99213', modifiers: ['25', '59', 'RT', 'LT', 'XS'] },
          },
        ],
      })),
      /modifiers/,
    ],
    [
      'a line without a service date',
      withClaim((c) => {
        const { serviceDate: _drop, ...rest } = firstLine;
        return { ...c, lines: [rest] };
      }),
      /DTP\*472/,
    ],
    [
      'an impossible service date',
      withClaim((c) => ({ ...c, lines: [{ ...firstLine, serviceDate: '2026-02-30' }] })),
      /DTP\*472/,
    ],
    [
      'fifty-one lines',
      withClaim((c) => ({
        ...c,
        claim: { ...c.claim, totalChargeCents: 51 * firstLine.chargeCents },
        lines: Array.from({ length: 51 }, () => firstLine),
      })),
      /50 service lines/,
    ],
    [
      'a subscriber-is-patient claim without SBR02 = 18',
      withClaim((c) => {
        const { relationship: _drop, ...subscriber } = c.subscriber;
        return { ...c, subscriber };
      }),
      /SBR02/,
    ],
    [
      'a name holding the element separator',
      withClaim((c) => ({
        ...c,
        subscriber: {
          ...c.subscriber,
          person: {
            ...c.subscriber.person,
            name: { ...c.subscriber.person.name, lastOrOrganization: 'O*BRIEN' },
          },
        },
      })),
      /delimiter/,
    ],
    [
      'a fractional cent',
      withClaim((c) => ({
        ...c,
        claim: { ...c.claim, totalChargeCents: 12500.5 },
        lines: [{ ...firstLine, chargeCents: 12500.5 }],
      })),
      /cents/,
    ],
    ['no claims', { header: base.header, claims: [] }, /at least one claim/],
    [
      'a secondary claim without the primary payer in 2320',
      withClaim((c) => ({ ...c, subscriber: { ...c.subscriber, payerResponsibility: 'S' } })),
      /2320/,
    ],
    [
      'a secondary claim whose prior payer paid more than CLM02 minus its adjustments',
      {
        header: base.header,
        claims: [
          ((c: Claim837P): Claim837P => ({
            ...c,
            otherPayers: c.otherPayers.map((o) => ({ ...o, paidCents: (o.paidCents ?? 0) + 1 })),
          }))(scenario('secondary-cob').batch.claims[0] as Claim837P),
        ],
      },
      /AMT\*D/,
    ],
  ];

  it.each(cases)('%s', (_name, batch, message) => {
    expect(() => build837PSegments(batch)).toThrow(X12WriteError);
    expect(() => build837PSegments(batch)).toThrow(message);
  });
});

describe('837P writer', () => {
  it('writes with any delimiter set and reads back the same claims', () => {
    const { batch, envelope } = scenario('multi-claim-batch');
    const text = write837P(batch, {
      ...envelope,
      delimiters: { element: '|', component: '>', repetition: '!', segment: '\n' },
      newlines: false,
    });
    expect(text.startsWith('ISA|00|')).toBe(true);
    const read = read837P(text);
    expect(read.diagnostics).toEqual([]);
    const pcns = (read.value.transactions[0]?.claims ?? []).map((c) => c.claim.patientControlNumber).sort();
    expect(pcns).toEqual(batch.claims.map((c) => c.claim.patientControlNumber).sort());
  });

  it('writes several transaction sets in one group when given split batches (ST02 counts up)', () => {
    const { batch, envelope } = scenario('multi-claim-batch');
    const parts = split837PBatch(batch, 4);
    expect(parts.map((p) => p.claims.length)).toEqual([4, 2]);
    const text = write837P(parts, envelope);
    expect(text).toContain('ST*837*0007*005010X222A1');
    expect(text).toContain('ST*837*0008*005010X222A1');
    expect(text).toContain('GE*2*7');
    const read = read837P(text);
    expect(read.diagnostics).toEqual([]);
    expect(read.value.transactions.map((t) => t.claims.length)).toEqual([4, 2]);
  });

  it('always emits REF*6R for lines that carry a line control number, after DTP*472', () => {
    const segs = build837PSegments(scenario('multi-line-modifiers').batch);
    const sixR = segs.filter((s) => s.startsWith('REF*6R*'));
    expect(sixR).toHaveLength(5);
    for (const r of sixR) expect(segs[segs.indexOf(r) - 1]?.startsWith('DTP*472*')).toBe(true);
  });

  it('groups claims for the same billing provider and subscriber under one HL each, whatever the key order', () => {
    const c = first;
    // Same subscriber built with a different property order: still one 2000B.
    const subscriber = Object.fromEntries(Object.entries(c.subscriber).reverse()) as unknown as Subscriber;
    const reordered = { ...c, claim: { ...c.claim, patientControlNumber: 'CLM9' }, subscriber };
    const segs = build837PSegments({ header: base.header, claims: [c, reordered] });
    expect(segs.filter((s) => s.startsWith('HL*'))).toEqual(['HL*1**20*1', 'HL*2*1*22*0']);
    expect(segs.filter((s) => s.startsWith('CLM*'))).toHaveLength(2);
  });
});
