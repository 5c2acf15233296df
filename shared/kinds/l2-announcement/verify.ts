import type { VerifyPart } from '../kind.js';

// Not verified yet: the lease and ARP checks come with issue #15 part 5.
export const l2AnnouncementVerify: VerifyPart = {
  pending: 'no check yet (issue #15 part 5: every selected service holds a cilium-l2announce lease on an allowed node)',
};
