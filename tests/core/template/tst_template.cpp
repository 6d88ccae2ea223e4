#include <QtTest/QtTest>
#include <atomic>
#include <core/template/template.h>
#include <thread>

using fb::Template;
using fb::TemplateLimits;
using fb::Value;

namespace {

QString q(const std::string &s) { return QString::fromStdString(s); }

/// Renders `source` with the JSON `context`; returns the text or "ERROR: <message>".
QString renderText(const QString &source, const QString &context, const TemplateLimits &limits = {})
{
    auto parsed = Template::parse(source.toStdString(), "prompts/x.jinja2");
    if (!parsed) {
        return "ERROR: " + q(parsed.error().message);
    }
    const Value ctx = context.isEmpty() ? Value::object() : Value::parse(context.toStdString());
    auto rendered = parsed->render(ctx, limits);
    if (!rendered) {
        return "ERROR: " + q(rendered.error().message);
    }
    return q(*rendered);
}

} // namespace

class TestTemplate : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void render_data();
    void render();
    void errors_data();
    void errors();
    void limits_data();
    void limits();
    void variables_data();
    void variables();
    void errorCodes();
    void concurrentRenders();
    void copiesShareTheParse();
};

void TestTemplate::render_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *name, const char *source, const char *context, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(source) << QString::fromUtf8(context)
                            << QString::fromUtf8(expected);
    };

    // --- output of values ---
    row("plain-text", "Hello", "", "Hello");
    row("variable", "Hi {{ name }}!", R"({"name":"Ann"})", "Hi Ann!");
    row("undefined-prints-empty", "[{{ missing }}]", "", "[]");
    row("none-prints-None", "{{ x }}", R"({"x":null})", "None");
    row("bools-python-style", "{{ t }} {{ f }}", R"({"t":true,"f":false})", "True False");
    row("float-repr", "{{ a }} {{ b }} {{ c }} {{ d }} {{ e }}",
        R"({"a":1.0,"b":0.1,"c":1e20,"d":1.5e-7,"e":123456.5})", "1.0 0.1 1e+20 1.5e-07 123456.5");
    row("float-repr-boundaries", "{{ 1e15 }} {{ 1e16 }} {{ 0.0001 }} {{ 0.00001 }} {{ -0.0 }}", "",
        "1000000000000000.0 1e+16 0.0001 1e-05 -0.0");
    row("list-repr", "{{ xs }}", R"({"xs":["a",1,null,true,2.5]})", "['a', 1, None, True, 2.5]");
    row("dict-repr", "{{ d }}", R"({"d":{"a":1,"b":"x","c":[{}]}})",
        "{'a': 1, 'b': 'x', 'c': [{}]}");
    row("string-repr-quotes", R"T({{ ["it's", 'q"', 'a\nb\\'] }})T", "",
        R"T(["it's", 'q"', 'a\nb\\'])T");
    row("unicode-passthrough", "{{ s }} {{ [s] }}", R"({"s":"zażółć 日本"})",
        "zażółć 日本 ['zażółć 日本']");
    row("dotted-access", "{{ item.inputs.question }}", R"({"item":{"inputs":{"question":"Why?"}}})",
        "Why?");
    row("subscripts", "{{ d['k'] }} {{ xs[0] }} {{ xs[-1] }} {{ xs.1 }}",
        R"({"d":{"k":"v"},"xs":[1,2,3]})", "v 1 3 2");
    row("missing-key-empty", "[{{ d.nope }}][{{ d['nope'] }}][{{ xs[9] }}]", R"({"d":{},"xs":[1]})",
        "[][][]");
    row("attr-of-none-empty", "[{{ n.x }}]", R"({"n":null})", "[]");

    // --- whitespace handling (trim_blocks, keep_trailing_newline, no lstrip_blocks) ---
    row("trim-blocks-removes-newline", "{% if true %}\nyes\n{% endif %}\nend", "", "yes\nend");
    row("trim-blocks-only-one-newline", "{% if true %}\n\nA{% endif %}", "", "\nA");
    row("no-lstrip-blocks", "  {% if true %}x{% endif %}", "", "  x");
    row("variable-keeps-newline", "{{ a }}\nb", R"({"a":1})", "1\nb");
    row("keep-trailing-newline", "line\n", "", "line\n");
    row("keep-trailing-newlines", "line\n\n", "", "line\n\n");
    row("comment-removed", "a{# note #}b", "", "ab");
    row("comment-trims-newline", "{# c #}\nx", "", "x");
    row("comment-multiline", "a{# one\n two #}b", "", "ab");
    row("minus-strips-both", "a  {%- if true -%}  b  {%- endif -%}  c", "", "abc");
    row("minus-strips-newlines", "a\n\n  {%- if true %}b{% endif %}", "", "ab");
    row("minus-variable", "a \n {{- x -}} \n b", R"({"x":"X"})", "aXb");
    row("plus-keeps-newline", "{% if true +%}\nx{% endif %}", "", "\nx");
    row("minus-comment", "a  {#- c -#}  b", "", "ab");
    row("stray-closers-literal", "a }} b %} c #}", "", "a }} b %} c #}");
    row("stray-json-braces", R"({"k": {{ v }}})", R"({"v":1})", R"({"k": 1})");
    row("crlf-normalized", "a\r\nb\rc", "", "a\nb\nc");
    row("crlf-trim-blocks", "{% if true %}\r\nx{% endif %}", "", "x");
    row("raw-block", "{% raw %}{{ x }} {% if %}{% endraw %}", "", "{{ x }} {% if %}");
    row("raw-keeps-newline-after-begin", "{% raw %}\nA\n{% endraw %}\nB", "", "\nA\nB");
    row("braces-in-string", "{{ '}}' ~ \"{%\" }}", "", "}}{%");

    // --- expressions ---
    row("arith-int",
        "{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }}", "",
        "7 9 3 -4 1 2");
    row("true-division", "{{ 7 / 2 }} {{ 4 / 2 }} {{ 7.5 // 2 }}", "", "3.5 2.0 3.0");
    row("pow-left-assoc", "{{ 2 ** 3 ** 2 }} {{ 2 ** -1 }}", "", "64 0.5");
    row("float-arith", "{{ 0.1 + 0.2 }}", "", "0.30000000000000004");
    row("string-ops", "{{ 'a' + 'b' }} {{ 'a' ~ 1 ~ none }} {{ 'ab' * 3 }} {{ [1] + [2] }}", "",
        "ab a1None ababab [1, 2]");
    row("comparisons-chained",
        "{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ [1, 2] < [1, 3] }}", "",
        "True False True True True");
    row("and-or-values",
        "{{ 0 or 'x' }} {{ 1 and 'y' }} {{ none or [] }} {{ not 0 }} {{ not 'a' }}", "",
        "x y [] True False");
    row("in-operator",
        "{{ 'b' in 'abc' }} {{ 2 in [1, 2] }} {{ 'k' in d }} {{ 3 not in [1] }} {{ 'z' in d }}",
        R"({"d":{"k":1}})", "True True True True False");
    row("conditional-expr", "{{ 'yes' if x > 1 else 'no' }}|{{ 'a' if false }}|", R"({"x":2})",
        "yes||");
    row("literals",
        "{{ True }} {{ none }} {{ 0x1F }} {{ 0b101 }} {{ 1_000 }} {{ 1e3 }} {{ 2.5E-1 }}", "",
        "True None 31 5 1000 1000.0 0.25");
    row("string-escapes", R"T({{ 'a\tb\n'|length }} {{ "\u00e9\x41" }} {{ 'a' "b" }})T", "",
        "4 éA ab");
    row("tuple-output", "{{ 1, 2 }} {{ (1,) }} {{ () }}", "", "(1, 2) (1,) ()");
    row("dict-literal", "{{ {'a': 1, 'b': [1, 2]} }}", "", "{'a': 1, 'b': [1, 2]}");
    row("slices",
        "{{ 'hello'[1:3] }} {{ [1,2,3,4][::2] }} {{ 'abc'[::-1] }} {{ xs[-2:] }} {{ 'żółw'[1:3] }}",
        R"({"xs":[1,2,3]})", "el [1, 3] cba [2, 3] ół");
    row("unary-binds-before-filter", "{{ -1|abs }} {{ -3 ** 2 }}", "", "1 9");
    row("str-methods",
        "{{ s.upper() }}|{{ s.strip() }}|{{ s.split(',') }}|{{ s.replace('a','o') }}|{{ "
        "'x'.join(['1','2']) }}|{{ s.startswith(' a') }}",
        R"({"s":" a,b "})", " A,B |a,b|[' a', 'b ']| o,b |1x2|True");
    row("str-methods-more",
        "{{ 'Hello World'.lower().title() }} {{ 'a b  c'.split() }} {{ 'x=1'.partition('=') }} {{ "
        "'ab'.center(6, '*') }}",
        "", "Hello World ['a', 'b', 'c'] ('x', '=', '1') **ab**");
    row("dict-methods",
        "{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}{{ d.keys()|list }} {{ d.get('x', "
        "'dflt') }} {{ d.get('a') }} {{ d.get('x') }}",
        R"({"d":{"a":1,"b":2}})", "a=1;b=2;['a', 'b'] dflt 1 None");
    row("dict-views-print", "{{ d.items() }} {{ d.keys() }}", R"({"d":{"a":1}})",
        "dict_items([('a', 1)]) dict_keys(['a'])");
    row("format-method",
        "{{ '{} and {:.2f} {name}'.format('x', 3.14159, name='n') }} {{ '{0}{0}'.format('ab') }}",
        "", "x and 3.14 n abab");
    row("percent-format",
        "{{ '%s-%d-%.1f' % ('a', 3, 2.25) }} {{ '%(n)s!' % {'n': 'hi'} }} {{ '%5.1f|%-4d|' % "
        "(3.14159, 42) }}",
        "", "a-3-2.2 hi!   3.1|42  |");
    row("list-methods", "{{ xs.index(2) }} {{ xs.count(1) }}", R"({"xs":[1,2,1]})", "1 2");
    row("list-append-on-template-list", "{% set l = [1] %}{% set _ = l.append(2) %}{{ l }}", "",
        "[1, 2]");

    // --- statements ---
    row("if-elif-else", "{% if x == 1 %}one{% elif x == 2 %}two{% else %}many{% endif %}",
        R"({"x":2})", "two");
    row("if-in-list", "{% if 'a' in tags %}has{% else %}no{% endif %}", R"({"tags":["a"]})", "has");
    row("for-else-empty", "{% for x in xs %}{{ x }}{% else %}empty{% endfor %}", R"({"xs":[]})",
        "empty");
    row("for-over-undefined", "{% for x in nothing %}{{ x }}{% else %}none{% endfor %}", "",
        "none");
    row("for-over-dict-keys", "{% for k in d %}{{ k }}{% endfor %}", R"({"d":{"b":1,"a":2}})",
        "ba");
    row("for-over-string", "{% for c in 'hé' %}[{{ c }}]{% endfor %}", "", "[h][é]");
    row("for-filter", "{% for x in xs if x % 2 %}{{ loop.index }}:{{ x }} {% endfor %}",
        R"({"xs":[1,2,3,4,5]})", "1:1 2:3 3:5 ");
    row("loop-vars",
        "{% for x in 'abc' %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first "
        "}}{{ loop.last }}{{ loop.length }}|{% endfor %}",
        "", "032TrueFalse3|121FalseFalse3|210FalseTrue3|");
    row("loop-cycle", "{% for x in [1,2,3] %}{{ loop.cycle('odd', 'even') }} {% endfor %}", "",
        "odd even odd ");
    row("loop-prev-next",
        "{% for x in [1,2,3] %}{{ loop.previtem|default('-') }}{{ loop.nextitem|default('-') }} {% "
        "endfor %}",
        "", "-2 13 2- ");
    row("loop-changed",
        "{% for x in [1,1,2,2,1] %}{% if loop.changed(x) %}{{ x }}{% endif %}{% endfor %}", "",
        "121");
    row("tuple-unpack-list", "{% for a, b in [[1, 2], [3, 4]] %}{{ a + b }},{% endfor %}", "",
        "3,7,");
    row("nested-loop-outer",
        "{% for a in [1,2] %}{% set outer = loop %}{% for b in [1,2] %}{{ outer.index }}{{ "
        "loop.index }} {% endfor %}{% endfor %}",
        "", "11 12 21 22 ");
    row("set-simple", "{% set x = 1 + 2 %}{{ x }}", "", "3");
    row("set-scope-in-loop",
        "{% set x = 0 %}{% for i in [1,2] %}{% set x = x + i %}{{ x }},{% endfor %}{{ x }}", "",
        "1,2,0");
    row("set-in-loop-resets-each-iteration",
        "{% for i in [1,2] %}[{{ y }}]{% set y = i %}{% endfor %}", "", "[][]");
    row("set-shadows-context", "{{ x }}{% set x = 2 %}{{ x }}", R"({"x":1})", "12");
    row("namespace-counter",
        "{% set ns = namespace(n=0) %}{% for i in [1,2,3] %}{% set ns.n = ns.n + i %}{% endfor "
        "%}{{ ns.n }}",
        "", "6");
    row("set-tuple", "{% set a, b = 1, 2 %}{{ b }}{{ a }}", "", "21");
    row("set-block", "{% set x %}\nline {{ 1 }}\n{% endset %}[{{ x }}]", "", "[line 1\n]");
    row("set-block-filter", "{% set x | upper %}hi{% endset %}{{ x }}", "", "HI");
    row("macro-basic",
        "{% macro greet(name, punct='!') %}Hi {{ name }}{{ punct }}{% endmacro %}{{ greet('A') }} "
        "{{ greet('B', punct='?') }}",
        "", "Hi A! Hi B?");
    row("macro-varargs-kwargs",
        "{% macro m(a) %}{{ a }}{{ varargs }}{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, k='v') }}", "",
        "1(2, 3){'k': 'v'}");
    row("macro-sees-context", "{% macro m() %}{{ g }}{% endmacro %}{{ m() }}", R"({"g":"G"})", "G");
    row("call-block",
        "{% macro box(t) %}[{{ t }}:{{ caller() }}]{% endmacro %}{% call box('T') %}inner{% "
        "endcall %}",
        "", "[T:inner]");
    row("filter-block", "{% filter upper %}abc{% endfilter %}", "", "ABC");
    row("with-block", "{% with a = 1, b = 2 %}{{ a + b }}{% endwith %}[{{ a }}]", "", "3[]");
    row("block-tag-renders", "{% block body %}B{% endblock %}", "", "B");
    row("recursive-loop",
        "{% for n in tree recursive %}{{ n.name }}{{ loop.depth }}{% if n.kids %}({{ loop(n.kids) "
        "}}){% endif %}{% endfor %}",
        R"({"tree":[{"name":"a","kids":[{"name":"b"},{"name":"c"}]},{"name":"d"}]})", "a1(b2c2)d1");
    row("print-tag", "{% print 'x', 1 %}", "", "x1");

    // --- filters ---
    row("join-length-lower-upper",
        "{{ xs|join(', ') }}|{{ xs|length }}|{{ 'AbC'|lower }}|{{ 'abc'|upper }}|{{ xs|count }}|{{ "
        "[1, 2]|join }}",
        R"({"xs":["a","b"]})", "a, b|2|abc|ABC|2|12");
    row("join-attribute", "{{ users|join(', ', attribute='name') }}",
        R"({"users":[{"name":"a"},{"name":"b"}]})", "a, b");
    row("length-of-unicode-and-dict", "{{ 'żółw'|length }} {{ d|length }}",
        R"({"d":{"a":1,"b":2}})", "4 2");
    row("title-capitalize", "{{ \"hello wORLD-foo o'neil\"|title }}|{{ 'hELLO world'|capitalize }}",
        "", "Hello World-Foo O'neil|Hello world");
    row("upper-lower-unicode", "{{ 'zażółć'|upper }} {{ 'ĄĘ ΣΑΣ'|lower }}", "", "ZAŻÓŁĆ ąę σας");
    row("trim-default",
        "[{{ '  x  '|trim }}][{{ 'xxaxx'|trim('x') }}]{{ missing|default('d') }}{{ ''|default('e', "
        "true) }}{{ none|default('n') }}{{ missing|d('m') }}",
        "", "[x][a]deNonem");
    row("replace", "{{ 'aaa'|replace('a', 'b', 2) }} {{ 'ab'|replace('', '-') }}", "", "bba -a-b-");
    row("tojson-sorted-escaped", "{{ d|tojson }}", R"({"d":{"b":"<&>'","a":[1,2.5,null,true]}})",
        R"({"a": [1, 2.5, null, true], "b": "\u003c\u0026\u003e\u0027"})");
    row("tojson-indent", "{{ {'b': 1, 'a': [1]}|tojson(indent=2) }}", "",
        "{\n  \"a\": [\n    1\n  ],\n  \"b\": 1\n}");
    row("tojson-unicode-ascii", "{{ 'é😀\"\\\\'|tojson }}", "", R"("\u00e9\ud83d\ude00\"\\")");
    row("tojson-scalars", "{{ none|tojson }} {{ true|tojson }} {{ 1.0|tojson }} {{ 'a'|tojson }}",
        "", "null true 1.0 \"a\"");
    row("first-last-list",
        "{{ xs|first }} {{ xs|last }} {{ xs|list }} {{ 'ab'|list }} [{{ []|first }}]",
        R"({"xs":[3,4]})", "3 4 [3, 4] ['a', 'b'] []");
    row("int-float-string",
        "{{ '42'|int + 1 }} {{ '3.7'|int }} {{ 'x'|int }} {{ 'x'|int(7) }} {{ '2.5'|float }} {{ "
        "3|float }} {{ 3.0|string }} {{ '0x1A'|int(base=16) }} {{ 3.9|int }}",
        "", "43 3 0 7 2.5 3.0 3.0 26 3");
    row("abs-round",
        "{{ -3|abs }} {{ 2.5|round }} {{ 3.5|round }} {{ 2.675|round(2) }} {{ 3.14159|round(2, "
        "'floor') }} {{ 42|round }} {{ 1.2|round(method='ceil') }}",
        "", "3 2.0 4.0 2.67 3.14 42 2.0");
    row("sort-attribute-reverse",
        "{{ users|sort(attribute='age', reverse=true)|map(attribute='name')|join(',') }}",
        R"({"users":[{"name":"a","age":30},{"name":"b","age":25},{"name":"c","age":35}]})",
        "c,a,b");
    row("sort-case",
        "{{ ['b','B','a']|sort }} {{ ['b','B','a']|sort(case_sensitive=true) }} {{ [3, 1, "
        "2]|sort(true) }}",
        "", "['a', 'b', 'B'] ['B', 'a', 'b'] [3, 2, 1]");
    row("reverse-unique",
        "{{ [1,2,3]|reverse|list }} {{ 'abc'|reverse }} {{ ['a','A','b','a']|unique|list }}", "",
        "[3, 2, 1] cba ['a', 'b']");
    row("map-filter-name", "{{ ['a','b']|map('upper')|join }} {{ ['1', '2']|map('int')|sum }}", "",
        "AB 3");
    row("map-attribute-default", "{{ users|map(attribute='n', default='?')|join }}",
        R"({"users":[{"n":"a"},{}]})", "a?");
    row("select-reject",
        "{{ [1,2,3,4,5]|select('odd')|list }} {{ [1,2,3,4]|reject('even')|list }} {{ "
        "[0,1,'',none,'x']|select|list }} {{ [1,5,9]|select('gt', 4)|list }}",
        "", "[1, 3, 5] [1, 3] [1, 'x'] [5, 9]");
    row("selectattr-rejectattr",
        "{{ users|selectattr('active')|map(attribute='name')|join }} {{ users|rejectattr('age', "
        "'gt', 26)|map(attribute='name')|join }} {{ users|selectattr('name', 'equalto', "
        "'b')|list|length }}",
        R"({"users":[{"name":"a","active":true,"age":30},{"name":"b","active":false,"age":25}]})",
        "a b 1");
    row("dictsort-items",
        "{{ d|dictsort }} {{ d|dictsort(by='value', reverse=true) }} {{ d|items|list }}",
        R"({"d":{"b":1,"a":2}})", "[('a', 2), ('b', 1)] [('a', 2), ('b', 1)] [('b', 1), ('a', 2)]");
    row("batch-slice",
        "{{ [1,2,3,4,5]|batch(2)|list }} {{ [1,2,3]|batch(2, 'x')|list }} {{ "
        "[1,2,3,4,5]|slice(2)|list }}",
        "", "[[1, 2], [3, 4], [5]] [[1, 2], [3, 'x']] [[1, 2, 3], [4, 5]]");
    row("wordcount-truncate",
        "{{ 'foo bar-baz, qux'|wordcount }} {{ 'foo bar baz qux'|truncate(9) }} {{ 'foo bar baz "
        "qux'|truncate(9, true) }} {{ 'foo bar baz qux'|truncate(11) }} {{ 'foo bar baz "
        "qux'|truncate(11, false, '...', 0) }}",
        "", "4 foo... foo ba... foo bar baz qux foo bar...");
    row("indent",
        "{{ 'a\\nb\\n\\nc'|indent(2) }}|{{ 'a\\nb'|indent(2, true) }}|{{ 'a\\n\\nb'|indent(2, "
        "blank=true) }}|{{ 'x\\ny'|indent('> ') }}",
        "", "a\n  b\n\n  c|  a\n  b|a\n  \n  b|x\n> y");
    row("center", "[{{ 'ab'|center(5) }}][{{ 'ab'|center(6) }}]", "", "[  ab ][  ab  ]");
    row("escape-safe",
        R"T({{ '<a href="x">&'|e }} {{ "'"|escape }} {{ '<b>'|safe }} {{ '<i>'|escape|escape }} {{ '<i>'|forceescape|forceescape }})T",
        "", "&lt;a href=&#34;x&#34;&gt;&amp; &#39; <b> &lt;i&gt; &amp;lt;i&amp;gt;");
    row("striptags", "{{ '<p>Hello   <b>World</b></p><!-- x --> &amp; more'|striptags }}", "",
        "Hello World & more");
    row("format-filter", "{{ '%s=%03d'|format('n', 7) }} {{ '%(a)s'|format(a='k') }}", "",
        "n=007 k");
    row("sum-min-max",
        "{{ [1,2,3]|sum }} {{ items|sum(attribute='p') }} {{ [3,1,2]|min }} {{ ['b','A','c']|max "
        "}} {{ [1.5, 2]|sum(start=10) }} {{ items|max(attribute='p') }}",
        R"({"items":[{"p":2},{"p":3}]})", "6 5 1 c 13.5 {'p': 3}");
    row("attr-filter", "{% set ns = namespace(x=5) %}{{ ns|attr('x') }}[{{ d|attr('k') }}]",
        R"({"d":{"k":1}})", "5[]");
    row("string-filter", "{{ [1]|string }}{{ none|string }}{{ 1.5|string }}", "", "[1]None1.5");
    row("urlencode", "{{ 'a b/c&d'|urlencode }} {{ {'q': 'a b', 'x': 1}|urlencode }}", "",
        "a%20b/c%26d q=a+b&x=1");
    row("groupby",
        "{% for g in users|groupby('city') %}{{ g.grouper }}:{{ g.list|map(attribute='n')|join "
        "}};{% endfor %}",
        R"({"users":[{"n":"a","city":"X"},{"n":"b","city":"Y"},{"n":"c","city":"X"}]})",
        "X:ac;Y:b;");
    row("filesizeformat",
        "{{ 1|filesizeformat }} {{ 500|filesizeformat }} {{ 1500|filesizeformat }} {{ "
        "2048|filesizeformat(true) }}",
        "", "1 Byte 500 Bytes 1.5 kB 2.0 KiB");
    row("wordwrap", "{{ 'aaa bbb ccc'|wordwrap(7) }}", "", "aaa bbb\nccc");
    row("filter-chain", "{{ ' B, a '|trim|lower|replace(' ', '')|list|sort|join('-') }}", "",
        ",-a-b");

    // --- tests ---
    row("tests-defined",
        "{{ x is defined }} {{ y is defined }} {{ y is undefined }} {{ n is none }} {{ n is not "
        "none }}",
        R"({"x":1,"n":null})", "True False True True False");
    row("tests-types",
        "{{ 's' is string }} {{ 1 is number }} {{ 1 is integer }} {{ 1.0 is float }} {{ true is "
        "boolean }} {{ {} is mapping }} {{ [] is iterable }} {{ 'a' is sequence }} {{ 1 is "
        "iterable }} {{ true is integer }}",
        "", "True True True True True True True True False False");
    row("tests-values",
        "{{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(4) }} {{ true "
        "is true }} {{ 1 is true }} {{ false is false }} {{ 'x' is in 'xyz' }} {{ 2 is in [1] }}",
        "", "True True True False True False True True False");
    row("tests-compare",
        "{{ 2 is eq 2 }} {{ 2 is equalto 3 }} {{ 2 is ne 3 }} {{ 1 is lt 2 }} {{ 2 is le 2 }} {{ 3 "
        "is gt 2 }} {{ 2 is ge 3 }} {{ 'ab' is lower }} {{ 'AB' is upper }} {{ none is sameas none "
        "}}",
        "", "True False True True True True False True True True");
    row("test-in-if", "{% if x is not defined or x is none %}dflt{% endif %}", "", "dflt");

    // --- undefined semantics ---
    row("undefined-in-filters",
        "{{ missing|length }}|{% for x in missing %}x{% endfor %}|{{ missing|list }}|{{ missing ~ "
        "'a' }}|{{ missing|upper }}|{{ missing|join }}",
        "", "0||[]|a||");
    row("undefined-comparison",
        "{{ missing == missing }} {{ missing == 1 }} {{ missing is defined }} {{ missing in [1] }}",
        "", "True False False False");
    row("if-undefined-false",
        "{% if missing %}y{% else %}n{% endif %}{% if d.nokey %}y{% else %}n{% endif %}",
        R"({"d":{}})", "nn");
    row("dict-key-named-like-method", "{{ d['items'] }} {{ d.values()|list }}",
        R"({"d":{"items":[1]}})", "[1] [[1]]");

    // --- globals ---
    row("range-variants",
        "{{ range(3)|list }} {{ range(1, 7, 2)|list }} {{ range(3, 0, -1)|join }} {{ range(3) }}",
        "", "[0, 1, 2] [1, 3, 5] 321 range(0, 3)");
    row("dict-global", "{{ dict(a=1, b=2) }}", "", "{'a': 1, 'b': 2}");
    row("joiner", "{% set j = joiner(' | ') %}{% for x in [1,2,3] %}{{ j() }}{{ x }}{% endfor %}",
        "", "1 | 2 | 3");

    // --- real prompt shapes ---
    row("chat-prompt-fewshot",
        "# system:\nYou are a classifier.\n\n{% for ex in examples %}\n# user:\n{{ ex.inputs.text "
        "}}\n# assistant:\n{{ ex.outputs.label }}\n{% endfor %}\n# user:\n{{ text }}\n",
        R"({"text":"what?","examples":[{"inputs":{"text":"hi"},"outputs":{"label":"greet"}},{"inputs":{"text":"bye"},"outputs":{"label":"farewell"}}]})",
        "# system:\nYou are a classifier.\n\n# user:\nhi\n# assistant:\ngreet\n# user:\nbye\n# "
        "assistant:\nfarewell\n# user:\nwhat?\n");
    row("chat-history",
        "{% for item in chat_history %}\nuser:\n{{ item.inputs.question }}\nassistant:\n{{ "
        "item.outputs.answer }}\n{% endfor %}\nuser:\n{{ question }}",
        R"({"question":"q2","chat_history":[{"inputs":{"question":"q1"},"outputs":{"answer":"a1"}}]})",
        "user:\nq1\nassistant:\na1\nuser:\nq2");
    row("functions-tojson",
        "{% for f in functions %}{{ f.name }}: {{ f.parameters|tojson }}\n{% endfor %}",
        R"({"functions":[{"name":"get","parameters":{"type":"object","properties":{}}}]})",
        "get: {\"properties\": {}, \"type\": \"object\"}\n");
    row("markdown-heading-kept", "# Example\n{{ x }}", R"({"x":1})", "# Example\n1");
}

