<?php
/*
 * PHP's own view of a `vantage models` fixture, as a check of its hand-written
 * expected.json (docs/output.md (the `vantage models` section) at the time of writing).
 *
 *     php bench/models/check_php.php fixtures/models/eloquent_shop
 *     php bench/models/check_php.php fixtures/models/doctrine_shop
 *
 * The fixture's classes are loaded by PHP itself (PSR-4 from its composer.json),
 * then read with Reflection and, for lines only, with PHP's own tokenizer:
 *
 * - Eloquent: Illuminate\Database\Eloquent\Model is a stub defined below (no
 *   vendor/ here). A model is a class that PHP says is a subclass of it. Each
 *   concrete model is instantiated (abstract ones through an anonymous
 *   subclass), every public method without required parameters declared in the
 *   repository is called, and the relation builder it calls (belongsTo,
 *   hasMany, ...) records the relation. $table/$primaryKey/$fillable/$casts
 *   are the effective property defaults (PHP's inheritance and overriding
 *   applied); casts() (Laravel 11) is merged into $casts as Laravel 11 does.
 * - Doctrine: the mapping attributes are read with ReflectionClass::
 *   getAttributes()/getArguments(); they are never instantiated, so Doctrine
 *   itself is not needed. Classes whose parent is outside the repository
 *   (repositories extending ServiceEntityRepository) cannot be loaded and are
 *   reported as skipped.
 *
 * The rules are docs/output.md's, with its final section "Decisions after the first
 * comparison" applied: Eloquent field line = line where the $fillable/$casts
 * array (or casts()'s returned array) starts; belongsToMany `through` = its
 * pivot table argument; belongsTo column = snake(method)_id unless given;
 * Doctrine owning ManyToOne/OneToOne `index` = true (DBAL's implicit FK
 * index); model line = line of the class name (from the tokenizer).
 *
 * Every disagreement with expected.json is printed as file:line; the exit
 * status is 1 when there is one, 0 when there is none, 2 on a usage error.
 */

declare(strict_types=1);

namespace Illuminate\Database\Eloquent\Factories {
    trait HasFactory
    {
    }
}

namespace Illuminate\Database\Eloquent\Relations {
    /** What a relation builder returned: its kind and arguments, chaining allowed. */
    class Relation
    {
        public function __construct(
            public readonly string $builder,
            public readonly ?string $related,
            public readonly ?string $through,
            public readonly ?string $column,
        ) {
        }

        // ->latestOfMany(), ->orderBy(...), ->withPivot(...): the relation stays what it is.
        public function __call(string $name, array $arguments): static
        {
            return $this;
        }
    }
    class BelongsTo extends Relation {}
    class HasOneOrMany extends Relation {}
    class HasOne extends HasOneOrMany {}
    class HasMany extends HasOneOrMany {}
    class HasOneOrManyThrough extends Relation {}
    class HasManyThrough extends HasOneOrManyThrough {}
    class HasOneThrough extends HasOneOrManyThrough {}
    class BelongsToMany extends Relation {}
    class MorphTo extends BelongsTo {}
    class MorphOneOrMany extends HasOneOrMany {}
    class MorphOne extends MorphOneOrMany {}
    class MorphMany extends MorphOneOrMany {}
    class MorphToMany extends BelongsToMany {}
}

namespace Illuminate\Database\Eloquent {
    use Illuminate\Database\Eloquent\Relations as R;

    /**
     * The part of Laravel's Model that decides what `vantage models` reports:
     * the table name convention, the key name, the casts merge of Laravel 11,
     * and the relation builders (recording instead of querying).
     */
    abstract class Model
    {
        protected $table;
        protected $primaryKey = 'id';
        protected $fillable = [];
        protected $guarded = ['*'];
        protected $hidden = [];
        protected $casts = [];

        /** Relations built, in order: [calling method, Relation]. */
        public static array $built = [];

        public function __construct(array $attributes = [])
        {
            // Laravel 11, HasAttributes::initializeHasAttributes().
            $this->casts = array_merge($this->casts, $this->casts());
        }

        protected function casts()
        {
            return [];
        }

        public function getCasts(): array
        {
            return $this->casts;
        }

        public function __get($key)
        {
            return null;
        }

        public function getKeyName()
        {
            return $this->primaryKey;
        }

        /** Laravel's Model::getTable(): $table ?? Str::snake(Str::pluralStudly(class_basename($this))). */
        public function getTable()
        {
            return $this->table ?? \snake_case(\plural_studly(\class_basename(static::class)));
        }

        private function record(string $builder, ?string $related, ?string $through = null, ?string $column = null): R\Relation
        {
            $caller = debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS, 3)[2]['function'] ?? '';
            $class = 'Illuminate\\Database\\Eloquent\\Relations\\' . ucfirst($builder);
            $relation = new $class($builder, $related, $through, $column);
            self::$built[] = [$caller, $relation];
            return $relation;
        }

        private function callerName(): string
        {
            return debug_backtrace(DEBUG_BACKTRACE_IGNORE_ARGS, 3)[2]['function'] ?? '';
        }

