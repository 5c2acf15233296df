// The one zod the product uses: zod/mini, the functional API over the same core as classic zod.
// Classic zod hangs every method on every schema, so no bundler can shake it and it weighed
// ~100 KB of every Lambda bundle; mini keeps only the functions a module calls, which is what
// fits each bundle in its 300 KB budget (issue 18). Import it as `import * as z from '…/zod.js'`:
// a namespace import whose members are read statically is shaken member by member, where a
// re-exported namespace object would drag in all of zod and every locale.
//
// Mini ships no error text of its own: English messages are installed here, once, before any
// schema can parse, so a refusal still says "expected string, received number" and names the
// field. Every module imports z from here (eslint refuses a direct 'zod' import), so none can
// parse without the messages.
import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

config(en());

export * from 'zod/mini';