void TestTemplate::render()
{
    QFETCH(QString, source);
    QFETCH(QString, context);
    QFETCH(QString, expected);
    QCOMPARE(renderText(source, context), expected);
}

void TestTemplate::errors_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QString>("context");
    QTest::addColumn<QString>("expected");

    auto row = [](const char *name, const char *source, const char *context, const char *expected) {
        QTest::newRow(name) << QString::fromUtf8(source) << QString::fromUtf8(context)
                            << QString::fromUtf8(expected);
    };
    row("unknown-filter", "line1\n{{ x|foo }}", "",
        "ERROR: prompts/x.jinja2:2: unknown filter 'foo'");
    row("unknown-test", "{% if x is foo %}{% endif %}", "",
        "ERROR: prompts/x.jinja2:1: unknown test 'foo'");
    row("undefined-attribute", "\n\n{{ a.b }}", "", "ERROR: prompts/x.jinja2:3: 'a' is undefined");
    row("missing-key-chain", "{{ d.x.y }}", R"({"d":{}})",
        "ERROR: prompts/x.jinja2:1: 'dict object' has no attribute 'x'");
    row("none-attribute-chain", "{{ n.x.y }}", R"({"n":null})",
        "ERROR: prompts/x.jinja2:1: 'None' has no attribute 'x'");
    row("list-element-chain", "{{ xs[5].y }}", R"({"xs":[1]})",
        "ERROR: prompts/x.jinja2:1: list object has no element 5");
    row("unclosed-for", "{% for x in y %}\nabc", "",
        "ERROR: prompts/x.jinja2:2: Unexpected end of template. Jinja was looking for the "
        "following tags: 'endfor' or 'else'. The innermost block that needs to be closed is "
        "'for'.");
    row("unknown-tag", "a\n{% break %}", "",
        "ERROR: prompts/x.jinja2:2: Encountered unknown tag 'break'.");
    row("nesting-mistake", "{% if x %}{% endfor %}", "",
        "ERROR: prompts/x.jinja2:1: Encountered unknown tag 'endfor'. Jinja was looking for the "
        "following tags: 'elif' or 'else' or 'endif'. The innermost block that needs to be closed "
        "is 'if'.");
    row("unexpected-end-of-print", "{{ x ", "",
        "ERROR: prompts/x.jinja2:1: unexpected end of template, expected 'end of print "
        "statement'.");
    row("missing-comment-end", "a\n{# abc", "",
        "ERROR: prompts/x.jinja2:2: Missing end of comment tag");
    row("unsupported-operands", "{{ 1 + 'a' }}", "",
        "ERROR: prompts/x.jinja2:1: unsupported operand type(s) for +: 'int' and 'str'");
    row("str-plus-int", "{{ 'a' + 1 }}", "",
        "ERROR: prompts/x.jinja2:1: can only concatenate str (not \"int\") to str");
    row("division-by-zero", "{{ 1 / 0 }}", "", "ERROR: prompts/x.jinja2:1: division by zero");
    row("modulo-by-zero", "{{ 1 % 0 }}", "", "ERROR: prompts/x.jinja2:1: integer modulo by zero");
    row("integer-overflow", "{{ 9223372036854775807 + 1 }}", "",
        "ERROR: prompts/x.jinja2:1: integer overflow (template integers are 64-bit)");
    row("range-too-big", "{{ range(200000)|length }}", "",
        "ERROR: prompts/x.jinja2:1: Range too big. The sandbox blocks ranges larger than MAX_RANGE "
        "(100000).");
    row("dunder-unsafe", "{{ ''.__class__.__mro__ }}", "",
        "ERROR: prompts/x.jinja2:1: access to attribute '__class__' of 'str' object is unsafe.");
    row("include-unsupported", "{% include 'x.j2' %}", "",
        "ERROR: prompts/x.jinja2:1: 'include' is not supported: a prompt template cannot load "
        "other templates (promptflow renders templates without a loader)");
    row("call-non-callable", "{{ x() }}", R"({"x":1})",
        "ERROR: prompts/x.jinja2:1: 'int' object is not callable");
    row("unpack-mismatch", "{% for a, b in [[1]] %}{% endfor %}", "",
        "ERROR: prompts/x.jinja2:1: not enough values to unpack (expected 2, got 1)");
    row("macro-too-many-args", "{% macro m(a) %}{% endmacro %}{{ m(1, 2) }}", "",
        "ERROR: prompts/x.jinja2:1: macro 'm' takes not more than 1 argument(s)");
    row("unexpected-char", "{{ a ! b }}", "",
        "ERROR: prompts/x.jinja2:1: unexpected char '!' at 5");
    row("unbalanced-paren", "{{ a) }}", "", "ERROR: prompts/x.jinja2:1: unexpected ')'");
    row("not-iterable", "{% for x in 5 %}{% endfor %}", "",
        "ERROR: prompts/x.jinja2:1: 'int' object is not iterable");
    row("compare-types", "{{ 1 < 'a' }}", "",
        "ERROR: prompts/x.jinja2:1: '<' not supported between instances of 'int' and 'str'");
    row("filter-bad-keyword", "{{ x|join(sep=',') }}", R"({"x":[]})",
        "ERROR: prompts/x.jinja2:1: filter 'join' got an unexpected keyword argument 'sep'");
    row("undefined-arithmetic", "{{ missing + 1 }}", "",
        "ERROR: prompts/x.jinja2:1: 'missing' is undefined");
    row("tojson-undefined", "{{ missing|tojson }}", "",
        "ERROR: prompts/x.jinja2:1: Object of type Undefined is not JSON serializable");
    row("error-line-in-loop", "{% for x in xs %}\n{{ x.a.b }}\n{% endfor %}", R"({"xs":[{}]})",
        "ERROR: prompts/x.jinja2:2: 'dict object' has no attribute 'a'");
}

