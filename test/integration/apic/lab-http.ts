import type { ApicLab } from '../../../local/lab/apic/lab.js';

// Raw HTTP against the APIC lab, for tests that check the wire form itself.

export interface Answer {
  status: number;
  type: string;
  text: string;
  json: { totalCount: string; imdata: Array<Record<string, { attributes: Record<string, string>; children?: unknown[] }>> };
}

export async function login(lab: ApicLab): Promise<string> {
  const res = await fetch(`${lab.url}/api/aaaLogin.json`, {
    method: 'POST',
    body: JSON.stringify({ aaaUser: { attributes: { name: lab.username, pwd: lab.password } } }),
  });
  const cookie = res.headers.get('set-cookie') ?? '';
  await res.text();
  return cookie.split(';')[0] ?? '';
}

export async function call(lab: ApicLab, cookie: string, method: string, path: string, body?: unknown): Promise<Answer> {
  const res = await fetch(`${lab.url}${path}`, {
    method,
    headers: { cookie },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Answer['json'] = { totalCount: '', imdata: [] };
  if ((res.headers.get('content-type') ?? '').includes('json')) json = JSON.parse(text) as Answer['json'];
  return { status: res.status, type: res.headers.get('content-type') ?? '', text, json };
}
