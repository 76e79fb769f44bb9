import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  addBusinessDays,
  addDays,
  isBusinessDay,
  manualClock,
  type CalendarDate,
  type Instant,
} from '@openrcm/core';
import { migrate, migrationsFingerprint, openPglite, openPostgres, type Db } from '@openrcm/db';
import {
  codesetsAdapter,
  eligibilityFigures,
  importPayerPolicies,
  transportFor,
  type ClearinghouseTransport,
  type EligibilityFigures,
} from '@openrcm/engine';
import { generateToDirectory, payerPolicyManual } from '@openrcm/sim';
import { serveClearinghouse } from '@openrcm/sim/clearinghouse';
import type { JobContext } from './jobs/context.ts';
import { runJob } from './jobs/registry.ts';

/**
 * The end-to-end run behind `npm run demo` (issue #8, at this stage): a synthetic billing organization's
 * practices are generated and imported into a fresh database (embedded PGlite unless DATABASE_URL is set); the
 * simulated clearinghouse with its payers listens on a local SFTP port; then a simulated clock walks day by day
 * through the months and a run-out period, and every business day runs the production worker's job handlers
 * (jobs/registry.ts, the same `runJob` that `openrcm worker` and `openrcm job run` use) on that clock, without a
 * queue: in the morning clearinghouse.pickup (999, 277CA, 835, 271 ingested or posted) and claims.daily (build,
 * scrub and submit the claims of the encounters documented by then); in the evening eligibility.nightly (270s
 * for tomorrow's schedule) and another pickup; db.analyze once a simulated month; reports.monthly at the end.
 * Every file sent and received is kept under `edi/`, and `summary.json` says what each stage did, in counts
 * and dollars, with the balance checks (payments posted = Σ BPR02; no claim lost between stages; every claim
 * line's ledger balances).
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
  /**
   * Eligibility: the checks by classification, and the period's visits verified and flagged by reason, out of
   * the 271s received (`eligibilityFigures`).
   */
  readonly eligibility: {
    readonly checks: Readonly<Record<string, number>>;
    readonly visits: EligibilityFigures;
  };
  readonly edi: {
    readonly sent: Readonly<Record<string, number>>;
    readonly received: Readonly<Record<string, number>>;
  };
  readonly dollars: Readonly<Record<string, number>>;
  readonly balance: Readonly<Record<string, boolean>>;
  /** The per-claim-line ledger check behind `balance.everyClaimLineBalances`: lines checked and the failures. */
  readonly claimLines: Readonly<Record<string, number>>;
  /** Wall time per step over the whole run (where the time goes). */
  readonly stepMs: Readonly<Record<string, number>>;
  /** CPU time of this process per step (user + system), insensitive to the machine's load. */
  readonly stepCpuMs: Readonly<Record<string, number>>;
  readonly elapsedMs: number;
  /** CPU time of this process over the whole run, like elapsedMs (user + system). */
  readonly cpuMs: number;
}

