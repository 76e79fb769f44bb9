import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseX12, transactionsOf } from '@openrcm/x12';
import { parse835, type Remittance835 } from '@openrcm/x12/835';
import { parse999 } from '@openrcm/x12/999';
import { parseTa1 } from '@openrcm/x12/ta1';
import {
  claimAcknowledgements,
  parseClaimAcknowledgement,
  type ClaimAcknowledgement,
} from '@openrcm/x12/277ca';
import { write837P, type Batch837P, type Claim837P } from '@openrcm/x12/837p';
import { testCodeLists } from '../../../x12/test/codelists.ts';
import { statusCodeLists } from '../../../x12/test/status-code-lists.ts';
import { addDays } from '../dates.ts';
import { generate } from '../generate.ts';
import { firstPassRun } from '../payers/run.ts';
import type { Dataset } from '../types.ts';
import { SimClearinghouse } from './clearinghouse.ts';
import { naive837Files, naiveClaims837 } from './naive837.ts';

const CARC_RARC = testCodeLists();
const STATUS = statusCodeLists();

function month(seed: number, volume: number): Dataset {
  return generate({ practices: 1, months: 1, seed, startDate: '2026-01-05', volume });
}

/** Runs every naive 837 of a data set through a clearinghouse and far enough for every payment. */
function run(ds: Dataset, seed: number): SimClearinghouse {
  const origin = (ds as { origin?: { startDate: string; seed: number | string } }).origin;
  const ch = new SimClearinghouse({
    setup: ds,
    authorizations: ds.authorizations,
    seed,
    ...(origin ? { dataset: origin } : {}),
  });
  const files = naive837Files(ds);
  for (const f of files) ch.receive(f.name, f.content, f.receivedDate);
  const last = files[files.length - 1]?.receivedDate ?? '2026-02-01';
  ch.advanceTo(addDays(last, 120));
  return ch;
}

function acks277(content: string): ClaimAcknowledgement[] {
  const r = parseClaimAcknowledgement(content, { codeLists: STATUS });
  expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return r.value.flatMap(claimAcknowledgements);
}

/** Re-adds every amount of an 835 and checks the three balancing rules independently of the reader. */
function expectBalanced(r: Remittance835): void {
  let paid = 0;
  for (const h of r.headers)
    for (const c of h.claims) {
      let cas = 0;
      for (const a of c.adjustments) for (const i of a.items) cas += i.amount;
      for (const s of c.services) {
        let lineCas = 0;
        for (const a of s.adjustments) for (const i of a.items) lineCas += i.amount;
        expect(s.charge - lineCas).toBe(s.paid);
        cas += lineCas;
      }
      expect(c.charge - cas).toBe(c.paid);
      paid += c.paid;
    }
  let plb = 0;
  for (const p of r.providerAdjustments) for (const i of p.items) plb += i.amount;
  expect(r.payment.amount).toBe(paid - plb);
}

