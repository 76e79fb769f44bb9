import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, type CalendarDate, type Instant } from '@openrcm/core';
import { migrate, openPglite, openPostgres, practiceScope, type Db } from '@openrcm/db';
import { buildClaims, codesetsAdapter, importPath, scrubClaims } from '@openrcm/engine';
import { generateToDirectory } from '@openrcm/sim';
import { read837P } from '@openrcm/x12/837p';
import { submitReadyClaims } from './submit.ts';

/**
 * The end-to-end run behind `npm run demo`, at this stage of the platform: a synthetic billing organization's
 * practices are generated, imported into a fresh database (embedded PGlite unless DATABASE_URL is set),
 * their coded encounters built into claims, scrubbed, and the clean ones written as 837P interchanges to
 * the outbound folder (the folder-drop transport), every file then read back by OpenRCM's own X12 reader.
 * The simulated clearinghouse and payers that answer those files (999, 277CA, 835) and the day-by-day clock
 * come with issues #4 and #8; until then the demo stops at submission and says so.
 */

export interface DemoOptions {
  readonly practices: number;
  readonly months: number;
  readonly seed: number;
  readonly out: string;
  /** First date of service of the generated schedule. */
  readonly startDate: string;
  readonly databaseUrl?: string | undefined;
  readonly log: (line: string) => void;
}

export interface DemoSummary {
  readonly generated: Readonly<Record<string, number>>;
  readonly imported: Readonly<Record<string, number>>;
  readonly claims: {
    readonly built: number;
    readonly scrubbed: number;
    readonly held: number;
    readonly heldBy: Readonly<Record<string, number>>;
    readonly heldByRule: Readonly<Record<string, number>>;
    readonly ready: number;
    readonly submitted: number;
    readonly paper: number;
    readonly encountersWithoutPrimaryCoverage: number;
  };
  readonly dollars: { readonly chargedCents: number; readonly submittedCents: number };
  readonly edi: {
    readonly outboundFiles: number;
    readonly claimsInFiles: number;
    readonly readerErrors: number;
  };
  readonly balance: { readonly builtEqualsHeldPlusReadyPlusSubmitted: boolean };
  readonly notYet: readonly string[];
  readonly elapsedMs: number;
}

