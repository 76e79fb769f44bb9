/**
 * The simulated clearinghouse behind its SFTP server (issue 4 §1): a file renamed into `inbound/` is
 * processed once and moved to `archive/`; every answer (TA1, 999, 277CA, 835) is written atomically into
 * `outbound/` (a dot-named temporary file renamed into place, so a poller never reads half a file).
 *
 * The simulated clock starts at `startDate` (default: the data set's first date of service) and moves
 * with `advanceTo`, with `dayMs` (one simulated day per that many real milliseconds), or when the
 * submitter drops a `*.clock` file into `inbound/` holding a 'YYYY-MM-DD' date.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startSftpServer } from '../sftp/server.ts';
import { SimClearinghouse, type OutboxFile } from './clearinghouse.ts';
import { loadPayerKnowledge, type PayerKnowledge } from './dataset.ts';

export interface ServeClearinghouseOptions {
  readonly root: string;
  /** false: a plain drop folder (no SFTP server; username and password unused). Default true. */
  readonly sftp?: boolean;
  readonly username: string;
  readonly password: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly host?: string;
  readonly seed: number | string;
  /** A generated data set directory (the payers' knowledge); or give `data` directly. */
  readonly dataDir?: string;
  readonly data?: PayerKnowledge;
  /** First simulated date (default: the data set's start date). */
  readonly startDate?: string;
  /** Real milliseconds per simulated day; 0 (default) keeps the clock still between explicit moves. */
  readonly dayMs?: number;
  /** How often `inbound/` is scanned besides the SFTP rename notification (default 1000 ms). */
  readonly pollMs?: number;
  readonly hostKey?: string | Buffer;
  /** One line per processed file (names and counts only, no patient data). */
  readonly log?: (line: string) => void;
}

export interface ClearinghouseServer {
  /** SFTP address ('' and 0 in folder-drop mode). */
  readonly host: string;
  readonly port: number;
  readonly root: string;
  readonly clearinghouse: SimClearinghouse;
  /** The simulated date. */
  today(): string;
  /** Moves the simulated clock (835s due meanwhile land in `outbound/`). */
  advanceTo(date: string): Promise<void>;
  /** Processes whatever is in `inbound/` now (resolves when done). */
  processInbound(): Promise<void>;
  close(): Promise<void>;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function writeAtomic(dir: string, file: OutboxFile): void {
  const tmp = join(dir, `.${file.name}.part`);
  writeFileSync(tmp, file.content);
  renameSync(tmp, join(dir, file.name));
}

/** Starts the SFTP clearinghouse; resolves once it listens. */
export async function serveClearinghouse(options: ServeClearinghouseOptions): Promise<ClearinghouseServer> {
  const loaded =
    options.data !== undefined
      ? { data: options.data, startDate: null, seed: null }
      : options.dataDir !== undefined
        ? loadPayerKnowledge(options.dataDir)
        : null;
  if (loaded === null) throw new Error('serveClearinghouse needs dataDir or data');
  const start = options.startDate ?? loaded.startDate;
  if (start === null || !DATE.test(start))
    throw new Error('serveClearinghouse needs a start date (YYYY-MM-DD)');
  const inbound = join(options.root, 'inbound');
  const outbound = join(options.root, 'outbound');
  const archive = join(options.root, 'archive');
  for (const d of [inbound, outbound, archive]) mkdirSync(d, { recursive: true });
  const log = options.log ?? (() => undefined);

  const ch = new SimClearinghouse({
    setup: loaded.data,
    authorizations: loaded.data.authorizations,
    seed: options.seed,
    // Seasoned accumulators follow the data set's own start and generator seed (manifest.json).
    ...(loaded.startDate !== null && loaded.seed !== null
      ? { dataset: { startDate: loaded.startDate, seed: loaded.seed } }
      : {}),
    onOutput: (f) => writeAtomic(outbound, f),
    keepOutbox: false,
  });
  ch.advanceTo(start);
  let archived = 0;

  // Every piece of work runs on one chain: files and clock moves never interleave.
  let chain: Promise<void> = Promise.resolve();
  const run = (fn: () => void): Promise<void> => {
    chain = chain.then(fn).catch((e: unknown) => {
      log(`clearinghouse: internal error: ${e instanceof Error ? e.message : String(e)}`);
    });
    return chain;
  };

  const processOne = (name: string): void => {
    const path = join(inbound, name);
    if (!existsSync(path)) return;
    const content = readFileSync(path, 'latin1');
    archived++;
    const target = join(archive, `${String(archived).padStart(6, '0')}-${name}`);
    // Archive first: a file is processed at most once even if processing fails.
    renameSync(path, target);
    if (name.endsWith('.clock')) {
      const date = content.trim();
      if (DATE.test(date)) {
        ch.advanceTo(date);
        log(`clearinghouse: clock moved to ${ch.today ?? date}`);
      } else log(`clearinghouse: ${name}: not a YYYY-MM-DD date, ignored`);
      return;
    }
    const r = ch.receive(name, content, ch.today ?? start);
    log(
      `clearinghouse: ${name}: ${r.claimsReceived} claims, ${r.claimsAccepted} accepted, ${r.claimsRejected} rejected; ` +
        `${r.files.length} answers${r.ta1.includes('R') ? ' (interchange rejected)' : ''}`,
    );
  };

  const processInbound = (): Promise<void> =>
    run(() => {
      const names = readdirSync(inbound)
        .filter((n) => !n.startsWith('.'))
        .sort();
      for (const n of names) processOne(n);
    });

  // Folder-drop mode (sftp: false): the same inbound/ and outbound/ folders, polled, with no server.
  const server =
    options.sftp === false
      ? null
      : await startSftpServer({
          root: options.root,
          username: options.username,
          password: options.password,
          ...(options.host === undefined ? {} : { host: options.host }),
          ...(options.port === undefined ? {} : { port: options.port }),
          ...(options.hostKey === undefined ? {} : { hostKey: options.hostKey }),
          onInbound: () => void processInbound(),
        });
  const poll = setInterval(() => void processInbound(), options.pollMs ?? 1000);
  const tick =
    options.dayMs !== undefined && options.dayMs > 0
      ? setInterval(() => {
          void run(() => {
            const t = ch.today;
            if (t !== null) {
              const next = new Date(Date.parse(`${t}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
              ch.advanceTo(next);
            }
          });
        }, options.dayMs)
      : null;
  // Files already waiting when the server starts.
  void processInbound();

  return {
    host: server?.host ?? '',
    port: server?.port ?? 0,
    root: options.root,
    clearinghouse: ch,
    today: () => ch.today ?? start,
    advanceTo: (date) => run(() => ch.advanceTo(date)),
    processInbound,
    close: async () => {
      clearInterval(poll);
      if (tick) clearInterval(tick);
      await chain;
      await server?.close();
    },
  };
}
