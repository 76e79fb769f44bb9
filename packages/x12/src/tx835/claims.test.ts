import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testCodeLists } from '../../test/codelists.ts';
import { corpusManifest, mutationFiles, readCorpus } from '../../test/corpus.ts';
import { syntheticInterchange } from '../../bench/synth835.ts';
import { DiagnosticSink, type Diagnostic } from '../core/diagnostics.ts';
import type { ChunkSource } from '../core/tokenizer.ts';
import { stream835, stream835Claims, type Item835, type Read835Options } from './reader.ts';
import type { ClaimPayment, HeaderNumber, Remittance835 } from './types.ts';

const codeLists = testCodeLists();
const corpus835 = corpusManifest()
  .filter((e) => e.file.startsWith('835/'))
  .map((e) => e.file);

function chunksOf(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

interface Reassembled {
  readonly sets: { value: Remittance835; diagnostics: Diagnostic[] }[];
  readonly fileDiagnostics: Diagnostic[];
}

/**
 * Puts the claim items back into their sets (each claim into the header it came with) and checks on the way what
 * a claim item promises: its header data is its set's, its findings are its set's findings located in its claim.
 */
async function viaClaims(chunks: ChunkSource, options: Read835Options): Promise<Reassembled> {
  const sink = new DiagnosticSink();
  const items: Item835[] = (await collect(stream835Claims(chunks, options, sink))).flat();
  const sets: Reassembled['sets'] = [];
  let pending: Extract<Item835, { kind: 'claim' }>[] = [];
  for (const item of items) {
    if (item.kind === 'claim') {
      pending.push(item);
      continue;
    }
    expect(item.claims).toBe(pending.length);
    const byHeader = new Map<HeaderNumber, ClaimPayment[]>();
    for (const c of pending) {
      expect(c.header.claims).toEqual([]);
      expect(item.value.headers).toContain(c.header);
      byHeader.set(c.header, [...(byHeader.get(c.header) ?? []), c.claim]);
      const { headers: _h, providerAdjustments: _p, other: _o, ...head } = item.value;
      expect(c.remittance).toEqual(head);
      for (const d of c.diagnostics) expect(item.diagnostics).toContain(d);
    }
    sets.push({
      value: {
        ...item.value,
        headers: item.value.headers.map((h) => ({ ...h, claims: byHeader.get(h) ?? [] })),
      },
      diagnostics: item.diagnostics,
    });
    pending = [];
  }
  expect(pending).toEqual([]);
  return { sets, fileDiagnostics: sink.items };
}

async function viaSets(chunks: string[], options: Read835Options): Promise<Reassembled> {
  const sink = new DiagnosticSink();
  const sets = (await collect(stream835(chunks, options, sink))).map((r) => ({
    value: r.value,
    diagnostics: r.diagnostics,
  }));
  return { sets, fileDiagnostics: sink.items };
}

describe('835 claim stream (stream835Claims)', () => {
  it.each([...corpus835, ...mutationFiles('835')])(
    '%s: the claims, header data and findings of stream835, claim by claim',
    async (file) => {
      const text = readCorpus(file);
      for (const size of [1, 7, 4096, text.length]) {
        const chunks = chunksOf(text, size);
        expect(await viaClaims(chunks, { codeLists })).toEqual(await viaSets(chunks, { codeLists }));
      }
    },
  );

  it.each([
    ['02_invalid_claim_status_code.edi', 'invalid-code'],
    ['03_invalid_cas_group_code.edi', 'invalid-code'],
    ['07_service_not_balanced.edi', 'balance-line'],
    ['08_invalid_carc.edi', 'invalid-carc'],
  ])('%s: the fault goes with the claim it is in', async (file, code) => {
    const items = (
      await collect(stream835Claims([readCorpus(`mutations/835/${file}`)], { codeLists }))
    ).flat();
    const faulty = items.flatMap((i) => (i.kind === 'claim' && i.diagnostics.length > 0 ? [i] : []));
    expect(faulty).toHaveLength(1);
    expect(faulty[0]?.diagnostics.map((d) => d.code)).toEqual([code]);
    const at = faulty[0]?.diagnostics[0]?.segmentIndex ?? -1;
    expect(at).toBeGreaterThanOrEqual(faulty[0]?.claim.at?.segmentIndex ?? Infinity);
  });

  it('a synthetic remittance of 1,000 claims streams claim by claim in batches, not as one set', async () => {
    const text = syntheticInterchange(1000, 3);
    const batches = await collect(stream835Claims(chunksOf(text, 65536)));
    expect(batches.length).toBeGreaterThan(5);
    // A few claims at a time (48, and the set's end), not the hundreds a 64 KiB piece of input completes.
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(49);
    const items = batches.flat();
    expect(items.filter((i) => i.kind === 'claim')).toHaveLength(1000);
    expect(items.at(-1)).toMatchObject({ kind: 'set', claims: 1000 });
    const chunks = chunksOf(text, 65536);
    expect(await viaClaims(chunks, {})).toEqual(await viaSets(chunks, {}));
  });

  it('bytes in chunks larger or smaller than a decoded piece, a character cut between two pieces: the same claims', async () => {
    // Some names hold a character of two bytes in UTF-8, so some pieces of input are ASCII and some are not.
    const named = syntheticInterchange(1000, 5)
      .replaceAll('*MARY*', '*MÄRY*')
      .replaceAll('*DAVIS*', '*DÁVIS*');
    // Line breaks after the first segments move one such character over the first 64 KiB boundary.
    const lead = Buffer.from(named, 'utf8').lastIndexOf(0xc3, 65535);
    let breaks = 0;
    const text = named.replace(/~/g, (t) => (breaks++ < 65535 - lead ? '~\n' : t));
    const bytes = Buffer.from(text, 'utf8');
    expect([bytes[65535], bytes[65536]! & 0xc0]).toEqual([0xc3, 0x80]);
    expect(bytes.length).toBeGreaterThan(4 * 65536);
    const expected = await viaSets([text], {});
    expect(expected.sets[0]?.value.headers[0]?.claims.some((c) => c.patient?.last === 'DÁVIS')).toBe(true);
    for (const size of [bytes.length, 200_001, 65_537, 65_536, 65_535, 4099]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(await viaClaims(chunks, {})).toEqual(expected);
    }
  });

  it('any corpus 835 with a segment deleted or duplicated and cut anywhere: the same as stream835', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...corpus835),
        fc.nat(),
        fc.boolean(),
        fc.integer({ min: 1, max: 3000 }),
        async (file, at, duplicate, size) => {
          const segments = readCorpus(file).split('~');
          const i = at % segments.length;
          const text = segments.flatMap((s, k) => (k !== i ? [s] : duplicate ? [s, s] : [])).join('~');
          const chunks = chunksOf(text, size);
          expect(await viaClaims(chunks, { codeLists })).toEqual(await viaSets(chunks, { codeLists }));
        },
      ),
      { numRuns: 60 },
    );
  });
});
