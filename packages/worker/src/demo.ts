import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, isBusinessDay, type CalendarDate, type Instant } from '@openrcm/core';
import { migrate, openPglite, openPostgres, practiceScope, type Db } from '@openrcm/db';
import {
  buildClaims,
  codesetsAdapter,
  expireChecks,
  importEra,
  importPath,
  importPayerPolicies,
  writeMonthlyReports,
  ingestAcknowledgement,
  ingestEligibilityResponses,
  planChecks,
  scrubClaims,
  sendChecks,
  transportFor,
  type ClearinghouseTransport,
} from '@openrcm/engine';
import { generateToDirectory, payerPolicyManual } from '@openrcm/sim';
import { serveClearinghouse } from '@openrcm/sim/clearinghouse';
import { submitReadyClaims } from './submit.ts';

/**
 * The end-to-end run behind `npm run demo` (issue #8, at this stage): a synthetic billing organization's
 * practices are generated and imported into a fresh database (embedded PGlite unless DATABASE_URL is set); the
 * simulated clearinghouse with its payers listens on a local SFTP port; then a simulated clock walks day by day
 * through the months and a run-out period, and every business day runs the same steps the production jobs run:
 * pick up what the clearinghouse sent (999, 277CA, 835, 271) and ingest or post it; build, scrub and submit the
 * claims of the encounters documented by then; and in the evening check tomorrow's schedule with 270s.
 * Every file sent and received is kept under `edi/`, and `summary.json` says what each stage did, in counts
 * and dollars, with the balance checks (payments posted = Σ BPR02; no claim lost between stages).
 */

export interface DemoOptions {
  readonly practices: number;
  readonly months: number;
  readonly seed: number;
  readonly out: string;
  /** First date of service of the generated schedule. */
  readonly startDate: string;
  /** Days after the last month the clock keeps running so claims can be paid. */
  readonly runoutDays?: number;
  /** Multiplier on the generated daily visit volume (default 1: full clinic days). */
  readonly volume?: number;
  readonly databaseUrl?: string | undefined;
  readonly log: (line: string) => void;
}

export interface DemoSummary {
  readonly period: { readonly from: string; readonly to: string; readonly clockEnd: string };
  readonly generated: Readonly<Record<string, number>>;
  readonly claims: Readonly<Record<string, number>>;
  readonly claimsByStatus: Readonly<Record<string, number>>;
  readonly heldBy: Readonly<Record<string, number>>;
  readonly eligibility: Readonly<Record<string, number>>;
  readonly edi: {
    readonly sent: Readonly<Record<string, number>>;
    readonly received: Readonly<Record<string, number>>;
  };
  readonly dollars: Readonly<Record<string, number>>;
  readonly balance: Readonly<Record<string, boolean>>;
  /** Wall time per step over the whole run (where the time goes). */
  readonly stepMs: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
}

async function openDemoDb(o: DemoOptions): Promise<Db> {
  if (o.databaseUrl !== undefined && o.databaseUrl !== '') {
    const db = await openPostgres({ connectionString: o.databaseUrl });
    await migrate(db);
    return db;
  }
  const dataDir = join(o.out, 'database');
  rmSync(dataDir, { recursive: true, force: true });
  const db = await openPglite({ dataDir });
  await migrate(db);
  return db;
}

/**
 * The kind of a received file from its first ST01 (the clearinghouse sends one kind per file), without
 * parsing the whole file a second time: the ingest that follows parses it once.
 */
function kindOf(content: string): string {
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

function lastDayOf(start: string, months: number): CalendarDate {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + months);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10) as CalendarDate;
}

async function count(db: Db, sql: string, params: unknown[] = []): Promise<Record<string, number>> {
  const r = await db.query<{ k: string | null; n: number | string }>(sql, params);
  return Object.fromEntries(r.rows.map((x) => [x.k ?? 'none', Number(x.n)]));
}

