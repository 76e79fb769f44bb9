import { describe, it, expect } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { acquireDataDirLock, LOCK_FILE, openPglite } from '../src/index.ts';

const child = fileURLToPath(new URL('./lock-child.ts', import.meta.url));

function runChild(dir: string): Promise<{ ok: boolean; code?: string; message?: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', () => {
      try {
        resolve(
          JSON.parse(out.trim().split('\n').at(-1) ?? '') as { ok: boolean; code?: string; message?: string },
        );
      } catch (e) {
        reject(e instanceof Error ? e : new Error('child output unreadable'));
      }
    });
  });
}

describe('embedded data directory lock', () => {
  it('a second process on the same data directory gets a clear error naming the holder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-lock-'));
    try {
      // This process holds the directory exactly as openPglite({ dataDir }) does while open (the
      // CLI tests cover a real engine in the directory across processes).
      const held = acquireDataDirLock(dir);
      try {
        const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')) as { pid: number; host: string };
        expect(lock).toMatchObject({ pid: process.pid, host: hostname() });
        const res = await runChild(dir);
        expect(res.ok).toBe(false);
        expect(res.code).toBe('db.locked');
        expect(res.message).toContain(`pid ${process.pid}`);
        expect(res.message).toContain(hostname());
      } finally {
        held.release();
      }
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('openPglite checks the lock before starting the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-lock-'));
    try {
      const held = acquireDataDirLock(dir);
      try {
        await expect(openPglite({ dataDir: dir })).rejects.toMatchObject({ code: 'db.locked' });
      } finally {
        held.release();
      }
      // Release on close is exercised by the CLI tests: consecutive commands reuse one data dir.
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over a stale lock left by a dead process on this host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-lock-'));
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
      writeFileSync(
        join(dir, LOCK_FILE),
        JSON.stringify({ pid: dead, host: hostname(), startedAt: '2024-01-01T00:00:00.000Z' }),
      );
      const lock = acquireDataDirLock(dir);
      expect(lock.info.pid).toBe(process.pid);
      // A second acquisition in the same process is refused too (one engine per directory).
      expect(() => acquireDataDirLock(dir)).toThrow(/in use by another openrcm process/);
      lock.release();
      expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes over an old unreadable lock file (a process died while writing it)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-lock-'));
    try {
      writeFileSync(join(dir, LOCK_FILE), '');
      const old = new Date(Date.now() - 60_000);
      utimesSync(join(dir, LOCK_FILE), old, old);
      const lock = acquireDataDirLock(dir);
      expect(lock.info.pid).toBe(process.pid);
      lock.release();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('does not take over a lock held on another host', () => {
    const dir = mkdtempSync(join(tmpdir(), 'openrcm-lock-'));
    try {
      writeFileSync(
        join(dir, LOCK_FILE),
        JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: '2024-01-01T00:00:00.000Z' }),
      );
      expect(() => acquireDataDirLock(dir)).toThrow(/pid 1 on elsewhere/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
