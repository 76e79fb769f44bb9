/**
 * Building a 277CA from the claims a clearinghouse received (for the simulator): one 2000D patient level per
 * claim, with the batch and provider counts (QTY*90 / AA, QTY*QA / QC) and amounts (AMT*YU / YY) computed.
 */
import { compact, datePeriod, type EntityName, type Reference } from '../core/common-segments.ts';
import { X12WriteError } from '../core/writer.ts';
import type { StatusCode, StatusInformation, StatusLevelBase } from '../tx276277/types.ts';
import { isAccepted } from './acknowledgements.ts';
import type { AckBillingProvider, AckPatient, ClaimAcknowledgementTransaction } from './types.ts';

/** One claim being acknowledged. */
export interface AckClaim {
  /** CLM01 of the 837, returned in TRN*2. */
  readonly patientControlNumber: string;
  readonly patient: { readonly lastName: string; readonly firstName?: string; readonly memberId: string };
  /** STC01 (+ STC10, STC11): A1/A2 accepted, A3/A6/A7/A8 rejected with a claim status code. */
  readonly statuses: readonly StatusCode[];
  /** CLM02 in cents (STC04). */
  readonly chargeCents: number;
  /** REF*1K payer claim control number (accepted claims). */
  readonly payerClaimControlNumber?: string;
  /** REF*D9 clearinghouse trace number. */
  readonly clearinghouseTrace?: string;
  /** DTP*472 service date or range (YYYY-MM-DD). */
  readonly serviceDate: string;
  readonly serviceDateEnd?: string;
  /** STC12 free-form message (e.g. which field was wrong). */
  readonly message?: string;
}

/** Input of {@link buildClaimAcknowledgement}. */
export interface AckInput {
  /** BHT03 and the dates: YYYY-MM-DD / HHMM. */
  readonly referenceId: string;
  readonly date: string;
  readonly time: string;
  /** 2100A: the clearinghouse (AY) or payer (PR) answering, with its id (NM108 46 ETIN, PI, FI, XV). */
  readonly source: {
    readonly entity: 'AY' | 'PR';
    readonly name: string;
    readonly idQualifier: '46' | 'FI' | 'PI' | 'XV';
    readonly id: string;
  };
  /** 2200A TRN02 and the dates the batch was received (DTP*050) and processed (DTP*009). */
  readonly sourceTrace: string;
  readonly receivedDate: string;
  readonly processedDate: string;
  /** 2100B: the submitter (us) by ETIN; TRN02 = the 837's BHT03 batch id. */
  readonly receiver: { readonly name: string; readonly etin: string };
  readonly batchReference: string;
  readonly providers: readonly {
    readonly npi: string;
    readonly organizationName?: string;
    readonly lastName?: string;
    readonly firstName?: string;
    /** 2200C TRN02 (the provider's own trace, or '0'). */
    readonly trace?: string;
    readonly claims: readonly AckClaim[];
  }[];
}

function lvl(name: EntityName, tracking: StatusLevelBase['tracking']): StatusLevelBase {
  return { name, contacts: [], tracking, other: [] };
}

/**
 * Builds a 277CA: 2200B counts every claim of the batch as accepted (QTY*90, AMT*YU) or rejected (QTY*AA,
 * AMT*YY); 2200C does the same per billing provider (QTY*QA / QC); each claim gets a 2200D with STC03 WQ when
 * accepted and U when rejected.
 */