/** Checks every file of an outbox under OpenRCM's readers; returns the 835s read. */
function checkOutbox(ch: SimClearinghouse): { remittances: Remittance835[]; acks: ClaimAcknowledgement[] } {
  const remittances: Remittance835[] = [];
  const acks: ClaimAcknowledgement[] = [];
  const names = new Set<string>();
  for (const f of ch.outboxFiles()) {
    expect(names.has(f.name)).toBe(false);
    names.add(f.name);
    if (f.kind === '999') {
      const r = parse999(f.content);
      expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    } else if (f.kind === '277CA') {
      acks.push(...acks277(f.content));
    } else if (f.kind === '835') {
      const r = parse835(f.content, { codeLists: CARC_RARC });
      expect(r.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      for (const x of r.value) expectBalanced(x);
      remittances.push(...r.value);
    } else {
      expect(parseTa1(f.content).diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    }
  }
  expect(ch.errors()).toEqual([]);
  const sorted = [...names].sort();
  expect(sorted).toEqual(ch.outbox().map((f) => f.name));
  return { remittances, acks };
}

describe('simulated clearinghouse over a generated practice month (claims straight from the charges)', () => {
  let ds: Dataset;
  let ch: SimClearinghouse;
  beforeAll(() => {
    ds = month(1, 0.3);
    ch = run(ds, 1);
  });

  it('writes 999s, 277CAs and 835s that read back with no error and balance', () => {
    const { remittances, acks } = checkOutbox(ch);
    expect(remittances.length).toBeGreaterThan(10);
    // Every claim sent gets exactly one 277CA answer.
    const sent = [...naiveClaims837(ds).values()].flat().length;
    expect(acks.length).toBe(sent);
    expect(ch.stats.claimsReceived).toBe(sent);
    // Σ BPR02 is what the stats say was paid.
    expect(remittances.reduce((s, r) => s + r.payment.amount, 0)).toBe(ch.stats.paidCents);
    expect(ch.backlog()).toEqual({ queued: 0, awaitingPayment: 0 });
  });

  it('echoes CLM01 in CLP01, the payer claim number of the 277CA in CLP07, and REF*6R per line', () => {
    const { remittances, acks } = checkOutbox(ch);
    const charges = new Map(ds.charges.map((c) => [c.chargeId, c]));
    const pcn = new Map(
      acks.filter((a) => a.accepted).map((a) => [a.payerClaimControlNumber, a.patientControlNumber]),
    );
    let lines = 0;
    for (const r of remittances)
      for (const h of r.headers)
        for (const c of h.claims) {
          const clm01 = pcn.get(c.payerClaimControlNumber);
          // Crossover claims get the supplement's own claim number; their CLP01 is still the CLM01.
          if (clm01 !== undefined) expect(c.patientControlNumber).toBe(clm01);
          for (const s of c.services) {
            const ref = s.references.find((x) => x.qualifier === '6R')?.value ?? '';
            const charge = charges.get(ref);
            expect(charge?.encounterId).toBe(c.patientControlNumber);
            expect(s.charge).toBe(charge?.chargeCents);
            lines++;
          }
        }
    expect(lines).toBeGreaterThan(0);
  });

  it('trace numbers are unique per payer and every ERA names payer and payee', () => {
    const { remittances } = checkOutbox(ch);
    const traces = remittances.map((r) => `${r.payer.id ?? ''}|${r.trace?.traceNumber ?? ''}`);
    expect(new Set(traces).size).toBe(traces.length);
    const npis = new Set(ds.practices.map((p) => p.groupNpi));
    for (const r of remittances) {
      expect(r.payer.entity).toBe('PR');
      expect(npis.has(r.payee.id ?? '')).toBe(true);
    }
    // The paper-only payer never sends an 835.
    expect(remittances.some((r) => r.payer.id === 'SIM06')).toBe(false);
  });

  it('lands the realism figures in range: front-end rejections 1–6 %, first-adjudication denials 5–15 %', () => {
    // One small family-medicine month is too few claims for rates: three specialties over two months, a
    // quarter of the usual volume, with the payers' rule changes of the period.
    const s = run(
      generate({ practices: 3, months: 2, seed: 1, startDate: '2026-01-05', volume: 0.25 }),
      1,
    ).stats;
    expect(s.claimsReceived).toBeGreaterThan(1500);
    const rejection = s.frontEndRejected / s.claimsReceived;
    const denial = s.firstDenied / s.firstAdjudications;
    expect(rejection).toBeGreaterThan(0.002);
    expect(rejection).toBeLessThan(0.06);
    expect(denial).toBeGreaterThan(0.05);
    expect(denial).toBeLessThan(0.15);
  });

  it('forwards Medicare claims with a supplement in 2320 as crossovers (CLP02 19, NM1*TT) paid by the supplement', () => {
    const { remittances } = checkOutbox(ch);
    const all = remittances.flatMap((r) => r.headers.flatMap((h) => h.claims.map((c) => ({ r, c }))));
    const crossed = all.filter(({ c }) => c.status === '19');
    expect(crossed.length).toBe(ch.stats.crossovers);
    for (const { c } of crossed) expect(c.crossoverCarrier?.id).toBe('SIM07');
    const supplement = all.filter(({ r }) => r.payer.id === 'SIM07');
    expect(supplement.length).toBeGreaterThan(0);
    for (const { c } of supplement) expect(['2', '4']).toContain(c.status);
  });

  it('through X12 the payers decide exactly as on the sim own claims: same rejections, same denial codes per claim', () => {
    // firstPassRun adjudicates SimClaims built straight from the data set (no X12). Going through the 837
    // writer, the reader and intake.ts must lose nothing the adjudicator reads. Duplicates (CO-18) depend
    // on which copy is adjudicated first, so claims touched by one are left out.
    const direct = firstPassRun(ds);
    const { remittances, acks } = checkOutbox(ch);
    const rejectedX12 = new Set(acks.filter((a) => !a.accepted).map((a) => a.patientControlNumber));
    const rejectedDirect = new Set(
      [...direct.outcomes].filter(([, o]) => o.kind === 'rejected').map(([id]) => id),
    );
    expect([...rejectedX12].sort()).toEqual([...rejectedDirect].sort());
    const primaryPayer = new Map(
      [...naiveClaims837(ds).values()]
        .flat()
        .map((c) => [c.claim.patientControlNumber, c.payer.name.id ?? '']),
    );
    const viaX12 = new Map<string, string[]>();
    for (const r of remittances)
      for (const h of r.headers)
        for (const c of h.claims) {
          if (r.payer.id !== primaryPayer.get(c.patientControlNumber)) continue; // crossover at the supplement
          const codes = viaX12.get(c.patientControlNumber) ?? [];
          for (const s of c.services)
            // A denied line has no allowed amount (AMT*B6); one CO adjustment carries its whole charge.
            if (s.amounts.every((a) => a.qualifier !== 'B6'))
              for (const a of s.adjustments)
                for (const i of a.items) if (a.group === 'CO') codes.push(`CO-${i.reason}`);
          viaX12.set(c.patientControlNumber, codes);
        }
    let compared = 0;
    for (const [id, o] of direct.outcomes) {
      if (o.kind !== 'adjudicated' || primaryPayer.get(id) === 'SIM06') continue; // paper: no 835
      const want = o.lines
        .filter((l) => l.denied)
        .map((l) => `${l.adjustments[0]?.group ?? ''}-${l.adjustments[0]?.reason ?? ''}`);
      const got = viaX12.get(id) ?? [];
      if (want.includes('CO-18') || got.includes('CO-18')) continue;
      expect({ id, codes: [...got].sort() }).toEqual({ id, codes: [...want].sort() });
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('property: any generated month (seed, volume) gives clean, balanced output', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 10_000 }), (seed) => {
        const small = month(seed, 0.08);
        checkOutbox(run(small, seed));
      }),
      { numRuns: 2 },
    );
  });
});

