/**
 * Year-to-date benefit accumulators for members whose history the simulation did not generate. A data
 * set that starts in, say, June would otherwise have every member's deductible unmet, and patient
 * responsibility far above real mid-year levels. Deterministic per (seed, payer, member, year).
 */
import { Rng } from '../prng.ts';
import type { Accumulator } from './adjudicate.ts';
import type { PayerProfile } from './profiles.ts';

/**
 * Allowed spend a member accumulated from January 1 to the day before `date`: a lognormal annual spend
 * (median $1,800, wide spread, as medical spending is) pro-rated to the year elapsed, then passed through
 * the plan's deductible and coinsurance, capped by the out-of-pocket maximum.
 */
export function seasonedAccumulator(
  profile: PayerProfile,
  memberId: string,
  date: string,
  seed: number | string,
): Accumulator {
  const year = date.slice(0, 4);
  const start = Date.UTC(Number(year), 0, 1);
  const elapsed = Math.max(0, (Date.parse(`${date}T00:00:00Z`) - start) / (365 * 86_400_000));
  const rng = new Rng(seed).fork(`accumulator/${profile.payerId}/${memberId}/${year}`);
  const spend = Math.round(rng.lognormal(180_000, 1.2) * elapsed);
  const b = profile.benefit;
  const deductible = Math.min(b.deductibleCents, spend);
  const coinsurance = Math.round(((spend - deductible) * b.coinsuranceBp) / 10_000);
  let oop = deductible + coinsurance;
  if (b.outOfPocketMaxCents > 0) oop = Math.min(oop, b.outOfPocketMaxCents);
  return { deductibleCents: deductible, outOfPocketCents: oop };
}
