<?php
/*
 * PHP's own run of a Laravel `vantage routes` fixture's route files, as a
 * check of its hand-written expected.json (docs/output.md, "`vantage routes
 * --format json`").
 *
 *     php bench/routes/check_laravel.php fixtures/routes/laravel_shop
 *
 * No Laravel here (packagist is unreachable, there is no vendor/): this file
 * holds a STUB of Laravel's router, not Laravel. It is written after Laravel
 * 10/11's Illuminate\Routing (Router, RouteRegistrar, RouteGroup, Route,
 * RouteAction, ResourceRegistrar, PendingResourceRegistration,
 * RouteFileRegistrar) and the Route facade, keeping their method names and
 * their arithmetic on prefixes, names, middleware and actions, and dropping
 * everything a request needs (matching, dispatch, the container, bindings).
 * The fixture's route files are then `require`d by PHP, so every
 * registration statement really runs, inside the groups PHP really enters:
 *
 * - Which files, under which group: bootstrap/app.php, when there is one, is
 *   run against a stub Application::configure()->withRouting(...) and its
 *   `web:`/`api:`/`apiPrefix:` are loaded as Laravel 11's
 *   ApplicationBuilder::buildRoutingCallback() does
 *   (`Route::middleware('api')->prefix($apiPrefix)->group($api)`, then
 *   `Route::middleware('web')->group($web)`); without it, routes/api.php and
 *   routes/web.php the same way (Laravel 10's RouteServiceProvider). The
 *   `health:` route, `using:` and `then:` are reported, not modelled. Both
 *   files are loaded under `->namespace('App\Http\Controllers')`
 *   (ROOT_NAMESPACE), as Laravel <= 7's RouteServiceProvider did with its
 *   `$namespace` (and apps that keep setting it still do): the root a group's
 *   `namespace` and a string controller are prefixed with (Laravel 8+ sets
 *   none by default).
 * - Router: get/post/put/patch/delete/options (GET gets HEAD, as
 *   Route::__construct adds it), any (Router::$verbs), match (uppercased),
 *   group (a Closure, or a file required with `$router` in scope; its
 *   attributes array, `Route::group(['namespace' => ..., 'prefix' => ...,
 *   'as' => ..., 'middleware' => ...], ...)`, as the older form of the
 *   registrar chain, middleware in it at the group statement's line),
 *   resource/apiResource (a PendingResourceRegistration that registers in
 *   its destructor, so `->only()`/`->except()`/`->names()`/`->parameters()`
 *   chained on it count), and every other static call through Router::__call
 *   into a new RouteRegistrar (prefix, middleware, name/as, controller,
 *   namespace, domain, where, withoutMiddleware, scopeBindings).
 * - createRoute(): an action naming a controller (a string, or an array with
 *   `uses`, its `as` the route's name after the group's) gets the group's
 *   controller (`Route::controller(X)->group()`: `'show'` -> `X@show`) and
 *   namespace (`'ReportController@show'` in a `namespace => 'Legacy'` group ->
 *   `App\Http\Controllers\Legacy\ReportController@show`; a class already
 *   under the group's namespace is left as is); the uri gets the group prefix
 *   (`trim(trim($prefix, '/').'/'.trim($uri, '/'), '/') ?: '/'`); the group's
 *   attributes are merged into the route (RouteGroup::merge: `as` prefixes
 *   concatenated, middleware appended outer first). RouteAction::parse():
 *   `[X::class, 'm']` -> `X@m`, a class string -> `X@__invoke` (PHP loads the
 *   class and it must have __invoke, as Laravel checks), a Closure stays one.
 *   Route::name() appends to the group's `as`; Route::middleware() appends.
 * - ResourceRegistrar: index, create, store, show, edit, update, destroy
 *   (apiResource: index, show, store, update, destroy), narrowed by `only`
 *   and `except` (the third argument's `['only' => [...]]`, or chained, an
 *   array or variadic strings: `->except('update', 'destroy')`); uris
 *   `{name}`, `{name}/create`, `{name}/{param}`, `{name}/{param}/edit`,
 *   update as match(['PUT', 'PATCH']); the parameter
 *   Str::singular() of the last segment (`photos` -> `{photo}`, a few English
 *   rules here, not Doctrine's whole inflector) with `-` -> `_`; names
 *   `{as.}{name}.{method}` or `names`, after the group's `as`; nested
 *   (`photos.comments`) and prefixed (`admin/photos`) resources; shallow.
 * - RouteCollection::add(): the same methods and uri registered again replace
 *   the earlier route (noted).
 *
 * Each route is recorded where it is registered: the innermost frame of
 * debug_backtrace() in the fixture's routes/ folder (for a resource, the
 * `Route::resource(...)` statement, for all its routes), and each middleware
 * where its `middleware(...)` is called, `on: "group"` when given to a group,
 * `"route"` when chained on the route (or given to a registrar's get/post or
 * to a resource). The middleware groups the loader itself gives (`web`,
 * `api`) have no such line and are never listed.
 *
 * The routes are then written as expected.json's conventions want them:
 * methods uppercase and sorted, HEAD left out when GET is there, all of
 * Router::$verbs as ["*"]; path "/" + the uri; handler {symbol: the class,
 * method: class::method, file, line: the class's first line, attributes and
 * modifiers included (tokenizer)} or null with `"outside": "inline
 * function"` for a Closure; name the route's `as` or null; site; guards the
 * middleware named for authentication or authorisation (a part, split at
 * `.`, `:`, `_`, `-`, starting with `auth`: `auth:sanctum`, `jwt.auth`;
 * `can:`, `verified...`, or containing `role`, `permission`, `admin`), as
 * written.
 * Routes sorted by path, methods, site file and line.
 *
 * Every key of every route is compared (and each object's key order), the
 * top level ({"version": 1, "routes": [...], "dynamic": []}: everything here
 * is executed, so nothing is dynamic) and the order. Every disagreement is
 * printed as file:line; the exit status is 1 when there is one, 0 when there
 * is none, 2 on a usage error.
 */

declare(strict_types=1);

namespace Illuminate\Routing {

    use BadMethodCallException;
    use Closure;
    use InvalidArgumentException;
    use LogicException;
    use UnexpectedValueException;

    /** Where the fixture's route files are, to find a statement's line in a backtrace. */
    final class Sites
    {
        public static string $root = '';

