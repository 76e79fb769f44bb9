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