void TestTemplate::errors()
{
    QFETCH(QString, source);
    QFETCH(QString, context);
    QFETCH(QString, expected);
    QCOMPARE(renderText(source, context), expected);
}

void TestTemplate::limits_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<qulonglong>("maxOutput");
    QTest::addColumn<qulonglong>("maxIterations");
    QTest::addColumn<int>("maxDepth");
    QTest::addColumn<QString>("expected");

    QTest::newRow("output-size")
        << "{% for i in range(100) %}xxxxxxxxxx{% endfor %}" << 500ull << 1000000ull << 64
        << "ERROR: prompts/x.jinja2:1: rendered output exceeds the limit of 500 bytes";
    QTest::newRow("output-size-fits") << "{% for i in range(50) %}xxxxxxxxxx{% endfor %}|" << 501ull
                                      << 1000000ull << 64 << QString(500, 'x') + "|";
    QTest::newRow("string-repeat")
        << "{{ 'x' * 100000000 }}" << 1000ull << 1000000ull << 64
        << "ERROR: prompts/x.jinja2:1: rendered output exceeds the limit of 1000 bytes";
    QTest::newRow("set-block-size")
        << "{% set s %}{% for i in range(200) %}xxxxx{% endfor %}{% endset %}" << 100ull
        << 1000000ull << 64
        << "ERROR: prompts/x.jinja2:1: rendered output exceeds the limit of 100 bytes";
    QTest::newRow("loop-iterations-summed")
        << "{% for i in range(100) %}{% for j in range(100) %}{% endfor %}{% endfor %}"
        << 1000000ull << 5000ull << 64
        << "ERROR: prompts/x.jinja2:1: loop iteration limit (5000) exceeded";
    QTest::newRow("loop-iterations-fit")
        << "{% for i in range(10) %}{% for j in range(10) %}{% endfor %}{% endfor %}ok"
        << 1000000ull << 110ull << 64 << "ok";
    QTest::newRow("macro-recursion")
        << "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}\n{{ f(0) }}" << 1000000ull << 1000000ull
        << 64 << "ERROR: prompts/x.jinja2:1: nesting or recursion depth limit (64) exceeded";
    QTest::newRow("nesting-depth")
        << "{% if 1 %}{% if 1 %}{% if 1 %}x{% endif %}{% endif %}{% endif %}" << 1000000ull
        << 1000000ull << 2
        << "ERROR: prompts/x.jinja2:1: nesting or recursion depth limit (2) exceeded";
    QTest::newRow("parse-nesting")
        << "{{ " + QString(200, '(') + "1" + QString(200, ')') + " }}" << 1000000ull << 1000000ull
        << 64 << "ERROR: prompts/x.jinja2:1: template nesting is too deep (more than 100 levels)";
}