        /** The innermost frame of the backtrace in the fixture's routes/ folder: [file, line] or null. */
        public static function here(): ?array
        {
            foreach (debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS) as $f) {
                if (isset($f['file'], $f['line']) && str_starts_with($f['file'], self::$root . '/routes/')) {
                    return ['file' => substr($f['file'], strlen(self::$root) + 1), 'line' => $f['line']];
                }
            }
            return null;
        }
    }

    /** A middleware as written, with the line of its `middleware(...)` call (none for the loader's own). */
    final class Middleware
    {
        public function __construct(
            public string $name,
            public ?string $file,
            public ?int $line,
            public string $on,
        ) {
        }

        public function __toString(): string
        {
            return $this->name;
        }

        /** @return Middleware[] */
        public static function list(array $names, string $on): array
        {
            $site = Sites::here();
            $out = [];
            foreach ($names as $m) {
                $out[] = $m instanceof self ? $m : new self((string) $m, $site['file'] ?? null, $site['line'] ?? null, $on);
            }
            return $out;
        }
    }

    final class Arr
    {
        public static function except(array $a, array $keys): array
        {
            return array_diff_key($a, array_flip($keys));
        }
    }

    /** Str::singular() on the words a resource is named with: a few of the inflector's rules. */
    final class Str
    {
        private const IRREGULAR = ['people' => 'person', 'children' => 'child', 'men' => 'man', 'women' => 'woman',
            'mice' => 'mouse', 'geese' => 'goose', 'feet' => 'foot', 'teeth' => 'tooth', 'data' => 'datum',
            'news' => 'news', 'series' => 'series', 'species' => 'species', 'media' => 'media'];

        public static function singular(string $word): string
        {
            $lower = strtolower($word);
            if (isset(self::IRREGULAR[$lower])) {
                return self::IRREGULAR[$lower];
            }
            foreach ([
                '/ies$/i' => 'y', '/(ss|sh|ch|x|z|o)es$/i' => '$1', '/([^s])s$/i' => '$1',
            ] as $re => $to) {
                if (preg_match($re, $word)) {
                    return preg_replace($re, $to, $word);
                }
            }
            return $word;
        }
    }

    /** RouteGroup::merge() (Laravel 10/11). */
    final class RouteGroup
    {
        public static function merge(array $new, array $old, bool $prependExistingPrefix = true): array
        {
            if (isset($new['domain'])) {
                unset($old['domain']);
            }
            if (isset($new['controller'])) {
                unset($old['controller']);
            }
            $new = array_merge(self::formatAs($new, $old), [
                'namespace' => self::formatNamespace($new, $old),
                'prefix' => self::formatPrefix($new, $old, $prependExistingPrefix),
                'where' => array_merge($old['where'] ?? [], $new['where'] ?? []),
            ]);
            return array_merge_recursive(Arr::except($old, ['namespace', 'prefix', 'where', 'as']), $new);
        }

        private static function formatNamespace(array $new, array $old): ?string
        {
            if (isset($new['namespace'])) {
                return isset($old['namespace']) && !str_starts_with($new['namespace'], '\\')
                    ? trim($old['namespace'], '\\') . '\\' . trim($new['namespace'], '\\')
                    : trim($new['namespace'], '\\');
            }
            return $old['namespace'] ?? null;
        }

        private static function formatPrefix(array $new, array $old, bool $prependExistingPrefix): string
        {
            $old = $old['prefix'] ?? '';
            if ($prependExistingPrefix) {
                return isset($new['prefix']) ? trim($old, '/') . '/' . trim($new['prefix'], '/') : $old;
            }
            return isset($new['prefix']) ? trim($new['prefix'], '/') . '/' . trim($old, '/') : $old;
        }

        private static function formatAs(array $new, array $old): array
        {
            if (isset($old['as'])) {
                $new['as'] = $old['as'] . ($new['as'] ?? '');
            }
            return $new;
        }
    }

    /** Route: methods, uri and action, as Illuminate\Routing\Route keeps them; plus where it was registered. */
    class Route
    {
        public array $methods;
        public string $uri;
        public array $action;
        public ?array $site = null;

        public function __construct($methods, string $uri, $action)
        {
            $this->uri = $uri;
            $this->methods = (array) $methods;
            $this->action = Arr::except(RouteAction::parse($uri, $action), ['prefix']);
            if (in_array('GET', $this->methods, true) && !in_array('HEAD', $this->methods, true)) {
                $this->methods[] = 'HEAD';
            }
            $this->prefix(is_array($action) ? ($action['prefix'] ?? '') : '');
        }

        public function prefix(?string $prefix): static
        {
            $prefix ??= '';
            if ($prefix !== '') {
                $this->action['prefix'] = trim(rtrim($prefix, '/') . '/' . ltrim($this->action['prefix'] ?? '', '/'), '/');
            }
            $uri = rtrim($prefix, '/') . '/' . ltrim($this->uri, '/');
            $this->uri = RouteUri::parse($uri !== '/' ? trim($uri, '/') : $uri);
            return $this;
        }

        public function name(string $name): static
        {
            $this->action['as'] = isset($this->action['as']) ? $this->action['as'] . $name : $name;
            return $this;
        }

        public function getName(): ?string
        {
            return $this->action['as'] ?? null;
        }

        public function middleware($middleware = null): static|array
        {
            if ($middleware === null) {
                return (array) ($this->action['middleware'] ?? []);
            }
            if (!is_array($middleware)) {
                $middleware = func_get_args();
            }
            $this->action['middleware'] = array_merge((array) ($this->action['middleware'] ?? []), Middleware::list($middleware, 'route'));
            return $this;
        }

        public function withoutMiddleware($middleware): static
        {
            $this->action['excluded_middleware'] = array_merge((array) ($this->action['excluded_middleware'] ?? []), (array) $middleware);
            return $this;
        }

        public function where($name, $expression = null): static
        {
            return $this; // requirements do not change the uri
        }

        public function whereNumber(...$a): static
        {
            return $this;
        }

        public function whereAlpha(...$a): static
        {
            return $this;
        }

        public function whereAlphaNumeric(...$a): static
        {
            return $this;
        }

        public function whereUuid(...$a): static
        {
            return $this;
        }

        public function whereIn(...$a): static
        {
            return $this;
        }

        public function withTrashed(...$a): static
        {
            return $this;
        }

        public function scopeBindings(): static
        {
            return $this;
        }

        public function getAction(): array
        {
            return $this->action;
        }

        public function setAction(array $action): static
        {
            $this->action = $action;
            return $this;
        }

        public function __call($method, $parameters)
        {
            throw new BadMethodCallException("Route::$method() is not modelled by this stub");
        }
    }

    /** RouteUri::parse(): `{post:slug}` is `{post}` (the field is a binding field, not part of the uri). */
    final class RouteUri
    {
        public static function parse(string $uri): string
        {
            preg_match_all('/\{([\w\:]+?)\??\}/', $uri, $matches);
            foreach ($matches[0] as $match) {
                if (!str_contains($match, ':')) {
                    continue;
                }
                $segments = explode(':', trim($match, '{}?'));
                $uri = str_contains($match, '?')
                    ? str_replace($match, '{' . $segments[0] . '?}', $uri)
                    : str_replace($match, '{' . $segments[0] . '}', $uri);
            }
            return $uri;
        }
    }

    /** RouteAction::parse(). */
    final class RouteAction
    {
        public static function parse(string $uri, $action): array
        {
            if ($action === null) {
                return ['uses' => function () use ($uri) {
                    throw new LogicException("Route for [{$uri}] has no action.");
                }];
            }
            if (self::isCallable($action)) {
                return !is_array($action) ? ['uses' => $action]
                    : ['uses' => $action[0] . '@' . $action[1], 'controller' => $action[0] . '@' . $action[1]];
            }
            if (!isset($action['uses'])) {
                foreach ($action as $key => $value) {
                    if (is_numeric($key) && self::isCallable($value)) {
                        $action['uses'] = $value;
                        break;
                    }
                }
            }
            if (is_string($action['uses'] ?? null) && !str_contains($action['uses'], '@')) {
                $action['uses'] = self::makeInvokable($action['uses']);
            }
            return $action;
        }

        /** Reflector::isCallable($var, syntaxOnly: true) for what a route action can be. */
        private static function isCallable($var): bool
        {
            if ($var instanceof Closure) {
                return true;
            }
            if (!is_array($var)) {
                return is_string($var) && is_callable($var, true) && function_exists($var);
            }
            return isset($var[0], $var[1]) && is_string($var[1]) && (is_string($var[0]) || is_object($var[0]))
                && count($var) === 2 && array_is_list($var);
        }

        private static function makeInvokable(string $action): string
        {
            if (!method_exists($action, '__invoke')) {
                throw new UnexpectedValueException("Invalid route action: [{$action}].");
            }
            return $action . '@__invoke';
        }
    }

    /** RouteRegistrar: the attributes of a group being built (Route::prefix(...)->middleware(...)->...). */
    class RouteRegistrar
    {
        protected array $attributes = [];
        protected array $passthru = ['get', 'post', 'put', 'patch', 'delete', 'options', 'any'];
        protected array $allowedAttributes = ['as', 'controller', 'domain', 'middleware', 'missing', 'name', 'namespace',
            'prefix', 'scopeBindings', 'where', 'withoutMiddleware'];
        protected array $aliases = ['name' => 'as', 'scopeBindings' => 'scope_bindings', 'withoutMiddleware' => 'excluded_middleware'];

        public function __construct(protected Router $router)
        {
        }

        public function attribute(string $key, $value): static
        {
            if (!in_array($key, $this->allowedAttributes, true)) {
                throw new InvalidArgumentException("Attribute [{$key}] does not exist.");
            }
            if ($key === 'middleware') {
                $value = Middleware::list($value, 'group');
            }
            $attributeKey = $this->aliases[$key] ?? $key;
            if ($key === 'withoutMiddleware') {
                $value = array_merge((array) ($this->attributes[$attributeKey] ?? []), (array) $value);
            }
            $this->attributes[$attributeKey] = $value;
            return $this;
        }

        public function resource($name, $controller, array $options = []): PendingResourceRegistration
        {
            return $this->router->resource($name, $controller, $this->routeLevel($this->attributes) + $options);
        }

        public function apiResource($name, $controller, array $options = []): PendingResourceRegistration
        {
            return $this->router->apiResource($name, $controller, $this->routeLevel($this->attributes) + $options);
        }

        public function group($callback): void
        {
            $this->router->group($this->attributes, $callback);
        }

        public function match($methods, $uri, $action = null): Route
        {
            return $this->router->match($methods, $uri, $this->compileAction($action));
        }

        protected function registerRoute(string $method, $uri, $action = null): Route
        {
            if (!is_array($action)) {
                $action = array_merge($this->routeLevel($this->attributes), $action ? ['uses' => $action] : []);
            }
            return $this->router->{$method}($uri, $this->compileAction($action));
        }

        /** Middleware given to a registrar that then registers one route (or one resource) is that route's. */
        private function routeLevel(array $attributes): array
        {
            if (isset($attributes['middleware'])) {
                $attributes['middleware'] = array_map(
                    fn (Middleware $m) => new Middleware($m->name, $m->file, $m->line, 'route'),
                    $attributes['middleware'],
                );
            }
            return $attributes;
        }

        protected function compileAction($action): array
        {
            $attributes = $this->routeLevel($this->attributes);
            if ($action === null) {
                return $attributes;
            }
            if (is_string($action) || $action instanceof Closure) {
                $action = ['uses' => $action];
            }
            if (is_array($action) && array_is_list($action) && count($action) === 2 && is_string($action[1] ?? null)) {
                if (strncmp($action[0], '\\', 1)) {
                    $action[0] = '\\' . $action[0];
                }
                $action = ['uses' => $action[0] . '@' . $action[1], 'controller' => $action[0] . '@' . $action[1]];
            }
            return array_merge($attributes, $action);
        }

        public function __call($method, $parameters)
        {
            if (in_array($method, $this->passthru, true)) {
                return $this->registerRoute($method, ...$parameters);
            }
            if (in_array($method, $this->allowedAttributes, true)) {
                if ($method === 'middleware') {
                    return $this->attribute($method, is_array($parameters[0]) ? $parameters[0] : $parameters);
                }
                return $this->attribute($method, array_key_exists(0, $parameters) ? $parameters[0] : true);
            }
            throw new BadMethodCallException(sprintf('Method %s::%s does not exist.', static::class, $method));
        }
    }

    /** PendingResourceRegistration: the resource registers when the object dies, at the end of its statement. */
    class PendingResourceRegistration
    {
        protected bool $registered = false;
        public ?array $site;

        public function __construct(
            protected ResourceRegistrar $registrar,
            protected string $name,
            protected string $controller,
            protected array $options,
        ) {
            $this->site = Sites::here();
        }

        public function only($methods): static
        {
            $this->options['only'] = is_array($methods) ? $methods : func_get_args();
            return $this;
        }

        public function except($methods): static
        {
            $this->options['except'] = is_array($methods) ? $methods : func_get_args();
            return $this;
        }

        public function names($names): static
        {
            $this->options['names'] = $names;
            return $this;
        }

        public function name(string $method, string $name): static
        {
            $this->options['names'][$method] = $name;
            return $this;
        }

        public function parameters($parameters): static
        {
            $this->options['parameters'] = $parameters;
            return $this;
        }

        public function parameter(string $previous, string $new): static
        {
            $this->options['parameters'][$previous] = $new;
            return $this;
        }

        public function middleware($middleware): static
        {
            $this->options['middleware'] = Middleware::list(is_array($middleware) ? $middleware : [$middleware], 'route');
            return $this;
        }

        public function shallow(bool $shallow = true): static
        {
            $this->options['shallow'] = $shallow;
            return $this;
        }

        public function where($wheres): static
        {
            return $this;
        }

        public function __call($method, $parameters)
        {
            throw new BadMethodCallException("PendingResourceRegistration::$method() is not modelled by this stub");
        }

        public function register(): void
        {
            $this->registered = true;
            $this->registrar->register($this->name, $this->controller, $this->options, $this->site);
        }

        public function __destruct()
        {
            if (!$this->registered) {
                $this->register();
            }
        }
    }

    /** ResourceRegistrar (Laravel 10/11), without singletons. */
    class ResourceRegistrar
    {
        protected array $resourceDefaults = ['index', 'create', 'store', 'show', 'edit', 'update', 'destroy'];
        protected $parameters = null;
        protected static array $verbs = ['create' => 'create', 'edit' => 'edit'];

        public function __construct(protected Router $router)
        {
        }

        public function register(string $name, string $controller, array $options, ?array $site): void
        {
            if (isset($options['parameters']) && $this->parameters === null) {
                $this->parameters = $options['parameters'];
            }
            if (str_contains($name, '/')) {
                $segments = explode('/', $name);
                $prefix = implode('/', array_slice($segments, 0, -1));
                $last = end($segments);
                $this->router->group(compact('prefix'), function () use ($last, $controller, $options, $site) {
                    (new self($this->router))->register($last, $controller, $options, $site);
                });
                return;
            }
            $parts = explode('.', $name);
            $base = $this->getResourceWildcard(end($parts));
            $methods = $this->resourceDefaults;
            if (isset($options['only'])) {
                $methods = array_intersect($methods, (array) $options['only']);
            }
            if (isset($options['except'])) {
                $methods = array_diff($methods, (array) $options['except']);
            }
            $previous = $this->router->siteOverride;
            $this->router->siteOverride = $site;
            try {
                foreach (array_values($methods) as $m) {
                    $this->{'addResource' . ucfirst($m)}($name, $base, $controller, $options);
                }
            } finally {
                $this->router->siteOverride = $previous;
            }
        }

        protected function addResourceIndex($name, $base, $controller, $options): Route
        {
            unset($options['missing']);
            return $this->router->get($this->getResourceUri($name), $this->getResourceAction($name, $controller, 'index', $options));
        }

        protected function addResourceCreate($name, $base, $controller, $options): Route
        {
            unset($options['missing']);
            return $this->router->get($this->getResourceUri($name) . '/' . static::$verbs['create'],
                $this->getResourceAction($name, $controller, 'create', $options));
        }

        protected function addResourceStore($name, $base, $controller, $options): Route
        {
            unset($options['missing']);
            return $this->router->post($this->getResourceUri($name), $this->getResourceAction($name, $controller, 'store', $options));
        }

        protected function addResourceShow($name, $base, $controller, $options): Route
        {
            $name = $this->getShallowName($name, $options);
            return $this->router->get($this->getResourceUri($name) . '/{' . $base . '}',
                $this->getResourceAction($name, $controller, 'show', $options));
        }

        protected function addResourceEdit($name, $base, $controller, $options): Route
        {
            $name = $this->getShallowName($name, $options);
            return $this->router->get($this->getResourceUri($name) . '/{' . $base . '}/' . static::$verbs['edit'],
                $this->getResourceAction($name, $controller, 'edit', $options));
        }

        protected function addResourceUpdate($name, $base, $controller, $options): Route
        {
            $name = $this->getShallowName($name, $options);
            return $this->router->match(['PUT', 'PATCH'], $this->getResourceUri($name) . '/{' . $base . '}',
                $this->getResourceAction($name, $controller, 'update', $options));
        }

        protected function addResourceDestroy($name, $base, $controller, $options): Route
        {
            $name = $this->getShallowName($name, $options);
            return $this->router->delete($this->getResourceUri($name) . '/{' . $base . '}',
                $this->getResourceAction($name, $controller, 'destroy', $options));
        }

        protected function getShallowName(string $name, array $options): string
        {
            if (!empty($options['shallow'])) {
                $parts = explode('.', $name);
                return end($parts);
            }
            return $name;
        }

        public function getResourceUri(string $resource): string
        {
            if (!str_contains($resource, '.')) {
                return $resource;
            }
            $segments = explode('.', $resource);
            $uri = implode('/', array_map(fn ($s) => $s . '/{' . $this->getResourceWildcard($s) . '}', $segments));
            return str_replace('/{' . $this->getResourceWildcard(end($segments)) . '}', '', $uri);
        }

        public function getResourceWildcard(string $value): string
        {
            if (is_array($this->parameters) && isset($this->parameters[$value])) {
                $value = $this->parameters[$value];
            } else {
                $value = Str::singular($value); // $singularParameters is true by default
            }
            return str_replace('-', '_', $value);
        }

        protected function getResourceAction($resource, $controller, $method, $options): array
        {
            $action = ['as' => $this->getResourceRouteName($resource, $method, $options), 'uses' => $controller . '@' . $method];
            if (isset($options['middleware'])) {
                $action['middleware'] = $options['middleware'];
            }
            if (isset($options['excluded_middleware'])) {
                $action['excluded_middleware'] = $options['excluded_middleware'];
            }
            return $action;
        }

        protected function getResourceRouteName($resource, $method, $options): string
        {
            $name = $resource;
            if (isset($options['names'])) {
                if (is_string($options['names'])) {
                    $name = $options['names'];
                } elseif (isset($options['names'][$method])) {
                    return $options['names'][$method];
                }
            }
            $prefix = isset($options['as']) ? $options['as'] . '.' : '';
            return trim(sprintf('%s%s.%s', $prefix, $name, $method), '.');
        }
    }

    /** RouteFileRegistrar::register(): the file sees `$router`. */
    final class RouteFileRegistrar
    {
        public function __construct(private Router $router)
        {
        }

        public function register(string $routes): void
        {
            $router = $this->router;
            require $routes;
        }
    }

    class Router
    {
        public static array $verbs = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
        protected array $groupStack = [];
        /** RouteCollection::$allRoutes: implode('|', methods) . uri => Route. */
        public array $routes = [];
        public array $notes = [];
        public ?array $siteOverride = null;

        public function get($uri, $action = null): Route
        {
            return $this->addRoute(['GET', 'HEAD'], $uri, $action);
        }

        public function post($uri, $action = null): Route
        {
            return $this->addRoute('POST', $uri, $action);
        }

        public function put($uri, $action = null): Route
        {
            return $this->addRoute('PUT', $uri, $action);
        }

        public function patch($uri, $action = null): Route
        {
            return $this->addRoute('PATCH', $uri, $action);
        }

        public function delete($uri, $action = null): Route
        {
            return $this->addRoute('DELETE', $uri, $action);
        }

        public function options($uri, $action = null): Route
        {
            return $this->addRoute('OPTIONS', $uri, $action);
        }

        public function any($uri, $action = null): Route
        {
            return $this->addRoute(self::$verbs, $uri, $action);
        }

        public function match($methods, $uri, $action = null): Route
        {
            return $this->addRoute(array_map('strtoupper', (array) $methods), $uri, $action);
        }

        public function resource($name, $controller, array $options = []): PendingResourceRegistration
        {
            return new PendingResourceRegistration(new ResourceRegistrar($this), $name, $controller, $options);
        }

        public function apiResource($name, $controller, array $options = []): PendingResourceRegistration
        {
            $only = ['index', 'show', 'store', 'update', 'destroy'];
            if (isset($options['except'])) {
                $only = array_diff($only, (array) $options['except']);
            }
            return $this->resource($name, $controller, array_merge(['only' => $only], $options));
        }

        public function group(array $attributes, $routes): static
        {
            // `Route::group(['middleware' => 'jwt.auth', ...], ...)`: middleware written in the array is the
            // group's, at the line of the group statement (a registrar's arrive as Middleware already).
            if (isset($attributes['middleware'])) {
                $attributes['middleware'] = Middleware::list((array) $attributes['middleware'], 'group');
            }
            foreach (is_array($routes) ? $routes : [$routes] as $groupRoutes) {
                $this->updateGroupStack($attributes);
                $this->loadRoutes($groupRoutes);
                array_pop($this->groupStack);
            }
            return $this;
        }

        protected function updateGroupStack(array $attributes): void
        {
            if ($this->hasGroupStack()) {
                $attributes = $this->mergeWithLastGroup($attributes);
            }
            $this->groupStack[] = $attributes;
        }

        public function mergeWithLastGroup(array $new, bool $prependExistingPrefix = true): array
        {
            return RouteGroup::merge($new, end($this->groupStack), $prependExistingPrefix);
        }

        protected function loadRoutes($routes): void
        {
            if ($routes instanceof Closure) {
                $routes($this);
            } else {
                (new RouteFileRegistrar($this))->register($routes);
            }
        }

        public function hasGroupStack(): bool
        {
            return $this->groupStack !== [];
        }

        public function getLastGroupPrefix(): string
        {
            if ($this->hasGroupStack()) {
                $last = end($this->groupStack);
                return $last['prefix'] ?? '';
            }
            return '';
        }

        public function addRoute($methods, $uri, $action): Route
        {
            $route = $this->createRoute($methods, $uri, $action);
            $key = implode('|', $route->methods) . $route->uri;
            if (isset($this->routes[$key])) {
                $old = $this->routes[$key]->site;
                $this->notes[] = "{$route->site['file']}:{$route->site['line']}: " . implode('|', $route->methods)
                    . " {$route->uri} registered again; it replaces the route of {$old['file']}:{$old['line']}";
                unset($this->routes[$key]);
            }
            $this->routes[$key] = $route;
            return $route;
        }

        protected function createRoute($methods, $uri, $action): Route
        {
            if ($this->actionReferencesController($action)) {
                $action = $this->convertToControllerAction($action);
            }
            $route = new Route($methods, $this->prefix($uri), $action);
            $route->site = $this->siteOverride ?? Sites::here();
            if ($this->hasGroupStack()) {
                $route->setAction($this->mergeWithLastGroup($route->getAction(), false));
            }
            return $route;
        }

        protected function actionReferencesController($action): bool
        {
            if (!$action instanceof Closure) {
                return is_string($action) || (isset($action['uses']) && is_string($action['uses']));
            }
            return false;
        }

        protected function convertToControllerAction($action): array
        {
            if (is_string($action)) {
                $action = ['uses' => $action];
            }
            if ($this->hasGroupStack()) {
                $action['uses'] = $this->prependGroupController($action['uses']);
                $action['uses'] = $this->prependGroupNamespace($action['uses']);
            }
            $action['controller'] = $action['uses'];
            return $action;
        }

        protected function prependGroupNamespace(string $class): string
        {
            $group = end($this->groupStack);
            return isset($group['namespace']) && !str_starts_with($class, '\\') && !str_starts_with($class, $group['namespace'])
                ? $group['namespace'] . '\\' . $class : $class;
        }

        protected function prependGroupController(string $class): string
        {
            $group = end($this->groupStack);
            if (!isset($group['controller'])) {
                return $class;
            }
            if (class_exists($class)) {
                return $class;
            }
            if (str_contains($class, '@')) {
                return $class;
            }
            return $group['controller'] . '@' . $class;
        }

        /** Router::prefix($uri): protected, so Route::prefix('admin') from outside lands in __call, as in Laravel. */
        protected function prefix($uri): string
        {
            return trim(trim($this->getLastGroupPrefix(), '/') . '/' . trim((string) $uri, '/'), '/') ?: '/';
        }

        public function redirect(...$a)
        {
            throw new BadMethodCallException('Route::redirect() is not modelled by this stub');
        }

        public function view(...$a)
        {
            throw new BadMethodCallException('Route::view() is not modelled by this stub');
        }

        public function fallback(...$a)
        {
            throw new BadMethodCallException('Route::fallback() is not modelled by this stub');
        }

        public function resources(...$a)
        {
            throw new BadMethodCallException('Route::resources() is not modelled by this stub');
        }

        public function singleton(...$a)
        {
            throw new BadMethodCallException('Route::singleton() is not modelled by this stub');
        }

        public function __call($method, $parameters)
        {
            if ($method === 'middleware') {
                return (new RouteRegistrar($this))->attribute($method, is_array($parameters[0]) ? $parameters[0] : $parameters);
            }
            if ($method !== 'where' && str_starts_with($method, 'where')) {
                throw new BadMethodCallException("Route::$method() is not modelled by this stub");
            }
            return (new RouteRegistrar($this))->attribute($method, array_key_exists(0, $parameters) ? $parameters[0] : true);
        }
    }
}