        public function belongsTo($related, $foreignKey = null, $ownerKey = null, $relation = null)
        {
            // docs/output.md (decisions): "<snake(method)>_id" unless the 2nd argument names it.
            // Laravel's own default is "<snake(relation)>_<related key name>": where the two
            // differ (a related model with another $primaryKey) it is printed as a note.
            $relation ??= $this->callerName();
            if ($foreignKey === null) {
                $foreignKey = \snake_case($relation) . '_id';
                $laravel = \snake_case($relation) . '_' . (new $related())->getKeyName();
                if ($laravel !== $foreignKey) {
                    $GLOBALS['notes'][] = static::class . "::$relation(): belongsTo column $foreignKey by the schema, "
                        . "$laravel by Laravel (the related model's key is not id)";
                }
            }
            return $this->record('belongsTo', $related, null, $foreignKey);
        }

        public function hasOne($related, $foreignKey = null, $localKey = null)
        {
            return $this->record('hasOne', $related);
        }

        public function hasMany($related, $foreignKey = null, $localKey = null)
        {
            return $this->record('hasMany', $related);
        }

        public function hasOneThrough($related, $through, $firstKey = null, $secondKey = null, $localKey = null, $secondLocalKey = null)
        {
            return $this->record('hasOneThrough', $related, $through);
        }

        public function hasManyThrough($related, $through, $firstKey = null, $secondKey = null, $localKey = null, $secondLocalKey = null)
        {
            return $this->record('hasManyThrough', $related, $through);
        }

        public function belongsToMany($related, $table = null, $foreignPivotKey = null, $relatedPivotKey = null, $parentKey = null, $relatedKey = null, $relation = null)
        {
            // docs/output.md (decisions): `through` is the pivot table, the 2nd argument
            // (null when not given: Laravel would derive it, the schema does not).
            return $this->record('belongsToMany', $related, $table);
        }

        public function morphTo($name = null, $type = null, $id = null, $ownerKey = null)
        {
            return $this->record('morphTo', null);
        }

        public function morphOne($related, $name, $type = null, $id = null, $localKey = null)
        {
            return $this->record('morphOne', $related);
        }

        public function morphMany($related, $name, $type = null, $id = null, $localKey = null)
        {
            return $this->record('morphMany', $related);
        }

        public function morphToMany($related, $name, $table = null, $foreignPivotKey = null, $relatedPivotKey = null, $parentKey = null, $relatedKey = null, $relation = null, $inverse = false)
        {
            return $this->record('morphToMany', $related);
        }

        public function morphedByMany($related, $name, $table = null, $foreignPivotKey = null, $relatedPivotKey = null, $parentKey = null, $relatedKey = null, $relation = null)
        {
            return $this->record('morphedByMany', $related);
        }
    }
}

namespace Illuminate\Database\Eloquent\Relations {
    use Illuminate\Database\Eloquent\Model;

    /**
     * Laravel's Pivot (Relations\Pivot, with the AsPivot trait): a model whose
     * table, when $table is not set, is the class basename made singular, in
     * snake case (AsPivot::getTable(): Str::snake(Str::singular(class_basename($this)))):
     * `RoleUser` -> `role_user`, not `role_users`.
     */
    class Pivot extends Model
    {
        public $incrementing = false;
        protected $guarded = [];

        public function getTable()
        {
            if (!isset($this->table)) {
                $this->table = str_replace('\\', '', \snake_case(\singular(\class_basename(static::class))));
            }
            return $this->table;
        }
    }
}

namespace {
    function class_basename(string $class): string
    {
        return basename(str_replace('\\', '/', $class));
    }

    /**
     * Laravel's Str::snake: `preg_replace('/(.)(?=[A-Z])/u', '$1_', ...)` after
     * removing spaces (ucwords), then lower case: a '_' before every capital but
     * the first (`APIKey` -> `a_p_i_key`, `OrderItem` -> `order_item`). Laravel
     * lowers with mb_strtolower; this PHP has no mbstring, and the names here are
     * ASCII, where strtolower is the same.
     */
    function snake_case(string $value, string $delimiter = '_'): string
    {
        if (!ctype_lower($value)) {
            $value = preg_replace('/\s+/u', '', ucwords($value));
            $value = strtolower(preg_replace('/(.)(?=[A-Z])/u', '$1' . $delimiter, $value));
        }
        return $value;
    }

    /**
     * Laravel's Pluralizer::matchCase: the plural (or singular) takes the case
     * of the word it was made from (all lower, ALL UPPER, Ucfirst).
     */
    function match_case(string $value, string $comparison): string
    {
        foreach (['strtolower', 'strtoupper', 'ucfirst', 'ucwords'] as $f) {
            if ($f($comparison) === $comparison) {
                return $f($value);
            }
        }
        return $value;
    }

    /**
     * Laravel's Str::singular (Doctrine's inflector) for a class basename: a
     * word not ending in `s` is its own singular (`RoleUser`, `Subscription`);
     * one ending in `s` would need the inflector's rules (`Movies`, `Status`,
     * `Analyses`), which this check does not implement: reported, not guessed.
     */
    function singular(string $value): string
    {
        if (!preg_match('/s$/i', $value)) {
            return $value;
        }
        throw new RuntimeException("singular: '$value' needs an inflector rule this check does not implement");
    }

