import { SFNClient } from '@aws-sdk/client-sfn';

// The Step Functions client of one site. GetActivityTask long-polls for up to 60 s, so the socket
// must wait longer than that (issue 8: ≥ 65 s) or every idle poll would end in a timeout error.
export const activityPollTimeoutMs = 70_000;

/** The local runtime accepts any signature; only there may the agent sign with dummy keys. */
function isLoopback(endpoint: string): boolean {
  const host = new URL(endpoint).hostname;
  return host === 'localhost' || host === '::1' || host === '[::1]' || host.startsWith('127.');
}

export function createActivityClient(site: { region: string; endpoint?: string }, env: NodeJS.ProcessEnv): SFNClient {
  // A VPC endpoint on AWS is not loopback: it signs with the bastion's real credentials chain.
  const local = site.endpoint !== undefined && isLoopback(site.endpoint) && !env['AWS_ACCESS_KEY_ID'];
  return new SFNClient({
    region: site.region,
    endpoint: site.endpoint,
    requestHandler: { requestTimeout: activityPollTimeoutMs, connectionTimeout: 10_000 },
    ...(local ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