namespace Illuminate\Support\Facades {

    /** The Route facade: every static call goes to the one Router, as Facade::__callStatic() does. */
    class Route
    {
        public static ?\Illuminate\Routing\Router $router = null;

        public static function __callStatic($method, $args)
        {
            return static::$router->$method(...$args);
        }
    }
}

namespace Illuminate\Foundation\Configuration {

    /** bootstrap/app.php's builder: only withRouting() is kept; the rest returns the builder, unrun. */
    class ApplicationBuilder
    {
        public ?array $routing = null;

        public function withRouting(?\Closure $using = null, array|string|null $web = null, array|string|null $api = null,
            ?string $commands = null, ?string $channels = null, ?string $pages = null, ?string $health = null,
            string $apiPrefix = 'api', ?callable $then = null): static
        {
            $this->routing = compact('using', 'web', 'api', 'pages', 'health', 'apiPrefix', 'then');
            return $this;
        }

        public function create(): static
        {
            return $this;
        }

        public function __call($method, $parameters): static
        {
            return $this;
        }
    }

    class Middleware
    {
    }

    class Exceptions
    {
    }
}

namespace Illuminate\Foundation {

    class Application
    {
        public static ?Configuration\ApplicationBuilder $builder = null;

        public static function configure(?string $basePath = null): Configuration\ApplicationBuilder
        {
            return static::$builder = new Configuration\ApplicationBuilder();
        }
    }
}

