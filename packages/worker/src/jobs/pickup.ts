/**
 * clearinghouse.pickup: every file waiting on each clearinghouse is fetched, told apart by its first ST01
 * (the clearinghouse sends one kind per file) and ingested — 999, 277CA and TA1 by `ingestAcknowledgement`,
 * 271 by `ingestEligibilityResponses`, 835 by `importEra` (which posts it) — and only then acknowledged
 * (removed from the remote folder). A crash between ingest and acknowledgement re-ingests the file on the next
 * run, which the ingests tolerate (file and content hashes). A file that fails to ingest stays on the
 * clearinghouse; the others go on, and the job ends with a retryable error naming how many stayed.
 */
import { importEra, ingestAcknowledgement, ingestEligibilityResponses } from '@openrcm/engine';
import { isOpenRcmError } from '@openrcm/core';
import { workerError } from '../errors.ts';
import { timed, type JobContext, type ReceivedKind } from './context.ts';
import { withSubjectLock } from './lock.ts';
import type { JobPayload } from './payload.ts';

/**
 * The kind of a received file from its first ST01, without parsing the whole file a second time: the ingest
 * that follows parses it once.
 */
export function kindOf(content: string): ReceivedKind {
  const isa = content.indexOf('ISA');
  const sep = isa < 0 ? '*' : (content[isa + 3] ?? '*');
  const term = isa < 0 ? '~' : (content[isa + 105] ?? '~');
  // The ST segment: "ST*" right after a segment terminator (and any line break), not inside an element.
  let st = content.indexOf(`ST${sep}`, isa + 106);
  const afterTerminator = (i: number): boolean => {
    let j = i - 1;
    while (j >= 0 && /\s/.test(content[j] ?? '')) j--;
    return content[j] === term;
  };
  while (st >= 0 && !afterTerminator(st)) st = content.indexOf(`ST${sep}`, st + 1);
  const type = st < 0 ? '' : content.slice(st + 3, st + 6);
  switch (type) {
    case '835':
    case '271':
    case '999':
      return type;
    case '277':
      return '277CA';
    default:
      return 'TA1';
  }
}

export async function clearinghousePickup(
  ctx: JobContext,
  payload: JobPayload,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = { files: 0, failed: 0 };
  for (const [clearinghouseId, transport] of ctx.transports) {
    if (payload.clearinghouseId !== undefined && payload.clearinghouseId !== clearinghouseId) continue;
    // Two pickups from one clearinghouse at once would fetch the same files: one at a time.
    await withSubjectLock(ctx.db, 'clearinghouse', clearinghouseId, async () => {
      for (const name of await timed(ctx, 'pickup transfer', () => transport.list())) {
        const content = await timed(ctx, 'pickup transfer', () => transport.fetch(name));
        const kind = kindOf(content);
        ctx.onReceived?.(name, content, kind);
        const at = ctx.clock.now();
        try {
          if (kind === '835')
            await timed(ctx, 'post 835', () =>
              importEra(
                ctx.db,
                { text: content, fileName: name },
                { receivedAt: at, now: at, actor: 'system:era.pickup' },
              ),
            );
          else if (kind === '271')
            await timed(ctx, 'ingest 271', () => ingestEligibilityResponses(ctx.db, content, { at }));
          else
            await timed(ctx, 'ingest acks', () =>
              ingestAcknowledgement(ctx.db, { name, content, clearinghouseId }, { at }),
            );
        } catch (e) {
          // The file name and the error code only: an ingest error may describe the content.
          counts['failed'] = (counts['failed'] ?? 0) + 1;
          ctx.log('pickup.file_failed', {
            clearinghouseId,
            file: name,
            kind,
            code: isOpenRcmError(e) ? e.code : 'unexpected',
          });
          continue;
        }
        await timed(ctx, 'pickup transfer', () => transport.acknowledge(name));
        counts['files'] = (counts['files'] ?? 0) + 1;
        counts[kind] = (counts[kind] ?? 0) + 1;
      }
    });
  }
  const failed = counts['failed'] ?? 0;
  if (failed > 0)
    throw workerError(
      'worker.pickup_incomplete',
      `${failed} picked-up file(s) could not be ingested and stay on the clearinghouse (see pickup.file_failed)`,
    );
  return counts;
}
