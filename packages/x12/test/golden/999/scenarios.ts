import { build999, buildTa1 } from '../../../src/ack/build.ts';
import type { InterchangeOptions } from '../../../src/core/writer.ts';
import { parseX12 } from '../../../src/core/parse.ts';
import { writeTa1, type Ta1 } from '../../../src/ta1/ta1.ts';
import { parse835 } from '../../../src/tx835/reader.ts';
import type { Ack999 } from '../../../src/tx999/types.ts';
import { write999 } from '../../../src/tx999/writer.ts';
import { readCorpus } from '../../corpus.ts';

/*
 * Golden 999 and TA1 scenarios: what the simulated clearinghouse returns, generated with build999 / buildTa1
 * from corpus inputs, so the goldens also pin the acknowledgement generation. Regenerate with
 * `npx tsx packages/x12/scripts/regen-golden-835-999-ta1.ts`.
 */

export const ACK_INTERCHANGE: InterchangeOptions = {
  senderQualifier: 'ZZ',
  senderId: 'CLEARINGHOUSE',
  receiverQualifier: 'ZZ',
  receiverId: 'OPENRCM',
  date: '2026-11-21',
  time: '0930',
  controlNumber: 999001,
  usage: 'T',
  newlines: true,
};

function ackFor(file: string): Ack999 {
  const parsed = parseX12(readCorpus(file));
  const ic = parsed.interchanges[0];
  const group = ic?.groups[0];
  if (ic === undefined || group === undefined) throw new Error(`${file}: no functional group`);
  const read = parse835(readCorpus(file));
  return build999(group, [read.diagnostics], { groupDiagnostics: ic.diagnostics });
}

/** 999 scenarios by file name. */
export function scenarios999(): Record<string, Ack999> {
  return {
    // Every transaction set accepted: IK5*A, AK9*A*1*1*1.
    accepted: ackFor('835/sedi-pass__era-sample.edi'),
    // CLP02 is not a claim status code: IK3 CLP (position 11, loop 2100, IK304 8) with IK4 element 2, IK403 7.
    'rejected-invalid-code': ackFor('mutations/835/02_invalid_claim_status_code.edi'),
    // Required TRN missing: IK3 TRN with IK304 3 (required segment missing).
    'rejected-missing-segment': ackFor('mutations/835/05_missing_trn.edi'),
  };
}

export function golden999(name: string): string {
  const ack = scenarios999()[name];
  if (ack === undefined) throw new Error(`unknown 999 scenario ${name}`);
  return write999([ack], { interchange: ACK_INTERCHANGE, senderCode: 'CLEARINGHOUSE', receiverCode: 'OPENRCM', groupControlNumber: 999 });
}

function ta1For(file: string): Ta1 {
  const ic = parseX12(readCorpus(file)).interchanges[0];
  if (ic === undefined) throw new Error(`${file}: no interchange`);
  return buildTa1(ic);
}

/** TA1 scenarios by file name. */
export function scenariosTa1(): Record<string, Ta1> {
  return {
    accepted: ta1For('835/sedi-pass__era-sample.edi'),
    // IEA02 does not match ISA13: TA104 R, TA105 001.
    'rejected-control-number': ta1For('mutations/837p/04_iea_control_number_mismatch.edi'),
  };
}

export function goldenTa1(name: string): string {
  const ta1 = scenariosTa1()[name];
  if (ta1 === undefined) throw new Error(`unknown TA1 scenario ${name}`);
  return writeTa1([ta1], ACK_INTERCHANGE);
}
