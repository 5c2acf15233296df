import type { ChangeKind } from '../kind.js';
import { l2AnnouncementAci } from './aci.js';
import { l2AnnouncementObjects } from './cluster.js';
import { describeL2Announcement } from './summary.js';

export const l2AnnouncementKind: ChangeKind<'l2Announcement'> = {
  type: 'l2Announcement',
  describe: describeL2Announcement,
  aci: l2AnnouncementAci,
  cluster: { objects: (change, _spec, version) => l2AnnouncementObjects(change, version), force: false, versionCheckId: 'cluster.version.l2-announcements', minimum: { version: '1.14', why: 'CiliumL2AnnouncementPolicy arrived in 1.14' } },
};
