import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseEligibility, streamEligibility } from '../tx270271/read.ts';
import { parseClaimAcknowledgement, streamClaimAcknowledgement } from '../tx277ca/read.ts';
import { parseClaimStatus, streamClaimStatus } from './read.ts';

const goldenDir = join(import.meta.dirname, '..', '..', 'test', 'golden');

function* chunks(text: string, size: number): Generator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function collect<T>(gen: AsyncGenerator<{ value: T }>): Promise<T[]> {
  const out: T[] = [];
  for await (const r of gen) out.push(r.value);
  return out;
}

describe('streaming readers give the same typed transactions as whole-text parsing', () => {
  for (const folder of ['270', '271', '276', '277', '277ca']) {
    for (const file of readdirSync(join(goldenDir, folder)).filter((f) => f.endsWith('.edi'))) {
      it(`${folder}/${file} in chunks of 1, 7 and 4096 characters`, async () => {
        const text = readFileSync(join(goldenDir, folder, file), 'utf8');
        for (const size of [1, 7, 4096]) {
          if (folder === '270' || folder === '271') {
            expect(await collect(streamEligibility(chunks(text, size)))).toEqual(
              parseEligibility(text).value,
            );
          } else if (folder === '277ca') {
            expect(await collect(streamClaimAcknowledgement(chunks(text, size)))).toEqual(
              parseClaimAcknowledgement(text).value,
            );
          } else {
            expect(await collect(streamClaimStatus(chunks(text, size)))).toEqual(
              parseClaimStatus(text).value,
            );
          }
        }
      });
    }
  }
});