namespace {

    use Illuminate\Routing\Middleware;
    use Illuminate\Routing\Router;
    use Illuminate\Routing\Sites;

    const FRAMEWORK = 'laravel';
    /**
     * The namespace the route files are loaded under: Laravel <= 7's
     * RouteServiceProvider::$namespace (`->namespace($this->namespace)->group(...)`),
     * kept by apps that set `$namespace` on a later Laravel. It is the root a
     * group's `namespace` and a string controller (`'ReportController@show'`)
     * are prefixed with; a class already under it (`X::class`) is left as is.
     */
    const ROOT_NAMESPACE = 'App\Http\Controllers';
    const ROUTE_KEYS = ['methods', 'path', 'framework', 'handler', 'name', 'site', 'guards'];
    const INLINE_KEYS = ['methods', 'path', 'framework', 'handler', 'outside', 'name', 'site', 'guards'];
    const HANDLER_KEYS = ['symbol', 'method', 'file', 'line'];
    const SITE_KEYS = ['file', 'line'];
    const GUARD_KEYS = ['name', 'file', 'line', 'on'];

    /** PSR-4 autoloading from the fixture's composer.json. */
    function register_autoload(string $root): void
    {
        $composer = json_decode(file_get_contents("$root/composer.json"), true, 512, JSON_THROW_ON_ERROR);
        $psr4 = $composer['autoload']['psr-4'] ?? [];
        spl_autoload_register(function (string $class) use ($root, $psr4): void {
            foreach ($psr4 as $prefix => $dirs) {
                foreach ((array) $dirs as $dir) {
                    if (str_starts_with($class, $prefix)) {
                        $file = $root . '/' . rtrim($dir, '/') . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
                        if (is_file($file)) {
                            require_once $file;
                            return;
                        }
                    }
                }
            }
        });
    }

