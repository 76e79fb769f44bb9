import type { Db } from '@openrcm/db';
import { workerError } from '../errors.ts';

/** A practice as the per-practice jobs need it: its id, its code (for logs) and its time zone (its "today"). */
export type PracticeRef = { id: number; code: string; timeZone: string };

/** Every practice in id order, or the one `practiceId` names (a payload error when it does not exist). */
export async function practicesFor(db: Db, practiceId: number | undefined): Promise<PracticeRef[]> {
  const res = await db.query<PracticeRef>(
    `SELECT id, code, time_zone AS "timeZone" FROM practices
      WHERE $1::bigint IS NULL OR id = $1 ORDER BY id`,
    [practiceId ?? null],
  );
  if (practiceId !== undefined && res.rows.length === 0)
    throw workerError('worker.invalid_payload', `payload.practiceId: no practice with id ${practiceId}`);
  return res.rows;
}
