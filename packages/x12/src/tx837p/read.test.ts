import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../core/diagnostics.ts';
import { streamTransactions } from '../core/parse.ts';
import { read837P, read837PTransaction, stream837P } from './read.ts';

const golden = (name: string): string =>
  readFileSync(join(import.meta.dirname, '..', '..', 'test', 'golden', '837p', `${name}.edi`), 'utf8');

/** Replaces the first segment starting with `from` (one segment per line in the goldens). */
function edit(text: string, from: string, to: string): string {
  const lines = text.split('\n');
  const i = lines.findIndex((l) => l.startsWith(from));
  if (i < 0) throw new Error(`no segment starts with ${from}`);
  lines[i] = to;
  return lines.join('\n');
}

const errors = (ds: readonly Diagnostic[]): string[] =>
  ds
    .filter((d) => d.severity === 'error')
    .map((d) => `${d.code} ${d.loop ?? ''}.${d.element ?? d.segmentId ?? ''}`);

describe('837P reader validation', () => {
  it('the prior payer paid 95 on a line it charged 180 and adjusted 90: the 2430 line does not balance', () => {
    const text = edit(golden('secondary-cob'), 'SVD*60054*90*', 'SVD*60054*95*HC:99214**1~');
    expect(errors(read837P(text).diagnostics)).toEqual(['balance-cob-line 2430.SVD02']);
  });

  it('the 2320 AMT*D paid amount disagrees with CLM02 minus the CAS adjustments: the claim does not balance', () => {
    const text = edit(golden('secondary-cob'), 'AMT*D*90', 'AMT*D*80~');
    expect(errors(read837P(text).diagnostics)).toEqual(['balance-cob-claim 2320.AMT02']);
  });

  it('a 2430 SVD01 that names no 2330B payer is reported', () => {
    const text = edit(golden('secondary-cob'), 'SVD*60054*0*', 'SVD*99999*0*HC:36415**1~');
    // ...and the claim no longer balances for payer 60054, whose line adjustments lost that line.
    expect(errors(read837P(text).diagnostics)).toEqual([
      'balance-cob-claim 2320.AMT02',
      'cob-payer-id 2430.SVD01',
    ]);
  });

  it('the prior payer listed with the same responsibility sequence as the destination payer is reported', () => {
    const text = edit(golden('secondary-cob'), 'SBR*P*18*GRP1001', 'SBR*S*18*GRP1001******CI~');
    expect(errors(read837P(text).diagnostics)).toEqual(['payer-sequence 2320.SBR01']);
  });

  it('a claim directly under the subscriber needs SBR02 = 18', () => {
    const text = edit(golden('primary-single-line'), 'SBR*P*18*', 'SBR*P**GRP1001******CI~');
    expect(errors(read837P(text).diagnostics)).toEqual(['subscriber-relationship 2000B.SBR02']);
  });

  it('an ICD-10 principal diagnosis (ABK) followed by an ICD-9 BF qualifier is reported at HI02-1', () => {
    const text = edit(golden('primary-single-line'), 'HI*', 'HI*ABK:J069*BF:R509~');
    expect(errors(read837P(text).diagnostics)).toEqual(['hi-qualifier 2300.HI02-1']);
  });

  it('ICD-9-CM (BK/BF) codes on a 2026 date of service are reported at HI01-1', () => {
    const text = edit(golden('primary-single-line'), 'HI*', 'HI*BK:4659*BF:7806~');
    expect(errors(read837P(text).diagnostics)).toEqual(['diagnosis-code-set 2300.HI01-1']);
  });

  it('a diagnosis pointer beyond the HI count is reported at its SV107 component', () => {
    const text = edit(golden('primary-single-line'), 'SV1*', 'SV1*HC:99213*125*UN*1***1:3~');
    expect(errors(read837P(text).diagnostics)).toEqual(['diagnosis-pointer 2400.SV107-2']);
  });

  it('a replacement claim without REF*F8 is reported', () => {
    const text = edit(golden('corrected'), 'REF*F8', '');
    const ds = read837P(text).diagnostics.filter((d) => d.severity === 'error');
    expect(ds.map((d) => d.code)).toEqual(['missing-segment', 'se-count']);
    expect(ds[0]?.loop).toBe('2300');
  });

  it('HL parent and child codes are checked', () => {
    let text = edit(golden('patient-not-subscriber'), 'HL*3*2*23*0', 'HL*3*1*23*0~');
    expect(errors(read837P(text).diagnostics)).toContain('hl-parent 2000C.HL02');
    text = edit(golden('patient-not-subscriber'), 'HL*2*1*22*1', 'HL*2*1*22*0~');
    expect(errors(read837P(text).diagnostics)).toEqual(['hl-child-code 2000B.HL04']);
    text = edit(golden('patient-not-subscriber'), 'HL*3*2*23*0', 'HL*4*2*23*0~');
    expect(errors(read837P(text).diagnostics)).toEqual(['hl-sequence 2000C.HL01']);
  });

  it('an NPI with a wrong check digit is a warning at NM109', () => {
    const text = edit(
      golden('primary-single-line'),
      'NM1*85*',
      'NM1*85*2*MAPLE FAMILY PRACTICE*****XX*1234567890~',
    );
    const ds = read837P(text).diagnostics;
    expect(ds.map((d) => `${d.severity} ${d.code} ${d.loop ?? ''}.${d.element ?? ''}`)).toEqual([
      'warning invalid-npi 2010AA.NM109',
    ]);
  });

  it('the billing provider needs its tax id (REF*EI or REF*SY)', () => {
    const text = edit(golden('primary-single-line'), 'REF*EI*', '');
    const ds = read837P(text).diagnostics.filter((d) => d.code === 'missing-segment');
    expect(ds.map((d) => d.loop)).toEqual(['2010AA']);
  });

  it('an auto accident claim needs the accident state (CLM11-4) and the accident date (DTP*439)', () => {
    const text = edit(golden('primary-single-line'), 'CLM*', 'CLM*CLM0001*125***11:B:1*Y*A*Y*Y**AA~');
    expect(errors(read837P(text).diagnostics)).toEqual([
      'required-element 2300.CLM11-4',
      'missing-segment 2300.CLM',
    ]);
  });

  it('each transaction set says who sent it (to address the 999 / 277CA)', () => {
    const t = read837P(golden('primary-single-line')).value.transactions[0];
    expect(t?.envelope).toEqual({
      senderQualifier: 'ZZ',
      senderId: 'OPENRCM',
      receiverQualifier: 'ZZ',
      receiverId: 'SIMCH',
      interchangeControlNumber: '000000001',
      usage: 'T',
      applicationSenderCode: 'OPENRCM',
      applicationReceiverCode: 'SIMCH',
      groupControlNumber: '1',
    });
    expect([t?.controlNumber, t?.implementation]).toEqual(['0001', '005010X222A1']);
  });

  it('diagnostic messages name elements, never values (no patient data)', () => {
    const text = edit(golden('primary-single-line'), 'DMG*', 'DMG*D8*19801312*F~');
    const ds = read837P(text).diagnostics;
    expect(errors(ds)).toEqual(['invalid-date 2010BA.DMG02']);
    for (const d of ds) {
      expect(d.message).not.toContain('1980');
      expect(d.message).not.toContain('JONES');
    }
  });

  it('streaming transaction sets through read837PTransaction gives the same claims as read837P', async () => {
    const text = golden('multi-claim-batch');
    const whole = read837P(text);
    function* chunks(): Generator<string> {
      for (let i = 0; i < text.length; i += 7) yield text.slice(i, i + 7);
    }
    const streamed = [];
    for await (const tx of streamTransactions(chunks())) streamed.push(read837PTransaction(tx));
    const viaStream837P = [];
    for await (const r of stream837P(chunks())) viaStream837P.push(r);
    expect(viaStream837P).toEqual(streamed);
    expect(streamed.map((r) => r.value)).toEqual(whole.value.transactions);
    expect(streamed.flatMap((r) => r.diagnostics)).toEqual([]);
  });
});
