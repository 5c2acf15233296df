import { apiFetch } from './api-signing.js';
import { ExitCode } from './exit-codes.js';

// The change-control commands (approve, abort, freeze) talk to the HTTP API, like `status`: the
// local stack's (endpoints.json) or AWS's (--api). One request helper so every command reports an
// unreachable API, a 404 and a 409 the same way.

export interface ApiOptions {
  api?: string;
  dataDir: string;
}

export interface ApiAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function apiBase(opts: ApiOptions): Promise<string | ExitCode> {
  const { resolveApi } = await import('./endpoints.js');
  try {
    const url = await resolveApi(opts);
    if (url) return url;
    process.stderr.write(`no API to ask: pass --api URL, or start \`changeflow dev\` (it writes ${opts.dataDir}/endpoints.json)\n`);
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
  }
  return ExitCode.badInput;
}

/** One request; undefined (after saying why) when the API cannot be reached. */
export async function callApi(base: string, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer | undefined> {
  let res: Response;
  try {
    res = await apiFetch(`${base}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (err) {
    process.stderr.write(`cannot reach the changeflow API at ${base}: ${String((err as Error).cause ?? (err as Error).message)}\n`);
    return undefined;
  }
  const text = await res.text();
  let parsed: unknown = {};
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      parsed = { error: { code: 'NotJson', message: `the API answered ${res.status} with a body that is not JSON (${(err as Error).message})` } };
    }
  }
  return { status: res.status, body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {} };
}

/** The §3.2 error message of a refusal, for stderr. */
export function errorMessage(answer: ApiAnswer): string {
  const error = answer.body['error'] as { code?: unknown; message?: unknown } | undefined;
  return `${String(error?.code ?? answer.status)}: ${String(error?.message ?? 'no detail')}`;
}

/** Exit code for an answer that is not a success (§3.4: 3 bad input, 4 not found, 6 refused). */
export function exitCodeForRefusal(status: number): ExitCode {
  if (status === 404) return ExitCode.notFound;
  if (status === 409) return ExitCode.refused;
  if (status >= 400 && status < 500) return ExitCode.badInput;
  return ExitCode.failed;
}

export function withApiOptions<T extends { option(flags: string, description: string, value?: string): T }>(command: T): T {
  return command
    .option('--api <url>', 'changeflow API (default: "api" in <data-dir>/endpoints.json)')
    .option('--data-dir <dir>', 'local stack directory holding endpoints.json', '.changeflow');
}
