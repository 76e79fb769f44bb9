import { describe, expect, it } from 'vitest';
import {
  buildClaimStatusRequest,
  parseClaimStatus,
  writeClaimStatusInterchange,
  type ClaimStatusQuery,
  type ClaimStatusTracking,
} from '@openrcm/x12/276-277';
import { parse835 } from '@openrcm/x12/835';
import { statusCodeLists } from '../../../x12/test/status-code-lists.ts';
import { addDays } from '../dates.ts';
import { generate } from '../generate.ts';
import { SimClearinghouse } from './clearinghouse.ts';
import { naive837Files, naiveClaims837 } from './naive837.ts';

const ds = generate({ practices: 1, months: 1, seed: 31, startDate: '2026-01-05', volume: 0.05 });
let control = 500;

function ask(
  ch: SimClearinghouse,
  queries: ClaimStatusQuery[],
  date: string,
): Map<string, ClaimStatusTracking> {
  control++;
  const text = writeClaimStatusInterchange(
    [buildClaimStatusRequest(queries, { referenceId: `Q${control}`, date, time: '0900' })],
    {
      interchange: {
        senderQualifier: 'ZZ',
        senderId: 'OPENRCM',
        receiverQualifier: 'ZZ',
        receiverId: 'SIMCH',
        date,
        time: '0900',
        controlNumber: control,
      },
      senderCode: 'OPENRCM',
      receiverCode: 'SIMCH',
      groupControlNumber: control,
    },
  );
  const before = ch.outboxFiles().length;
  const r = ch.receive(`q${control}.276`, text, date);
  expect(r.transactionSets).toEqual(['A']);
  const f277 = ch
    .outboxFiles()
    .slice(before)
    .find((f) => f.kind === '277');
  const parsed = parseClaimStatus(f277?.content ?? '', { codeLists: statusCodeLists() });
  expect(parsed.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  const out = new Map<string, ClaimStatusTracking>();
  for (const tx of parsed.value)
    for (const a of tx.sources)
      for (const b of a.receivers)
        for (const c of b.providers)
          for (const d of c.subscribers) for (const t of d.tracking) out.set(t.trace.referenceId, t);
  return out;
}

describe('276 claim status inquiries answered with 277s', () => {
  it('follows a claim from in process (P1) to paid (F1 65 with the ERA trace); unknown claims are A4 35', () => {
    const ch = new SimClearinghouse({ setup: ds, authorizations: ds.authorizations, seed: 31 });
    const file = naive837Files(ds)[0];
    if (!file) throw new Error('no 837');
    ch.receive(file.name, file.content, file.receivedDate);
    const claims = [...naiveClaims837(ds).values()].flat().filter((c) => c.claim.patientControlNumber !== '');
    const electronic = claims.find(
      (c) => (naiveClaims837(ds).get(file.receivedDate) ?? []).includes(c) && c.payer.name.id === 'SIM03',
    );
    const c = electronic ?? naiveClaims837(ds).get(file.receivedDate)?.[0];
    if (!c) throw new Error('no claim');
    const query = (trace: string, pcn: string): ClaimStatusQuery => ({
      traceNumber: trace,
      payer: { name: c.payer.name.lastOrOrganization ?? 'PAYER', id: c.payer.name.id ?? '' },
      receiver: { name: 'OPENRCM BILLING', etin: 'OPENRCM' },
      provider: {
        npi: c.billingProvider.provider.name.id ?? '',
        organizationName: c.billingProvider.provider.name.lastOrOrganization ?? 'PRACTICE',
      },
      subscriber: {
        lastName: c.subscriber.person.name.lastOrOrganization ?? 'DOE',
        memberId: c.subscriber.person.name.id ?? '',
      },
      patientControlNumber: pcn,
      chargeCents: c.claim.totalChargeCents,
      serviceDate: c.lines[0]?.serviceDate ?? file.receivedDate,
    });

    const early = ask(
      ch,
      [query('T1', c.claim.patientControlNumber), query('T2', 'NO-SUCH-CLAIM')],
      file.receivedDate,
    );
    expect(early.get('T1')?.statuses[0]?.statuses[0]).toMatchObject({ category: 'P1', status: '20' });
    expect(early.get('T1')?.references.find((r) => r.qualifier === '1K')?.value).toMatch(/^SIM0\d{10}$/);
    expect(early.get('T2')?.statuses[0]?.statuses[0]).toMatchObject({ category: 'A4', status: '35' });

    const later = addDays(file.receivedDate, 120);
    ch.advanceTo(later);
    const done = ask(ch, [query('T3', c.claim.patientControlNumber)], later).get('T3');
    const stc = done?.statuses[0];
    expect(['F1', 'F2']).toContain(stc?.statuses[0]?.category);
    // The check number is the TRN02 of the 835 that paid the claim, with its BPR16 date.
    const era = ch
      .outboxFiles()
      .filter((f) => f.kind === '835')
      .flatMap((f) => parse835(f.content).value)
      .find((r) =>
        r.headers.some((h) => h.claims.some((x) => x.patientControlNumber === c.claim.patientControlNumber)),
      );
    if (era) {
      expect(stc?.checkNumber).toBe(era.trace?.traceNumber);
      expect(stc?.checkDate).toBe(era.payment.date);
    }
    expect(ch.stats.claimStatusInquiries).toBe(3);
  });
});
