<?php
/*
 * PHP's own view of a Symfony `vantage routes` fixture, as a check of its
 * hand-written expected.json (docs/output.md, "`vantage routes --format json`").
 *
 *     php bench/routes/check_symfony.php fixtures/routes/symfony_shop
 *
 * No Symfony here (no vendor/, no network): the fixture's controllers are
 * loaded by PHP itself (PSR-4 from its composer.json, the folder named by the
 * attribute `resource` of config/routes.yaml, else src/Controller/), their
 * attributes read with Reflection getAttributes()/getArguments() (never
 * instantiated, so the attribute classes need not exist), and the routes
 * computed as Symfony 7's loaders do:
 *
 * - Symfony\Component\Routing\Loader\AttributeClassLoader::load(): the first
 *   class-level #[Route] gives the globals (path prefix, name prefix,
 *   methods, requirements, env); every method of getMethods() (its own, then
 *   inherited) gives one route per #[Route]; a class with no method route
 *   and an __invoke gets one route per class-level #[Route] on __invoke,
 *   globals reset. Abstract classes are skipped (AttributeFileLoader).
 * - addRoute(): name = name ?? getDefaultRouteName(), then the name prefix
 *   in front (the default name too); path = prefix . path; methods = the
 *   union of the class's and the route's; a route whose env excludes ENV is
 *   left out. Symfony\Component\Routing\Route::setPath(): inline
 *   requirements/defaults (`{id<\d+>}`, `{page?1}`) taken out of the path,
 *   then '/' . ltrim(trim(path), '/'); setMethods(): uppercase.
 * - FrameworkBundle's AttributeRouteControllerLoader::getDefaultRouteName():
 *   lowercase `str_replace('\\', '_', class) . '_' . method` (plus `_N` for
 *   the N-th unnamed route of one method), `(bundle|controller)_` -> `_`,
 *   a trailing `action(_N)` dropped when the method ends in Action/_action,
 *   `__` -> `_`.
 * - RouteCollection::add(): a name added twice keeps the last route.
 * - Guards: #[IsGranted(...)] (Symfony\Component\Security\Http\Attribute),
 *   the class's then the method's, as IsGrantedAttributeListener reads them
 *   from ControllerEvent::getAttributes(); `on: "handler"` for both.
 *
 * Lines come from PHP's tokenizer (Reflection has none for attributes, and
 * its class line is the `class` keyword's): handler.line is the class's first
 * line, attributes included; site.line the line of the route's #[Route] (for
 * an invokable class's class-level route, that class attribute's line); a
 * guard's line is its #[IsGranted] line and its name the attribute as written
 * between `#[` and `]` (one attribute of a grouped `#[A, B]`).
 *
 * Every key of every route is compared, as are the key order of each object,
 * the top level ({"version": 1, "routes": [...], "dynamic": []}; attributes
 * are constants, so nothing is dynamic) and the route order (path, methods,
 * site). Every disagreement is printed as file:line; the exit status is 1
 * when there is one, 0 when there is none, 2 on a usage error.
 */

declare(strict_types=1);

namespace Symfony\Bundle\FrameworkBundle\Controller {
    /**
     * Stub: the fixture's controllers extend it, and PHP cannot load a class
     * whose parent is missing. None of its methods is called.
     */
    abstract class AbstractController
    {
    }
}

namespace {
    const ENV = 'prod';
    const FRAMEWORK = 'symfony';
    const ROUTE_ATTRIBUTES = [
        'Symfony\\Component\\Routing\\Attribute\\Route',
        'Symfony\\Component\\Routing\\Annotation\\Route', // 6.x name, an alias of the above until 8.0
    ];
    const IS_GRANTED = 'Symfony\\Component\\Security\\Http\\Attribute\\IsGranted';
    // Symfony 7's Route attribute constructor, for positional arguments.
    const ROUTE_PARAMETERS = ['path', 'name', 'requirements', 'options', 'defaults', 'host', 'methods', 'schemes',
        'condition', 'priority', 'locale', 'format', 'utf8', 'stateless', 'firewall', 'env', 'alias'];
    const ROUTE_KEYS = ['methods', 'path', 'framework', 'handler', 'name', 'site', 'guards'];
    const HANDLER_KEYS = ['symbol', 'method', 'file', 'line'];
    const SITE_KEYS = ['file', 'line'];
    const GUARD_KEYS = ['name', 'file', 'line', 'on'];

    // ---------------------------------------------------------------- tokenizer