export async function runDemo(o: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  for (const sub of ['data', 'edi', 'clearinghouse', 'reports', 'summary.json'])
    rmSync(join(o.out, sub), { recursive: true, force: true });
  const dataDir = join(o.out, 'data');
  const sentDir = join(o.out, 'edi', 'outbound');
  const receivedDir = join(o.out, 'edi', 'inbound');
  for (const d of [sentDir, receivedDir]) mkdirSync(d, { recursive: true });

  o.log(`generating ${o.practices} practice(s) × ${o.months} month(s), seed ${o.seed}`);
  const gen = generateToDirectory(
    { practices: o.practices, months: o.months, seed: o.seed, startDate: o.startDate, volume: o.volume ?? 1 },
    dataDir,
  );
  o.log(
    `  ${gen.counts['patients'] ?? 0} patients, ${gen.counts['encounters'] ?? 0} encounters, ${gen.counts['charges'] ?? 0} charges`,
  );

  const db = await openDemoDb(o);
  const password = randomBytes(12).toString('hex');
  const server = await serveClearinghouse({
    root: join(o.out, 'clearinghouse'),
    username: 'openrcm',
    password,
    seed: o.seed,
    dataDir,
    startDate: o.startDate,
  });
  const transports = new Map<number, ClearinghouseTransport>();
  const sent: Record<string, number> = {};
  const stepMs: Record<string, number> = {};
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    try {
      return await fn();
    } finally {
      stepMs[step] = (stepMs[step] ?? 0) + Date.now() - t0;
    }
  };
  const received: Record<string, number> = {};
  try {
    o.log(`importing into ${db.kind === 'pglite' ? 'the embedded database' : 'the PostgreSQL server'}`);
    const imp = await timed('import', () => importPath(db, dataDir));
    if (!imp.ok)
      throw new Error(
        `import rejected ${imp.files
          .filter((f) => f.status === 'rejected')
          .map((f) => f.file)
          .join(', ')}`,
      );

    // The simulated clearinghouse on its local SFTP port carries every electronic payer.
    const house = await db.query<{ id: number }>(
      `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
       VALUES ('sim', 'OpenRCM simulated clearinghouse', 'OPENRCM', 'SIMCH', 'T', 'sftp', $1::jsonb)
       ON CONFLICT (code) DO UPDATE SET settings = EXCLUDED.settings, transport = 'sftp' RETURNING id`,
      [JSON.stringify({ host: server.host, port: server.port, username: 'openrcm' })],
    );
    const houseId = house.rows[0]?.id ?? 0;
    await db.query(`UPDATE payers SET clearinghouse_id = $1 WHERE submission_channel = 'electronic'`, [
      houseId,
    ]);
    const settings = await db.query<{ code: string; transport: string; settings: Record<string, unknown> }>(
      'SELECT code, transport, settings FROM clearinghouses WHERE id = $1',
      [houseId],
    );
    const cfg = settings.rows[0];
    if (cfg === undefined) throw new Error('clearinghouse not configured');
    transports.set(houseId, transportFor(cfg, { OPENRCM_CLEARINGHOUSE_SIM_PASSWORD: password }));
    const transport = transports.get(houseId) as ClearinghouseTransport;

    // The billing company configures each payer's published policies (prior authorization lists, non-covered
    // codes, medical necessity, bundling, unit limits) as scrubber data — here the simulated payers' manual.
    const policies = await timed('payer policies', () =>
      importPayerPolicies(db, payerPolicyManual(), {
        at: `${o.startDate}T00:00:00.000Z` as Instant,
        actor: 'system:demo.setup',
      }),
    );
    if (!policies.ok) {
      throw new Error(
        `payer policies refused: ${policies.errors.map((e) => `${e.at} ${e.message}`).join('; ')}`,
      );
    }
    const practices = (
      await db.query<{ id: number; code: string }>('SELECT id, code FROM practices ORDER BY id')
    ).rows;
    const codeSets = codesetsAdapter();
    const lastServiceDay = lastDayOf(o.startDate, o.months);
    const clockEnd = addDays(lastServiceDay, o.runoutDays ?? 45);
    const parties = {
      submitterName: 'OPENRCM DEMO BILLING',
      submitterId: 'OPENRCM',
      contactName: 'BILLING DESK',
      contactPhone: '8005550100',
      receiverName: 'OPENRCM SIMULATED CLEARINGHOUSE',
      receiverId: 'SIMCH',
    };

    const pickup = async (at: Instant): Promise<void> => {
      for (const name of await transport.list()) {
        const content = await transport.fetch(name);
        writeFileSync(join(receivedDir, name), content);
        const kind = kindOf(content);
        received[kind] = (received[kind] ?? 0) + 1;
        if (kind === '835')
          await timed('post 835', () =>
            importEra(
              db,
              { text: content, fileName: name },
              { receivedAt: at, now: at, actor: 'system:era.pickup' },
            ),
          );
        else if (kind === '271')
          await timed('ingest 271', () => ingestEligibilityResponses(db, content, { at }));
        else
          await timed('ingest acks', () =>
            ingestAcknowledgement(db, { name, content, clearinghouseId: houseId }, { at }),
          );
        await transport.acknowledge(name);
      }
    };
    const onSent = (name: string, content: string): void => {
      writeFileSync(join(sentDir, name), content);
      const kind = name.startsWith('270') ? '270' : '837P';
      sent[kind] = (sent[kind] ?? 0) + 1;
    };

    let day = o.startDate as CalendarDate;
    let lastLog = '';
    while (day <= clockEnd) {
      await timed('clearinghouse clock', () => server.advanceTo(day));
      if (isBusinessDay(day)) {
        const morning = `${day}T07:00:00.000Z` as Instant;
        await pickup(morning);
        for (const p of practices) {
          const scope = practiceScope(p.id);
          // Encounters whose documentation was signed by this morning become claims today.
          await timed('build claims', () =>
            buildClaims(db, scope, { at: morning, documentedBefore: morning }),
          );
          await timed('scrub', () => scrubClaims(db, scope, { asOf: day, at: morning, codeSets }));
          await timed('submit 837P', () =>
            submitReadyClaims(db, scope, { at: morning, transports, parties, onSent }),
          );
        }
        await timed('clearinghouse processing', () => server.processInbound());
        if (day <= lastServiceDay) {
          const evening = `${day}T22:00:00.000Z` as Instant;
          for (const p of practices) {
            const scope = practiceScope(p.id);
            await timed('eligibility', () => expireChecks(db, scope, { at: evening }));
            await timed('eligibility', () => planChecks(db, scope, { date: day, at: evening }));
            await timed('eligibility', () => sendChecks(db, scope, { at: evening, transports }));
          }
          await timed('clearinghouse processing', () => server.processInbound());
          await pickup(evening);
        }
      }
      const month = day.slice(0, 7);
      if (month !== lastLog || day === clockEnd) {
        lastLog = month;
        // What the server's autovacuum would do: keep planner statistics current as the tables grow.
        await timed('analyze', () => db.exec('ANALYZE'));
        const s = await count(db, 'SELECT status AS k, count(*)::int AS n FROM claims GROUP BY status');
        o.log(
          `${day}  claims ${Object.entries(s)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        );
      }
      day = addDays(day, 1);
    }
    await pickup(`${clockEnd}T23:00:00.000Z` as Instant);
    // The 270 batches the eligibility job sent went through the same transport: keep copies with the 837s.
    const archive = join(o.out, 'clearinghouse', 'archive');
    if (existsSync(archive)) {
      for (const f of readdirSync(archive).filter((x) => x.startsWith('270'))) {
        copyFileSync(join(archive, f), join(sentDir, f));
        sent['270'] = (sent['270'] ?? 0) + 1;
      }
    }

    // The monthly performance package of every month of service, per practice and rolled up.
    const months: string[] = [];
    for (let m = o.startDate.slice(0, 7); m <= lastServiceDay.slice(0, 7);) {
      months.push(m);
      const [y, mm] = m.split('-').map(Number) as [number, number];
      m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
    }
    const reports = await timed('reports', () => writeMonthlyReports(db, o.out, months));
    o.log(`wrote ${reports.files.length} report files under ${join(o.out, 'reports')}`);

    const claimsByStatus = await count(
      db,
      'SELECT status AS k, count(*)::int AS n FROM claims GROUP BY status ORDER BY status',
    );
    const heldBy = await count(
      db,
      "SELECT hold_reason AS k, count(*)::int AS n FROM claims WHERE status = 'held' GROUP BY hold_reason",
    );
    const eligibility = await count(
      db,
      'SELECT classification AS k, count(*)::int AS n FROM eligibility_checks GROUP BY classification',
    );
    const totals = await db.query<Record<string, string | number | null>>(
      `SELECT
         (SELECT count(*) FROM claims) AS built,
         (SELECT count(*) FROM claims WHERE first_submitted_at IS NOT NULL) AS submitted,
         (SELECT count(DISTINCT claim_id) FROM claim_status_history WHERE to_status = 'held') AS ever_held,
         (SELECT count(DISTINCT claim_id) FROM claim_status_history WHERE to_status = 'accepted') AS accepted,
         (SELECT count(DISTINCT claim_id) FROM claim_status_history WHERE to_status = 'rejected') AS rejected,
         (SELECT count(DISTINCT claim_id) FROM claim_payments WHERE claim_id IS NOT NULL) AS adjudicated,
         (SELECT count(DISTINCT claim_id) FROM denials) AS denied,
         (SELECT coalesce(sum(total_charge_cents), 0) FROM claim_versions WHERE version_no = 1) AS charged,
         (SELECT coalesce(sum(CASE WHEN credit_debit = 'C' THEN payment_cents ELSE -payment_cents END), 0) FROM remittances) AS bpr02,
         (SELECT coalesce(sum(e.amount_cents), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
           WHERE e.account = 'cash' AND t.remittance_id IS NOT NULL) AS insurance_paid,
         (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE account = 'contractual_adjustments') AS contractual,
         (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE account = 'other_adjustments') AS other_adjustments,
         (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries e JOIN ledger_transactions t ON t.id = e.transaction_id
           WHERE e.account = 'ar_patient' AND t.kind <> 'patient_payment') AS patient_responsibility,
         (SELECT coalesce(sum(amount_cents), 0) FROM ledger_entries WHERE account IN ('ar_insurance', 'ar_patient')) AS open_ar,
         (SELECT count(*) FROM claims WHERE status = 'held') AS held_now,
         (SELECT count(*) FROM claims WHERE status = 'ready') AS ready_now,
         (SELECT count(*) FROM claims WHERE status = 'draft') AS draft_now`,
    );
    const t = Object.fromEntries(Object.entries(totals.rows[0] ?? {}).map(([k, v]) => [k, Number(v ?? 0)]));
    const n = (k: string): number => t[k] ?? 0;
    const summary: DemoSummary = {
      period: { from: o.startDate, to: lastServiceDay, clockEnd },
      generated: gen.counts,
      claims: {
        built: n('built'),
        heldAtSomePoint: n('ever_held'),
        heldNow: n('held_now'),
        readyNow: n('ready_now'),
        draftNow: n('draft_now'),
        submitted: n('submitted'),
        accepted: n('accepted'),
        rejected: n('rejected'),
        adjudicated: n('adjudicated'),
        denied: n('denied'),
      },
      claimsByStatus,
      heldBy,
      eligibility,
      edi: { sent, received },
      dollars: {
        chargedCents: n('charged'),
        insurancePaidCents: n('insurance_paid'),
        bpr02TotalCents: n('bpr02'),
        contractualAdjustmentsCents: n('contractual'),
        otherAdjustmentsCents: n('other_adjustments'),
        patientResponsibilityCents: n('patient_responsibility'),
        openArCents: n('open_ar'),
      },
      balance: {
        insurancePaymentsPostedEqualSumOfBpr02: n('insurance_paid') === n('bpr02'),
        everyClaimAccountedFor:
          n('built') === n('submitted') + n('held_now') + n('ready_now') + n('draft_now'),
      },
      stepMs,
      elapsedMs: Date.now() - started,
    };
    writeFileSync(join(o.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    for (const tr of transports.values()) await tr.close();
    await server.close();
    await db.close();
  }
}