    /**
     * Laravel's Str::pluralStudly: the value split before its capitals as
     * `preg_split('/(.)(?=[A-Z])/u', ..., PREG_SPLIT_DELIM_CAPTURE)` does, the
     * last word made plural with English rules, case matched. Only the regular
     * rules (and the few irregular words below) are implemented: enough for
     * the fixture's class names; a name outside them is reported, not guessed.
     */
    function plural_studly(string $value): string
    {
        $parts = preg_split('/(.)(?=[A-Z])/u', $value, -1, PREG_SPLIT_DELIM_CAPTURE);
        $word = array_pop($parts);
        $head = implode('', $parts);
        $lower = strtolower($word);
        $irregular = ['person' => 'people', 'child' => 'children', 'man' => 'men', 'woman' => 'women'];
        $uncountable = ['equipment', 'information', 'money', 'series', 'species', 'news', 'data'];
        if (isset($irregular[$lower])) {
            $plural = $irregular[$lower];
        } elseif (in_array($lower, $uncountable, true)) {
            $plural = $lower;
        } elseif (preg_match('/[^aeiou]y$/', $lower)) {
            $plural = substr($lower, 0, -1) . 'ies';
        } elseif (preg_match('/(s|x|z|ch|sh)$/', $lower)) {
            $plural = $lower . 'es';
        } elseif (preg_match('/(f|fe)$/', $lower) || preg_match('/(o)$/', $lower)) {
            throw new RuntimeException("plural_studly: '$word' needs an English rule this check does not implement");
        } else {
            $plural = $lower . 's';
        }
        return $head . match_case($plural, $word);
    }

    const RELATION_KIND = [
        'belongsTo' => 'many_to_one', 'hasOne' => 'one_to_one', 'hasMany' => 'one_to_many',
        'belongsToMany' => 'many_to_many', 'hasManyThrough' => 'one_to_many', 'hasOneThrough' => 'one_to_one',
        'morphTo' => 'many_to_one', 'morphMany' => 'one_to_many', 'morphOne' => 'one_to_one',
        'morphToMany' => 'many_to_many', 'morphedByMany' => 'many_to_many',
        'ManyToOne' => 'many_to_one', 'OneToOne' => 'one_to_one', 'OneToMany' => 'one_to_many', 'ManyToMany' => 'many_to_many',
    ];
    const MODEL_KEYS = ['name', 'symbol', 'orm', 'table', 'abstract', 'file', 'line', 'primary_key', 'parents', 'fields', 'relations', 'indexes'];
    const FIELD_KEYS = ['name', 'type', 'line', 'primary_key', 'unique', 'index', 'null', 'references', 'inherited_from'];
    const RELATION_KEYS = ['name', 'kind', 'type', 'target', 'resolved', 'line', 'column', 'through', 'related_name', 'index', 'inherited_from'];
    const INDEX_KEYS = ['name', 'fields', 'unique', 'line'];
    const ELOQUENT_MODEL = 'Illuminate\\Database\\Eloquent\\Model';
    const ORM = 'Doctrine\\ORM\\Mapping\\';

    // ---------------------------------------------------------------- tokenizer

    /**
     * The classes a file declares, read with PHP's tokenizer: for each, its
     * name and the line of the name, the line of every property (name =>
     * line of `$name`) and of every method's name, the string literals of
     * each property's default value and of each method's body (with their
     * line, whether a `=>` follows, and the line where the outermost array
     * literal holding them starts), and its class-level attributes (short
     * name as written, line) in order.
     */
    function scan_file(string $path): array
    {
        $tokens = token_get_all(file_get_contents($path));
        $lines = token_lines($tokens);
        $namespace = '';
        $classes = [];
        $n = count($tokens);
        $pendingAttrs = [];
        for ($i = 0; $i < $n; $i++) {
            $t = $tokens[$i];
            if (is_array($t) && $t[0] === T_NAMESPACE) {
                $namespace = '';
                for ($i++; $i < $n && $tokens[$i] !== ';' && $tokens[$i] !== '{'; $i++) {
                    if (is_array($tokens[$i]) && in_array($tokens[$i][0], [T_STRING, T_NAME_QUALIFIED], true)) {
                        $namespace = $tokens[$i][1];
                    }
                }
                continue;
            }
            if (is_array($t) && $t[0] === T_ATTRIBUTE) {
                [$attrs, $i] = read_attribute($tokens, $i);
                array_push($pendingAttrs, ...$attrs);
                continue;
            }
            if (is_array($t) && $t[0] === T_CLASS) {
                $prev = previous_significant($tokens, $i);
                if ($prev !== null && (is_array($prev) ? in_array($prev[0], [T_DOUBLE_COLON, T_NEW], true) : false)) {
                    continue; // Foo::class, new class
                }
                $j = $i + 1;
                while (!is_array($tokens[$j]) || $tokens[$j][0] !== T_STRING) {
                    $j++;
                }
                $name = $tokens[$j][1];
                $nameLine = $tokens[$j][2];
                while ($tokens[$j] !== '{') {
                    $j++;
                }
                [$body, $end] = scan_class_body($tokens, $lines, $j);
                $body['attributes'] = $pendingAttrs;
                $body['line'] = $t[2];
                $body['name_line'] = $nameLine;
                $classes[($namespace === '' ? '' : $namespace . '\\') . $name] = $body;
                $pendingAttrs = [];
                $i = $end;
                continue;
            }
            if (!is_array($t) || !in_array($t[0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT, T_FINAL, T_ABSTRACT, T_READONLY], true)) {
                $pendingAttrs = [];
            }
        }
        return $classes;
    }