    /** The line of every token (token_get_all gives none for one-character tokens such as `[`). */
    function token_lines(array $tokens): array
    {
        $lines = [];
        $line = 1;
        foreach ($tokens as $t) {
            $lines[] = $line;
            if (is_array($t)) {
                $line = $t[2] + substr_count($t[1], "\n");
            }
        }
        return $lines;
    }

    function token_text($t): string
    {
        return is_array($t) ? $t[1] : $t;
    }

    /**
     * `#[A(...), B]` starting at $i (the T_ATTRIBUTE token): one entry per
     * attribute, [name as written, line of the name, text as written], and the
     * index of the closing `]`.
     */
    function read_attribute(array $tokens, array $lines, int $i): array
    {
        $depth = 1; // inside #[
        $attrs = [];
        $text = '';
        $name = null;
        $line = null;
        $flush = function () use (&$attrs, &$text, &$name, &$line): void {
            if ($name !== null) {
                $attrs[] = [$name, $line, trim($text)];
            }
            $text = '';
            $name = null;
            $line = null;
        };
        for ($i++; ; $i++) {
            $t = $tokens[$i];
            if ($t === '[' || $t === '(') {
                $depth++;
            } elseif ($t === ']' || $t === ')') {
                $depth--;
                if ($depth === 0) {
                    $flush();
                    return [$attrs, $i];
                }
            } elseif ($t === ',' && $depth === 1) {
                $flush();
                continue;
            }
            if ($name === null && is_array($t) && in_array($t[0], [T_STRING, T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED, T_NAME_RELATIVE], true)) {
                $name = $t[1];
                $line = $lines[$i];
            }
            $text .= token_text($t);
        }
    }