    /**
     * The first line of each class a file declares (its first attribute, else
     * its first modifier, else `class`), from PHP's tokenizer: fqcn => line.
     */
    function class_lines(string $file): array
    {
        static $cache = [];
        if (isset($cache[$file])) {
            return $cache[$file];
        }
        $tokens = token_get_all(file_get_contents($file));
        $namespace = '';
        $out = [];
        $start = null;
        $depth = 0;
        $blank = [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT];
        $modifiers = [T_FINAL, T_ABSTRACT, T_READONLY];
        $prev = null;
        for ($i = 0, $n = count($tokens); $i < $n; $i++) {
            $t = $tokens[$i];
            $id = is_array($t) ? $t[0] : null;
            if (in_array($id, $blank, true)) {
                continue;
            }
            if ($id === T_NAMESPACE && $depth === 0) {
                $namespace = '';
                for ($i++; $i < $n && $tokens[$i] !== ';' && $tokens[$i] !== '{'; $i++) {
                    if (is_array($tokens[$i]) && in_array($tokens[$i][0], [T_STRING, T_NAME_QUALIFIED], true)) {
                        $namespace = $tokens[$i][1];
                    }
                }
                $prev = null;
                continue;
            }
            if ($id === T_ATTRIBUTE && $depth === 0) {
                $start ??= $t[2];
                for ($d = 1, $i++; $d > 0; $i++) {
                    $d += in_array($tokens[$i], ['[', '('], true) || (is_array($tokens[$i]) && $tokens[$i][0] === T_ATTRIBUTE) ? 1
                        : (in_array($tokens[$i], [']', ')'], true) ? -1 : 0);
                }
                $i--;
                continue;
            }
            if (in_array($id, $modifiers, true) && $depth === 0) {
                $start ??= $t[2];
                continue;
            }
            if ($id === T_CLASS && $depth === 0 && !(is_array($prev) && in_array($prev[0], [T_DOUBLE_COLON, T_NEW], true))) {
                for ($j = $i + 1; !is_array($tokens[$j]) || $tokens[$j][0] !== T_STRING; $j++) {
                }
                $out[($namespace === '' ? '' : $namespace . '\\') . $tokens[$j][1]] = $start ?? $t[2];
            }
            if ($t === '{' || in_array($id, [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true)) {
                $depth++;
            } elseif ($t === '}') {
                $depth--;
            }
            $start = null;
            $prev = $t;
        }
        return $cache[$file] = $out;
    }

    /**
     * Authentication or authorisation middleware, by its name: a part (split at
     * `.`, `:`, `_`, `-`) starting with `auth` (`auth`, `auth:sanctum`,
     * `jwt.auth`), `can:`, `verified...`, or containing `role`, `permission`,
     * `admin`.
     */
    function is_guard(string $name): bool
    {
        $n = strtolower($name);
        foreach (preg_split('/[.:_-]/', $n) as $part) {
            if (str_starts_with($part, 'auth')) {
                return true;
            }
        }
        return str_starts_with($n, 'can:') || str_starts_with($n, 'verified')
            || str_contains($n, 'role') || str_contains($n, 'permission') || str_contains($n, 'admin');
    }

    /** A route as expected.json writes it. */
    function entry(\Illuminate\Routing\Route $r, string $root, array &$problems): array
    {
        $methods = $r->methods;
        if (count(array_diff(Router::$verbs, $methods)) === 0) {
            $methods = ['*'];
        } else {
            if (in_array('GET', $methods, true)) {
                $methods = array_diff($methods, ['HEAD']);
            }
            $methods = array_values(array_unique($methods));
            sort($methods);
        }
        $site = $r->site ?? ['file' => '?', 'line' => 0];
        $at = "{$site['file']}:{$site['line']}";
        $uses = $r->action['uses'] ?? null;
        $handler = null;
        if (is_string($uses)) {
            [$class, $method] = array_pad(explode('@', ltrim($uses, '\\'), 2), 2, '__invoke');
            $file = null;
            $line = null;
            try {
                if (!class_exists($class)) {
                    $problems[] = "$at: controller $class not loadable by PSR-4 from composer.json";
                } else {
                    $rc = new ReflectionClass($class);
                    $file = substr((string) $rc->getFileName(), strlen($root) + 1);
                    $line = class_lines((string) $rc->getFileName())[$class] ?? $rc->getStartLine();
                    if (!$rc->hasMethod($method)) {
                        $problems[] = "$at: $class has no method $method";
                    }
                }
            } catch (Throwable $e) {
                $problems[] = "$at: $class not loadable here: " . $e->getMessage();
            }
            $handler = ['symbol' => $class, 'method' => "$class::$method", 'file' => $file, 'line' => $line];
        } elseif (!$uses instanceof Closure) {
            $problems[] = "$at: an action PHP cannot name: " . get_debug_type($uses);
        }
        $guards = [];
        foreach ((array) ($r->action['middleware'] ?? []) as $m) {
            if ($m instanceof Middleware && $m->file !== null && is_guard($m->name)) {
                $guards[] = ['name' => $m->name, 'file' => $m->file, 'line' => $m->line, 'on' => $m->on];
            }
        }
        $e = ['methods' => $methods, 'path' => $r->uri === '/' ? '/' : '/' . $r->uri, 'framework' => FRAMEWORK, 'handler' => $handler];
        if ($handler === null) {
            $e['outside'] = 'inline function';
        }
        return $e + ['name' => $r->getName(), 'site' => $site, 'guards' => $guards];
    }

    /** The route files Laravel loads and how: [[file, attributes of the group around it], ...]. */
    function route_files(string $root, array &$problems, array &$notes): array
    {
        $routing = ['using' => null, 'web' => "$root/routes/web.php", 'api' => "$root/routes/api.php",
            'pages' => null, 'health' => null, 'apiPrefix' => 'api', 'then' => null];
        if (is_file("$root/bootstrap/app.php")) {
            (static function (string $file) {
                require $file;
            })("$root/bootstrap/app.php");
            $routing = \Illuminate\Foundation\Application::$builder?->routing;
            if ($routing === null) {
                $problems[] = 'bootstrap/app.php: no withRouting(...) ran: no route file is loaded';
                return [];
            }
            $notes[] = 'bootstrap/app.php: withRouting(' . implode(', ', array_map(
                fn ($k) => "$k: " . (is_string($routing[$k]) ? str_replace($root . '/', '', (string) realpath($routing[$k]) ?: $routing[$k]) : json_encode($routing[$k])),
                array_keys(array_filter($routing, fn ($v) => is_string($v))),
            )) . ')';
        } else {
            $notes[] = 'no bootstrap/app.php: routes/api.php (prefix api) and routes/web.php, as Laravel 10\'s RouteServiceProvider loads them';
            if (is_file("$root/app/Providers/RouteServiceProvider.php")) {
                $notes[] = 'app/Providers/RouteServiceProvider.php is not read: its default is assumed';
            }
        }
        foreach (['using', 'then', 'pages'] as $k) {
            if ($routing[$k] !== null) {
                $problems[] = "bootstrap/app.php: withRouting($k: ...) is not modelled by this checker";
            }
        }
        if (is_string($routing['health'])) {
            $problems[] = "bootstrap/app.php: health: '{$routing['health']}' makes Laravel register GET {$routing['health']} (a closure of the framework's); not in this checker's conventions";
        }
        $files = [];
        // ApplicationBuilder::buildRoutingCallback(): api first, then web.
        foreach ((array) $routing['api'] as $f) {
            if (realpath($f) !== false) {
                $files[] = [realpath($f), ['middleware' => 'api', 'prefix' => $routing['apiPrefix']]];
            }
        }
        foreach ((array) $routing['web'] as $f) {
            if (realpath($f) !== false) {
                $files[] = [realpath($f), ['middleware' => 'web']];
            }
        }
        return $files;
    }

    function laravel_routes(string $root, array &$problems, array &$notes): array
    {
        $router = new Router();
        \Illuminate\Support\Facades\Route::$router = $router;
        Sites::$root = $root;
        foreach (route_files($root, $problems, $notes) as [$file, $group]) {
            if (!str_starts_with($file, "$root/routes/")) {
                $problems[] = substr($file, strlen($root) + 1) . ': a route file outside routes/; its sites are not found';
            }
            // Route::middleware('web')->namespace(ROOT_NAMESPACE)->group($file), from here: the middleware has no
            // line, never a listed guard.
            $registrar = $router->middleware($group['middleware'])->namespace(ROOT_NAMESPACE);
            if (isset($group['prefix'])) {
                $registrar->prefix($group['prefix']);
            }
            try {
                $registrar->group($file);
            } catch (Throwable $e) {
                $where = null;
                foreach (array_merge([['file' => $e->getFile(), 'line' => $e->getLine()]], $e->getTrace()) as $f) {
                    if (isset($f['file']) && str_starts_with($f['file'], "$root/routes/")) {
                        $where = substr($f['file'], strlen($root) + 1) . ':' . $f['line'];
                        break;
                    }
                }
                $problems[] = ($where ?? substr($file, strlen($root) + 1)) . ': ' . get_class($e) . ': ' . $e->getMessage();
            }
        }
        $notes[] = 'route files loaded under namespace ' . ROOT_NAMESPACE . ' (the root of string controllers and of'
            . ' group namespaces, as Laravel <= 7\'s RouteServiceProvider::$namespace; Laravel 8+ has none by default)';
        $notes = array_merge($notes, $router->notes);
        $names = [];
        $routes = [];
        foreach ($router->routes as $r) {
            $entry = entry($r, $root, $problems);
            if ($entry['name'] !== null) {
                if (isset($names[$entry['name']])) {
                    $notes[] = "{$entry['site']['file']}:{$entry['site']['line']}: route name {$entry['name']} given again (route('{$entry['name']}') is the last one)";
                }
                $names[$entry['name']] = true;
            }
            $routes[] = $entry;
        }
        usort($routes, 'route_order');
        return $routes;
    }

    function route_order(array $a, array $b): int
    {
        return [$a['path'], implode(',', $a['methods']), $a['site']['file'], $a['site']['line']]
            <=> [$b['path'], implode(',', $b['methods']), $b['site']['file'], $b['site']['line']];
    }

    // ---------------------------------------------------------------- comparison

    function show($v): string
    {
        return json_encode($v, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }

    function compare_object(string $at, string $what, array $keys, $e, $o, array &$problems): void
    {
        if (!is_array($e) || !is_array($o)) {
            if ($e !== $o) {
                $problems[] = "$at: $what: expected.json " . show($e) . ', PHP ' . show($o);
            }
            return;
        }
        if (array_keys($e) !== $keys) {
            $problems[] = "$at: $what has keys " . show(array_keys($e)) . ', the schema says ' . show($keys);
        }
        foreach ($keys as $k) {
            if (!array_key_exists($k, $e) || $e[$k] !== $o[$k]) {
                $problems[] = "$at: $what.$k: expected.json " . show($e[$k] ?? null) . ', PHP ' . show($o[$k]);
            }
        }
    }

    function compare_route(array $e, array $o, array &$problems): void
    {
        $at = "{$o['site']['file']}:{$o['site']['line']}: " . implode(',', $o['methods']) . " {$o['path']}";
        $keys = $o['handler'] === null ? INLINE_KEYS : ROUTE_KEYS;
        if (array_keys($e) !== $keys) {
            $problems[] = "$at: route has keys " . show(array_keys($e)) . ', the schema says ' . show($keys);
        }
        foreach (['methods', 'path', 'framework', 'name'] as $k) {
            if (($e[$k] ?? null) !== $o[$k]) {
                $problems[] = "$at: $k: expected.json " . show($e[$k] ?? null) . ', PHP ' . show($o[$k]);
            }
        }
        if (($e['outside'] ?? null) !== ($o['outside'] ?? null)) {
            $problems[] = "$at: outside: expected.json " . show($e['outside'] ?? null) . ', PHP ' . show($o['outside'] ?? null);
        }
        compare_object($at, 'handler', HANDLER_KEYS, $e['handler'] ?? null, $o['handler'], $problems);
        compare_object($at, 'site', SITE_KEYS, $e['site'] ?? null, $o['site'], $problems);
        $eg = is_array($e['guards'] ?? null) ? $e['guards'] : [];
        if (count($eg) !== count($o['guards']) || !array_is_list($eg)) {
            $problems[] = "$at: guards: expected.json " . show($e['guards'] ?? null) . ', PHP ' . show($o['guards']);
            return;
        }
        foreach ($o['guards'] as $i => $g) {
            compare_object($at, "guards[$i]", GUARD_KEYS, $eg[$i], $g, $problems);
        }
    }

    /**
     * Pairs each route PHP finds with one of expected.json: the same name
     * (non-null), else the same site and path, site and methods, methods and
     * path, site alone (never two different names with different methods);
     * what is left on either side is missing or extra.
     */
    function compare_routes(array $expected, array $oracle, array &$problems): void
    {
        $left = array_filter($expected, 'is_array');
        $pending = $oracle;
        $rules = [
            fn ($e, $o) => $o['name'] !== null && ($e['name'] ?? null) === $o['name'],
            fn ($e, $o) => ($e['site'] ?? null) == $o['site'] && ($e['path'] ?? null) === $o['path'],
            fn ($e, $o) => ($e['site'] ?? null) == $o['site'] && ($e['methods'] ?? null) === $o['methods'],
            fn ($e, $o) => ($e['methods'] ?? null) === $o['methods'] && ($e['path'] ?? null) === $o['path'],
            fn ($e, $o) => ($e['site'] ?? null) == $o['site'],
        ];
        // Two named routes with different names and different methods are never the same route.
        $named = fn ($e, $o) => $o['name'] !== null && is_string($e['name'] ?? null) && $e['name'] !== $o['name']
            && ($e['methods'] ?? null) !== $o['methods'];
        foreach ($rules as $same) {
            $still = [];
            foreach ($pending as $o) {
                $found = null;
                foreach ($left as $i => $e) {
                    if ($same($e, $o) && !$named($e, $o)) {
                        $found = $i;
                        break;
                    }
                }
                if ($found === null) {
                    $still[] = $o;
                } else {
                    compare_route($left[$found], $o, $problems);
                    unset($left[$found]);
                }
            }
            $pending = $still;
        }
        foreach ($pending as $o) {
            $problems[] = "{$o['site']['file']}:{$o['site']['line']}: route " . show($o['methods']) . " {$o['path']} ("
                . show($o['name']) . ') registered by PHP, missing from expected.json';
        }
        foreach ($left as $e) {
            $site = is_array($e['site'] ?? null) ? ($e['site']['file'] ?? '?') . ':' . ($e['site']['line'] ?? '?') : '?';
            $problems[] = "$site: route " . show($e['methods'] ?? null) . ' ' . show($e['path'] ?? null)
                . ' (' . show($e['name'] ?? null) . ') in expected.json, not registered by PHP';
        }
    }

    function main(array $argv): int
    {
        if (count($argv) !== 2 || !is_file($argv[1] . '/expected.json') || !is_file($argv[1] . '/composer.json')) {
            fwrite(STDERR, "usage: php bench/routes/check_laravel.php FIXTURE_DIR (with composer.json and expected.json)\n");
            return 2;
        }
        $root = rtrim(realpath($argv[1]), '/');
        $problems = [];
        $notes = [];
        register_autoload($root);
        $oracle = laravel_routes($root, $problems, $notes);

        $expected = json_decode(file_get_contents("$root/expected.json"), true, 512, JSON_THROW_ON_ERROR);
        if (array_keys($expected) !== ['version', 'routes', 'dynamic'] || $expected['version'] !== 1) {
            $problems[] = 'expected.json: top level must be {"version": 1, "routes": [...], "dynamic": [...]}, is ' . show(array_keys($expected));
        }
        if (($expected['dynamic'] ?? null) !== []) {
            $problems[] = 'expected.json: dynamic ' . show($expected['dynamic'] ?? null) . ', PHP []: every registration ran';
        }
        $routes = is_array($expected['routes'] ?? null) ? $expected['routes'] : [];
        $valid = array_filter($routes, fn ($r) => is_array($r) && is_string($r['path'] ?? null) && is_array($r['methods'] ?? null)
            && is_array($r['site'] ?? null) && isset($r['site']['file'], $r['site']['line']));
        if (count($valid) === count($routes)) {
            $sorted = $routes;
            usort($sorted, 'route_order');
            if ($sorted !== $routes) {
                $problems[] = 'expected.json: routes not sorted by (path, methods, site)';
            }
        }
        compare_routes($routes, $oracle, $problems);

        $guarded = count(array_filter($oracle, fn ($r) => $r['guards']));
        $classes = count(array_unique(array_filter(array_map(fn ($r) => $r['handler']['symbol'] ?? null, $oracle))));
        foreach ($notes as $note) {
            echo "note: $note\n";
        }
        echo basename($root) . ': PHP registers ' . count($oracle) . " routes, $classes controllers ($guarded guarded)\n";
        foreach ($oracle as $r) {
            $h = $r['handler'] === null ? '(closure)' : substr($r['handler']['method'], (int) strrpos($r['handler']['method'], '\\') + 1);
            printf("  %-11s %-24s %-22s %-34s %s:%d%s\n", implode(',', $r['methods']), $r['path'], $r['name'] ?? '-', $h,
                $r['site']['file'], $r['site']['line'],
                $r['guards'] ? '  ' . implode(' ', array_map(fn ($g) => "{$g['name']}({$g['on']}:{$g['line']})", $r['guards'])) : '');
        }
        foreach ($problems as $p) {
            echo "$p\n";
        }
        echo $problems ? count($problems) . " disagreement(s) with expected.json\n" : "expected.json agrees\n";
        return $problems ? 1 : 0;
    }

    exit(main($argv));
}
