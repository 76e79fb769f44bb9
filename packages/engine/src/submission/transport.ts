import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { registerErrors } from '@openrcm/core';
import ssh2 from 'ssh2';
import type { SFTPWrapper } from 'ssh2';

/**
 * The clearinghouse adapter (issue 5 §5): how files reach the clearinghouse and how its answers come back.
 * Every implementation resolves `send` only once the remote side holds the complete file (uploaded under a
 * temporary name and renamed into place), so a batch is recorded as sent only after the transport
 * confirmed it; any failure rejects with a retryable error and nothing is marked sent.
 */
export interface ClearinghouseTransport {
  /** Delivers one file to the clearinghouse's inbound folder. */
  send(name: string, content: string): Promise<void>;
  /** Files waiting for pickup in the clearinghouse's outbound folder, oldest name first. */
  list(): Promise<string[]>;
  fetch(name: string): Promise<string>;
  /** Removes a picked-up file from the remote folder, after the caller stored it. */
  acknowledge(name: string): Promise<void>;
  close(): Promise<void>;
}

export const transportError = registerErrors({
  'transport.unavailable': { retryable: true, summary: 'the clearinghouse could not be reached' },
  'transport.refused': { retryable: false, summary: 'the clearinghouse refused the credentials or the file' },
});

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,200}$/;

function checkName(name: string): void {
  if (!SAFE_NAME.test(name))
    throw transportError(
      'transport.refused',
      'file names may hold letters, digits, dot, dash and underscore',
    );
}

/**
 * A shared folder (a mounted drop directory): `<root>/inbound` to the clearinghouse, `<root>/outbound` from it —
 * the clearinghouse's naming, so both sides can point at the same root.
 */