    /** The line of every token (token_get_all gives none for one-character tokens such as `[`). */
    function token_lines(array $tokens): array
    {
        $lines = [];
        $line = 1;
        foreach ($tokens as $t) {
            if (is_array($t)) {
                $line = $t[2];
                $lines[] = $line;
                $line += substr_count($t[1], "\n");
            } else {
                $lines[] = $line;
            }
        }
        return $lines;
    }

    function previous_significant(array $tokens, int $i)
    {
        for ($k = $i - 1; $k >= 0; $k--) {
            if (is_array($tokens[$k]) && in_array($tokens[$k][0], [T_WHITESPACE, T_COMMENT, T_DOC_COMMENT], true)) {
                continue;
            }
            return $tokens[$k];
        }
        return null;
    }

    /** `#[A(...), B]` starting at $i: [[short name as written, line], ...] and the index of its `]`. */
    function read_attribute(array $tokens, int $i): array
    {
        $depth = 1; // inside #[
        $attrs = [];
        $expectName = true;
        for ($i++; $depth > 0; $i++) {
            $t = $tokens[$i];
            if ($t === '[' || $t === '(') {
                $depth++;
            } elseif ($t === ']' || $t === ')') {
                $depth--;
            } elseif ($t === ',' && $depth === 1) {
                $expectName = true;
            } elseif ($expectName && is_array($t) && in_array($t[0], [T_STRING, T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED], true)) {
                $parts = explode('\\', $t[1]);
                $attrs[] = [end($parts), $t[2]];
                $expectName = false;
            }
        }
        return [$attrs, $i - 1];
    }

    function scan_class_body(array $tokens, array $lines, int $open): array
    {
        $depth = 0;
        $paren = 0;
        $props = [];
        $methodLines = [];
        $propStrings = [];
        $methodStrings = [];
        // Open brackets: [kind, is an array literal, line]; `[` after a value is an
        // offset ($a['k']), `array(` and any other `[` are array literals.
        $brackets = [];
        $offsetAfter = [T_VARIABLE, T_STRING, T_CONSTANT_ENCAPSED_STRING, T_NAME_QUALIFIED, T_NAME_FULLY_QUALIFIED, T_NAME_RELATIVE];
        $current = null; // ['prop', name] or ['method', name]
        $currentDepth = 0;
        $n = count($tokens);
        for ($i = $open; $i < $n; $i++) {
            $t = $tokens[$i];
            if ($t === '[' || $t === '(' || (is_array($t) && $t[0] === T_ATTRIBUTE)) {
                $prev = previous_significant($tokens, $i);
                $isArray = match (true) {
                    $t === '[' => !(in_array($prev, [']', ')', '}'], true) || (is_array($prev) && in_array($prev[0], $offsetAfter, true))),
                    $t === '(' => is_array($prev) && $prev[0] === T_ARRAY,
                    default => false, // #[
                };
                $brackets[] = [$isArray, $lines[$i]];
            } elseif ($t === ']' || $t === ')') {
                array_pop($brackets);
            }
            if ($t === '{' || (is_array($t) && in_array($t[0], [T_CURLY_OPEN, T_DOLLAR_OPEN_CURLY_BRACES], true))) {
                $depth++;
            } elseif ($t === '}') {
                $depth--;
                if ($current !== null && $current[0] === 'method' && $depth === 1) {
                    $current = null;
                }
                if ($depth === 0) {
                    return [['properties' => $props, 'methods' => $methodLines, 'property_strings' => $propStrings, 'method_strings' => $methodStrings], $i];
                }
            } elseif ($t === '(') {
                $paren++;
            } elseif ($t === ')') {
                $paren--;
            } elseif ($t === ';' && $depth === 1 && $paren === 0) {
                $current = null; // end of a property, or of a method without a body
            } elseif (is_array($t) && $t[0] === T_VARIABLE && $depth === 1 && $paren === 0 && $current === null) {
                $name = substr($t[1], 1);
                $props[$name] = $t[2];
                $current = ['prop', $name];
                $propStrings[$name] = [];
            } elseif (is_array($t) && $t[0] === T_FUNCTION && $depth === 1 && $current === null) {
                $j = $i + 1;
                while (!is_array($tokens[$j]) || $tokens[$j][0] !== T_STRING) {
                    $j++;
                }
                $current = ['method', $tokens[$j][1]];
                $methodLines[$tokens[$j][1]] = $tokens[$j][2];
                $methodStrings[$tokens[$j][1]] = [];
            } elseif (is_array($t) && $t[0] === T_CONSTANT_ENCAPSED_STRING && $current !== null) {
                $next = $i + 1;
                while (is_array($tokens[$next]) && $tokens[$next][0] === T_WHITESPACE) {
                    $next++;
                }
                $isKey = is_array($tokens[$next]) && $tokens[$next][0] === T_DOUBLE_ARROW;
                $outer = array_values(array_filter($brackets, fn ($b) => $b[0]))[0] ?? null;
                $entry = [eval('return ' . $t[1] . ';'), $t[2], $isKey, $outer[1] ?? null];
                if ($current[0] === 'prop') {
                    $propStrings[$current[1]][] = $entry;
                } else {
                    $methodStrings[$current[1]][] = $entry;
                }
            }
        }
        throw new RuntimeException('unterminated class body');
    }

