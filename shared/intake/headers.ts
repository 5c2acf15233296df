// Lambda events, node:http and fetch all spell headers differently (case, arrays); intake reads
// them through one case-insensitive lookup so a signature header is never missed by its casing.
export type DeliveryHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The header's value, case-insensitively; repeated headers come back joined so they fail format checks. */
export function headerValue(headers: DeliveryHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    return typeof value === 'string' ? value : value.join(', ');
  }
  return undefined;
}

/** The header by which the CLI names its operator to the local API (AWS authenticates by SigV4 instead). */
export const localCallerHeader = 'x-changeflow-caller';
