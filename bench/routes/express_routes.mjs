// What an Express application serves, read from the application object
// itself, and where a function is defined: shared by check_fixtures_ts.mjs
// (the fixtures) and express_oracle.mjs (a real application).
//
// Works on Express 4 (app._router, layers matched by a regexp) and on
// Express 5 (app.router, layers keeping the path as written in rawPath).
import http from 'node:http';
import inspector from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

const SUB_APP = Symbol('vantage sub-app');
const ALL_METHODS = http.METHODS.map((m) => m.toLowerCase());

// The router stack of an application or a router.
function stackOf(appOrRouter) {
  if (Array.isArray(appOrRouter.stack)) return appOrRouter.stack; // a Router
  if (typeof appOrRouter.lazyrouter === 'function') {
    appOrRouter.lazyrouter(); // Express 4 ('app.router' throws there)
    return appOrRouter._router.stack;
  }
  return appOrRouter.router.stack; // Express 5
}

// `app.use(path, subApp)` hides the sub-application in a closure
// (`mounted_app`): remember it on that layer's function, so that the walk can
// go into it. Call before the application is built, on the very express
// module it uses.
export function trackSubApps(express) {
  const use = express.application.use;
  express.application.use = function trackedUse(...args) {
    const before = stackOf(this).length;
    const result = use.apply(this, args);
    const apps = args.flat(Infinity).filter((a) => typeof a === 'function' && typeof a.handle === 'function' && a.set);
    stackOf(this).slice(before).filter((l) => l.handle.name === 'mounted_app')
      .forEach((l, i) => { l.handle[SUB_APP] = apps[i]; });
    return result;
  };
}

// The path a `use` layer is mounted at, as written.
function mountPath(layer) {
  if (layer.rawPath !== undefined) return layer.rawPath; // Express 5
  if (layer.regexp.fast_slash) return '/';
  // Express 4 compiles use('/a/:b') to /^\/a(?:\/([^/]+?))\/?(?=\/|$)/i
  // (older 4.x releases: /^\/a\/(?:([^\/]+?))\/?(?=\/|$)/i).
  let key = 0;
  return layer.regexp.source
    .replace(/^\^/, '').replace(/\\\/\?\(\?=\\\/\|\$\)$/, '')
    .replace(/\(\?:(\\\/)?\(\[\^\\?\/\]\+\?\)\)/g, (_, slash) => `${slash ? '/' : ''}:${layer.keys[key++].name}`)
    .replace(/\\(.)/g, '$1');
}

// Express's join: no double slash, a route "/" under a prefix is the prefix.
function join(prefix, path) {
  if (path instanceof RegExp) return prefix + String(path);
  const rest = path === '/' ? '' : path;
  return (prefix.replace(/\/$/, '') + rest) || '/';
}

function routerOf(handle) {
  if (Array.isArray(handle.stack)) return handle; // a Router
  return handle[SUB_APP] ?? null; // a sub-application (trackSubApps)
}

/**
 * One row per (route, method): {method ('GET', or '*' for every method),
 * path, handler (the last function of the route's chain that is not an
 * error handler: the middleware come before it)}.
 */
export function expressRoutes(app) {
  const rows = [];
  const walk = (stack, prefix) => {
    for (const layer of stack) {
      const paths = [layer.route ? layer.route.path : mountPath(layer)].flat(Infinity);
      for (const path of paths) {
        if (layer.route) {
          rows.push(...routeRows(layer.route, join(prefix, path)));
        } else if (routerOf(layer.handle)) {
          walk(stackOf(routerOf(layer.handle)), path === '/' ? prefix : join(prefix, path));
        }
      }
    }
  };
  walk(stackOf(app), '');
  return rows;
}

function routeRows(route, path) {
  const any = route.methods._all || ALL_METHODS.every((m) => route.methods[m]);
  const methods = any ? ['*'] : Object.keys(route.methods);
  return methods.map((method) => {
    // app.all() gives one layer per method: the GET chain stands for them all.
    const wanted = method === '*' ? (route.methods._all ? undefined : 'get') : method;
    const chain = route.stack.filter((l) => l.method === wanted || l.method === undefined).map((l) => l.handle);
    // An error handler (err, req, res, next) is no endpoint's handler.
    return { method: method.toUpperCase(), path, handler: chain.filter((fn) => fn.length !== 4).at(-1) };
  });
}

/**
 * locate(fn) -> {file, line, column} (1-based) of a function's definition,
 * from V8 through the inspector protocol ([[FunctionLocation]]; a bound
 * function is followed to its target). null for a builtin.
 */
export async function functionLocator() {
  const session = new inspector.Session();
  session.connect();
  const scripts = new Map();
  session.on('Debugger.scriptParsed', ({ params }) => scripts.set(params.scriptId, params.url));
  await session.post('Debugger.enable'); // reports every script already loaded
  const internal = async (objectId) =>
    (await session.post('Runtime.getProperties', { objectId, ownProperties: true })).internalProperties ?? [];
  const locateObject = async (objectId) => {
    const props = await internal(objectId);
    const target = props.find((p) => p.name === '[[TargetFunction]]');
    if (target) return locateObject(target.value.objectId);
    const loc = props.find((p) => p.name === '[[FunctionLocation]]')?.value.value;
    const url = loc && scripts.get(loc.scriptId);
    if (!url) return null;
    return { file: url.startsWith('file:') ? fileURLToPath(url) : url, line: loc.lineNumber + 1, column: loc.columnNumber + 1 };
  };
  return async function locate(fn) {
    globalThis.__vantageLocate = fn;
    const { result } = await session.post('Runtime.evaluate', { expression: 'globalThis.__vantageLocate' });
    delete globalThis.__vantageLocate;
    return locateObject(result.objectId);
  };
}

// A function's own name, without the "bound " of Function.prototype.bind.
export function nameOf(fn) {
  return (fn?.name ?? '').replace(/^(bound )+/, '');
}