void TestTemplate::limits()
{
    QFETCH(QString, source);
    QFETCH(qulonglong, maxOutput);
    QFETCH(qulonglong, maxIterations);
    QFETCH(int, maxDepth);
    QFETCH(QString, expected);
    TemplateLimits limits;
    limits.maxOutputBytes = maxOutput;
    limits.maxLoopIterations = maxIterations;
    limits.maxRecursionDepth = maxDepth;
    QCOMPARE(renderText(source, QString(), limits), expected);
}

void TestTemplate::variables_data()
{
    QTest::addColumn<QString>("source");
    QTest::addColumn<QStringList>("expected");
    QTest::newRow("first-use-order") << "{{ b }}{{ a.c }}{{ b }}" << QStringList{"b", "a"};
    QTest::newRow("loop-variables-excluded")
        << "{% for x in items %}{{ x }}{{ loop.index }}{{ y }}{% endfor %}"
        << QStringList{"items", "y"};
    QTest::newRow("set-targets-excluded") << "{% set t = 1 %}{{ t }}{{ u }}" << QStringList{"u"};
    QTest::newRow("used-before-set") << "{{ v }}{% set v = 1 %}" << QStringList{"v"};
    QTest::newRow("macro-params-excluded")
        << "{% macro m(p) %}{{ p }}{{ q }}{% endmacro %}{{ m(r) }}" << QStringList{"q", "r"};
    QTest::newRow("globals-excluded")
        << "{{ range(3) }}{{ x|default(y) }}{% if z is defined %}{% endif %}"
        << QStringList{"x", "y", "z"};
    QTest::newRow("tuple-targets")
        << "{% for k, v in d.items() if v %}{{ k }}{% endfor %}" << QStringList{"d"};
    QTest::newRow("namespace-assign")
        << "{% set ns = namespace(a=1) %}{% set ns.a = w %}" << QStringList{"w"};
    QTest::newRow("chat-template") << "system:\n{{ sys }}\n{% for h in chat_history %}{{ "
                                      "h.inputs.q }}{% endfor %}user:\n{{ question }}"
                                   << QStringList{"sys", "chat_history", "question"};
}

