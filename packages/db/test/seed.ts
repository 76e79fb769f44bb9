/** Seeds two practices with one of everything the foundation queries cover (tests only). */
import { Npi, PayerCode, PlaceOfService, parseDate } from '@openrcm/core';
import {
  createEnrollment,
  createLocation,
  createPayer,
  createPractice,
  createProvider,
  practiceScope,
  upsertPracticePayerSettings,
  type Queryable,
} from '../src/index.ts';

export async function seedPractice(
  q: Queryable,
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
  return { practice, scope, provider, location, enrollment };
}

export async function seedTwoPractices(q: Queryable) {
  const payer = await createPayer(q, {
    payerCode: PayerCode('00431'),
    name: 'Test Medicare',
    payerType: 'medicare',
  });
  const a = await seedPractice(q, 'alpha', '1234567893', payer.id);
  const b = await seedPractice(q, 'beta', '1000000004', payer.id);
  return { payer, a, b };
}
