import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOpenRcmError, isRetryable } from '@openrcm/core';
import { startSftpServer, type SftpServerHandle } from '@openrcm/sim/sftp';
import { folderTransport, inProcessTransport, sftpTransport } from './transport.ts';

let root: string;
let server: SftpServerHandle;
const arrived: string[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'openrcm-sftp-'));
  server = await startSftpServer({
    root,
    username: 'openrcm',
    password: 's3cret',
    onInbound: (n) => arrived.push(n),
  });
});

afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});

describe('clearinghouse transports', () => {
  it('SFTP: a file is delivered whole into inbound/, and answers are picked up from outbound/', async () => {
    const t = sftpTransport({
      host: server.host,
      port: server.port,
      username: 'openrcm',
      password: 's3cret',
    });
    try {
      const body = `ISA*00*...~${'x'.repeat(200_000)}`;
      await t.send('837P-1-000000001.x12', body);
      expect(readFileSync(join(root, 'inbound', '837P-1-000000001.x12'), 'utf8')).toBe(body);
      expect(readdirSync(join(root, 'inbound')).filter((f) => f.startsWith('.'))).toEqual([]);
      expect(arrived).toContain('837P-1-000000001.x12');
      writeFileSync(join(root, 'outbound', '999-000000001.x12'), 'ack');
      writeFileSync(join(root, 'outbound', '.partial'), 'not yet');
      expect(await t.list()).toEqual(['999-000000001.x12']);
      expect(await t.fetch('999-000000001.x12')).toBe('ack');
      await t.acknowledge('999-000000001.x12');
      expect(existsSync(join(root, 'outbound', '999-000000001.x12'))).toBe(false);
    } finally {
      await t.close();
    }
  });

  it('SFTP with wrong credentials is refused, and nothing arrives', async () => {
    const t = sftpTransport({ host: server.host, port: server.port, username: 'openrcm', password: 'wrong' });
    const before = readdirSync(join(root, 'inbound')).length;
    const err: unknown = await t.send('837P-2.x12', 'x').catch((e: unknown) => e);
    expect(isOpenRcmError(err) && err.code).toBe('transport.refused');
    expect(isRetryable(err)).toBe(false);
    expect(readdirSync(join(root, 'inbound')).length).toBe(before);
    await t.close();
  });

  it('an unreachable clearinghouse is a retryable failure', async () => {
    const down = await startSftpServer({ root: join(root, 'down'), username: 'a', password: 'b' });
    const port = down.port;
    await down.close();
    const t = sftpTransport({ host: '127.0.0.1', port, username: 'a', password: 'b', timeoutMs: 2000 });
    const err: unknown = await t.send('x.x12', 'x').catch((e: unknown) => e);
    expect(isOpenRcmError(err) && err.code).toBe('transport.unavailable');
    expect(isRetryable(err)).toBe(true);
    await t.close();
  });

  it('refuses file names that could leave the folder', async () => {
    const t = folderTransport(join(root, 'drop'));
    await expect(t.send('../escape.x12', 'x')).rejects.toThrow(/file names/);
    await expect(t.send('/etc/passwd', 'x')).rejects.toThrow(/file names/);
  });

  it('folder drop: atomic write into inbound/, pickup from outbound/', async () => {
    const dir = join(root, 'drop');
    const t = folderTransport(dir);
    await t.send('a.x12', 'hello');
    expect(readdirSync(join(dir, 'inbound'))).toEqual(['a.x12']);
    writeFileSync(join(dir, 'outbound', 'b.x12'), 'answer');
    expect(await t.list()).toEqual(['b.x12']);
    expect(await t.fetch('b.x12')).toBe('answer');
    await t.acknowledge('b.x12');
    expect(await t.list()).toEqual([]);
  });

  it('in-process: the clearinghouse receives the file and answers through its outbox', async () => {
    const received: string[] = [];
    const house = {
      outbox: new Map<string, string>(),
      receive(name: string, content: string) {
        received.push(`${name}:${content}`);
        this.outbox.set(`ack-${name}`, 'ok');
      },
    };
    const t = inProcessTransport(house);
    await t.send('c.x12', 'claims');
    expect(received).toEqual(['c.x12:claims']);
    expect(await t.list()).toEqual(['ack-c.x12']);
  });
});