export function buildClaimAcknowledgement(input: AckInput): ClaimAcknowledgementTransaction {
  const sum = (claims: readonly AckClaim[], accepted: boolean): { count: number; cents: number } => {
    let count = 0;
    let cents = 0;
    for (const c of claims) {
      if (claimAccepted(c) !== accepted) continue;
      count++;
      cents += c.chargeCents;
    }
    return { count, cents };
  };
  const counts = (claims: readonly AckClaim[], acceptedQty: string, rejectedQty: string) => {
    const a = sum(claims, true);
    const r = sum(claims, false);
    const quantities = [
      ...(a.count > 0 ? [{ qualifier: acceptedQty, milli: a.count * 1000 }] : []),
      ...(r.count > 0 ? [{ qualifier: rejectedQty, milli: r.count * 1000 }] : []),
    ];
    const amounts = [
      ...(a.count > 0 ? [{ qualifier: 'YU', cents: a.cents }] : []),
      ...(r.count > 0 ? [{ qualifier: 'YY', cents: r.cents }] : []),
    ];
    return { quantities, amounts, total: a.cents + r.cents };
  };
  const all = input.providers.flatMap((p) => p.claims);
  if (all.length === 0) throw new X12WriteError('a 277CA acknowledges at least one claim');
  const batch = counts(all, '90', 'AA');
  const providers: AckBillingProvider[] = input.providers.map((p) => {
    if (!/^\d{10}$/.test(p.npi)) throw new X12WriteError('provider npi must be 10 digits');
    const pc = counts(p.claims, 'QA', 'QC');
    const patients: AckPatient[] = p.claims.map((c) => {
      if (c.statuses.length === 0 || c.statuses.length > 3) {
        throw new X12WriteError('a claim acknowledgement carries one to three statuses');
      }
      const references: Reference[] = [];
      if (c.payerClaimControlNumber !== undefined)
        references.push({ qualifier: '1K', value: c.payerClaimControlNumber });
      if (c.clearinghouseTrace !== undefined)
        references.push({ qualifier: 'D9', value: c.clearinghouseTrace });
      return lvl(
        compact<EntityName>({
          entityIdentifier: 'QC',
          entityType: '1',
          lastOrOrganizationName: c.patient.lastName,
          firstName: c.patient.firstName,
          idQualifier: 'MI',
          id: c.patient.memberId,
        }),
        [
          {
            loop: '2200D',
            trace: { typeCode: '2', referenceId: c.patientControlNumber },
            statuses: [
              compact<StatusInformation>({
                statuses: c.statuses,
                effectiveDate: input.processedDate,
                actionCode: claimAccepted(c) ? 'WQ' : 'U',
                chargeCents: c.chargeCents,
                message: c.message,
              }),
            ],
            references,
            quantities: [],
            amounts: [],
            dates: [datePeriod('472', c.serviceDate, c.serviceDateEnd)],
            lines: [],
            other: [],
          },
        ],
      );
    });
    const providerName: EntityName =
      p.organizationName !== undefined
        ? {
            entityIdentifier: '85',
            entityType: '2',
            lastOrOrganizationName: p.organizationName,
            idQualifier: 'XX',
            id: p.npi,
          }
        : compact<EntityName>({
            entityIdentifier: '85',
            entityType: '1',
            lastOrOrganizationName: p.lastName,
            firstName: p.firstName,
            idQualifier: 'XX',
            id: p.npi,
          });
    return {
      ...lvl(providerName, [
        {
          loop: '2200C',
          trace: { typeCode: '1', referenceId: p.trace ?? '0' },
          statuses: [
            {
              statuses: [{ category: 'A1', status: '20' }],
              effectiveDate: input.processedDate,
              actionCode: 'WQ',
              chargeCents: pc.total,
            },
          ],
          references: [],
          quantities: pc.quantities,
          amounts: pc.amounts,
          dates: [],
          lines: [],
          other: [],
        },
      ]),
      patients,
    };
  });
  return {
    header: {
      structureCode: '0085',
      purpose: '08',
      referenceId: input.referenceId,
      date: input.date,
      time: input.time,
      transactionType: 'TH',
    },
    sources: [
      {
        ...lvl(
          {
            entityIdentifier: input.source.entity,
            entityType: '2',
            lastOrOrganizationName: input.source.name,
            idQualifier: input.source.idQualifier,
            id: input.source.id,
          },
          [
            {
              loop: '2200A',
              trace: { typeCode: '1', referenceId: input.sourceTrace },
              statuses: [],
              references: [],
              quantities: [],
              amounts: [],
              dates: [datePeriod('050', input.receivedDate), datePeriod('009', input.processedDate)],
              lines: [],
              other: [],
            },
          ],
        ),
        receivers: [
          {
            ...lvl(
              {
                entityIdentifier: '41',
                entityType: '2',
                lastOrOrganizationName: input.receiver.name,
                idQualifier: '46',
                id: input.receiver.etin,
              },
              [
                {
                  loop: '2200B',
                  trace: { typeCode: '2', referenceId: input.batchReference },
                  statuses: [
                    {
                      statuses: [{ category: 'A1', status: '20' }],
                      effectiveDate: input.processedDate,
                      actionCode: 'WQ',
                      chargeCents: batch.total,
                    },
                  ],
                  references: [],
                  quantities: batch.quantities,
                  amounts: batch.amounts,
                  dates: [],
                  lines: [],
                  other: [],
                },
              ],
            ),
            providers,
          },
        ],
      },
    ],
    other: [],
  };
}

/** Whether an acknowledged claim's statuses accept it (no rejecting category). */
export function claimAccepted(c: Pick<AckClaim, 'statuses'>): boolean {
  return isAccepted({ statuses: [{ statuses: c.statuses }] });
}
