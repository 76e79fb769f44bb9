import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse999 } from '@openrcm/x12/999';
import { claimAcknowledgements, parseClaimAcknowledgement } from '@openrcm/x12/277ca';
import { parse835 } from '@openrcm/x12/835';
import { generate } from '../generate.ts';
import { writeDataset } from '../write.ts';
import { naive837Files } from './naive837.ts';
import { serveClearinghouse, type ClearinghouseServer } from './serve.ts';

let dir: string;
let server: ClearinghouseServer;
const ds = generate({ practices: 1, months: 1, seed: 11, startDate: '2026-01-05', volume: 0.05 });
const files = naive837Files(ds);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'openrcm-simch-'));
  // The data set goes through its files, as `openrcm sim serve --data DIR` reads it.
  writeDataset(ds, join(dir, 'data'));
  server = await serveClearinghouse({
    root: join(dir, 'root'),
    username: 'biller',
    password: 'secret',
    seed: 11,
    dataDir: join(dir, 'data'),
    pollMs: 100,
  });
}, 30_000);

afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

function connect(password: string): Promise<{ client: ssh2.Client; sftp: ssh2.SFTPWrapper }> {
  return new Promise((resolve, reject) => {
    const client = new ssh2.Client();
    client
      .on('ready', () => client.sftp((err, sftp) => (err ? reject(err) : resolve({ client, sftp }))))
      .on('error', reject)
      .connect({ host: server.host, port: server.port, username: 'biller', password });
  });
}

/** Uploads under a temporary name, then renames into inbound/ (how OpenRCM's SFTP transport sends). */
function upload(sftp: ssh2.SFTPWrapper, name: string, content: string): Promise<void> {
  return new Promise((resolve, reject) => {
    sftp.writeFile(`/inbound/.${name}.part`, content, (err) => {
      if (err) return reject(err);
      sftp.rename(`/inbound/.${name}.part`, `/inbound/${name}`, (e) => (e ? reject(e) : resolve()));
    });
  });
}

function list(sftp: ssh2.SFTPWrapper): Promise<string[]> {
  return new Promise((resolve, reject) =>
    sftp.readdir('/outbound', (err, l) => (err ? reject(err) : resolve(l.map((e) => e.filename).sort()))),
  );
}

async function waitFor(sftp: ssh2.SFTPWrapper, pred: (names: string[]) => boolean): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const names = await list(sftp);
    if (pred(names)) return names;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('timed out waiting for the clearinghouse');
}

describe('the simulated clearinghouse over its SFTP server (end to end)', () => {
  it('answers an uploaded 837 with a 999 and a 277CA in outbound/, archives the 837, and pays on the clock', async () => {
    const f = files[0];
    if (!f) throw new Error('no 837');
    await server.advanceTo(f.receivedDate);
    const { client, sftp } = await connect('secret');
    try {
      await upload(sftp, 'batch-1.837', f.content);
      const names = await waitFor(
        sftp,
        (n) => n.some((x) => x.includes('-999-')) && n.some((x) => x.includes('-277CA-')),
      );
      expect(names.every((n) => !n.startsWith('.'))).toBe(true);
      const root = join(dir, 'root');
      const read = (n: string) => readFileSync(join(root, 'outbound', n), 'utf8');
      const ack999 = parse999(read(names.find((n) => n.includes('-999-')) ?? ''));
      expect(ack999.value[0]?.transactions[0]?.status).toBe('A');
      const ca = parseClaimAcknowledgement(read(names.find((n) => n.includes('-277CA-')) ?? ''));
      expect(ca.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(ca.value.flatMap(claimAcknowledgements).length).toBe(f.claims);
      // Processed once: gone from inbound/, kept in archive/.
      expect(readdirSync(join(root, 'inbound')).filter((n) => !n.startsWith('.'))).toEqual([]);
      expect(readdirSync(join(root, 'archive')).some((n) => n.endsWith('batch-1.837'))).toBe(true);

      // A clock file moves the simulated date: the payers adjudicate and 835s arrive.
      const later = new Date(Date.parse(`${f.receivedDate}T00:00:00Z`) + 100 * 86_400_000)
        .toISOString()
        .slice(0, 10);
      await upload(sftp, 'advance.clock', later);
      const after = await waitFor(sftp, (n) => n.some((x) => x.includes('-835-')));
      expect(server.today()).toBe(later);
      for (const n of after.filter((x) => x.includes('-835-'))) {
        expect(parse835(read(n)).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      }
    } finally {
      client.end();
    }
  }, 30_000);

  it('refuses wrong credentials', async () => {
    await expect(connect('wrong')).rejects.toThrow();
    expect(existsSync(join(dir, 'root', 'outbound'))).toBe(true);
  });
});

describe('the same clearinghouse as a plain drop folder (no SFTP)', () => {
  it('processes a file dropped into inbound/ and writes the answers to outbound/', async () => {
    const f = files[0];
    if (!f) throw new Error('no 837');
    const root = join(dir, 'drop');
    const folder = await serveClearinghouse({
      root,
      sftp: false,
      username: '',
      password: '',
      seed: 11,
      data: { ...ds, authorizations: ds.authorizations },
      startDate: f.receivedDate,
      pollMs: 60_000,
    });
    try {
      writeFileSync(join(root, 'inbound', 'drop.837'), f.content);
      await folder.processInbound();
      const names = readdirSync(join(root, 'outbound')).sort();
      expect(names.map((n) => n.split('-')[2])).toEqual(['999', '277CA']);
      expect(folder.port).toBe(0);
    } finally {
      await folder.close();
    }
  });
});
