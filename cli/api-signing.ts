import type { AwsCredentialIdentityProvider, Checksum, SourceData } from '@smithy/types';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { ChangeflowError } from '../shared/errors.js';

// The CLI's requests to the changeflow API. On AWS the API is IAM-protected (HttpIamAuthorizer):
// every request is signed with SigV4 for execute-api, with credentials from the default provider
// chain (env, shared config/SSO `--profile`, instance or container role). The local stack serves
// plain http and is not signed. `--region`/`--profile` set AWS_REGION/AWS_PROFILE, as for the AWS CLI.
// The signer and the credential chain load on the first signed request: a local command (or
// `validate`, which makes none) never pays for them.

export class ApiRegionUnknown extends ChangeflowError {
  override readonly name = 'ApiRegionUnknown' as const;
}

/** SHA-256 (HMAC-SHA-256 when given a key) from node:crypto, in the shape the signer takes. */
export class NodeSha256 implements Checksum {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key = typeof this.secret === 'string' ? this.secret : Buffer.from(this.secret instanceof ArrayBuffer ? new Uint8Array(this.secret) : new Uint8Array(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength));
    return createHmac('sha256', key);
  }
  update(data: Uint8Array): void {
    this.hash.update(data);
  }
  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

/** `https://abc123.execute-api.eu-west-1.amazonaws.com` → eu-west-1 (custom domains need --region). */
export function regionOfApi(url: URL): string | undefined {
  return /\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(url.hostname)?.[1];
}

/** The deployed API is https only; the local stack is plain http. */
export const signsOnAws = (url: URL): boolean => url.protocol === 'https:';

export interface ApiFetchOptions {
  /** Signing region; else AWS_REGION / AWS_DEFAULT_REGION, else the execute-api host name. */
  readonly region?: string;
  /** Else the default provider chain (which reads AWS_PROFILE). */
  readonly credentials?: AwsCredentialIdentityProvider;
  /** Which requests to sign (default: https ones). */
  readonly sign?: (url: URL) => boolean;
  readonly env?: NodeJS.ProcessEnv;
  readonly fetch?: typeof fetch;
  readonly now?: () => Date;
}

function plainHeaders(headers: ConstructorParameters<typeof Headers>[0]): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers).forEach((value, name) => {
    out[name] = value;
  });
  return out;
}

/** A fetch for the changeflow API: signs with SigV4 what `sign` selects, passes the rest through. */
export function createApiFetch(opts: ApiFetchOptions = {}): typeof fetch {
  const send = opts.fetch ?? fetch;
  const sign = opts.sign ?? signsOnAws;
  let credentials = opts.credentials;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (!sign(url)) return send(input, init);
    if (input instanceof Request) throw new TypeError('the signed API fetch takes a URL and init, not a Request');
    const env = opts.env ?? process.env;
    const region = opts.region ?? (env['AWS_REGION'] || env['AWS_DEFAULT_REGION'] || regionOfApi(url));
    if (!region) throw new ApiRegionUnknown(`cannot tell the AWS region of ${url.origin}: pass --region (or set AWS_REGION)`);
    if (init?.body !== undefined && init.body !== null && typeof init.body !== 'string') throw new TypeError('the signed API fetch sends string bodies only');
    const [{ SignatureV4 }, { defaultProvider }] = await Promise.all([import('@smithy/signature-v4'), import('@aws-sdk/credential-provider-node')]);
    credentials ??= defaultProvider();
    const signer = new SignatureV4({ service: 'execute-api', region, credentials, sha256: NodeSha256 });
    const query: Record<string, string | string[]> = {};
    for (const key of new Set(url.searchParams.keys())) {
      const values = url.searchParams.getAll(key);
      query[key] = values.length === 1 ? (values[0] ?? '') : values;
    }
    const signed = await signer.sign(
      {
        method: (init?.method ?? 'GET').toUpperCase(),
        protocol: url.protocol,
        hostname: url.hostname,
        port: url.port ? Number(url.port) : undefined,
        path: url.pathname,
        query,
        headers: { ...plainHeaders(init?.headers), host: url.host },
        body: init?.body ?? undefined,
      },
      { signingDate: opts.now?.() },
    );
    // fetch sets Host from the URL itself (the same url.host that was signed).
    const { host: _host, ...headers } = signed.headers;
    return send(url, { ...init, headers });
  };
}

/** The CLI's fetch for every API call: AWS_REGION/AWS_PROFILE are read when a request is made. */
export const apiFetch: typeof fetch = createApiFetch();

/** `--region`/`--profile` on any command: what AWS_REGION/AWS_PROFILE mean to every AWS client the command makes. */
export function useAwsOptions(opts: { region?: unknown; profile?: unknown }, env: NodeJS.ProcessEnv = process.env): void {
  if (typeof opts.region === 'string' && opts.region !== '') env['AWS_REGION'] = opts.region;
  if (typeof opts.profile === 'string' && opts.profile !== '') env['AWS_PROFILE'] = opts.profile;
}
