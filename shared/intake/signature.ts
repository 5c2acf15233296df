import { createHmac, timingSafeEqual } from 'node:crypto';
import { headerValue, type DeliveryHeaders } from './headers.js';

// docs/architecture.md §3.2: HMAC-SHA256 over `timestamp + "." + rawBody` with a ±300 s window, so a captured
// delivery cannot be replayed later. Jira's native X-Hub-Signature (HMAC over the raw body, no
// timestamp) is accepted on /webhooks/jira only; replays of it are stopped by the delivery dedupe.
export const timestampHeader = 'X-Changeflow-Timestamp';
export const signatureHeader = 'X-Changeflow-Signature';
export const hubSignatureHeader = 'X-Hub-Signature';
export const signatureWindowSeconds = 300;

export type SignatureScheme = 'changeflow' | 'hub';
export type SignatureFailureCode = 'SignatureMissing' | 'SignatureMalformed' | 'SignatureMismatch' | 'TimestampOutOfWindow';
export type SignatureCheck =
  | { ok: true; scheme: SignatureScheme }
  | { ok: false; code: SignatureFailureCode; message: string };

export interface SignatureInput {
  headers: DeliveryHeaders;
  rawBody: string | Uint8Array;
  secret: string;
  now: Date;
  /** Accept Jira's X-Hub-Signature when the changeflow headers are absent. */
  acceptHubSignature: boolean;
}

const signatureFormat = /^sha256=([0-9a-fA-F]{64})$/;
const timestampFormat = /^\d{1,12}$/;

/** The headers a ticketing system (or `changeflow submit`) sends with `rawBody`. */
export function signDelivery(secret: string, rawBody: string | Uint8Array, now: Date): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    [timestampHeader]: timestamp,
    [signatureHeader]: `sha256=${hmacHex(secret, timestamp, rawBody)}`,
  };
}

/** Jira's native signature header for `rawBody` (what a Jira webhook with a secret sends). */
export function signHubDelivery(secret: string, rawBody: string | Uint8Array): Record<string, string> {
  return { [hubSignatureHeader]: `sha256=${hmacHex(secret, undefined, rawBody)}` };
}

export function verifyDeliverySignature(input: SignatureInput): SignatureCheck {
  const signature = headerValue(input.headers, signatureHeader);
  if (signature !== undefined) return verifyChangeflow(input, signature);
  const hub = input.acceptHubSignature ? headerValue(input.headers, hubSignatureHeader) : undefined;
  if (hub !== undefined) return verifyHub(input, hub);
  const accepted = input.acceptHubSignature ? `${signatureHeader} (or ${hubSignatureHeader})` : signatureHeader;
  return fail('SignatureMissing', `expected a ${accepted} header, found none; sign the raw body as docs/architecture.md §3.2 describes`);
}

function verifyChangeflow(input: SignatureInput, signature: string): SignatureCheck {
  const timestamp = headerValue(input.headers, timestampHeader)?.trim();
  if (timestamp === undefined) {
    return fail('SignatureMissing', `expected ${timestampHeader} (unix seconds) next to ${signatureHeader}, found none`);
  }
  if (!timestampFormat.test(timestamp)) {
    return fail('SignatureMalformed', `expected ${timestampHeader} in unix seconds, found "${clip(timestamp)}"`);
  }
  const skew = Math.floor(input.now.getTime() / 1000) - Number(timestamp);
  if (Math.abs(skew) > signatureWindowSeconds) {
    return fail(
      'TimestampOutOfWindow',
      `expected ${timestampHeader} within ±${signatureWindowSeconds} s of now, found ${skew} s ${skew > 0 ? 'old' : 'in the future'}; check the sender's clock or resend`,
    );
  }
  return compare(signature, hmacHex(input.secret, timestamp, input.rawBody), 'changeflow', signatureHeader);
}

function verifyHub(input: SignatureInput, signature: string): SignatureCheck {
  return compare(signature, hmacHex(input.secret, undefined, input.rawBody), 'hub', hubSignatureHeader);
}

function compare(given: string, expectedHex: string, scheme: SignatureScheme, header: string): SignatureCheck {
  const m = signatureFormat.exec(given.trim());
  if (!m?.[1]) return fail('SignatureMalformed', `expected ${header}: sha256=<64 hex digits>, found "${clip(given)}"`);
  const a = Buffer.from(m[1].toLowerCase(), 'hex');
  const b = Buffer.from(expectedHex, 'hex');
  if (!timingSafeEqual(a, b)) {
    return fail('SignatureMismatch', `${header} does not match the raw body; check the shared secret and sign the exact bytes sent`);
  }
  return { ok: true, scheme };
}

function hmacHex(secret: string, timestamp: string | undefined, rawBody: string | Uint8Array): string {
  const mac = createHmac('sha256', secret);
  if (timestamp !== undefined) mac.update(`${timestamp}.`);
  mac.update(rawBody);
  return mac.digest('hex');
}

function fail(code: SignatureFailureCode, message: string): SignatureCheck {
  return { ok: false, code, message };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 80)}…` : text;
}
