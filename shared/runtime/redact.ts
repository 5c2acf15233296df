// The one redaction. Secrets never reach a log line, a task result or a failure cause:
// - `Redactor` masks known secret values (config passwords, kubeconfig credentials) wherever they
//   appear in text, and common credential shapes in case a device echoes something nobody named;
// - `redactFields` replaces values under secret-looking keys in structured log fields (webhook
//   signatures, tokens and passwords travel in the same events and configs the handlers touch).

const patterns: ReadonlyArray<[RegExp, string]> = [
  [/("(?:pwd|password|token|secret|APIC-cookie)"\s*:\s*")[^"]*(")/gi, '$1***$2'],
  [/(APIC-cookie=)[^;\s"]+/g, '$1***'],
  [/(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, '$1***'],
  [/(Authorization:\s*Basic\s+)[A-Za-z0-9+/=]+/gi, '$1***'],
];

export class Redactor {
  private readonly secrets: string[] = [];

  /** Registers a secret value; short values are ignored to avoid masking ordinary words. */
  add(secret: string | undefined): void {
    if (!secret || secret.length < 4) return;
    // Inside JSON text a secret with quotes or backslashes appears escaped: mask both forms.
    for (const form of [secret, JSON.stringify(secret).slice(1, -1)]) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  text(input: string): string {
    let out = input;
    for (const secret of this.secrets) out = out.split(secret).join('***');
    for (const [re, replacement] of patterns) out = out.replace(re, replacement);
    return out;
  }

  /** Redacts a JSON-serialisable value and returns it re-parsed (same shape, secrets masked). */
  value<T>(input: T): T {
    return JSON.parse(this.text(JSON.stringify(input))) as T;
  }
}

const secretKey = /secret|password|passwd|token|authorization|signature|cookie|api[-_]?key|credential/i;

/** Whether a field named `key` holds a secret (a logger's JSON replacer can ask this per key). */
export function isSecretKey(key: string): boolean {
  return secretKey.test(key);
}

/** A copy of `value` with every value under a secret-looking key replaced by '[redacted]'. */
export function redactFields(value: unknown, depth = 0): unknown {
  if (depth > 8) return '[deep]';
  if (Array.isArray(value)) return value.map((v) => redactFields(v, depth + 1));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, isSecretKey(k) ? '[redacted]' : redactFields(v, depth + 1)]),
    );
  }
  return value;
}
