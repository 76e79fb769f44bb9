/** Seeds two practices with one of everything the foundation queries cover (tests only). */
import { cents, Npi, PayerCode, PlaceOfService, parseDate } from '@openrcm/core';
import {
  createEnrollment,
  createLocation,
  createPayer,
  createPractice,
  createProvider,
  practiceScope,
  postLedgerTransaction,
  recordAudit,
  upsertPracticePayerSettings,
  type Db,
} from '../src/index.ts';

export async function seedPractice(
  q: Db,
  code: string,
  npi: string,
  payerId: Parameters<typeof createEnrollment>[2]['payerId'],
) {
  const practice = await createPractice(q, { code, name: `Practice ${code}` });
  const scope = practiceScope(practice.id);
  const provider = await createProvider(q, scope, { npi: Npi(npi), lastName: 'Provider', firstName: 'Test' });
  const location = await createLocation(q, scope, {
    name: 'Main office',
    placeOfService: PlaceOfService('11'),
    addressLine1: '1 Main St',
    city: 'Springfield',
    state: 'IL',
    postalCode: '62701',
  });
  await upsertPracticePayerSettings(q, scope, payerId, { underpaymentToleranceBp: 200 });
  const enrollment = await createEnrollment(q, scope, {
    providerId: provider.id,
    payerId,
    status: 'enrolled',
    effectiveFrom: parseDate('2024-01-01'),
  });
  await q.transaction((tx) =>
    postLedgerTransaction(tx, scope, {
      kind: 'charge',
      effectiveDate: parseDate('2024-05-01'),
      idempotencyKey: `seed:${code}`,
      entries: [
        { account: 'ar_insurance', amountCents: cents(10000), payerId },
        { account: 'gross_charges', amountCents: cents(-10000) },
      ],
    }),
  );
  await recordAudit(q, {
    practiceId: practice.id,
    actor: 'system:seed',
    action: 'practice.create',
    entityType: 'practice',
    entityId: practice.id,
  });
  return { practice, scope, provider, location, enrollment };
}

export async function seedTwoPractices(q: Db) {
  const payer = await createPayer(q, {
    payerCode: PayerCode('00431'),
    name: 'Test Medicare',
    payerType: 'medicare',
  });
  const a = await seedPractice(q, 'alpha', '1234567893', payer.id);
  const b = await seedPractice(q, 'beta', '1000000004', payer.id);
  return { payer, a, b };
}