    /**
     * The classes a file declares: fqcn => [
     *   'line' => first line (first attribute, else first modifier, else `class`),
     *   'attributes' => [[name, line, text], ...] of the class,
     *   'methods' => [method => [[name, line, text], ...]],
     * ].
     */
    function scan_file(string $path): array
    {
        $tokens = token_get_all(file_get_contents($path));
        $lines = token_lines($tokens);
        $n = count($tokens);
        $namespace = '';
        $classes = [];
        $pending = [];
        $start = null; // first line of the declaration being read (attribute or modifier)
        $class = null; // [fqcn, brace depth of its body]
        $depth = 0;
        $paren = 0;
        $keep = [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT];
        $modifiers = [T_FINAL, T_ABSTRACT, T_READONLY, T_PUBLIC, T_PROTECTED, T_PRIVATE, T_STATIC];
        for ($i = 0; $i < $n; $i++) {
            $t = $tokens[$i];
            $id = is_array($t) ? $t[0] : null;
            $declLevel = $paren === 0 && ($class === null ? true : $depth === $class[1]);
            if ($id === T_NAMESPACE && $class === null) {
                $namespace = '';
                for ($i++; $i < $n && $tokens[$i] !== ';' && $tokens[$i] !== '{'; $i++) {
                    if (is_array($tokens[$i]) && in_array($tokens[$i][0], [T_STRING, T_NAME_QUALIFIED], true)) {
                        $namespace = $tokens[$i][1];
                    }
                }
                if ($tokens[$i] === '{') {
                    $depth++;
                }
                continue;
            }
            if ($id === T_ATTRIBUTE) {
                [$attrs, $end] = read_attribute($tokens, $lines, $i);
                if ($declLevel) {
                    $start ??= $lines[$i];
                    array_push($pending, ...$attrs);
                }
                $i = $end;
                continue;
            }
            if (in_array($id, $keep, true)) {
                continue;
            }
            if (in_array($id, $modifiers, true)) {
                if ($declLevel) {
                    $start ??= $lines[$i];
                }
                continue;
            }
            if ($id === T_CLASS && $class === null) {
                $prev = null;
                for ($k = $i - 1; $k >= 0 && is_array($tokens[$k]) && in_array($tokens[$k][0], $keep, true); $k--) {
                }
                $prev = $k >= 0 ? $tokens[$k] : null;
                if (!(is_array($prev) && in_array($prev[0], [T_DOUBLE_COLON, T_NEW], true))) {
                    $j = $i + 1;
                    while (!is_array($tokens[$j]) || $tokens[$j][0] !== T_STRING) {
                        $j++;
                    }
                    $fqcn = ($namespace === '' ? '' : $namespace . '\\') . $tokens[$j][1];
                    $classes[$fqcn] = ['line' => $start ?? $lines[$i], 'attributes' => $pending, 'methods' => []];
                    while ($tokens[$j] !== '{') {
                        $j++;
                    }
                    $i = $j;
                    $depth++;
                    $class = [$fqcn, $depth];
                    $pending = [];
                    $start = null;
                    continue;
                }
            }
            if ($id === T_FUNCTION && $class !== null && $declLevel) {
                // The name: the next token but blanks and `&`, whatever its kind
                // (a method may be named with a keyword: `function list()`).
                $j = $i + 1;
                while ($tokens[$j] === '&' || (is_array($tokens[$j]) && in_array($tokens[$j][0], $keep, true))) {
                    $j++;
                }
                $classes[$class[0]]['methods'][$tokens[$j][1]] = $pending;
                $pending = [];
                $start = null;
                $i = $j;
                continue;
            }
            if ($t === '{' || in_array($id, [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true)) {
                $depth++;
            } elseif ($t === '}') {
                $depth--;
                if ($class !== null && $depth < $class[1]) {
                    $class = null;
                }
            } elseif ($t === '(') {
                $paren++;
            } elseif ($t === ')') {
                $paren--;
            }
            if ($declLevel && $t !== '(' && $t !== ')') {
                $pending = []; // a property, a constant, a `use`: the attributes were theirs
                $start = null;
            }
        }
        return $classes;
    }

    // ---------------------------------------------------------------- loading

    function php_files(string $dir): array
    {
        $files = [];
        if (!is_dir($dir)) {
            return $files;
        }
        $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
        foreach ($it as $f) {
            if ($f->isFile() && str_ends_with($f->getFilename(), '.php')) {
                $files[] = $f->getPathname();
            }
        }
        sort($files);
        return $files;
    }

    /**
     * The folder Symfony loads attribute routes from: the `resource` of the
     * `type: attribute` entry of config/routes.yaml (Symfony's recipe:
     * `resource: {path: ../src/Controller/, namespace: App\Controller}`, or a
     * plain string), relative to config/. A line-based reading of that one
     * shape, not a YAML parser.
     */
    function resource_dir(string $root, array &$notes): string
    {
        $yaml = "$root/config/routes.yaml";
        if (is_file($yaml)) {
            $text = file_get_contents($yaml);
            if (preg_match('/resource:\s*\n\s+path:\s*[\'"]?([^\s\'"]+)/', $text, $m)
                || preg_match('/resource:\s*[\'"]?([^\s\'"{]+)/', $text, $m)) {
                if (!preg_match('/type:\s*[\'"]?(attribute|annotation)/', $text)) {
                    $notes[] = 'config/routes.yaml: no `type: attribute`; read as attribute routes anyway';
                }
                $dir = realpath("$root/config/" . $m[1]);
                if ($dir !== false) {
                    return $dir;
                }
            }
            $notes[] = 'config/routes.yaml: no attribute resource found; src/Controller/ assumed';
        }
        return "$root/src/Controller";
    }

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

    /** Tokenizer scans by file, cached: [fqcn => scan]. */
    function scan_of(string $file): array
    {
        static $cache = [];
        return $cache[$file] ??= scan_file($file);
    }

    // ---------------------------------------------------------------- Symfony

    /** A Route attribute's arguments by parameter name (positional ones mapped to Symfony 7's constructor). */
    function route_arguments(ReflectionAttribute $a, string $where, array &$problems): array
    {
        $args = [];
        foreach ($a->getArguments() as $k => $v) {
            if (is_int($k)) {
                if (!isset(ROUTE_PARAMETERS[$k])) {
                    $problems[] = "$where: #[Route] with more positional arguments than Route has";
                    continue;
                }
                $k = ROUTE_PARAMETERS[$k];
            }
            $args[$k] = $v;
        }
        if (is_array($args['path'] ?? null)) {
            $problems[] = "$where: localized paths (path as an array) are not modelled by this check";
        }
        return $args;
    }

    function fresh_globals(): array
    {
        return ['path' => '', 'name' => '', 'methods' => [], 'env' => []];
    }

    /** AttributeClassLoader::getGlobals(): the first class-level #[Route]. */
    function globals_of(array $classRoutes, string $where, array &$problems): array
    {
        $globals = fresh_globals();
        if ($classRoutes) {
            $args = route_arguments($classRoutes[0][0], $where, $problems);
            $globals['name'] = $args['name'] ?? '';
            $globals['path'] = is_string($args['path'] ?? null) ? $args['path'] : '';
            $globals['methods'] = (array) ($args['methods'] ?? []);
            $globals['env'] = (array) ($args['env'] ?? []);
        }
        return $globals;
    }

    /** FrameworkBundle's AttributeRouteControllerLoader::getDefaultRouteName() over AttributeClassLoader's. */
    function default_route_name(string $class, string $method, int &$index): string
    {
        $name = str_replace('\\', '_', $class) . '_' . $method;
        $name = function_exists('mb_strtolower') && preg_match('//u', $name) ? mb_strtolower($name, 'UTF-8') : strtolower($name);
        if ($index > 0) {
            $name .= '_' . $index;
        }
        $index++;
        $name = preg_replace('/(bundle|controller)_/', '_', $name);
        if (str_ends_with($method, 'Action') || str_ends_with($method, '_action')) {
            $name = preg_replace('/action(_\d+)?$/', '\\1', $name);
        }
        return str_replace('__', '_', $name);
    }

    /** Route::setPath(): inline requirements and defaults out, one leading '/'. */
    function route_path(string $path): string
    {
        if (strpbrk($path, '?<:') !== false) {
            $path = preg_replace_callback(
                '#\{(!?)([\w\x80-\xFF]++)(:([\w\x80-\xFF]++)(\.[\w\x80-\xFF]++)?)?(<.*?>)?(\?[^\}]*+)?\}#',
                fn ($m) => '{' . $m[1] . $m[2] . '}',
                $path,
            );
        }
        return '/' . ltrim(trim($path), '/');
    }

    /**
     * The attributes of a class or method: Reflection's, each paired with the
     * tokenizer's [name as written, line, text] at the same position.
     */
    function paired(array $reflected, array $scanned, string $where, array &$problems): array
    {
        if (count($reflected) !== count($scanned)) {
            $problems[] = "$where: Reflection sees " . count($reflected) . ' attribute(s), the tokenizer ' . count($scanned);
            return [];
        }
        $out = [];
        foreach ($reflected as $i => $a) {
            $written = $scanned[$i][0];
            $short = substr($a->getName(), (int) strrpos('\\' . $a->getName(), '\\'));
            if (substr($written, (int) strrpos('\\' . $written, '\\')) !== $short) {
                $GLOBALS['notes'][] = "$where: #[$written] is {$a->getName()} (an alias?)";
            }
            $out[] = [$a, $scanned[$i]];
        }
        return $out;
    }

    function of_kind(array $pairs, array $names): array
    {
        return array_values(array_filter($pairs, fn ($p) => in_array($p[0]->getName(), $names, true)));
    }

    /** The routes of one controller class, as AttributeClassLoader::load() makes them: [name => route]. */
    function class_routes(ReflectionClass $rc, string $root, array &$problems): array
    {
        $file = $rc->getFileName();
        $rel = substr($file, strlen($root) + 1);
        $scan = scan_of($file)[$rc->getName()] ?? null;
        if ($scan === null) {
            $problems[] = "$rel: the tokenizer finds no class {$rc->getName()}";
            return [];
        }
        $classPairs = paired($rc->getAttributes(), $scan['attributes'], "$rel:{$scan['line']}", $problems);
        $classRoutes = of_kind($classPairs, ROUTE_ATTRIBUTES);
        $classGuards = of_kind($classPairs, [IS_GRANTED]);
        $globals = globals_of($classRoutes, "$rel:{$scan['line']}", $problems);
        $handler = fn (ReflectionMethod $m) => [
            'symbol' => $rc->getName(), 'method' => $rc->getName() . '::' . $m->getName(),
            'file' => $rel, 'line' => $scan['line'],
        ];
        $guard = fn (array $pair, string $gfile) => [
            'name' => $pair[1][2], 'file' => $gfile, 'line' => $pair[1][1], 'on' => 'handler',
        ];

        $routes = [];
        $add = function (array $pair, array $globals, ReflectionMethod $m, string $mfile, array $methodGuards, int &$index)
            use (&$routes, &$problems, $handler, $guard, $classGuards, $rel, $rc) {
            $where = "$mfile:{$pair[1][1]}";
            $args = route_arguments($pair[0], $where, $problems);
            $env = (array) ($args['env'] ?? []);
            if ($env && !in_array(ENV, $env, true)) {
                return;
            }
            $name = $globals['name'] . ($args['name'] ?? default_route_name($rc->getName(), $m->getName(), $index));
            $methods = array_values(array_unique(array_map('strtoupper', array_merge($globals['methods'], (array) ($args['methods'] ?? [])))));
            sort($methods);
            if (isset($routes[$name])) {
                $GLOBALS['notes'][] = "$where: route name $name given twice; Symfony keeps the last";
                unset($routes[$name]);
            }
            $routes[$name] = [
                'methods' => $methods ?: ['*'],
                'path' => route_path($globals['path'] . (is_string($args['path'] ?? null) ? $args['path'] : '')),
                'framework' => FRAMEWORK,
                'handler' => $handler($m),
                'name' => $name,
                'site' => ['file' => $mfile, 'line' => $pair[1][1]],
                'guards' => array_merge(
                    array_map(fn ($p) => $guard($p, $rel), $classGuards),
                    array_map(fn ($p) => $guard($p, $mfile), $methodGuards),
                ),
            ];
        };

        if ($globals['env'] && !in_array(ENV, $globals['env'], true)) {
            return [];
        }
        foreach ($rc->getMethods() as $m) {
            $index = 0; // defaultRouteIndex
            $decl = $m->getDeclaringClass();
            $mfile = substr((string) $decl->getFileName(), strlen($root) + 1);
            $mscan = scan_of((string) $decl->getFileName())[$decl->getName()]['methods'][$m->getName()] ?? null;
            if ($mscan === null) {
                if ($m->getAttributes()) {
                    $problems[] = "$mfile: no source attributes found for {$decl->getName()}::{$m->getName()} (a trait's method?)";
                }
                continue;
            }
            $pairs = paired($m->getAttributes(), $mscan, "$mfile {$decl->getName()}::{$m->getName()}", $problems);
            $methodGuards = of_kind($pairs, [IS_GRANTED]);
            foreach (of_kind($pairs, ROUTE_ATTRIBUTES) as $pair) {
                $add($pair, $globals, $m, $mfile, $methodGuards, $index);
            }
        }
        if (!$routes && $rc->hasMethod('__invoke')) {
            $invoke = $rc->getMethod('__invoke');
            $index = 0;
            $invokeGuards = [];
            $mscan = scan_of($file)[$rc->getName()]['methods']['__invoke'] ?? null;
            if ($mscan !== null) {
                $invokeGuards = of_kind(paired($invoke->getAttributes(), $mscan, "$rel {$rc->getName()}::__invoke", $problems), [IS_GRANTED]);
            }
            foreach ($classRoutes as $pair) {
                $add($pair, fresh_globals(), $invoke, $rel, $invokeGuards, $index);
            }
        }
        return $routes;
    }

    /** Every route of the resource folder's classes, sorted as the schema sorts them. */
    function symfony_routes(string $root, string $dir, array &$problems, array &$notes): array
    {
        $routes = [];
        foreach (php_files($dir) as $file) {
            $rel = substr($file, strlen($root) + 1);
            foreach (scan_of($file) as $fqcn => $_) {
                try {
                    if (!class_exists($fqcn)) {
                        $problems[] = "$rel: $fqcn not loadable by PSR-4 from composer.json";
                        continue;
                    }
                } catch (Throwable $e) {
                    $problems[] = "$rel: $fqcn not loadable here: " . $e->getMessage();
                    continue;
                }
                $rc = new ReflectionClass($fqcn);
                if ($rc->isAbstract()) {
                    $notes[] = "$rel: $fqcn is abstract: skipped, as Symfony's AttributeFileLoader does";
                    continue;
                }
                foreach (class_routes($rc, $root, $problems) as $name => $r) {
                    if (isset($routes[$name])) {
                        $notes[] = "$rel: route name $name given again; Symfony keeps the last";
                    }
                    $routes[$name] = $r;
                }
            }
        }
        $routes = array_values($routes);
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

    function compare_object(string $at, string $what, array $keys, $e, array $o, array &$problems): void
    {
        if (!is_array($e)) {
            $problems[] = "$at: $what: expected.json " . show($e) . ', PHP ' . show($o);
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
        $at = "{$o['site']['file']}:{$o['site']['line']}: {$o['name']}";
        if (array_keys($e) !== ROUTE_KEYS) {
            $problems[] = "$at: route has keys " . show(array_keys($e)) . ', the schema says ' . show(ROUTE_KEYS);
        }
        foreach (['methods', 'path', 'framework', 'name'] as $k) {
            if (($e[$k] ?? null) !== $o[$k]) {
                $problems[] = "$at: $k: expected.json " . show($e[$k] ?? null) . ', PHP ' . show($o[$k]);
            }
        }
        compare_object($at, 'handler', HANDLER_KEYS, $e['handler'] ?? null, $o['handler'], $problems);
        compare_object($at, 'site', SITE_KEYS, $e['site'] ?? null, $o['site'], $problems);
        $eg = is_array($e['guards'] ?? null) ? $e['guards'] : [];
        if (count($eg) !== count($o['guards'])) {
            $problems[] = "$at: guards: expected.json " . show($e['guards'] ?? null) . ', PHP ' . show($o['guards']);
            return;
        }
        foreach ($o['guards'] as $i => $g) {
            compare_object($at, "guards[$i]", GUARD_KEYS, $eg[$i], $g, $problems);
        }
    }

    /**
     * Pairs each route PHP finds with one of expected.json: same name, else
     * same site, else same (methods, path); what is left on either side is
     * missing or extra.
     */
    function compare_routes(array $expected, array $oracle, array &$problems): void
    {
        $left = $expected;
        $match = function (array $o, callable $same) use (&$left): ?array {
            foreach ($left as $i => $e) {
                if (is_array($e) && $same($e, $o)) {
                    unset($left[$i]);
                    return $e;
                }
            }
            return null;
        };
        $pending = [];
        foreach ($oracle as $o) {
            $e = $match($o, fn ($e, $o) => ($e['name'] ?? null) === $o['name']);
            $e === null ? $pending[] = $o : compare_route($e, $o, $problems);
        }
        foreach ($pending as $o) {
            $e = $match($o, fn ($e, $o) => ($e['site'] ?? null) == $o['site'])
                ?? $match($o, fn ($e, $o) => ($e['methods'] ?? null) === $o['methods'] && ($e['path'] ?? null) === $o['path']);
            if ($e === null) {
                $problems[] = "{$o['site']['file']}:{$o['site']['line']}: route " . show($o['methods']) . " {$o['path']} ({$o['name']}) found by PHP, missing from expected.json";
            } else {
                compare_route($e, $o, $problems);
            }
        }
        foreach ($left as $e) {
            $site = is_array($e['site'] ?? null) ? ($e['site']['file'] ?? '?') . ':' . ($e['site']['line'] ?? '?') : '?';
            $problems[] = "$site: route " . show($e['methods'] ?? null) . ' ' . show($e['path'] ?? null)
                . ' (' . show($e['name'] ?? null) . ') in expected.json, not a route for Symfony';
        }
    }

    function main(array $argv): int
    {
        if (count($argv) !== 2 || !is_file($argv[1] . '/expected.json') || !is_file($argv[1] . '/composer.json')) {
            fwrite(STDERR, "usage: php bench/routes/check_symfony.php FIXTURE_DIR (with composer.json and expected.json)\n");
            return 2;
        }
        $root = rtrim(realpath($argv[1]), '/');
        $problems = [];
        $notes = [];
        $GLOBALS['notes'] = [];
        register_autoload($root);
        $dir = resource_dir($root, $notes);
        $oracle = symfony_routes($root, $dir, $problems, $notes);

        $expected = json_decode(file_get_contents("$root/expected.json"), true, 512, JSON_THROW_ON_ERROR);
        if (array_keys($expected) !== ['version', 'routes', 'dynamic'] || $expected['version'] !== 1) {
            $problems[] = 'expected.json: top level must be {"version": 1, "routes": [...], "dynamic": [...]}, is ' . show(array_keys($expected));
        }
        if (($expected['dynamic'] ?? null) !== []) {
            $problems[] = 'expected.json: dynamic ' . show($expected['dynamic'] ?? null) . ', PHP []: every #[Route] argument is a constant';
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
        $classes = count(array_unique(array_map(fn ($r) => $r['handler']['symbol'], $oracle)));
        foreach (array_merge($notes, array_unique($GLOBALS['notes'])) as $note) {
            echo "note: $note\n";
        }
        echo basename($root) . ': PHP finds ' . count($oracle) . " routes in $classes controllers ($guarded guarded), from "
            . substr($dir, strlen($root) + 1) . "/\n";
        foreach ($oracle as $r) {
            printf("  %-12s %-26s %-30s %s:%d%s\n", implode(',', $r['methods']), $r['path'], $r['name'],
                $r['site']['file'], $r['site']['line'], $r['guards'] ? '  ' . implode(' ', array_column($r['guards'], 'name')) : '');
        }
        foreach ($problems as $p) {
            echo "$p\n";
        }
        echo $problems ? count($problems) . " disagreement(s) with expected.json\n" : "expected.json agrees\n";
        return $problems ? 1 : 0;
    }

    exit(main($argv));
}