function add(into: Record<string, number>, from: Readonly<Record<string, number>>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
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

export async function runDemo(o: DemoOptions): Promise<DemoSummary> {
  const started = Date.now();
  for (const sub of ['data', 'edi', 'summary.json'])
    rmSync(join(o.out, sub), { recursive: true, force: true });
  mkdirSync(o.out, { recursive: true });
  const dataDir = join(o.out, 'data');
  const outbound = join(o.out, 'edi', 'outbound');

  o.log(`generating ${o.practices} practice(s) × ${o.months} month(s), seed ${o.seed}`);
  const gen = generateToDirectory(
    { practices: o.practices, months: o.months, seed: o.seed, startDate: o.startDate },
    dataDir,
  );
  const generated = gen.counts;
  o.log(
    `  ${generated['patients'] ?? 0} patients, ${generated['encounters'] ?? 0} encounters, ${generated['charges'] ?? 0} charges`,
  );

  const db = await openDemoDb(o);
  try {
    o.log(`importing into ${db.kind === 'pglite' ? 'the embedded database' : 'the PostgreSQL server'}`);
    const imp = await importPath(db, dataDir);
    if (!imp.ok) {
      const bad = imp.files.filter((f) => f.status === 'rejected');
      throw new Error(`import rejected ${bad.map((f) => f.file).join(', ')}`);
    }
    const imported: Record<string, number> = {};
    for (const f of imp.files) if (f.status === 'imported') imported[f.entity] = f.rowsInserted;

    // One simulated clearinghouse carries every electronic payer's claims.
    await db.query(
      `INSERT INTO clearinghouses (code, name, sender_id, receiver_id, usage_indicator, transport, settings)
       VALUES ('sim', 'OpenRCM simulated clearinghouse', 'OPENRCM', 'SIMCH', 'T', 'directory', '{}'::jsonb)
       ON CONFLICT (code) DO NOTHING`,
    );
    await db.query(
      `UPDATE payers SET clearinghouse_id = (SELECT id FROM clearinghouses WHERE code = 'sim')
        WHERE submission_channel = 'electronic' AND clearinghouse_id IS NULL`,
    );

    // The run happens the morning after the last generated month, when every encounter is documented.
    const endOfPeriod = addDays(addDays(o.startDate as CalendarDate, 0), 0);
    const lastDay = new Date(`${endOfPeriod}T00:00:00Z`);
    lastDay.setUTCMonth(lastDay.getUTCMonth() + o.months);
    const asOf = addDays(lastDay.toISOString().slice(0, 10) as CalendarDate, 5);
    const at = `${asOf}T06:00:00.000Z` as Instant;
    const codeSets = codesetsAdapter();

    const practices = await db.query<{ id: number; code: string; name: string }>(
      'SELECT id, code, name FROM practices ORDER BY id',
    );
    let built = 0;
    let scrubbed = 0;
    let held = 0;
    let ready = 0;
    let submitted = 0;
    let paper = 0;
    let noPrimary = 0;
    const heldBy: Record<string, number> = {};
    const heldByRule: Record<string, number> = {};
    for (const p of practices.rows) {
      const scope = practiceScope(p.id);
      const b = await buildClaims(db, scope, { at });
      built += b.claimsBuilt;
      noPrimary += b.skipped['no_primary_coverage'] ?? 0;
      const s = await scrubClaims(db, scope, { asOf, at, codeSets });
      scrubbed += s.scrubbed;
      held += s.held;
      ready += s.ready;
      add(heldBy, s.heldBy);
      add(heldByRule, s.issuesByRule);
      const sub = await submitReadyClaims(db, scope, {
        at,
        outboundDir: outbound,
        parties: {
          submitterName: 'OPENRCM DEMO BILLING',
          submitterId: 'OPENRCM',
          contactName: 'BILLING DESK',
          contactPhone: '8005550100',
          receiverName: 'OPENRCM SIMULATED CLEARINGHOUSE',
          receiverId: 'SIMCH',
        },
      });
      submitted += sub.claims;
      paper += sub.paperClaims;
      o.log(
        `${p.code}: ${b.claimsBuilt} claims built, ${s.held} held, ${s.ready} clean, ${sub.claims} submitted in ${sub.batches} 837P file(s)`,
      );
    }

    // Read every file back with OpenRCM's own reader: what left must be conforming X12.
    let readerErrors = 0;
    let claimsInFiles = 0;
    const files = existsSync(outbound) ? readdirSync(outbound).filter((f) => f.endsWith('.x12')) : [];
    for (const f of files) {
      const r = read837P(readFileSync(join(outbound, f), 'utf8'));
      readerErrors += r.diagnostics.filter((d) => d.severity === 'error').length;
      for (const t of r.value.transactions) claimsInFiles += t.claims.length;
    }
    const money = await db.query<{ charged: string | number | null; submitted: string | number | null }>(
      `SELECT (SELECT sum(total_charge_cents) FROM claim_versions) AS charged,
              (SELECT sum(total_charge_cents) FROM submission_batches WHERE status = 'sent') AS submitted`,
    );
    const summary: DemoSummary = {
      generated,
      imported,
      claims: {
        built,
        scrubbed,
        held,
        heldBy,
        heldByRule,
        ready: ready - submitted - paper,
        submitted,
        paper,
        encountersWithoutPrimaryCoverage: noPrimary,
      },
      dollars: {
        chargedCents: Number(money.rows[0]?.charged ?? 0),
        submittedCents: Number(money.rows[0]?.submitted ?? 0),
      },
      edi: { outboundFiles: files.length, claimsInFiles, readerErrors },
      balance: { builtEqualsHeldPlusReadyPlusSubmitted: built === held + (ready - submitted) + submitted },
      notYet: [
        'the simulated clearinghouse and payers answering with 999, 277CA and 835 (issue #4)',
        'posting of remittances to the ledger (issue #6)',
        'eligibility 270/271 runs (issue #7)',
        'the day-by-day simulated clock and the monthly performance report (issue #8)',
      ],
      elapsedMs: Date.now() - started,
    };
    writeFileSync(join(o.out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    await db.close();
  }
}
