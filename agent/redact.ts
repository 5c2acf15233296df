// Secrets never leave the agent: every result, error cause and log line passes through here.
// Known secret values are masked wherever they appear; common credential shapes are masked too
// in case a device echoes something the config did not name.

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
