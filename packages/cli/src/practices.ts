/** Resolving `--practice CODE` for the command modules. */
import type { Db } from '@openrcm/db';
import { invalid } from './args.ts';

export interface PracticeRef {
  readonly id: number;
  readonly code: string;
}

/** Every practice, or only the one with this code (a usage error when there is none). */
export async function practicesByCode(db: Db, code: string | undefined): Promise<PracticeRef[]> {
  const res = await db.query<{ id: number; code: string }>(
    'SELECT id, code FROM practices WHERE $1::text IS NULL OR code = $1 ORDER BY id',
    [code ?? null],
  );
  if (code !== undefined && res.rows.length === 0) throw invalid(`--practice: no practice with code ${code}`);
  return res.rows;
}

/** The practice with this code (a usage error when there is none). */
export async function practiceByCode(db: Db, code: string): Promise<PracticeRef> {
  const [p] = await practicesByCode(db, code);
  if (p === undefined) throw invalid(`--practice: no practice with code ${code}`);
  return p;
}
