import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { corpusManifest, readCorpus } from '../../test/corpus.ts';
import { normalizeSegment, normalizeText } from '../../test/roundtrip.ts';
import { DEFAULT_DELIMITERS } from '../core/delimiters.ts';
import { parseX12, transactionsOf } from '../core/parse.ts';
import { claimAcknowledgements } from './acknowledgements.ts';
import { isClaimAcknowledgement, parseClaimAcknowledgement, readClaimAcknowledgement } from './read.ts';
import { writeClaimAcknowledgementSegments } from './write.ts';

const files = corpusManifest().filter((e) => e.file.startsWith('277ca/'));

describe('277CA corpus', () => {
  for (const entry of files) {
    it(`${entry.file} reads without throwing and rewrites the segments it read`, () => {
      const parsed = parseX12(readCorpus(entry.file));
      for (const tx of transactionsOf(parsed).filter(isClaimAcknowledgement)) {
        const r = readClaimAcknowledgement(tx);
        // Every 277CA in the corpus has findings (see MANIFEST); the rewrite must still be faithful unless a
        // value could not be read (an invalid date or number is reported and not carried into the model).
        const lossy = ['unexpected-segment', 'invalid-date', 'element-type', 'invalid-amount'];
        if (!r.diagnostics.some((d) => lossy.includes(d.code) || d.code.startsWith('hl-'))) {
          const written = writeClaimAcknowledgementSegments(r.value).map((s) =>
            normalizeText(s, DEFAULT_DELIMITERS),
          );
          expect(written).toEqual(tx.segments.map(normalizeSegment));
        }
      }
    });
  }

  /**
   * Every finding on every 277CA of the corpus, as [line, severity, code, loop, element or segment], checked by hand
   * against the files and the validators in the MANIFEST (pyx12, stupidedi): the three eMedNY/IMS samples and
   * Alexbrodsky's lack the 2200C STC (pyx12: "Mandatory segment Billing Provider Status Information (STC)
   * missing"); Bogeyone is cut off after its second HL (no 2100B/2200B, no SE/GE/IEA, HL04 says a child level
   * follows); Latitude81uk has a broken ISA (dates, version, control number), BHT, DTP01 qualifiers 040/006
   * that 2200A does not allow, impossible dates and an action code "yh"; the de-identified file has BHT01 9999,
   * BHT05 9999, STC01-3 "XX" entity codes (pyx12 says so too) and 2200C STCs without STC02.
   */
  const expectedFindings: Record<
    string,
    readonly (readonly [number | undefined, string, string, string, string])[]
  > = {
    '277ca/emedny__277CA_Sample_Accepted.txt': [[1, 'error', 'required-segment', '2200C', 'STC']],
    '277ca/ims__x12_277CA_accepted.txt': [[18, 'error', 'required-segment', '2200C', 'STC']],
    '277ca/ims__x12_277CA_rejected.txt': [[1, 'error', 'required-segment', '2200C', 'STC']],
    '277ca/oop__277_Deidentified_from_nth.txt': [
      [4, 'error', 'invalid-code', 'BHT', 'BHT01'],
      [4, 'error', 'invalid-time', 'BHT', 'BHT05'],
      [13, 'error', 'invalid-code', '2200B', 'STC01-3'],
      [19, 'error', 'invalid-code', '2200C', 'STC01-3'],
      [19, 'error', 'required-element', '2200C', 'STC02'],
      [25, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [26, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [27, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [32, 'error', 'invalid-code', '2200C', 'STC01-3'],
      [32, 'error', 'required-element', '2200C', 'STC02'],
      [38, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [39, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [40, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [45, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [46, 'error', 'invalid-code', '2200D', 'STC01-3'],
      [47, 'error', 'invalid-code', '2200D', 'STC01-3'],
    ],
    '277ca/oop__FromAlexbrodsky.txt': [[18, 'error', 'required-segment', '2200C', 'STC']],
    '277ca/oop__FromBogeyone.txt': [
      [1, 'error', 'iea-missing', 'ISA', 'ISA'],
      [2, 'error', 'ge-missing', 'GS', 'GS'],
      [3, 'error', 'se-missing', 'ST', 'ST'],
      [10, 'warning', 'hl-child-code', '2000B', 'HL04'],
      [10, 'error', 'required-segment', '2200B', 'TRN'],
      [10, 'error', 'required-segment', '2100B', 'NM1'],
    ],
    '277ca/oop__FromLatitude81uk.txt': [
      [1, 'error', 'isa-width', 'ISA', 'ISA12'],
      [1, 'error', 'isa-width', 'ISA', 'ISA13'],
      [1, 'error', 'isa-date', 'ISA', 'ISA09'],
      [1, 'error', 'isa-control-number', 'ISA', 'ISA13'],
      [1, 'warning', 'isa-version', 'ISA', 'ISA12'],
      [31, 'error', 'iea-control-number', 'ISA', 'IEA02'],
      [4, 'error', 'element-too-long', 'BHT', 'BHT01'],
      [4, 'error', 'invalid-code', 'BHT', 'BHT01'],
      [4, 'error', 'invalid-date', 'BHT', 'BHT04'],
      [4, 'error', 'invalid-time', 'BHT', 'BHT05'],
      [8, 'error', 'invalid-code', '2200A', 'DTP01'],
      [8, 'error', 'invalid-date', '2200A', 'DTP03'],
      [9, 'error', 'invalid-code', '2200A', 'DTP01'],
      [9, 'error', 'invalid-date', '2200A', 'DTP03'],
      [13, 'error', 'invalid-date', '2200B', 'STC02'],
      [13, 'error', 'invalid-code', '2200B', 'STC03'],
      [19, 'error', 'required-element', '2200C', 'STC02'],
      [26, 'error', 'element-too-short', '2200D', 'STC02'],
      [26, 'error', 'invalid-date', '2200D', 'STC02'],
      [28, 'error', 'invalid-date', '2200D', 'DTP03'],
    ],
  };

  it.each(Object.keys(expectedFindings))(
    '%s: the findings are exactly the known problems of the file',
    (file) => {
      expect(files.map((e) => e.file)).toContain(file);
      const r = parseClaimAcknowledgement(readCorpus(file));
      expect(
        r.diagnostics.map((d) => [d.line, d.severity, d.code, d.loop ?? '', d.element ?? d.segmentId ?? '']),
      ).toEqual(expectedFindings[file]);
      // Located: every finding names its line and, inside the set, its segment.
      for (const d of r.diagnostics) expect(d.line).toBeGreaterThan(0);
    },
  );

  it('covers every 277CA of the corpus', () => {
    expect(Object.keys(expectedFindings).sort()).toEqual(files.map((e) => e.file).sort());
  });

  it('reports the missing 2200C STC that independent validators also report', () => {
    const r = parseClaimAcknowledgement(readCorpus('277ca/ims__x12_277CA_rejected.txt'));
    const errors = r.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((d) => [d.code, d.loop])).toEqual([['required-segment', '2200C']]);
  });

  it('the clearinghouse accepts claim 5781 into adjudication (A2) with its payer claim control number', () => {
    const r = parseClaimAcknowledgement(readCorpus('277ca/ims__x12_277CA_accepted.txt'));
    const acks = r.value.flatMap(claimAcknowledgements);
    expect(acks).toEqual([
      {
        patientControlNumber: '5781',
        accepted: true,
        statuses: [
          { category: 'A2', status: '20', categoryText: 'Acknowledged: accepted into adjudication' },
        ],
        actionCode: 'WQ',
        chargeCents: 12500,
        statusDate: '2011-03-11',
        payerClaimControlNumber: '1107000000014420',
        serviceDates: { qualifier: '472', format: 'D8', start: '1001-01-01' },
        billingProviderId: '1234567890',
        lines: [],
      },
    ]);
  });

  it('a claim rejected for invalid information (A7:562 billing provider) is not accepted', () => {
    const r = parseClaimAcknowledgement(readCorpus('277ca/ims__x12_277CA_rejected.txt'));
    const [ack] = r.value.flatMap(claimAcknowledgements);
    expect(ack?.accepted).toBe(false);
    expect(ack?.statuses).toEqual([
      {
        category: 'A7',
        status: '562',
        entity: '85',
        categoryText: 'Acknowledged: rejected for invalid information',
      },
    ]);
    expect(ack?.billType).toBe('731');
  });

  it('the simulator batch: three claims accepted, one rejected with a message', () => {
    const text = readFileSync(
      join(import.meta.dirname, '..', '..', 'test', 'golden', '277ca', 'accepted-and-rejected.edi'),
      'utf8',
    );
    const acks = parseClaimAcknowledgement(text).value.flatMap(claimAcknowledgements);
    expect(
      acks.map((a) => [a.patientControlNumber, a.accepted, a.payerClaimControlNumber, a.clearinghouseTrace]),
    ).toEqual([
      ['PCN2026000101', true, '2026061000123', 'SIM000000101'],
      ['PCN2026000104', false, undefined, 'SIM000000104'],
      ['PCN2026000105', true, '2026071000456', 'SIM000000105'],
      ['PCN2026000106', true, undefined, 'SIM000000106'],
    ]);
    expect(acks[1]?.message).toBe('BILLING PROVIDER NPI NOT ON FILE WITH PAYER');
    expect(acks[1]?.actionCode).toBe('U');
  });
});