export function folderTransport(root: string): ClearinghouseTransport {
  const inbound = join(root, 'inbound');
  const outbound = join(root, 'outbound');
  return {
    async send(name, content) {
      checkName(name);
      try {
        mkdirSync(inbound, { recursive: true });
        mkdirSync(outbound, { recursive: true });
        const tmp = join(inbound, `.${name}.part`);
        const fd = openSync(tmp, 'w');
        try {
          writeSync(fd, content);
          fsyncSync(fd);
        } finally {
          closeSync(fd);
        }
        renameSync(tmp, join(inbound, name));
      } catch (e) {
        throw transportError('transport.unavailable', 'could not write to the drop folder', { cause: e });
      }
      return Promise.resolve();
    },
    list() {
      if (!existsSync(outbound)) return Promise.resolve([]);
      return Promise.resolve(
        readdirSync(outbound)
          .filter((f) => !f.startsWith('.'))
          .sort(),
      );
    },
    async fetch(name) {
      checkName(name);
      return Promise.resolve(readFileSync(join(outbound, name), 'utf8'));
    },
    async acknowledge(name) {
      checkName(name);
      rmSync(join(outbound, name), { force: true });
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

/** The clearinghouse's side of an in-process exchange (tests): receives files and fills an outbox. */
export interface InProcessClearinghouse {
  receive(name: string, content: string): Promise<void> | void;
  readonly outbox: Map<string, string>;
}

export function inProcessTransport(house: InProcessClearinghouse): ClearinghouseTransport {
  return {
    async send(name, content) {
      checkName(name);
      await house.receive(name, content);
    },
    list: () => Promise.resolve([...house.outbox.keys()].sort()),
    fetch(name) {
      const c = house.outbox.get(name);
      return c === undefined
        ? Promise.reject(transportError('transport.refused', 'no such file to pick up'))
        : Promise.resolve(c);
    },
    acknowledge(name) {
      house.outbox.delete(name);
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}

export interface SftpTransportOptions {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** From the environment or a secret store; never stored in the database. */
  readonly password: string;
  /** Expected SHA-256 of the server's host key (hex); unset accepts any key (test simulator only). */
  readonly hostKeySha256?: string;
  readonly timeoutMs?: number;
}

/** SFTP client transport (ssh2). One connection per transport; `close()` ends it. */
export function sftpTransport(o: SftpTransportOptions): ClearinghouseTransport {
  let connecting: Promise<{ client: ssh2.Client; sftp: SFTPWrapper }> | undefined;
  // Operations in flight: a connection that drops mid-operation fails them (ssh2 would leave them pending).
  const pending = new Set<(e: Error) => void>();
  const dropped = (): void => {
    for (const fail of [...pending])
      fail(transportError('transport.unavailable', 'the SFTP connection closed during an operation'));
    pending.clear();
  };
  const connect = (): Promise<{ client: ssh2.Client; sftp: SFTPWrapper }> => {
    connecting ??= new Promise((resolvePromise, reject) => {
      const client = new ssh2.Client();
      client
        .on('ready', () => {
          client.sftp((err, sftp) => {
            if (err) {
              client.end();
              reject(
                transportError('transport.unavailable', 'the SFTP subsystem did not start', { cause: err }),
              );
              return;
            }
            resolvePromise({ client, sftp });
          });
        })
        .on('error', (err: Error & { level?: string }) => {
          connecting = undefined;
          reject(
            err.level === 'client-authentication'
              ? transportError('transport.refused', 'the clearinghouse refused the SFTP credentials')
              : transportError('transport.unavailable', 'could not connect to the clearinghouse over SFTP', {
                  cause: err,
                }),
          );
        })
        .on('close', () => {
          connecting = undefined;
          dropped();
        });
      client.connect({
        host: o.host,
        port: o.port,
        username: o.username,
        password: o.password,
        readyTimeout: o.timeoutMs ?? 10_000,
        ...(o.hostKeySha256 === undefined
          ? {}
          : {
              hostHash: 'sha256',
              hostVerifier: (hash: string) => hash.toLowerCase() === o.hostKeySha256?.toLowerCase(),
            }),
      });
    });
    return connecting;
  };
  const call = <T>(
    fn: (sftp: SFTPWrapper, done: (err: Error | null | undefined, value?: T) => void) => void,
  ): Promise<T> =>
    connect().then(
      ({ sftp }) =>
        new Promise<T>((resolvePromise, reject) => {
          pending.add(reject);
          fn(sftp, (err, value) => {
            pending.delete(reject);
            if (err)
              reject(transportError('transport.unavailable', 'an SFTP operation failed', { cause: err }));
            else resolvePromise(value as T);
          });
        }),
    );
  return {
    async send(name, content) {
      checkName(name);
      const tmp = `/inbound/.${name}.part`;
      await call<void>((sftp, done) => sftp.writeFile(tmp, content, (err) => done(err)));
      await call<void>((sftp, done) => sftp.rename(tmp, `/inbound/${name}`, (err) => done(err)));
    },
    async list() {
      const entries = await call<{ filename: string }[]>((sftp, done) =>
        sftp.readdir('/outbound', (err, list) => done(err, list)),
      );
      return entries
        .map((e) => e.filename)
        .filter((f) => !f.startsWith('.'))
        .sort();
    },
    async fetch(name) {
      checkName(name);
      const buf = await call<Buffer>((sftp, done) =>
        sftp.readFile(`/outbound/${name}`, (err, data) => done(err, data)),
      );
      return buf.toString('utf8');
    },
    async acknowledge(name) {
      checkName(name);
      await call<void>((sftp, done) => sftp.unlink(`/outbound/${name}`, (err) => done(err)));
    },
    async close() {
      const c = connecting;
      connecting = undefined;
      if (c === undefined) return;
      try {
        const { client } = await c;
        client.end();
      } catch {
        // never connected: nothing to close
      }
    },
  };
}

/** A clearinghouse as configured in the database (`clearinghouses` row). */
export interface ClearinghouseConfig {
  readonly code: string;
  /** 'directory' (folder drop), 'sftp' or 'api'. */
  readonly transport: string;
  /** Endpoint settings: `{ root }` for a folder, `{ host, port, username, hostKeySha256? }` for SFTP. */
  readonly settings: Readonly<Record<string, unknown>>;
}

/**
 * Opens the transport a clearinghouse is configured for. Secrets never live in the database: the SFTP password
 * comes from the environment variable `OPENRCM_CLEARINGHOUSE_<CODE>_PASSWORD` (code upper-cased, dashes as
 * underscores).
 */
export function transportFor(
  c: ClearinghouseConfig,
  env: Readonly<Record<string, string | undefined>>,
): ClearinghouseTransport {
  const s = c.settings;
  const text = (k: string): string | undefined => (typeof s[k] === 'string' ? s[k] : undefined);
  switch (c.transport) {
    case 'directory': {
      const root = text('root');
      if (root === undefined)
        throw transportError('transport.refused', `clearinghouse ${c.code}: settings.root is not configured`);
      return folderTransport(root);
    }
    case 'sftp': {
      const host = text('host');
      const username = text('username');
      const port = typeof s['port'] === 'number' ? s['port'] : 22;
      const password = env[`OPENRCM_CLEARINGHOUSE_${c.code.toUpperCase().replace(/-/g, '_')}_PASSWORD`];
      if (host === undefined || username === undefined || password === undefined) {
        throw transportError(
          'transport.refused',
          `clearinghouse ${c.code}: host, username and the password variable are required for SFTP`,
        );
      }
      const pin = text('hostKeySha256');
      return sftpTransport({
        host,
        port,
        username,
        password,
        ...(pin === undefined ? {} : { hostKeySha256: pin }),
      });
    }
    default:
      throw transportError(
        'transport.refused',
        `clearinghouse ${c.code}: transport ${c.transport} is not supported`,
      );
  }
}