describe('claims split across ERAs', () => {
  it('pays a split claim as two balanced CLPs (same CLP01 and CLP07) whose lines add up to the claim', () => {
    const ds = month(13, 0.08);
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 13, splitRate: 1 });
    const files = naive837Files(ds);
    for (const f of files) ch.receive(f.name, f.content, f.receivedDate);
    ch.advanceTo(addDays(files[files.length - 1]?.receivedDate ?? '2026-02-01', 120));
    const { remittances } = checkOutbox(ch);
    expect(ch.stats.splitClaims).toBeGreaterThan(0);
    const parts = new Map<string, { charge: number; n: number }>();
    for (const r of remittances)
      for (const h of r.headers)
        for (const c of h.claims) {
          const k = `${c.patientControlNumber}|${c.payerClaimControlNumber ?? ''}`;
          const p = parts.get(k) ?? { charge: 0, n: 0 };
          parts.set(k, { charge: p.charge + c.charge, n: p.n + 1 });
        }
    const sent = new Map(
      [...naiveClaims837(ds).values()].flat().map((c) => [c.claim.patientControlNumber, c]),
    );
    let split = 0;
    for (const [k, p] of parts) {
      if (p.n < 2) continue;
      split++;
      expect(p.charge).toBe(sent.get(k.split('|')[0] ?? '')?.claim.totalChargeCents);
    }
    expect(split).toBe(ch.stats.splitClaims);
  });
});

describe('determinism', () => {
  it('same seed and inputs give the same output bytes; another seed moves the adjudication lags', () => {
    const ds = month(7, 0.08);
    const a = run(ds, 7).outbox();
    const b = run(ds, 7).outbox();
    expect(b).toEqual(a);
    const c = run(ds, 8).outbox();
    expect(c.map((f) => f.name)).not.toEqual(a.map((f) => f.name));
  });
});

const GOOD_ISA =
  'ISA*00*          *00*          *ZZ*OPENRCM        *ZZ*SIMCH          *260110*0700*^*00501*000000001*0*P*:~';

