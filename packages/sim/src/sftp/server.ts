import { timingSafeEqual } from 'node:crypto';
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readSync,
  readdirSync,
  renameSync,
  rmSync,
  rmdirSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import ssh2 from 'ssh2';
import type { Attributes, FileEntry, SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { OPEN_MODE, STATUS_CODE } = utils.sftp;

/**
 * The simulated clearinghouse's SFTP endpoint: the usual `inbound/` (files to the clearinghouse) and
 * `outbound/` (acknowledgements, remittances and responses for the submitter to pick up) folders under one
 * root directory, password authentication, and an in-memory ed25519 host key unless one is given. A file
 * becomes visible to the clearinghouse when the client renames it into `inbound/` (clients upload to a
 * temporary name first), so a half-uploaded file is never processed.
 */

export interface SftpServerOptions {
  readonly root: string;
  readonly username: string;
  readonly password: string;
  readonly host?: string;
  /** 0 picks a free port. */
  readonly port?: number;
  /** OpenSSH private host key; generated when absent. */
  readonly hostKey?: string | Buffer;
  /** Called after a file was renamed into `inbound/` (complete upload). */
  readonly onInbound?: (name: string) => void;
}

export interface SftpServerHandle {
  readonly port: number;
  readonly host: string;
  readonly root: string;
  close(): Promise<void>;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function attrsOf(s: Stats): Attributes {
  return {
    mode: s.mode,
    uid: s.uid,
    gid: s.gid,
    size: s.size,
    atime: Math.floor(s.atimeMs / 1000),
    mtime: Math.floor(s.mtimeMs / 1000),
  };
}

function openFlags(flags: number): string {
  const write = (flags & OPEN_MODE.WRITE) !== 0;
  const read = (flags & OPEN_MODE.READ) !== 0;
  const append = (flags & OPEN_MODE.APPEND) !== 0;
  const excl = (flags & OPEN_MODE.EXCL) !== 0;
  if (!write) return 'r';
  if (append) return read ? 'a+' : 'a';
  if ((flags & OPEN_MODE.TRUNC) !== 0 || (flags & OPEN_MODE.CREAT) !== 0)
    return `${excl ? 'wx' : 'w'}${read ? '+' : ''}`;
  return 'r+';
}

type Handle = { kind: 'file'; fd: number; path: string } | { kind: 'dir'; path: string; done: boolean };

/** Serves one SFTP session over the root folder. */
function serveSftp(sftp: SFTPWrapper, root: string, onInbound?: (name: string) => void): void {
  const handles = new Map<number, Handle>();
  let next = 1;
  const inside = (p: string): string | undefined => {
    const full = resolve(root, `.${normalize(`/${p}`)}`);
    return full === root || full.startsWith(root + sep) ? full : undefined;
  };
  const virtual = (full: string): string =>
    `/${full
      .slice(root.length + 1)
      .split(sep)
      .join('/')}`;
  const newHandle = (h: Handle): Buffer => {
    const id = next++;
    handles.set(id, h);
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const handleOf = (b: Buffer): Handle | undefined =>
    b.length === 4 ? handles.get(b.readUInt32BE(0)) : undefined;
  const fail = (reqid: number, e: unknown): void => {
    const code = (e as NodeJS.ErrnoException).code;
    sftp.status(
      reqid,
      code === 'ENOENT'
        ? STATUS_CODE.NO_SUCH_FILE
        : code === 'EACCES'
          ? STATUS_CODE.PERMISSION_DENIED
          : STATUS_CODE.FAILURE,
    );
  };

  sftp.on('REALPATH', (reqid, p) => {
    const full = inside(p === '' ? '/' : p);
    if (full === undefined) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    const name = full === root ? '/' : virtual(full);
    sftp.name(reqid, [{ filename: name, longname: name, attrs: {} as Attributes }]);
  });
  const stat = (reqid: number, p: string): void => {
    const full = inside(p);
    if (full === undefined) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      sftp.attrs(reqid, attrsOf(statSync(full)));
    } catch (e) {
      fail(reqid, e);
    }
  };
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('FSTAT', (reqid, handle) => {
    const h = handleOf(handle);
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
    sftp.attrs(reqid, attrsOf(fstatSync(h.fd)));
  });
  sftp.on('OPEN', (reqid, filename, flags) => {
    const full = inside(filename);
    if (full === undefined || full === root) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      const fd = openSync(full, openFlags(flags));
      sftp.handle(reqid, newHandle({ kind: 'file', fd, path: full }));
    } catch (e) {
      fail(reqid, e);
    }
  });
  sftp.on('WRITE', (reqid, handle, offset, data) => {
    const h = handleOf(handle);
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
    try {
      writeSync(h.fd, data, 0, data.length, offset);
      sftp.status(reqid, STATUS_CODE.OK);
    } catch (e) {
      fail(reqid, e);
    }
  });
  sftp.on('READ', (reqid, handle, offset, length) => {
    const h = handleOf(handle);
    if (h?.kind !== 'file') return sftp.status(reqid, STATUS_CODE.FAILURE);
    const buf = Buffer.alloc(Math.min(length, 256 * 1024));
    const n = readSync(h.fd, buf, 0, buf.length, offset);
    if (n === 0) return sftp.status(reqid, STATUS_CODE.EOF);
    sftp.data(reqid, buf.subarray(0, n));
  });
  sftp.on('CLOSE', (reqid, handle) => {
    const h = handleOf(handle);
    if (h === undefined) return sftp.status(reqid, STATUS_CODE.FAILURE);
    handles.delete(handle.readUInt32BE(0));
    if (h.kind === 'file') closeSync(h.fd);
    sftp.status(reqid, STATUS_CODE.OK);
  });
  sftp.on('OPENDIR', (reqid, p) => {
    const full = inside(p);
    if (full === undefined) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    if (!existsSync(full) || !statSync(full).isDirectory())
      return sftp.status(reqid, STATUS_CODE.NO_SUCH_FILE);
    sftp.handle(reqid, newHandle({ kind: 'dir', path: full, done: false }));
  });
  sftp.on('READDIR', (reqid, handle) => {
    const h = handleOf(handle);
    if (h?.kind !== 'dir') return sftp.status(reqid, STATUS_CODE.FAILURE);
    if (h.done) return sftp.status(reqid, STATUS_CODE.EOF);
    h.done = true;
    const entries: FileEntry[] = readdirSync(h.path)
      .sort()
      .map((name) => {
        const s = statSync(join(h.path, name));
        return {
          filename: name,
          longname: `${s.isDirectory() ? 'd' : '-'}rw-r--r-- 1 sim sim ${s.size} ${name}`,
          attrs: attrsOf(s),
        };
      });
    sftp.name(reqid, entries);
  });
  sftp.on('REMOVE', (reqid, p) => {
    const full = inside(p);
    if (full === undefined || full === root) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      rmSync(full);
      sftp.status(reqid, STATUS_CODE.OK);
    } catch (e) {
      fail(reqid, e);
    }
  });
  sftp.on('RENAME', (reqid, from, to) => {
    const a = inside(from);
    const b = inside(to);
    if (a === undefined || b === undefined || a === root || b === root)
      return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      renameSync(a, b);
      sftp.status(reqid, STATUS_CODE.OK);
      const inbound = join(root, 'inbound') + sep;
      if (b.startsWith(inbound) && !b.slice(inbound.length).startsWith('.'))
        onInbound?.(b.slice(inbound.length));
    } catch (e) {
      fail(reqid, e);
    }
  });
  sftp.on('MKDIR', (reqid, p) => {
    const full = inside(p);
    if (full === undefined) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      mkdirSync(full);
      sftp.status(reqid, STATUS_CODE.OK);
    } catch (e) {
      fail(reqid, e);
    }
  });
  sftp.on('RMDIR', (reqid, p) => {
    const full = inside(p);
    if (full === undefined || full === root) return sftp.status(reqid, STATUS_CODE.PERMISSION_DENIED);
    try {
      rmdirSync(full);
      sftp.status(reqid, STATUS_CODE.OK);
    } catch (e) {
      fail(reqid, e);
    }
  });
  sftp.on('end', () => {
    for (const h of handles.values()) if (h.kind === 'file') closeSync(h.fd);
    handles.clear();
  });
}

