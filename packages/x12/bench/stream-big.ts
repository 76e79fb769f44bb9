/**
 * One streaming pass over a large 835 for `npm run bench:x12`, run in a child process so its peak RSS is its own:
 * `stream835` (whole transaction sets) or `stream835Claims` (claim by claim). The bench runs it under tsx and also
 * bundled to plain JavaScript (how a program using the library runs it, without the TypeScript loader's memory).
 *
 *   node stream-big.mjs stream|claims FILE   (prints one JSON line: wall and CPU ms, claims, peak RSS in MB)
 */
import { createReadStream } from 'node:fs';
import { stream835, stream835Claims } from '../src/tx835/reader.ts';

export async function streamBig(
  mode: 'stream' | 'claims',
  file: string,
): Promise<{ ms: number; cpuMs: number; claims: number; maxRssMb: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let claims = 0;
  if (mode === 'claims') {
    for await (const batch of stream835Claims(createReadStream(file)))
      for (const item of batch) if (item.kind === 'claim') claims++;
  } else {
    for await (const x of stream835(createReadStream(file)))
      for (const h of x.value.headers) claims += h.claims.length;
  }
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { ms, cpuMs: (c.user + c.system) / 1000, claims, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

const [mode, file] = process.argv.slice(2);
// Run as a program (the bundle, or this file under tsx), not imported by bench-x12.ts.
if (process.argv[1] === import.meta.filename) {
  if ((mode !== 'stream' && mode !== 'claims') || file === undefined) {
    process.stdout.write(`${JSON.stringify({ ok: false, error: 'usage: stream-big stream|claims FILE' })}\n`);
  } else {
    process.stdout.write(`${JSON.stringify({ ok: true, ...(await streamBig(mode, file)) })}\n`);
  }
}