describe('malformed input gets a rejecting TA1 or 999, never a throw', () => {
  const ds = month(3, 0.05);
  const files = naive837Files(ds);
  const good = files[0]?.content ?? '';
  const fresh = () => new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 3 });

  it('garbage and empty input: TA1 R', () => {
    for (const text of ['', 'hello world', '\u0000\u0001\u0002', 'ISA*00*short~']) {
      const ch = fresh();
      const r = ch.receive('bad.837', text, '2026-01-10');
      expect(r.ta1).toEqual(['R']);
      const ta1 = ch.outboxFiles().find((f) => f.kind === 'TA1');
      expect(parseTa1(ta1?.content ?? '').value[0]?.status).toBe('R');
    }
  });

  it('a transaction set with a wrong SE count or a missing CLM is rejected in the 999 (IK5 R) and gets no 277CA', () => {
    const badCount = good.replace(/\nSE\*(\d+)\*/, (_m, n: string) => `\nSE*${Number(n) + 3}*`);
    const noClm = good
      .split('\n')
      .filter((s) => !s.startsWith('CLM*'))
      .join('\n');
    for (const text of [badCount, noClm]) {
      const ch = fresh();
      const r = ch.receive('bad.837', text, '2026-01-10');
      expect(r.transactionSets).toEqual(['R']);
      const f999 = ch.outboxFiles().find((f) => f.kind === '999');
      const ack = parse999(f999?.content ?? '');
      expect(ack.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(ack.value[0]?.transactions[0]?.status).toBe('R');
      expect(ch.outboxFiles().some((f) => f.kind === '277CA')).toBe(false);
    }
  });

  it('a transaction set that is not an 837 is rejected', () => {
    const text = good.replace('ST*837*', 'ST*270*');
    const r = fresh().receive('x.837', text, '2026-01-10');
    expect(r.transactionSets).toEqual(['R']);
  });

  it('the same interchange control number twice: TA1 R 025 duplicate', () => {
    const ch = fresh();
    ch.receive('a.837', good, '2026-01-10');
    const r = ch.receive('b.837', good, '2026-01-10');
    expect(r.ta1).toEqual(['R']);
    const last = ch
      .outboxFiles()
      .filter((f) => f.kind === 'TA1')
      .at(-1);
    expect(parseTa1(last?.content ?? '').value[0]?.noteCode).toBe('025');
  });

  it('a billing provider address broken into no state or ZIP still gets a conforming 835 (found by the property below)', () => {
    // The property's counterexample (seed 1359560801): 2010AA N4 cut after the city by a line break.
    const broken = good.replace(/(NM1\*85[^~]*~\n?N3\*[^~]*~\n?N4\*[^*~]*)\*[^~]*~/, '$1*\nH*455707378~');
    expect(broken).not.toBe(good);
    const ch = fresh();
    expect(ch.receive('broken.837', broken, '2026-01-10').files.length).toBeGreaterThan(0);
    ch.advanceTo('2026-05-01');
    expect(ch.errors()).toEqual([]);
  });

  it('property: truncations, byte flips and random text always get an answer, and every answer is written', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.nat({ max: good.length }).map((n) => good.slice(0, n)),
          fc
            .array(
              fc.tuple(
                fc.nat({ max: Math.max(0, good.length - 1) }),
                fc.constantFrom('*', '~', ':', '^', 'X', '\n', '', '0', 'CLM*', 'SE*1*', 'HL*1**20*1~'),
              ),
              { minLength: 1, maxLength: 4 },
            )
            .map((muts) => muts.reduce((t, [i, x]) => t.slice(0, i) + x + t.slice(i + 1), good)),
          fc.string({ maxLength: 200 }).map((s) => GOOD_ISA + s),
          fc.string({ maxLength: 300 }),
        ),
        (text) => {
          // A fresh clearinghouse per input: a repeated ISA13 would only ever get TA1 025.
          const ch = fresh();
          const r = ch.receive('fuzz.837', text, '2026-01-10');
          expect(r.files.length).toBeGreaterThan(0);
          ch.advanceTo('2026-05-01');
          expect(ch.errors()).toEqual([]);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('an 837 written with other delimiters, with our delimiters inside its text, is still answered in full', () => {
    // '|' separates elements in this file, so '*' is plain text in a name; our answers use '*'.
    const text = good.replaceAll('*', '|').replace('NM1|IL|1|', 'NM1|IL|1|O*');
    const ch = fresh();
    const r = ch.receive('pipes.837', text, '2026-01-10');
    expect(r.transactionSets).toEqual(['A']);
    ch.advanceTo('2026-05-01');
    expect(ch.errors()).toEqual([]);
    expect(ch.outboxFiles().some((f) => f.kind === '277CA')).toBe(true);
    expect(ch.stats.eras).toBeGreaterThan(0);
  });
});

