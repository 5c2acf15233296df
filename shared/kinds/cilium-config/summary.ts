import type { CiliumConfig } from './schema.js';

/** `enable-l2-announcements=true (rolling restart)`. */
export function describeCiliumConfig(change: CiliumConfig): string {
  const settings = Object.entries(change.settings).map(([k, v]) => `${k}=${v}`);
  return `${settings.join(', ')} (${change.restart === 'rolling' ? 'rolling restart' : 'no restart'})`;
}
