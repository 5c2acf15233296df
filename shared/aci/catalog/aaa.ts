import { annotation, bool, descr, nameAlias, oneOf, optionalName, owned, policyName, secret, str } from './attr.js';
import { cfg, type ClassEntry } from './entry.js';

// Local users and their X.509 certificates, as far as signature authentication needs them: a
// request signed with a user's private key names `uni/userext/user-U/usercert-C` in its
// APIC-Certificate-DN cookie, and the APIC verifies it with the certificate stored there
// (`aaaUserCert.data`, PEM). cisco.aci's aci_aaa_user_certificate writes exactly these attributes.

const userName = str(1, 32, '^[a-zA-Z0-9][a-zA-Z0-9_.@-]*$');

export const aaaClasses: ClassEntry[] = [
  cfg('aaaUserEp', 'userext', ['polUni'], { annotation, descr, name: optionalName, nameAlias, ...owned }),
  cfg('aaaUser', 'user-{name}', ['aaaUserEp'], {
    annotation, descr, name: userName, nameAlias, ...owned,
    accountStatus: oneOf(['active', 'inactive'], 'active'), expires: bool('no'),
    email: str(0, 128), firstName: str(0, 32), lastName: str(0, 32), phone: str(0, 32), pwd: secret(),
  }),
  // A PEM certificate is ~1–2 KB for RSA-2048; the lab checks that it parses (rules.ts).
  cfg('aaaUserCert', 'usercert-{name}', ['aaaUser'], { annotation, descr, name: policyName, nameAlias, ...owned, data: str(0, 16384) }),
];