describe('scenarios', () => {
  const ds = month(5, 0.3);
  const claims = [...naiveClaims837(ds).values()].flat();
  // A claim the payer adjudicates cleanly when sent alone.
  const probe = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });

  function send(
    ch: SimClearinghouse,
    list: Claim837P[],
    date: string,
    control = 1,
  ): ReturnType<SimClearinghouse['receive']> {
    const batch: Batch837P = {
      header: {
        purpose: '00',
        referenceId: `T${control}`,
        createdDate: date,
        createdTime: '0800',
        claimOrEncounter: 'CH',
        submitter: {
          name: {
            entity: '41',
            entityType: '2',
            lastOrOrganization: 'OPENRCM BILLING',
            idQualifier: '46',
            id: 'OPENRCM',
          },
          references: [],
          contacts: [
            { functionCode: 'IC', name: 'DESK', numbers: [{ qualifier: 'TE', number: '5555550100' }] },
          ],
          other: [],
        },
        receiver: {
          name: {
            entity: '40',
            entityType: '2',
            lastOrOrganization: 'SIM CLEARINGHOUSE',
            idQualifier: '46',
            id: 'SIMCH',
          },
          references: [],
          contacts: [],
          other: [],
        },
        other: [],
      },
      claims: list,
    };
    const text = write837P(batch, {
      senderQualifier: 'ZZ',
      senderId: 'OPENRCM',
      receiverQualifier: 'ZZ',
      receiverId: 'SIMCH',
      date,
      time: '0800',
      controlNumber: control,
      applicationSenderCode: 'OPENRCM',
      applicationReceiverCode: 'SIMCH',
      groupControlNumber: control,
      transactionControlNumber: control,
    });
    return ch.receive(`t${control}.837`, text, date);
  }

  const withMember = (c: Claim837P, memberId: string, pcn: string): Claim837P => ({
    ...c,
    subscriber: {
      ...c.subscriber,
      person: { ...c.subscriber.person, name: { ...c.subscriber.person.name, id: memberId } },
    },
    claim: { ...c.claim, patientControlNumber: pcn },
  });

  it('a member-id typo is rejected in the 277CA: A3 33 (not on the roster) or A7 164 (wrong format)', () => {
    const c = claims.find((x) => x.payer.name.id === 'SIM03' && x.otherPayers.length === 0);
    expect(c).toBeDefined();
    if (!c) return;
    const id = c.subscriber.person.name.id ?? '';
    const substituted = id.slice(0, -1) + (id.endsWith('7') ? '8' : '7'); // same shape, not on the roster
    const dropped = id.slice(0, -1); // breaks the SHP + 9 digits format
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
    const r = send(
      ch,
      [withMember(c, substituted, 'TYPO-1'), withMember(c, dropped, 'TYPO-2'), withMember(c, id, 'GOOD-1')],
      c.lines[0]?.serviceDate ?? '2026-01-20',
    );
    expect(r.claimsRejected).toBe(2);
    const acks = acks277(ch.outboxFiles().find((f) => f.kind === '277CA')?.content ?? '');
    const by = new Map(acks.map((a) => [a.patientControlNumber, a]));
    expect(by.get('TYPO-1')?.accepted).toBe(false);
    expect(by.get('TYPO-1')?.statuses[0]).toMatchObject({ category: 'A3', status: '33', entity: 'IL' });
    expect(by.get('TYPO-2')?.statuses[0]).toMatchObject({ category: 'A7', status: '164', entity: 'IL' });
    expect(by.get('GOOD-1')?.accepted).toBe(true);
    expect(by.get('GOOD-1')?.payerClaimControlNumber).toMatch(/^SIM03\d{9}$/);
  });

  it('an invalid NPI check digit, an unknown payer id and a duplicate submission are rejected', () => {
    const c = claims.find((x) => x.payer.name.id === 'SIM03' && x.otherPayers.length === 0);
    if (!c) throw new Error('no SIM03 claim');
    const npi = c.billingProvider.provider.name.id ?? '';
    const badNpi: Claim837P = {
      ...c,
      billingProvider: {
        ...c.billingProvider,
        provider: {
          ...c.billingProvider.provider,
          name: {
            ...c.billingProvider.provider.name,
            id: npi.slice(0, 9) + String((Number(npi.at(9)) + 1) % 10),
          },
        },
      },
      claim: { ...c.claim, patientControlNumber: 'NPI-1' },
    };
    const unknownPayer: Claim837P = {
      ...c,
      payer: { ...c.payer, name: { ...c.payer.name, id: 'NOPE1' } },
      claim: { ...c.claim, patientControlNumber: 'PAYER-1' },
    };
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
    const date = c.lines[0]?.serviceDate ?? '2026-01-20';
    send(ch, [badNpi, unknownPayer, c], date, 1);
    const r2 = send(ch, [c], date, 2);
    expect(r2.claimsRejected).toBe(1);
    const acks = ch
      .outboxFiles()
      .filter((f) => f.kind === '277CA')
      .flatMap((f) => acks277(f.content));
    const by = (pcn: string) => acks.filter((a) => a.patientControlNumber === pcn);
    expect(by('NPI-1')[0]?.statuses[0]).toMatchObject({ category: 'A7', status: '562', entity: '85' });
    expect(by('PAYER-1')[0]?.statuses[0]).toMatchObject({ category: 'A3', status: '116' });
    const dup = by(c.claim.patientControlNumber);
    expect(dup.map((a) => a.accepted)).toEqual([true, false]);
    expect(dup[1]?.statuses[0]).toMatchObject({ category: 'A3', status: '78' });
  });

  it('a missing-authorization code comes back denied CO-197 in the 835 on the right REF*6R line', () => {
    // Find a claim the commercial PPO pays cleanly, then add a knee MRI (prior auth required) without REF*G1.
    const candidates = claims.filter(
      (x) => x.payer.name.id === 'SIM03' && x.otherPayers.length === 0 && !x.claim.priorAuthorization,
    );
    probe.advanceTo('2026-01-01');
    let base: Claim837P | undefined;
    for (const c of candidates) {
      const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
      const date = c.lines[0]?.serviceDate ?? '';
      send(ch, [c], addDays(date, 2));
      ch.advanceTo(addDays(date, 100));
      const era = ch.outboxFiles().find((f) => f.kind === '835');
      const claim = era ? parse835(era.content).value[0]?.headers[0]?.claims[0] : undefined;
      if (claim && claim.status === '1' && claim.services.every((s) => s.paid > 0)) {
        base = c;
        break;
      }
    }
    expect(base).toBeDefined();
    if (!base) return;
    const first = base.lines[0];
    if (!first) throw new Error('no line');
    const mri = {
      ...first,
      procedure: { qualifier: 'HC', code: '73721', modifiers: ['RT'] },
      chargeCents: 95_000,
      lineControlNumber: 'MRI-LINE-1',
    };
    const claim: Claim837P = {
      ...base,
      lines: [...base.lines, mri],
      claim: {
        ...base.claim,
        patientControlNumber: 'AUTH-1',
        totalChargeCents: base.claim.totalChargeCents + 95_000,
      },
    };
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
    const date = first.serviceDate ?? '';
    send(ch, [claim], addDays(date, 2));
    ch.advanceTo(addDays(date, 100));
    const era = ch.outboxFiles().find((f) => f.kind === '835');
    const clp = era ? parse835(era.content).value[0]?.headers[0]?.claims[0] : undefined;
    expect(clp?.patientControlNumber).toBe('AUTH-1');
    const mriLine = clp?.services.find((s) => s.references.some((r) => r.value === 'MRI-LINE-1'));
    expect(mriLine?.paid).toBe(0);
    expect(mriLine?.adjustments.map((a) => ({ group: a.group, items: a.items }))).toEqual([
      { group: 'CO', items: [{ reason: '197', amount: 95_000 }] },
    ]);
    expect(mriLine?.remarks).toEqual([{ qualifier: 'HE', code: 'M62' }]);
    const others = clp?.services.filter((s) => s !== mriLine) ?? [];
    expect(others.length).toBe(base.lines.length);
    for (const s of others) expect(s.paid).toBeGreaterThan(0);
  });

  it('a secondary claim with the primary adjudication in 2320/2430 is paid by the supplement (CLP02 2)', () => {
    // A Medicare claim sent without its 2320 (so no crossover), then billed to the supplement as secondary.
    const withSecondary = claims.filter(
      (x) => x.payer.name.id === 'SIM01' && x.otherPayers.some((o) => o.payer.name.id === 'SIM07'),
    );
    let done = false;
    for (const c of withSecondary) {
      const other = c.otherPayers[0];
      if (!other) continue;
      const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
      const date = addDays(c.lines[0]?.serviceDate ?? '', 2);
      send(ch, [{ ...c, otherPayers: [] }], date, 1);
      ch.advanceTo(addDays(date, 60));
      const primary = ch
        .outboxFiles()
        .filter((f) => f.kind === '835')
        .flatMap((f) => parse835(f.content).value)
        .flatMap((r) => r.headers.flatMap((h) => h.claims))[0];
      if (!primary || primary.status !== '1' || primary.services.some((s) => s.paid === 0)) continue;
      const lines = c.lines.map((l) => {
        const svc = primary.services.find((s) => s.references.some((r) => r.value === l.lineControlNumber));
        return {
          ...l,
          adjudications: [
            {
              payerId: 'SIM01',
              paidCents: svc?.paid ?? 0,
              procedure: l.procedure,
              paidUnitsMilli: l.unitsMilli,
              adjustments: (svc?.adjustments ?? []).map((a) => ({
                group: a.group,
                items: a.items.map((i) => ({ reason: i.reason, amountCents: i.amount })),
              })),
              adjudicationDate: addDays(date, 30),
              other: [],
            },
          ],
        };
      });
      const secondary: Claim837P = {
        ...c,
        payer: other.payer,
        subscriber: {
          ...c.subscriber,
          payerResponsibility: 'S',
          claimFilingIndicator: 'CI',
          person: {
            ...c.subscriber.person,
            name: { ...c.subscriber.person.name, id: other.subscriber.name.id ?? '' },
          },
        },
        otherPayers: [
          {
            ...other,
            payerResponsibility: 'P',
            claimFilingIndicator: 'MB',
            paidCents: primary.paid,
            // 2330A carries the name and member id only (no DMG).
            subscriber: { name: c.subscriber.person.name, references: [], contacts: [], other: [] },
            payer: c.payer,
          },
        ],
        lines,
      };
      const r = send(ch, [secondary], addDays(date, 61), 2);
      expect(r.claimsAccepted).toBe(1);
      ch.advanceTo(addDays(date, 150));
      const { remittances } = checkOutbox(ch);
      const sec = remittances
        .filter((x) => x.payer.id === 'SIM07')
        .flatMap((x) => x.headers.flatMap((h) => h.claims));
      expect(sec.map((x) => x.status)).toEqual(['2']);
      // Plan G pays the coinsurance the primary left to the patient; the deductible stays with the patient.
      const coinsurance = primary.services
        .flatMap((s) => s.adjustments)
        .filter((a) => a.group === 'PR')
        .flatMap((a) => a.items)
        .filter((i) => i.reason === '2')
        .reduce((t, i) => t + i.amount, 0);
      expect(sec[0]?.paid).toBe(coinsurance);
      done = true;
      break;
    }
    expect(done).toBe(true);
  });

  it('a void (8 + REF*F8) reverses a paid claim; the negative run is carried as a PLB FB forward balance and recovered', () => {
    const ppo = claims.filter((x) => x.payer.name.id === 'SIM03' && x.otherPayers.length === 0);
    const [c, next] = ppo;
    if (!c || !next) throw new Error('need two SIM03 claims');
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
    const date = addDays(c.lines[0]?.serviceDate ?? '', 2);
    send(ch, [c], date, 1);
    const pcn = acks277(ch.outboxFiles().find((f) => f.kind === '277CA')?.content ?? '')[0]
      ?.payerClaimControlNumber;
    ch.advanceTo(addDays(date, 80));
    const voided: Claim837P = {
      ...c,
      claim: { ...c.claim, frequencyCode: '8', payerClaimControlNumber: pcn ?? '' },
    };
    send(ch, [voided], addDays(date, 81), 2);
    ch.advanceTo(addDays(date, 100));
    send(ch, [{ ...next, claim: { ...next.claim, patientControlNumber: 'NEXT-1' } }], addDays(date, 101), 3);
    ch.advanceTo(addDays(date, 220));
    const { remittances } = checkOutbox(ch);
    const clps = remittances.flatMap((r) => r.headers.flatMap((h) => h.claims));
    expect(clps.map((x) => x.status)).toEqual(['1', '22', expect.stringMatching(/^[14]$/)]);
    const paidFirst = clps[0]?.paid ?? 0;
    if (paidFirst > 0) {
      const fb = remittances
        .flatMap((r) => r.providerAdjustments.flatMap((p) => p.items))
        .filter((i) => i.reason === 'FB');
      expect(fb[0]?.amount).toBe(-paidFirst);
      // What is recovered never exceeds what was carried.
      expect(fb.slice(1).reduce((t, i) => t + i.amount, 0)).toBeLessThanOrEqual(paidFirst);
      expect(remittances[1]?.payment.amount).toBe(0);
    }
  });

  it('a replacement claim (7 + REF*F8) reverses the original with CLP02 22 and is paid again', () => {
    const c = claims.find((x) => x.payer.name.id === 'SIM03' && x.otherPayers.length === 0);
    if (!c) throw new Error('no SIM03 claim');
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 5 });
    const date = addDays(c.lines[0]?.serviceDate ?? '', 2);
    send(ch, [c], date, 1);
    const pcn = acks277(ch.outboxFiles().find((f) => f.kind === '277CA')?.content ?? '')[0]
      ?.payerClaimControlNumber;
    ch.advanceTo(addDays(date, 80));
    const replacement: Claim837P = {
      ...c,
      claim: { ...c.claim, frequencyCode: '7', payerClaimControlNumber: pcn ?? '' },
    };
    send(ch, [replacement], addDays(date, 81), 2);
    ch.advanceTo(addDays(date, 200));
    const { remittances } = checkOutbox(ch);
    const clps = remittances.flatMap((r) => r.headers.flatMap((h) => h.claims));
    expect(clps.map((x) => x.status)).toEqual(['1', '22', '1']);
    expect(clps[1]?.payerClaimControlNumber).toBe(pcn);
    expect(clps[1]?.paid).toBe(-(clps[0]?.paid ?? 0));
  });

  it('checks parse of the outbox envelope: every interchange addresses the submitter', () => {
    const ch = run(month(9, 0.05), 9);
    for (const f of ch.outboxFiles()) {
      const ic = parseX12(f.content).interchanges[0];
      expect(ic?.header.receiverId).toBe('OPENRCM');
      if (f.kind !== 'TA1') expect(transactionsOf(parseX12(f.content)).length).toBeGreaterThan(0);
    }
  });
});

