// The lab instance's sys_user table: read-only rows as the Table API answers them. 6816f79c… is the
// out-of-the-box admin's sys_id on every instance, the requested_by of the examples; the others are
// the integration user changeflow writes as and a change manager the tests name.

export interface SysUser {
  readonly sys_id: string;
  readonly user_name: string;
  readonly name: string;
  readonly email: string;
}

export function labUsers(integrationUser: string): readonly SysUser[] {
  return [
    { sys_id: '6816f79cc0a8016401c5a33be04be441', user_name: 'admin', name: 'System Administrator', email: 'admin@example.com' },
    { sys_id: '5137153cc611227c000bbd1bd8cd2005', user_name: 'jane.doe', name: 'Jane Doe', email: 'jane.doe@example.com' },
    { sys_id: '46d44a23a9fe19810012d100cca80666', user_name: integrationUser, name: 'changeflow integration', email: `${integrationUser}@example.com` },
  ];
}
