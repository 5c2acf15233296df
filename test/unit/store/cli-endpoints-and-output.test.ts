import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../../cli/audit-output.js';
import { EndpointsUnreadable, resolveDynamo } from '../../../cli/endpoints.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'changeflow-endpoints-'));
  await writeFile(join(dir, 'endpoints.json'), JSON.stringify({ api: 'http://127.0.0.1:8080', dynamodb: 'http://127.0.0.1:4567', apic: { url: 'x' } }));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('CLI endpoint resolution', () => {
  it('prefers --dynamodb, then endpoints.json of the data dir, then AWS', async () => {
    expect(await resolveDynamo({ dynamodb: 'http://127.0.0.1:9', dataDir: dir }, 'changeflow')).toEqual({ endpoint: 'http://127.0.0.1:9', tableName: 'changeflow', source: 'flag' });
    expect(await resolveDynamo({ dataDir: dir, table: 't2' }, 'changeflow')).toEqual({ endpoint: 'http://127.0.0.1:4567', tableName: 't2', source: 'endpoints.json' });
    expect(await resolveDynamo({ dataDir: join(dir, 'absent') }, 'changeflow')).toEqual({ tableName: 'changeflow', source: 'aws' });
  });

  it('refuses an endpoints.json that is not what changeflow dev writes', async () => {
    const broken = join(dir, 'broken');
    await mkdir(broken, { recursive: true });
    await writeFile(join(broken, 'endpoints.json'), '{not json');
    await expect(resolveDynamo({ dataDir: broken }, 'changeflow')).rejects.toBeInstanceOf(EndpointsUnreadable);
  });
});

describe('timeline durations', () => {
  it.each([
    [0, '0ms'],
    [850, '850ms'],
    [1200, '1.2s'],
    [64_000, '1m04s'],
    [3_725_000, '1h02m'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