/**
 * A new ed25519 host key that ssh2 can read back. ssh2 1.17's generator strips leading zero bytes from the public
 * key, so about one key in 256 is refused as malformed when the server starts (mscdex/ssh2 issues 1390 and 1513;
 * seen once in a CI dry run); such a key is generated again.
 */
export function generateHostKey(): string {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    if (!(utils.parseKey(pair.private) instanceof Error) && !(utils.parseKey(pair.public) instanceof Error)) {
      return pair.private;
    }
  }
}

/** Starts the SFTP server; resolves once it listens. */
export function startSftpServer(options: SftpServerOptions): Promise<SftpServerHandle> {
  const root = resolve(options.root);
  for (const d of ['inbound', 'outbound']) mkdirSync(join(root, d), { recursive: true });
  const hostKey = options.hostKey ?? generateHostKey();
  const server = new Server({ hostKeys: [hostKey] }, (client) => {
    client.on('authentication', (ctx) => {
      if (
        ctx.method === 'password' &&
        sameSecret(ctx.username, options.username) &&
        sameSecret(ctx.password, options.password)
      ) {
        ctx.accept();
      } else {
        ctx.reject(['password']);
      }
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), root, options.onInbound));
      });
    });
    // A client that drops the connection must not take the server down.
    client.on('error', () => undefined);
  });
  const host = options.host ?? '127.0.0.1';
  return new Promise((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolvePromise({
        port,
        host,
        root,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
          }),
      });
    });
  });
}
