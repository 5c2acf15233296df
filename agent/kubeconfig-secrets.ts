import { KubeConfig } from '@kubernetes/client-node';
import * as z from '../shared/zod.js';

// The credentials a kubeconfig user carries (bearer token — client-node has already read a
// token-file into it — basic-auth password, client key, auth-provider access token), so the
// redactor masks them wherever a device or library echoes one back.

const AuthProviderTokens = z.object({ config: z.looseObject({ 'access-token': z.optional(z.string()), 'id-token': z.optional(z.string()) }) });

export function kubeconfigSecrets(kubeconfigPath: string, context?: string): string[] {
  const kc = new KubeConfig();
  kc.loadFromFile(kubeconfigPath);
  if (context) kc.setCurrentContext(context);
  const user = kc.getCurrentUser();
  if (!user) return [];
  const secrets = [user.token, user.password, user.keyData];
  if (user.keyData) secrets.push(Buffer.from(user.keyData, 'base64').toString('utf8'));
  const provider = AuthProviderTokens.safeParse(user.authProvider);
  if (provider.success) secrets.push(provider.data.config['access-token'], provider.data.config['id-token']);
  return secrets.filter((s): s is string => typeof s === 'string' && s.length > 0);
}