void TestTemplate::variables()
{
    QFETCH(QString, source);
    QFETCH(QStringList, expected);
    auto parsed = Template::parse(source.toStdString(), "v.jinja2");
    QVERIFY2(parsed.has_value(), parsed ? "" : parsed.error().message.c_str());
    QStringList actual;
    for (const std::string &v : parsed->variables()) {
        actual << q(v);
    }
    QCOMPARE(actual, expected);
}

void TestTemplate::errorCodes()
{
    auto bad = Template::parse("{% if %}", "a.jinja2");
    QVERIFY(!bad);
    QCOMPARE(bad.error().code, fb::ErrorCode::Parse);

    auto good = Template::parse("{{ 1 / 0 }}", "b.jinja2");
    QVERIFY(good);
    QCOMPARE(q(good->fileName()), QString("b.jinja2"));
    auto rendered = good->render(Value::object());
    QVERIFY(!rendered);
    QCOMPARE(rendered.error().code, fb::ErrorCode::Template);
}

void TestTemplate::concurrentRenders()
{
    auto parsed = Template::parse("{% for ex in examples %}{{ loop.index }}:{{ ex.q|upper }}={{ "
                                  "ex.a }};{% endfor %}{{ name }}",
                                  "c.jinja2");
    QVERIFY(parsed);
    const Template &tpl = *parsed;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                Value ctx;
                ctx["name"] = "n" + std::to_string(t) + "_" + std::to_string(i);
                ctx["examples"]
                    = Value::array({Value{{"q", "a"}, {"a", i}}, Value{{"q", "b"}, {"a", t}}});
                const std::string expected = "1:A=" + std::to_string(i)
                                             + ";2:B=" + std::to_string(t) + ";n"
                                             + std::to_string(t) + "_" + std::to_string(i);
                auto out = tpl.render(ctx);
                if (!out || *out != expected) {
                    ++mismatches;
                }
            }
        });
    }
    for (std::thread &th : threads) {
        th.join();
    }
    QCOMPARE(mismatches.load(), 0);
}

void TestTemplate::copiesShareTheParse()
{
    auto parsed = Template::parse("{{ a }}", "copy.jinja2");
    QVERIFY(parsed);
    Template copy = *parsed;
    Template moved = std::move(*parsed);
    const Value ctx{{"a", "x"}};
    QCOMPARE(q(*copy.render(ctx)), QString("x"));
    QCOMPARE(q(*moved.render(ctx)), QString("x"));
    QCOMPARE(copy.variables(), moved.variables());
}

QTEST_GUILESS_MAIN(TestTemplate)
#include "tst_template.moc"
