/**
 * `openrcm claims build|list|unbilled|batches|show|correct|void|resubmit|rebuild`: claim construction and the scrubber, and
 * what billers look at.
 */
import type { Command } from 'commander';
import { dateInZone, formatCents, type Cents } from '@openrcm/core';
import { practiceScope } from '@openrcm/db';
import { build837PSegments } from '@openrcm/x12/837p';
import { newClaimVersion, rebuildUnsent, rejectedClaimsWithChanges, resubmitRejected } from '@openrcm/engine';
import {
  buildClaims,
  claimDetail,
  codesetsAdapter,
  listBatches,
  listClaims,
  loadClaims,
  scrubClaims,
  toBatch837P,
  unbilledCharges,
} from '@openrcm/engine';
import { invalid } from '../args.ts';
import type { CliContext } from '../context.ts';
import { practiceByCode, practicesByCode } from '../practices.ts';

export function register(program: Command, ctx: CliContext): void {
  const claims = program.command('claims').description('claims');

  claims
    .command('build')
    .description('build claims from coded encounters that have none, then scrub them')
    .option('--practice <code>', 'only this practice')
    .action(async (o: { practice?: string }) => {
      const at = ctx.clock.now();
      const asOf = dateInZone(at, 'UTC');
      const codeSets = codesetsAdapter();
      await ctx.withDb(async (db) => {
        const rows = [];
        for (const p of await practicesByCode(db, o.practice)) {
          const b = await buildClaims(db, practiceScope(p.id), { at });
          const s = await scrubClaims(db, practiceScope(p.id), { asOf, at, codeSets });
          rows.push({
            practice: p.code,
            built: b.claimsBuilt,
            lines: b.linesBuilt,
            ready: s.ready,
            held: s.held,
          });
        }
        ctx.output().records(rows, [
          { header: 'PRACTICE', value: (r) => r.practice },
          { header: 'BUILT', value: (r) => r.built },
          { header: 'LINES', value: (r) => r.lines },
          { header: 'CLEAN', value: (r) => r.ready },
          { header: 'HELD', value: (r) => r.held },
        ]);
      });
    });

  claims
    .command('list')
    .description('list claims (e.g. --status held)')
    .requiredOption('--practice <code>', 'practice code')
    .option(
      '--status <status>',
      'only claims in this status (draft, held, ready, submitted, accepted, rejected, paid, denied, ...)',
    )
    .option('--limit <n>', 'at most this many', '1000')
    .action(async (o: { practice: string; status?: string; limit: string }) => {
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const rows = await listClaims(db, practiceScope(p.id), {
          ...(o.status === undefined ? {} : { status: o.status }),
          limit: Number(o.limit),
        });
        ctx.output().records(rows, [
          { header: 'CLAIM', value: (r) => r.id },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'HOLD', value: (r) => r.hold_reason },
          { header: 'PAYER', value: (r) => r.payer },
          { header: 'DOS', value: (r) => r.service_date },
          { header: 'CHARGE', value: (r) => formatCents(r.total_charge_cents as Cents) },
          { header: 'VERSION', value: (r) => r.version_no },
          { header: 'OPEN ISSUES', value: (r) => r.open_issues },
        ]);
      });
    });

  claims
    .command('unbilled')
    .description(
      'active charges of billed encounters that no claim carries yet (keyed in after the claims were built): the claim that takes each, and what to do',
    )
    .requiredOption('--practice <code>', 'practice code')
    .option('--limit <n>', 'at most this many', '1000')
    .action(async (o: { practice: string; limit: string }) => {
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const rows = await unbilledCharges(db, practiceScope(p.id), { limit: Number(o.limit) });
        ctx.output().records(rows, [
          { header: 'ENCOUNTER', value: (r) => r.encounter_id },
          { header: 'CHARGE', value: (r) => r.charge_id },
          { header: 'LINE', value: (r) => r.line_number },
          { header: 'DOS', value: (r) => r.service_date },
          { header: 'CODE', value: (r) => r.procedure_code },
          { header: 'AMOUNT', value: (r) => formatCents(r.charge_cents as Cents) },
          { header: 'CLAIMS', value: (r) => r.claim_ids.join(' ') },
          { header: 'TAKEN BY', value: (r) => r.claim_id },
          { header: 'REMEDY', value: (r) => r.remedy },
        ]);
      });
    });

  claims
    .command('batches')
    .description('837P batches: sent, and queued for a retry (attempts, next attempt, last error)')
    .requiredOption('--practice <code>', 'practice code')
    .option(
      '--status <status>',
      'only batches in this status (queued, sending, sent, accepted, rejected, ...)',
    )
    .option('--limit <n>', 'at most this many', '100')
    .action(async (o: { practice: string; status?: string; limit: string }) => {
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const rows = await listBatches(db, practiceScope(p.id), {
          ...(o.status === undefined ? {} : { status: o.status }),
          limit: Number(o.limit),
        });
        ctx.output().records(rows, [
          { header: 'BATCH', value: (r) => r.id },
          { header: 'CLEARINGHOUSE', value: (r) => r.clearinghouse },
          { header: 'STATUS', value: (r) => r.status },
          { header: 'CLAIMS', value: (r) => r.claims },
          { header: 'ISA13', value: (r) => r.isa_control_number },
          { header: 'ATTEMPTS', value: (r) => r.attempts },
          { header: 'SENT', value: (r) => r.sent_at },
          { header: 'NEXT ATTEMPT', value: (r) => r.next_attempt_at },
          { header: 'LAST ERROR', value: (r) => r.last_error },
        ]);
      });
    });

  claims
    .command('show')
    .description('one claim: lines, scrubber issues, status history, batches and its 837P')
    .argument('<id>', 'claim id')
    .requiredOption('--practice <code>', 'practice code')
    .action(async (id: string, o: { practice: string }) => {
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const scope = practiceScope(p.id);
        const detail = await claimDetail(db, scope, Number(id));
        if (detail === undefined) throw invalid(`no claim ${id} in practice ${p.code}`);
        const claims = await loadClaims(db, scope, [Number(id)]);
        const segments = build837PSegments(
          toBatch837P(
            claims,
            {
              submitterName: 'OPENRCM',
              submitterId: 'OPENRCM',
              contactName: 'BILLING',
              contactPhone: '0000000000',
              receiverName: 'CLEARINGHOUSE',
              receiverId: 'CLEARINGHOUSE',
            },
            'PREVIEW',
            { date: dateInZone(ctx.clock.now()), time: '0000' },
          ),
        );
        if (ctx.globals().json) {
          ctx.stdout.write(`${JSON.stringify({ ...detail, x12: segments }, null, 2)}\n`);
          return;
        }
        const c = detail.claim;
        const out = ctx.output();
        out.message(
          `claim ${c.id} (CLM01 ${c.patient_control_number}) — ${c.status}${c.hold_reason === null ? '' : ` (${c.hold_reason} hold)`}, version ${c.version_no}, ${c.payer}, ${formatCents(c.total_charge_cents as Cents)}`,
        );
        out.message('\nLines');
        out.records(detail.lines, [
          { header: 'LX', value: (l) => l.line_number },
          { header: 'REF*6R', value: (l) => l.line_control_number },
          { header: 'CODE', value: (l) => l.procedure_code },
          { header: 'MODIFIERS', value: (l) => l.modifiers.join(' ') },
          { header: 'UNITS', value: (l) => l.units },
          { header: 'CHARGE', value: (l) => formatCents(l.charge_cents as Cents) },
          { header: 'POINTERS', value: (l) => l.diagnosis_pointers.join(',') },
          { header: 'DOS', value: (l) => l.service_date },
        ]);
        out.message('\nIssues');
        out.records(detail.issues, [
          { header: 'RULE', value: (i) => i.rule_key },
          { header: 'SEVERITY', value: (i) => i.severity },
          { header: 'STATUS', value: (i) => i.status },
          { header: 'WHERE', value: (i) => i.location },
          { header: 'MESSAGE', value: (i) => i.message },
        ]);
        out.message('\nHistory');
        out.records(detail.history, [
          { header: 'AT', value: (h) => h.at },
          { header: 'FROM', value: (h) => h.from_status },
          { header: 'TO', value: (h) => h.to_status },
          { header: 'BY', value: (h) => h.actor },
          { header: 'WHY', value: (h) => h.reason },
        ]);
        out.message('\n837P (current version)');
        ctx.stdout.write(`${segments.join('~\n')}~\n`);
      });
    });

  for (const kind of ['corrected', 'void'] as const) {
    claims
      .command(kind === 'corrected' ? 'correct' : 'void')
      .description(
        kind === 'corrected'
          ? 'new version of a claim the payer has (frequency 7 + REF*F8), rebuilt from the current charges'
          : 'void a claim the payer has (frequency 8 + REF*F8)',
      )
      .argument('<id>', 'claim id')
      .requiredOption('--practice <code>', 'practice code')
      .option('--reason <text>', 'why (kept in the claim history)')
      .action(async (id: string, o: { practice: string; reason?: string }) => {
        await ctx.withDb(async (db) => {
          const p = await practiceByCode(db, o.practice);
          const r = await newClaimVersion(db, practiceScope(p.id), Number(id), {
            kind,
            at: ctx.clock.now(),
            actor: 'user:cli',
            ...(o.reason === undefined ? {} : { reason: o.reason }),
          });
          ctx
            .output()
            .message(
              `claim ${r.claimId}: version ${r.versionNo} (${kind}) with ${r.lines} line(s), back to draft for the scrubber`,
            );
        });
      });
  }

  claims
    .command('rebuild')
    .description(
      'rebuild a claim not yet sent (draft, held, ready) from the data on file as a new original version, e.g. with a late charge (`claims unbilled`), and scrub it',
    )
    .argument('<id>', 'claim id')
    .requiredOption('--practice <code>', 'practice code')
    .option('--reason <text>', 'why (kept in the claim history)')
    .action(async (id: string, o: { practice: string; reason?: string }) => {
      const claimId = Number(id);
      if (!(Number.isSafeInteger(claimId) && claimId > 0)) {
        throw invalid(`claim id must be a positive integer, not ${JSON.stringify(id)}`);
      }
      await ctx.withDb(async (db) => {
        const p = await practiceByCode(db, o.practice);
        const r = await rebuildUnsent(db, practiceScope(p.id), claimId, {
          at: ctx.clock.now(),
          actor: 'user:cli',
          codeSets: codesetsAdapter(),
          ...(o.reason === undefined ? {} : { reason: o.reason }),
        });
        ctx.output().records(
          [r],
          [
            { header: 'CLAIM', value: (x) => x.claimId },
            { header: 'VERSION', value: (x) => x.versionNo },
            { header: 'LINES', value: (x) => x.lines },
            { header: 'STATUS', value: (x) => x.status },
            { header: 'HOLD', value: (x) => x.holdReason },
          ],
        );
      });
    });

  claims
    .command('resubmit')
    .description(
      'rebuild a claim the clearinghouse rejected from the data on file (fixed member id, NPI, ...) as a new original version (frequency 1), scrub it and close its rejection work item',
    )
    .argument('[id]', 'claim id')
    .requiredOption('--practice <code>', 'practice code')
    .option(
      '--all-rejected',
      'every rejected claim of the practice whose coverage, patient, encounter, rendering or billing provider, service location or practice record (group NPI, TIN) changed after the rejection',
    )
    .option('--reason <text>', 'what was fixed (kept in the claim history)')
    .action(
      async (id: string | undefined, o: { practice: string; allRejected?: boolean; reason?: string }) => {
        if ((id === undefined) === (o.allRejected !== true)) {
          throw invalid('give either a claim id or --all-rejected');
        }
        const claimId = id === undefined ? undefined : Number(id);
        if (claimId !== undefined && !(Number.isSafeInteger(claimId) && claimId > 0)) {
          throw invalid(`claim id must be a positive integer, not ${JSON.stringify(id)}`);
        }
        const codeSets = codesetsAdapter();
        await ctx.withDb(async (db) => {
          const p = await practiceByCode(db, o.practice);
          const scope = practiceScope(p.id);
          const ids = claimId === undefined ? await rejectedClaimsWithChanges(db, scope) : [claimId];
          const rows = [];
          for (const c of ids) {
            rows.push(
              await resubmitRejected(db, scope, c, {
                at: ctx.clock.now(),
                actor: 'user:cli',
                codeSets,
                ...(o.reason === undefined ? {} : { reason: o.reason }),
              }),
            );
          }
          const out = ctx.output();
          if (o.allRejected === true && rows.length === 0) {
            out.message('no rejected claim whose data on file changed since its rejection');
          }
          out.records(rows, [
            { header: 'CLAIM', value: (r) => r.claimId },
            { header: 'VERSION', value: (r) => r.versionNo },
            { header: 'LINES', value: (r) => r.lines },
            { header: 'STATUS', value: (r) => r.status },
            { header: 'HOLD', value: (r) => r.holdReason },
            { header: 'WORK ITEMS CLOSED', value: (r) => r.workItemsClosed },
          ]);
        });
      },
    );
}
