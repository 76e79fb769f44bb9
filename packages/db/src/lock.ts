/**
 * A lock file in the embedded database's data directory. PGlite does not guard its directory and
 * two processes writing the same files corrupt it, so we do: the file is created with O_EXCL and
 * holds `{pid, host, startedAt}`. A lock left by a dead process on this host is taken over; a live
 * one yields `db.locked` naming the other process.
 */
import { closeSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { coreError } from '@openrcm/core';

export const LOCK_FILE = 'openrcm.lock';

export interface LockInfo {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
}

export interface DataDirLock {
  readonly path: string;
  readonly info: LockInfo;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(path: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockInfo>;
    if (
      typeof parsed.pid === 'number' &&
      typeof parsed.host === 'string' &&
      typeof parsed.startedAt === 'string'
    ) {
      return { pid: parsed.pid, host: parsed.host, startedAt: parsed.startedAt };
    }
    return null;
  } catch {
    return null;
  }
}

/** Takes the lock on `dir` (which must exist) or throws `db.locked`. */
export function acquireDataDirLock(dir: string): DataDirLock {
  const path = join(dir, LOCK_FILE);
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      const fd = openSync(path, 'wx', 0o644);
      try {
        writeSync(fd, `${JSON.stringify(info)}\n`);
      } finally {
        closeSync(fd);
      }
      let released = false;
      return {
        path,
        info,
        release() {
          if (released) return;
          released = true;
          // Remove the file only if it is still ours.
          const current = readLock(path);
          if (current && current.pid === info.pid && current.startedAt === info.startedAt) {
            try {
              unlinkSync(path);
            } catch {
              // Already gone: nothing to release.
            }
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw coreError(
          'db.connect_failed',
          `cannot create the lock file in the data directory: ${String((e as NodeJS.ErrnoException).code)}`,
          {
            cause: e,
          },
        );
      }
    }
    const holder = readLock(path);
    if (holder === null) {
      // Empty or partial: either a process is between creating and writing it (microseconds),
      // or one died right there. Wait briefly; an old unreadable file is stale.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      if (readLock(path) !== null) continue;
      let ageMs = 0;
      try {
        ageMs = Date.now() - statSync(path).mtimeMs;
      } catch {
        continue; // gone meanwhile: try again
      }
      if (ageMs > 5_000) {
        try {
          unlinkSync(path);
        } catch {
          // Someone else removed it first.
        }
        continue;
      }
      throw coreError(
        'db.locked',
        `the data directory lock file ${path} is being written by another process; retry`,
      );
    }
    const sameHost = holder.host === info.host;
    if (sameHost && holder.pid !== process.pid && !isAlive(holder.pid)) {
      // Stale lock of a dead process on this host: take it over.
      try {
        unlinkSync(path);
      } catch {
        // Another process took it over first; retry will see its lock.
      }
      continue;
    }
    throw coreError(
      'db.locked',
      `the data directory is in use by another openrcm process (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}); ` +
        'stop it or use another --data-dir',
      { details: { pid: holder.pid, host: holder.host } },
    );
  }
  throw coreError('db.locked', `could not take the data directory lock ${path}`);
}