async function openDemoDb(o: DemoOptions): Promise<Db> {
  if (o.databaseUrl !== undefined && o.databaseUrl !== '') {
    const db = await openPostgres({ connectionString: o.databaseUrl });
    await migrate(db);
    return db;
  }
  const dataDir = join(o.out, 'database');
  rmSync(dataDir, { recursive: true, force: true });
  // Creating an embedded database (initdb in WebAssembly) costs about 4 s of CPU, loading a migrated one from
  // its dump about 1 s: the first run keeps the dump of its freshly migrated database in the OS temp directory,
  // keyed by the migrations' fingerprint, and later runs start from it.
  const template = join(tmpdir(), `openrcm-demo-db-${migrationsFingerprint().slice(0, 16)}.tar`);
  if (existsSync(template)) {
    try {
      const db = await openPglite({ dataDir, loadDataDir: new Blob([readFileSync(template)]) });
      await migrate(db);
      return db;
    } catch {
      // A dump from another PGlite version or a damaged file: start from scratch below.
      rmSync(dataDir, { recursive: true, force: true });
    }
  }
  const db = await openPglite({ dataDir });
  await migrate(db);
  const dump = await db.pglite.dumpDataDir('none');
  // Write then rename, so a concurrent run never reads half a file.
  const part = `${template}.${process.pid}.part`;
  writeFileSync(part, Buffer.from(await dump.arrayBuffer()));
  renameSync(part, template);
  // Dumps of older schema versions are of no further use (about 45 MB each).
  for (const f of readdirSync(tmpdir()))
    if (f.startsWith('openrcm-demo-db-') && f.endsWith('.tar') && join(tmpdir(), f) !== template)
      rmSync(join(tmpdir(), f), { force: true });
  return db;
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
  const cpu0 = process.cpuUsage();
  for (const sub of ['data', 'edi', 'clearinghouse', 'reports', 'summary.json'])
    rmSync(join(o.out, sub), { recursive: true, force: true });
  const dataDir = join(o.out, 'data');
  const sentDir = join(o.out, 'edi', 'outbound');
  const receivedDir = join(o.out, 'edi', 'inbound');
  for (const d of [sentDir, receivedDir]) mkdirSync(d, { recursive: true });

  const stepMs: Record<string, number> = {};
  const stepCpuMs: Record<string, number> = {};
  // Wall time and this process's CPU time per step. The demo is one process (the embedded database, the
  // simulated clearinghouse and its SFTP server run in it) and its steps run one after the other, so a step's
  // CPU time is what it cost whatever else loads the machine.
  const timed = async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const t0 = Date.now();
    const c0 = process.cpuUsage();
    try {
      return await fn();
    } finally {
      const c = process.cpuUsage(c0);
      stepMs[step] = (stepMs[step] ?? 0) + Date.now() - t0;
      stepCpuMs[step] = (stepCpuMs[step] ?? 0) + Math.round((c.user + c.system) / 1000);
    }
  };
  o.log(`generating ${o.practices} practice(s) × ${o.months} month(s), seed ${o.seed}`);
  const gen = await timed('generate', () =>
    Promise.resolve(
      generateToDirectory(
        {
          practices: o.practices,
          months: o.months,
          seed: o.seed,
          startDate: o.startDate,
          volume: o.volume ?? 1,
        },
        dataDir,
      ),
    ),
  );
  o.log(
    `  ${gen.counts['patients'] ?? 0} patients, ${gen.counts['encounters'] ?? 0} encounters, ${gen.counts['charges'] ?? 0} charges`,
  );

  const db = await timed('open database', () => openDemoDb(o));
  const password = randomBytes(12).toString('hex');
  const server = await timed('clearinghouse clock', () =>
    serveClearinghouse({
      root: join(o.out, 'clearinghouse'),
      username: 'openrcm',
      password,
      seed: o.seed,
      dataDir,
      startDate: o.startDate,
    }),
  );
  const transports = new Map<number, ClearinghouseTransport>();
  const sent: Record<string, number> = {};
  const received: Record<string, number> = {};
  try {
    const codeSets = codesetsAdapter();
    // The billing company takes the practices on the business day before the first day of service, so that
    // evening's eligibility run checks the first day's schedule like every later day's.
    const firstEvening = addBusinessDays(o.startDate as CalendarDate, -1);
    const clock = manualClock(`${firstEvening}T18:00:00.000Z` as Instant);
    const parties = {
      submitterName: 'OPENRCM DEMO BILLING',
      submitterId: 'OPENRCM',
      contactName: 'BILLING DESK',
      contactPhone: '8005550100',
      receiverName: 'OPENRCM SIMULATED CLEARINGHOUSE',
      receiverId: 'SIMCH',
    };
    // The production job handlers on the simulated clock: no queue (the embedded database has none), one
    // handler call per scheduled run, each covering every practice as the scheduled worker run does.
    const ctx: JobContext = {
      db,
      clock,
      transports,
      log: () => undefined,
      outDir: o.out,
      dropDir: dataDir,
      codeSets,
      parties,
      timed,
      onSent: (name, content) => {
        writeFileSync(join(sentDir, name), content);
        const kind = name.startsWith('270') ? '270' : '837P';
        sent[kind] = (sent[kind] ?? 0) + 1;
      },
      onReceived: (name, content, kind) => {
        writeFileSync(join(receivedDir, name), content);
        received[kind] = (received[kind] ?? 0) + 1;
      },
    };

    o.log(`importing into ${db.kind === 'pglite' ? 'the embedded database' : 'the PostgreSQL server'}`);
    await runJob(ctx, 'intake.import');

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

    // The billing company configures each payer's published policies (prior authorization lists, non-covered
    // codes, medical necessity, bundling, unit limits) as scrubber data — here the simulated payers' manual.
    const policies = await timed('payer policies', () =>
      importPayerPolicies(db, payerPolicyManual(), {
        at: `${firstEvening}T18:00:00.000Z` as Instant,
        actor: 'system:demo.setup',
      }),
    );
    if (!policies.ok) {
      throw new Error(
        `payer policies refused: ${policies.errors.map((e) => `${e.at} ${e.message}`).join('; ')}`,
      );
    }
    const lastServiceDay = lastDayOf(o.startDate, o.months);
    const clockEnd = addDays(lastServiceDay, o.runoutDays ?? 45);

    clock.set(`${firstEvening}T22:00:00.000Z` as Instant);
    await runJob(ctx, 'eligibility.nightly');
    await timed('clearinghouse processing', () => server.processInbound());
    await runJob(ctx, 'clearinghouse.pickup');

    let day = o.startDate as CalendarDate;
    let lastLog = '';
    while (day <= clockEnd) {
      await timed('clearinghouse clock', () => server.advanceTo(day));
      if (isBusinessDay(day)) {
        // Morning: what came back overnight, then the claims of the encounters documented by this morning.
        clock.set(`${day}T07:00:00.000Z` as Instant);
        await runJob(ctx, 'clearinghouse.pickup');
        await runJob(ctx, 'claims.daily');
        await timed('clearinghouse processing', () => server.processInbound());
        if (day <= lastServiceDay) {
          // Evening: tomorrow's schedule checked with 270s; the answers picked up right away.
          clock.set(`${day}T22:00:00.000Z` as Instant);
          await runJob(ctx, 'eligibility.nightly');
          await timed('clearinghouse processing', () => server.processInbound());
          await runJob(ctx, 'clearinghouse.pickup');
        }
      }
      const month = day.slice(0, 7);
      if (month !== lastLog || day === clockEnd) {
        lastLog = month;
        // What the server's autovacuum would do: keep planner statistics current as the tables grow.
        clock.set(`${day}T23:30:00.000Z` as Instant);
        await runJob(ctx, 'db.analyze');
        const s = await count(db, 'SELECT status AS k, count(*)::int AS n FROM claims GROUP BY status');
        o.log(
          `${day}  claims ${Object.entries(s)
            .map(([k, v]) => `${k} ${v}`)
            .join(', ')}`,
        );
      }
      day = addDays(day, 1);
    }
    clock.set(`${clockEnd}T23:00:00.000Z` as Instant);
    await runJob(ctx, 'clearinghouse.pickup');
    // The 270 batches the eligibility job sent went through the same transport: keep copies with the 837s.
    const archive = join(o.out, 'clearinghouse', 'archive');
    if (existsSync(archive)) {
      for (const f of readdirSync(archive).filter((x) => x.startsWith('270'))) {
        copyFileSync(join(archive, f), join(sentDir, f));
        sent['270'] = (sent['270'] ?? 0) + 1;
      }
    }

    // The monthly performance package of every month of service, per practice and rolled up: the monthly job
    // for each month, run once the clock has stopped so the packages include the run-out's payments.
    const months: string[] = [];
    for (let m = o.startDate.slice(0, 7); m <= lastServiceDay.slice(0, 7);) {
      months.push(m);
      const [y, mm] = m.split('-').map(Number) as [number, number];
      m = mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, '0')}`;
    }
    let reportFiles = 0;
    for (const month of months)
      reportFiles += (await runJob(ctx, 'reports.monthly', { month })).counts['files'] ?? 0;
    o.log(`wrote ${reportFiles} report files under ${join(o.out, 'reports')}`);

    // The closing counts and checks: timed like a step.
    const summaryT0 = Date.now();
    const summaryC0 = process.cpuUsage();
    const claimsByStatus = await count(
      db,
      'SELECT status AS k, count(*)::int AS n FROM claims GROUP BY status ORDER BY status',
    );
    const heldBy = await count(
      db,
      "SELECT hold_reason AS k, count(*)::int AS n FROM claims WHERE status = 'held' GROUP BY hold_reason",
    );
    const eligibility = {
      checks: await count(
        db,
        'SELECT classification AS k, count(*)::int AS n FROM eligibility_checks GROUP BY classification',
      ),
      visits: await eligibilityFigures(db, { from: o.startDate as CalendarDate, to: lastServiceDay }),
    };
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
    // Per claim line, from the ledger: charge = insurance paid + adjustments + patient responsibility + open
    // insurance balance (patient payments move money between cash and ar_patient on the line, so they appear on
    // neither side). Lines of each claim's current version (a void excepted) carry exactly their billed charge
    // and all have their charge posting; lines a corrected version replaced gave their charge up and only balance.
    const lines = await db.query<{
      lines: number;
      unbalanced: number;
      charge_mismatch: number;
      unposted: number;
    }>(
      `WITH per_line AS (
         SELECT e.practice_id, e.claim_line_id,
                coalesce(-sum(e.amount_cents) FILTER (WHERE e.account = 'gross_charges'), 0) AS charge,
                coalesce(sum(e.amount_cents) FILTER (WHERE e.account = 'cash' AND t.kind <> 'patient_payment'), 0) AS paid,
                coalesce(sum(e.amount_cents) FILTER (WHERE e.account IN ('contractual_adjustments', 'other_adjustments',
                         'write_offs', 'provider_level_adjustments')), 0) AS adjustments,
                coalesce(sum(e.amount_cents) FILTER (WHERE e.account = 'ar_patient' AND t.kind <> 'patient_payment'), 0) AS patient,
                coalesce(sum(e.amount_cents) FILTER (WHERE e.account = 'ar_insurance'), 0) AS open_balance
           FROM ledger_entries e JOIN ledger_transactions t ON t.practice_id = e.practice_id AND t.id = e.transaction_id
          WHERE e.claim_line_id IS NOT NULL
          GROUP BY e.practice_id, e.claim_line_id),
       current_lines AS (
         SELECT cl.practice_id, cl.id, cl.charge_cents
           FROM (SELECT DISTINCT ON (practice_id, claim_id) practice_id, id, frequency_code
                   FROM claim_versions ORDER BY practice_id, claim_id, version_no DESC) v
           JOIN claim_lines cl ON cl.practice_id = v.practice_id AND cl.claim_version_id = v.id
          WHERE v.frequency_code <> '8')
       SELECT (SELECT count(*)::int FROM per_line) AS lines,
              (SELECT count(*)::int FROM per_line p
                WHERE p.charge <> p.paid + p.adjustments + p.patient + p.open_balance) AS unbalanced,
              (SELECT count(*)::int FROM current_lines c
                 JOIN per_line p ON p.practice_id = c.practice_id AND p.claim_line_id = c.id
                WHERE p.charge <> c.charge_cents) AS charge_mismatch,
              (SELECT count(*)::int FROM current_lines c
                WHERE NOT EXISTS (SELECT 1 FROM per_line p WHERE p.practice_id = c.practice_id AND p.claim_line_id = c.id)) AS unposted`,
    );
    const lineCheck = lines.rows[0] ?? { lines: 0, unbalanced: 0, charge_mismatch: 0, unposted: 0 };
    const summaryCpu = process.cpuUsage(summaryC0);
    stepMs['summary'] = Date.now() - summaryT0;
    stepCpuMs['summary'] = Math.round((summaryCpu.user + summaryCpu.system) / 1000);
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
        everyClaimLineBalances:
          lineCheck.lines > 0 &&
          lineCheck.unbalanced === 0 &&
          lineCheck.charge_mismatch === 0 &&
          lineCheck.unposted === 0,
      },
      claimLines: {
        checked: lineCheck.lines,
        unbalanced: lineCheck.unbalanced,
        chargeDiffersFromLine: lineCheck.charge_mismatch,
        withoutChargePosting: lineCheck.unposted,
      },
      stepMs,
      stepCpuMs,
      elapsedMs: Date.now() - started,
      cpuMs: Math.round(((u) => u.user + u.system)(process.cpuUsage(cpu0)) / 1000),
    };
    writeFileSync(join(o.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    for (const tr of transports.values()) await tr.close();
    await server.close();
    await db.close();
  }
}
