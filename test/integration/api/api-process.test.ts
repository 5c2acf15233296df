import { describe, expect, it } from 'vitest';
import { startApiProcess } from '../../../local/api/api-process.js';

// The local API in its own process, as `changeflow dev` runs it: it answers over HTTP from
// another process than this one (the engine's), takes its configuration over IPC, reports its
// CPU time, and is gone after close.

describe('the API process', () => {
  it('serves from a process of its own, configured over IPC, and stops on close', { timeout: 60_000 }, async () => {
    const api = await startApiProcess({ stdout: 'ignore', env: { POWERTOOLS_LOG_LEVEL: 'SILENT' } });
    try {
      const health = await fetch(`${api.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok' });
      // No table configured yet: the handler says which variable is missing (a 500, our fault).
      const before = await fetch(`${api.url}/changes?limit=1`);
      expect(before.status).toBe(500);
      await api.setEnv({ TABLE_NAME: 'changeflow', DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', AWS_REGION: 'us-east-1' });
      const first = await api.cpuUsage();
      await fetch(`${api.url}/nowhere`);
      const second = await api.cpuUsage();
      expect(second.user + second.system).toBeGreaterThan(first.user + first.system);
      // The CPU is the child's: this process's own counter is not what it reports.
      expect(second.user).not.toBe(process.cpuUsage().user);
    } finally {
      await api.close();
    }
    await expect(fetch(`${api.url}/healthz`)).rejects.toThrow();
  });
});