describe('payer behaviours in the 835: overpayment recovery, claim-level copay, Medicare remarks', () => {
  let ch: SimClearinghouse;
  let remittances: Remittance835[];
  beforeAll(() => {
    // Two months, so that recoveries of the first month's payments fall due while the second month is paid.
    const ds = generate({ practices: 1, months: 2, seed: 21, startDate: '2026-01-05', volume: 0.15 });
    ch = new SimClearinghouse({
      setup: ds,
      authorizations: ds.authorizations,
      seed: 21,
      dataset: ds.origin,
      recoveryRate: 0.3,
    });
    const files = naive837Files(ds);
    for (const f of files) ch.receive(f.name, f.content, f.receivedDate);
    ch.advanceTo(addDays(files[files.length - 1]?.receivedDate ?? '2026-03-01', 120));
    remittances = checkOutbox(ch).remittances;
  });

  it('takes part of an earlier payment back with PLB WO naming that claim, from a later payment to the same payee', () => {
    const paid = new Map<string, { payer: string; payee: string; amount: number; date: string }>();
    let wo = 0;
    let woCents = 0;
    for (const r of remittances) {
      const payer = r.payer.id ?? '';
      const payee = r.payee.id ?? '';
      for (const plb of r.providerAdjustments)
        for (const item of plb.items) {
          if (item.reason !== 'WO') continue;
          wo++;
          woCents += item.amount;
          const orig = paid.get(item.reference ?? '');
          expect(orig).toBeDefined();
          expect(orig?.payer).toBe(payer);
          expect(orig?.payee).toBe(payee);
          expect(item.amount).toBeGreaterThan(0);
          expect(item.amount).toBeLessThanOrEqual(orig?.amount ?? 0);
          expect(r.payment.date > (orig?.date ?? '')).toBe(true);
        }
      for (const h of r.headers)
        for (const c of h.claims)
          if (c.status !== '22' && c.paid > 0 && c.payerClaimControlNumber !== undefined) {
            const prev = paid.get(c.payerClaimControlNumber);
            paid.set(c.payerClaimControlNumber, {
              payer,
              payee,
              amount: (prev?.amount ?? 0) + c.paid,
              date: prev?.date ?? r.payment.date,
            });
          }
    }
    expect(wo).toBeGreaterThan(0);
    expect(wo).toBe(ch.stats.recoupments);
    expect(woCents).toBe(ch.stats.recoupedCents);
  });

  it('reports the copay at claim level for the payers that do, and on the line for the others', () => {
    let claimLevel = 0;
    let lineLevel = 0;
    for (const r of remittances) {
      const atClaim = r.payer.id === 'SIM02' || r.payer.id === 'SIM04';
      for (const h of r.headers)
        for (const c of h.claims) {
          const claimCopay = c.adjustments.some(
            (a) => a.group === 'PR' && a.items.some((i) => i.reason === '3'),
          );
          const lineCopay = c.services.some((s) =>
            s.adjustments.some((a) => a.group === 'PR' && a.items.some((i) => i.reason === '3')),
          );
          if (atClaim) expect(lineCopay).toBe(false);
          else expect(claimCopay).toBe(false);
          if (claimCopay) claimLevel++;
          if (lineCopay) lineLevel++;
        }
    }
    expect(claimLevel).toBeGreaterThan(0);
    expect(lineLevel).toBeGreaterThan(0);
  });

  it('gives every Medicare adjudication MOA remarks: MA01, and MA18 when crossed over', () => {
    let medicare = 0;
    for (const r of remittances)
      for (const h of r.headers)
        for (const c of h.claims) {
          if (r.payer.id !== 'SIM01' || c.status === '22') {
            expect(c.outpatient).toBeUndefined();
            continue;
          }
          medicare++;
          expect(c.outpatient?.remarks).toEqual(c.status === '19' ? ['MA01', 'MA18'] : ['MA01']);
        }
    expect(medicare).toBeGreaterThan(20);
  });

  it('forgets claims after the retention period: no records, reversible claims or versions are left', () => {
    const ds = month(9, 0.05);
    const short = new SimClearinghouse({
      setup: ds,
      authorizations: ds.authorizations,
      seed: 9,
      retentionDays: 60,
    });
    const files = naive837Files(ds);
    for (const f of files) short.receive(f.name, f.content, f.receivedDate);
    const last = files[files.length - 1]?.receivedDate ?? '2026-02-01';
    short.advanceTo(addDays(last, 30));
    expect(short.memorySize().records).toBeGreaterThan(0);
    short.advanceTo(addDays(last, 130));
    expect(short.memorySize()).toMatchObject({ records: 0, reversible: 0, versions: 0 });
    // The default keeps them (400 days).
    expect(run(ds, 9).memorySize().records).toBeGreaterThan(0);
  });
});