    // ---------------------------------------------------------------- loading

    function php_files(string $dir): array
    {
        $files = [];
        $it = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($dir, FilesystemIterator::SKIP_DOTS));
        foreach ($it as $f) {
            if ($f->isFile() && str_ends_with($f->getFilename(), '.php')) {
                $files[] = $f->getPathname();
            }
        }
        sort($files);
        return $files;
    }

    /** Loads the fixture's PSR-4 classes; returns [fqcn => [relative file, scan]] of the loaded ones. */
    function load_fixture(string $root, array &$notes): array
    {
        $composer = json_decode(file_get_contents("$root/composer.json"), true, 512, JSON_THROW_ON_ERROR);
        $psr4 = $composer['autoload']['psr-4'] ?? [];
        spl_autoload_register(function (string $class) use ($root, $psr4): void {
            foreach ($psr4 as $prefix => $dir) {
                if (str_starts_with($class, $prefix)) {
                    $file = $root . '/' . rtrim($dir, '/') . '/' . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
                    if (is_file($file)) {
                        require_once $file;
                    }
                }
            }
        });
        $classes = [];
        foreach ($psr4 as $prefix => $dir) {
            foreach (php_files($root . '/' . rtrim($dir, '/')) as $file) {
                $rel = substr($file, strlen($root) + 1);
                foreach (scan_file($file) as $fqcn => $scan) {
                    try {
                        if (!class_exists($fqcn)) {
                            $notes[] = "$rel: $fqcn not declared where PSR-4 expects it";
                            continue;
                        }
                    } catch (Throwable $e) {
                        $notes[] = "$rel: $fqcn skipped, not loadable here: " . $e->getMessage();
                        continue;
                    }
                    $classes[$fqcn] = [$rel, $scan];
                }
            }
        }
        return $classes;
    }

    // ---------------------------------------------------------------- Eloquent

    function eloquent_models(array $classes): array
    {
        $models = [];
        foreach ($classes as $fqcn => [$rel, $scan]) {
            if (is_subclass_of($fqcn, ELOQUENT_MODEL)) {
                $models[$fqcn] = true;
            }
        }
        $out = [];
        foreach (array_keys($models) as $fqcn) {
            $out[] = eloquent_model($fqcn, $classes, $models);
        }
        return $out;
    }

    /**
     * docs/output.md (decisions): an Eloquent field's line is the line where the array
     * holding its name starts (`protected $fillable = [`, `return [` in casts()),
     * the same for every name of that array. From the tokenizer of the declaring
     * class: the line of the outermost array literal around the string, in the
     * property's default or the method's body; null when the name is not
     * written there as a string inside an array literal.
     */
    function array_line(array $classes, string $declaring, string $kind, string $member, string $value, bool $key): ?int
    {
        $scan = $classes[$declaring][1] ?? null;
        $strings = $scan === null ? [] : ($kind === 'prop' ? $scan['property_strings'][$member] ?? [] : $scan['method_strings'][$member] ?? []);
        foreach ($strings as [$v, $line, $isKey, $arrayLine]) {
            if ($v === $value && $isKey === $key) {
                return $arrayLine;
            }
        }
        return null;
    }

    function eloquent_model(string $fqcn, array $classes, array $models): array
    {
        $rc = new ReflectionClass($fqcn);
        $instance = $rc->isAbstract() ? eval("return new class extends \\$fqcn {};") : $rc->newInstance();
        $inherited = fn (string $declaring): ?string => $declaring === $fqcn ? null : $declaring;

        // Fields: $fillable, then the keys of the casts not already listed (Laravel 11 merges casts() into $casts).
        $fillableProp = $rc->getProperty('fillable');
        $castsProp = $rc->getProperty('casts');
        $castsMethod = $rc->getMethod('casts');
        $castsMethod->setAccessible(true);
        $fromMethod = $castsMethod->invoke($instance);
        $merged = $instance->getCasts();
        $entries = [];
        foreach ($fillableProp->getDefaultValue() as $name) {
            $decl = $fillableProp->getDeclaringClass()->getName();
            $entries[$name] = [$decl, array_line($classes, $decl, 'prop', 'fillable', $name, false)];
        }
        foreach ($castsProp->getDefaultValue() as $name => $_) {
            $decl = $castsProp->getDeclaringClass()->getName();
            $entries[$name] ??= [$decl, array_line($classes, $decl, 'prop', 'casts', $name, true)];
        }
        foreach ($fromMethod as $name => $_) {
            $decl = $castsMethod->getDeclaringClass()->getName();
            $entries[$name] ??= [$decl, array_line($classes, $decl, 'method', 'casts', $name, true)];
        }
        $fields = [];
        foreach ($entries as $name => [$decl, $line]) {
            if (str_starts_with($decl, 'Illuminate\\')) {
                continue; // the stubs' own defaults
            }
            $fields[] = [
                'name' => $name, 'type' => $merged[$name] ?? null, 'line' => $line, 'primary_key' => false,
                'unique' => false, 'index' => false, 'null' => false, 'references' => null,
                'inherited_from' => $inherited($decl),
            ];
        }
        $fields = inherited_first($fields);

        // Relations: call each public, argument-free method of the repository's classes.
        $relations = [];
        foreach (repository_methods($rc) as $method) {
            Illuminate\Database\Eloquent\Model::$built = [];
            try {
                $method->invoke($instance);
            } catch (Throwable $e) {
                continue;
            }
            $built = array_values(array_filter(Illuminate\Database\Eloquent\Model::$built, fn ($b) => $b[0] === $method->getName()));
            if (!$built) {
                continue;
            }
            $r = $built[0][1];
            $target = $r->related;
            $relations[] = [
                'name' => $method->getName(), 'kind' => RELATION_KIND[$r->builder], 'type' => $r->builder,
                'target' => $target, 'resolved' => $target !== null && isset($models[$target]),
                'line' => method_line($classes, $method), 'column' => $r->column, 'through' => $r->through,
                'related_name' => null, 'index' => false,
                'inherited_from' => $inherited($method->getDeclaringClass()->getName()),
            ];
        }

        return [
            'name' => $rc->getShortName(), 'symbol' => $fqcn, 'orm' => 'eloquent',
            'table' => $rc->isAbstract() ? null : $instance->getTable(), 'abstract' => $rc->isAbstract(),
            'file' => $classes[$fqcn][0], 'line' => $classes[$fqcn][1]['name_line'],
            'primary_key' => [$instance->getKeyName()],
            'parents' => concrete_parents($rc, $models), 'fields' => $fields, 'relations' => $relations, 'indexes' => [],
        ];
    }

    /**
     * A relation's line: the line of its method's name (Reflection's getStartLine()
     * is the line of `function`, or of the first modifier), from the tokenizer.
     */
    function method_line(array $classes, ReflectionMethod $m): ?int
    {
        return $classes[$m->getDeclaringClass()->getName()][1]['methods'][$m->getName()] ?? null;
    }

    /** Public methods declared in the repository (not the stub), root-most class first, each in source order. */
    function repository_methods(ReflectionClass $rc): array
    {
        $chain = [];
        for ($c = $rc; $c && !str_starts_with($c->getName(), 'Illuminate\\'); $c = $c->getParentClass()) {
            array_unshift($chain, $c); // up to the stubs (Model, Pivot), not included
        }
        $seen = [];
        $methods = [];
        foreach (array_reverse($chain) as $c) { // the most derived declaration wins
            foreach ($c->getMethods(ReflectionMethod::IS_PUBLIC) as $m) {
                if ($m->getDeclaringClass()->getName() === $c->getName() && !isset($seen[$m->getName()])) {
                    $seen[$m->getName()] = $m;
                }
            }
        }
        foreach ($chain as $c) {
            $own = array_filter($seen, fn ($m) => $m->getDeclaringClass()->getName() === $c->getName());
            usort($own, fn ($a, $b) => $a->getStartLine() <=> $b->getStartLine());
            foreach ($own as $m) {
                if (!$m->isStatic() && !$m->isConstructor() && $m->getNumberOfRequiredParameters() === 0
                    && !str_starts_with($m->getName(), '__')) {
                    $methods[] = $m;
                }
            }
        }
        return $methods;
    }

    function concrete_parents(ReflectionClass $rc, array $models): array
    {
        $parents = [];
        for ($p = $rc->getParentClass(); $p; $p = $p->getParentClass()) {
            if (isset($models[$p->getName()]) && !$p->isAbstract()) {
                $parents[] = $p->getName();
            }
        }
        return $parents;
    }

    function inherited_first(array $items): array
    {
        $inherited = array_values(array_filter($items, fn ($f) => $f['inherited_from'] !== null));
        $own = array_values(array_filter($items, fn ($f) => $f['inherited_from'] === null));
        return array_merge($inherited, $own);
    }

    // ---------------------------------------------------------------- Doctrine

    /** The class's / property's mapping attributes: [short name => [arguments, ...]], in order. */
    function mapping(array $attributes): array
    {
        $out = [];
        foreach ($attributes as $a) {
            if (str_starts_with($a->getName(), ORM)) {
                $out[substr($a->getName(), strlen(ORM))][] = $a->getArguments();
            }
        }
        return $out;
    }

    function doctrine_models(array $classes): array
    {
        $models = [];
        foreach ($classes as $fqcn => $_) {
            $m = mapping((new ReflectionClass($fqcn))->getAttributes());
            if (isset($m['Entity']) || isset($m['MappedSuperclass'])) {
                $models[$fqcn] = $m;
            }
        }
        $out = [];
        foreach ($models as $fqcn => $m) {
            $out[] = doctrine_model($fqcn, $m, $classes, $models);
        }
        return $out;
    }

    function doctrine_model(string $fqcn, array $m, array $classes, array $models): array
    {
        $rc = new ReflectionClass($fqcn);
        $table = null;
        if (isset($m['Table'])) {
            $args = $m['Table'][0];
            $table = $args['name'] ?? $args[0] ?? null;
        }

        // Class-level indexes, in source order, with their lines from the tokenizer.
        $indexes = [];
        $attrLines = array_values(array_filter($classes[$fqcn][1]['attributes'], fn ($a) => in_array($a[0], ['Index', 'UniqueConstraint'], true)));
        $k = 0;
        foreach ($rc->getAttributes() as $a) {
            $short = str_starts_with($a->getName(), ORM) ? substr($a->getName(), strlen(ORM)) : null;
            if ($short === 'Index' || $short === 'UniqueConstraint') {
                $args = $a->getArguments();
                $indexes[] = [
                    'name' => $args['name'] ?? null, 'fields' => $args['columns'] ?? $args['fields'] ?? [],
                    'unique' => $short === 'UniqueConstraint', 'line' => $attrLines[$k++][1] ?? null,
                ];
            }
        }

        // Properties: the mapped superclasses' first (root-most first), then the class's own.
        $chain = [];
        for ($c = $rc; $c; $c = $c->getParentClass()) {
            if ($c->getName() === $fqcn || isset($models[$c->getName()]['MappedSuperclass'])) {
                array_unshift($chain, $c);
            }
        }
        $fields = [];
        $relations = [];
        $primary = [];
        foreach ($chain as $c) {
            $decl = $c->getName();
            $inherited = $decl === $fqcn ? null : $decl;
            foreach ($c->getProperties() as $p) {
                if ($p->getDeclaringClass()->getName() !== $decl) {
                    continue;
                }
                $pm = mapping($p->getAttributes());
                $line = $classes[$decl][1]['properties'][$p->getName()] ?? null;
                if (isset($pm['Id'])) {
                    $primary[] = $p->getName();
                }
                if (isset($pm['Column'])) {
                    $col = $pm['Column'][0];
                    $type = $col['type'] ?? null;
                    if ($type === null && $p->getType() instanceof ReflectionNamedType) {
                        $type = $p->getType()->getName();
                    }
                    $unique = ($col['unique'] ?? false) === true;
                    $fields[] = [
                        'name' => $p->getName(), 'type' => $type, 'line' => $line, 'primary_key' => isset($pm['Id']),
                        'unique' => $unique, 'index' => isset($pm['Id']) || $unique,
                        'null' => ($col['nullable'] ?? false) === true, 'references' => null, 'inherited_from' => $inherited,
                    ];
                }
                foreach (['ManyToOne', 'OneToOne', 'OneToMany', 'ManyToMany'] as $kind) {
                    if (!isset($pm[$kind])) {
                        continue;
                    }
                    $args = $pm[$kind][0];
                    $target = $args['targetEntity'] ?? $args[0] ?? null;
                    $column = null;
                    $owning = ($kind === 'ManyToOne' || $kind === 'OneToOne') && !isset($args['mappedBy']);
                    if ($owning) {
                        // Doctrine's DefaultNamingStrategy: "<property>_id" unless JoinColumn names it.
                        $jc = $pm['JoinColumn'][0] ?? [];
                        $column = $jc['name'] ?? $p->getName() . '_id';
                    }
                    $relations[] = [
                        'name' => $p->getName(), 'kind' => RELATION_KIND[$kind], 'type' => $kind,
                        'target' => $target, 'resolved' => $target !== null && isset($models[$target]),
                        'line' => $line, 'column' => $column,
                        'through' => $kind === 'ManyToMany' ? ($pm['JoinTable'][0]['name'] ?? null) : null,
                        'related_name' => $args['inversedBy'] ?? $args['mappedBy'] ?? null,
                        // docs/output.md (decisions): DBAL indexes every foreign-key column, so the
                        // owning side of a ManyToOne / OneToOne (the side with the join column)
                        // is indexed; OneToMany, ManyToMany and inverse sides are not.
                        'index' => $owning, 'inherited_from' => $inherited,
                    ];
                }
            }
        }

        $parents = [];
        for ($p = $rc->getParentClass(); $p; $p = $p->getParentClass()) {
            if (isset($models[$p->getName()]['Entity'])) {
                $parents[] = $p->getName();
            }
        }
        return [
            'name' => $rc->getShortName(), 'symbol' => $fqcn, 'orm' => 'doctrine', 'table' => $table,
            'abstract' => isset($m['MappedSuperclass']), 'file' => $classes[$fqcn][0], 'line' => $classes[$fqcn][1]['name_line'],
            'primary_key' => $primary, 'parents' => $parents, 'fields' => $fields, 'relations' => $relations,
            'indexes' => $indexes,
        ];
    }

    // ---------------------------------------------------------------- compare

    function show($v): string
    {
        return json_encode($v, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
    }

    function compare_list(string $where, string $what, array $keys, array $oracle, array $expected, array &$problems): void
    {
        $n = max(count($oracle), count($expected));
        for ($i = 0; $i < $n; $i++) {
            $o = $oracle[$i] ?? null;
            $e = $expected[$i] ?? null;
            // An inherited field or relation is written in its base's file.
            $from = $o['inherited_from'] ?? $e['inherited_from'] ?? null;
            $file = $from !== null ? ($GLOBALS['model_files'][$from] ?? $where) : $where;
            $at = $file . ':' . ($e['line'] ?? $o['line'] ?? '?');
            if ($o === null) {
                $problems[] = "$at: $what #$i " . show($e['name'] ?? null) . ' in expected.json, not found by PHP';
                continue;
            }
            if ($e === null) {
                $problems[] = "$at: $what #$i " . show($o['name']) . ' found by PHP, missing from expected.json';
                continue;
            }
            if (array_keys($e) !== $keys) {
                $problems[] = "$at: $what " . show($e['name'] ?? null) . ' has keys ' . show(array_keys($e)) . ', the schema says ' . show($keys);
            }
            foreach ($keys as $k) {
                if (!array_key_exists($k, $e) || $e[$k] !== $o[$k]) {
                    $problems[] = "$at: $what " . show($o['name']) . ".$k: expected.json " . show($e[$k] ?? null) . ', PHP ' . show($o[$k]);
                }
            }
        }
    }

    function main(array $argv): int
    {
        if (count($argv) !== 2 || !is_file($argv[1] . '/expected.json')) {
            fwrite(STDERR, "usage: php bench/models/check_php.php FIXTURE_DIR (with composer.json and expected.json)\n");
            return 2;
        }
        $root = rtrim(realpath($argv[1]), '/');
        $notes = [];
        $classes = load_fixture($root, $notes);
        $GLOBALS['notes'] = [];
        $oracle = array_merge(eloquent_models($classes), doctrine_models($classes));
        usort($oracle, fn ($a, $b) => [$a['file'], $a['line']] <=> [$b['file'], $b['line']]);
        $GLOBALS['model_files'] = array_column($oracle, 'file', 'symbol');

        $expected = json_decode(file_get_contents("$root/expected.json"), true, 512, JSON_THROW_ON_ERROR);
        $problems = [];
        if (array_keys($expected) !== ['version', 'models'] || $expected['version'] !== 1) {
            $problems[] = 'expected.json: top level must be {"version": 1, "models": [...]}, is ' . show(array_keys($expected));
        }
        $byModel = [];
        foreach ($expected['models'] as $i => $e) {
            $byModel[$e['symbol'] ?? "#$i"] = $e;
        }
        $sorted = $expected['models'];
        usort($sorted, fn ($a, $b) => [$a['file'], $a['line']] <=> [$b['file'], $b['line']]);
        if (array_column($sorted, 'symbol') !== array_column($expected['models'], 'symbol')) {
            $problems[] = 'expected.json: models not sorted by (file, line)';
        }
        foreach ($oracle as $o) {
            $e = $byModel[$o['symbol']] ?? null;
            $at = $o['file'] . ':' . $o['line'];
            if ($e === null) {
                $problems[] = "$at: model {$o['symbol']} found by PHP, missing from expected.json";
                continue;
            }
            unset($byModel[$o['symbol']]);
            if (array_keys($e) !== MODEL_KEYS) {
                $problems[] = "$at: model {$o['symbol']} has keys " . show(array_keys($e)) . ', the schema says ' . show(MODEL_KEYS);
            }
            foreach (['name', 'symbol', 'orm', 'table', 'abstract', 'file', 'line', 'primary_key', 'parents'] as $k) {
                if (($e[$k] ?? null) !== $o[$k]) {
                    $problems[] = "$at: model {$o['symbol']}.$k: expected.json " . show($e[$k] ?? null) . ', PHP ' . show($o[$k]);
                }
            }
            compare_list($o['file'], 'field', FIELD_KEYS, $o['fields'], $e['fields'] ?? [], $problems);
            compare_list($o['file'], 'relation', RELATION_KEYS, $o['relations'], $e['relations'] ?? [], $problems);
            compare_list($o['file'], 'index', INDEX_KEYS, $o['indexes'], $e['indexes'] ?? [], $problems);
        }
        foreach ($byModel as $symbol => $e) {
            $problems[] = ($e['file'] ?? '?') . ':' . ($e['line'] ?? '?') . ": model $symbol in expected.json, not a model for PHP";
        }

        $fields = array_sum(array_map(fn ($o) => count($o['fields']), $oracle));
        $relations = array_sum(array_map(fn ($o) => count($o['relations']), $oracle));
        $indexes = array_sum(array_map(fn ($o) => count($o['indexes']), $oracle));
        foreach (array_merge($notes, array_unique($GLOBALS['notes'])) as $note) {
            echo "note: $note\n";
        }
        echo basename($root) . ': PHP finds ' . count($oracle) . " models, $fields fields, $relations relations, $indexes indexes\n";
        foreach ($problems as $p) {
            echo "$p\n";
        }
        echo $problems ? count($problems) . " disagreement(s) with expected.json\n" : "expected.json agrees\n";
        return $problems ? 1 : 0;
    }

    exit(main($argv));
}
