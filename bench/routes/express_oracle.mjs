#!/usr/bin/env node
// The endpoints of a real Express application from npm as Express itself
// holds them: the oracle for `vantage routes` on Express, the counterpart of
// django_oracle.py. The application is built in this process (never
// listening) and its router stack walked (express_routes.mjs), sub-apps and
// routers included; each route's handler is located by V8, so the view is
// `file#name`: the file where the function is defined, relative to the
// application's source root (the folder vantage is run on), and the
// function's own name. Install with setup.sh (the Node-RED block):
//
//     node bench/routes/express_oracle.mjs [--app node-red] > .bench/routes/node-red-oracle.json
//
// Output: a sorted JSON list of {"method", "path", "view", "name"} rows
// ("*": every method; name: null, Express has no route names);
// "outside": true on rows whose handler is defined outside the source root.
// An anonymous function written in the registration has view null: vantage's
// handler is null there too, so compare.py matches such a row by method and
// path, and it counts as the application's own.
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expressRoutes, functionLocator, nameOf, trackSubApps } from './express_routes.mjs';

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '.bench', 'routes');

// Where each application is installed (setup.sh), its source root, and how
// the application is built: only what its own start script does, with its
// data in the git-ignored bench folder.
const APPS = {
  'node-red': {
    prefix: path.join(BENCH, 'node', 'node-red'),
    // Node-RED's admin and editor routes are all in @node-red/editor-api;
    // node-red/lib/red.js adds the runtime's admin app (empty until flows
    // run) and its CLI mounts the whole at httpAdminRoot ("/").
    root: 'node_modules/@node-red/editor-api',
    async build(require, data) {
      // The express instance the editor API uses, patched before it builds its apps.
      trackSubApps(createRequire(require.resolve('@node-red/editor-api'))('express'));
      const RED = require('node-red');
      const settings = {
        ...require('node-red/settings.js'), // the shipped default settings file
        userDir: data,
        logging: { console: { level: 'off' } },
        // The settings file's commented-out adminAuth, switched on: the admin
        // API then has its token routes too. The hash is of "password".
        adminAuth: {
          type: 'credentials',
          users: [{ username: 'admin', password: '$2b$08$sMCU9an0bPyig0WCSpKAneAOv8yLkqqaE9mniRbvFUdgqp5cZQOme', permissions: '*' }],
        },
      };
      RED.init(http.createServer(), settings); // a server object for the editor's websocket; never listens
      return RED.httpAdmin;
    },
  },
};

async function main() {
  const at = process.argv.indexOf('--app');
  const appName = at > 0 ? process.argv[at + 1] : 'node-red';
  const app = APPS[appName];
  if (!app) throw new Error(`--app: one of ${Object.keys(APPS)}`);
  const require = createRequire(path.join(app.prefix, 'package.json'));
  const root = path.join(app.prefix, app.root);
  const data = path.join(BENCH, 'data', appName);
  fs.mkdirSync(data, { recursive: true });

  const locate = await functionLocator();
  const express = await app.build(require, data);
  const rows = new Map();
  for (const route of expressRoutes(express)) {
    const loc = route.handler && (await locate(route.handler));
    const fn = nameOf(route.handler);
    const inside = loc && loc.file.startsWith(root + path.sep);
    const row = { method: route.method, path: route.path, view: null, name: null };
    if (!inside) {
      row.view = `${loc ? path.relative(path.join(app.prefix, 'node_modules'), loc.file) : '?'}#${fn}`;
      row.outside = true;
    } else if (fn) {
      row.view = `${path.relative(root, loc.file)}#${fn}`;
    }
    rows.set(JSON.stringify(row), row);
  }
  const key = (r) => [r.path, r.method, r.view ?? ''];
  const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0); // code points, as Python sorts
  const sorted = [...rows.values()].sort((a, b) => key(a).map((k, i) => cmp(k, key(b)[i])).find((c) => c) ?? 0);
  process.stdout.write(`${JSON.stringify(sorted, null, 1)}\n`);
  const inApp = sorted.filter((r) => !('outside' in r)).length;
  const anonymous = sorted.filter((r) => r.view === null).length;
  console.error(`${appName}: ${sorted.length} rows, ${inApp} in the application (${anonymous} anonymous functions)`);
  process.exit(0); // Node-RED leaves timers behind
}

await main();
