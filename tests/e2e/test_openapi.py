"""serve/openapi.json (built from serve/openapi.json.in and param/'s table), the OpenAPI
description of heart serve: valid by a real validator (@apidevtools/swagger-parser, tests/npm/),
served byte for byte at /openapi.json, and exact: every documented query parameter is probed on
the running server inside, at and just outside its documented range, and the server accepts a
value exactly when the document does."""
import copy
import decimal
import json
import os
import re
import shutil
import subprocess
import tempfile
import urllib.parse

import heartlib
from heartlib import BUILD_ROOT, SOURCE_ROOT, run
from servelib import Server

# Generated: serve/openapi.json.in filled from param/'s table (scripts/openapi.py).
DOCUMENT = os.path.join(BUILD_ROOT, 'serve', 'openapi.json')
VALIDATE = os.path.join(SOURCE_ROOT, 'tests', 'e2e', 'openapi_validate.mjs')
VALIDATOR = os.path.join(SOURCE_ROOT, 'tests', 'npm', 'node_modules', '@apidevtools',
                         'swagger-parser')
METHODS = ('get', 'head')
# What every numeric parameter's description promises about the form of a number.
PLAIN_DECIMAL_TEXT = 'A plain decimal: [+-]digits[.digits]; no exponent, hex, inf, nan or spaces.'
PLAIN_DECIMAL = re.compile(r'[+-]?[0-9]+(\.[0-9]+)?\Z')


def load():
    with open(DOCUMENT, 'rb') as f:
        raw = f.read()
    return raw, json.loads(raw)


def resolve(doc, obj):
    """obj with its local $ref followed (the document has no other kind)."""
    while '$ref' in obj:
        ref = obj['$ref']
        assert ref.startswith('#/'), ref
        obj = doc
        for part in ref[2:].split('/'):
            obj = obj[part.replace('~1', '/').replace('~0', '~')]
    return obj


def utf16_units(s):
    """s as ECMAScript sees a string: one character per UTF-16 code unit."""
    b = s.encode('utf-16-le', 'surrogatepass')
    return ''.join(chr(int.from_bytes(b[i:i + 2], 'little')) for i in range(0, len(b), 2))


def pattern_matches(pattern, s):
    """An ECMA-262 pattern (as the document's are written: \\uXXXX escapes, a final $ that is
    the end of the input) against s in UTF-16 code units; re's $ would also match before a
    final newline."""
    assert pattern.endswith('$'), pattern
    return re.search(pattern[:-1] + r'\Z', utf16_units(s)) is not None


def accepts(doc, schema, value):
    """Whether the query value `value` (percent-decoded text) is valid by `schema`: the JSON
    Schema keywords the document uses, a number being a plain decimal (as every numeric
    parameter says), and the document's two extensions: x-side-minimum/maximum for each side
    of a size, x-utf8-max-bytes for text measured in bytes."""
    schema = resolve(doc, schema)
    if 'anyOf' in schema:
        return any(accepts(doc, s, value) for s in schema['anyOf'])
    kind = schema['type']
    if kind in ('number', 'integer'):
        form = PLAIN_DECIMAL if kind == 'number' else re.compile(r'[0-9]+\Z')
        if not form.match(value):
            return False
        v = decimal.Decimal(value)
        return (schema.get('minimum') is None or v >= decimal.Decimal(str(schema['minimum']))) and \
            (schema.get('maximum') is None or v <= decimal.Decimal(str(schema['maximum'])))
    if kind == 'boolean':
        return value in ('true', 'false') # how OpenAPI writes a boolean into a query
    assert kind == 'string', schema
    known = {'type', 'enum', 'minLength', 'maxLength', 'pattern', 'default', 'format',
             'x-side-minimum', 'x-side-maximum', 'x-utf8-max-bytes'}
    assert set(schema) <= known, set(schema) - known
    if 'enum' in schema and value not in schema['enum']:
        return False
    if not schema.get('minLength', 0) <= len(value) <= schema.get('maxLength', len(value)):
        return False
    if len(value.encode()) > schema.get('x-utf8-max-bytes', len(value.encode())):
        return False
    if 'pattern' in schema and not pattern_matches(schema['pattern'], value):
        return False
    if 'x-side-maximum' in schema:
        return all(schema['x-side-minimum'] <= int(side) <= schema['x-side-maximum']
                   for side in value.split('x'))
    return True


def query_parameters(doc, path):
    """The documented query parameters of path, by name (resolved)."""
    params = [resolve(doc, p) for p in doc['paths'][path].get('parameters', [])]
    return {p['name']: p for p in params if p['in'] == 'query'}


# The options whose query parameter has another name (param/draw.c's query_name).
QUERY_NAMES = {'seed': 'user'}


def valid_value(doc, param):
    """A value the document accepts for param: its default, else its minimum, else the first
    probe it accepts."""
    schema = resolve(doc, param['schema'])
    if 'default' in schema:
        value = schema['default']
    elif 'minimum' in schema:
        value = schema['minimum']
    else:
        return next(v for v in probes(doc, param) if accepts(doc, schema, v))
    if isinstance(value, bool):
        return 'true' if value else 'false'
    if isinstance(value, (int, float)):
        return decimal_text(decimal.Decimal(str(value)))
    return value


def requirements(doc, path, param):
    """What param needs besides itself (x-requires), as a query: 'name=value' as given,
    'name' with a value the document accepts."""
    params = query_parameters(doc, path)
    out = []
    # Of alternatives (x-requires-one-of), the first.
    needs = param.get('x-requires', []) + param.get('x-requires-one-of', [])[:1]
    for need in needs:
        name, _, value = need.partition('=')
        out.append((name, value or valid_value(doc, params[name])))
    return out


def encode(pairs):
    return '&'.join('%s=%s' % (urllib.parse.quote(k, safe=''), urllib.parse.quote(v, safe=''))
                    for k, v in pairs)


def decimal_text(d):
    """A Decimal as a plain decimal string (no exponent)."""
    return format(d.normalize(), 'f') if d != 0 else '0'


def probes(doc, param):
    """Values to try for param: valid ones and invalid ones, inside, at and just outside the
    documented ranges and patterns; which is which, accepts() decides."""
    schema = resolve(doc, param['schema'])
    kind = resolve(doc, schema.get('anyOf', [schema])[0]).get('type')
    if kind == 'number':
        lo = decimal.Decimal(str(schema['minimum']))
        hi = decimal.Decimal(str(schema['maximum']))
        values = [lo, hi, (lo + hi) / 2, hi * 2 + 1, -hi - 1]
        for step in (decimal.Decimal('0.001'), decimal.Decimal('0.000000001')):
            values += [lo - step, lo + step, hi - step, hi + step]
        out = [decimal_text(v) for v in values]
        mid = decimal_text((lo + hi) / 2)
        out += ['+' + mid, mid + '.', '.' + mid.replace('.', ''), mid + 'e0', ' ' + mid,
                mid + ' ', mid.replace('.', ',') + (',5' if '.' not in mid else ''), '0x1',
                'inf', 'nan', '', 'abc']
        if 'default' in schema:
            out.append(decimal_text(decimal.Decimal(str(schema['default']))))
        return out
    if kind == 'boolean':
        return ['true', 'false', 'TRUE', 'True', '1', '0', 'yes', 'on', '']
    if 'x-side-maximum' in schema:
        lo, hi = schema['x-side-minimum'], schema['x-side-maximum']
        return [str(lo), str(hi), '%dx%d' % (lo, hi), '%dx%d' % (hi, lo), '%dx%d' % (lo, lo),
                '100x50', '0256', str(lo - 1), str(hi + 1), '%dx%d' % (lo, hi + 1),
                '%dx%d' % (hi + 1, lo), '%dx%d' % (lo - 1, lo), '%dx%d' % (lo, lo - 1), '',
                'x5', '5x', '5X5', '5x5x5', '+5', '-5', '5.0', ' 5', '5 ', '5x 5', '99999999999']
    if {'$ref': '#/components/schemas/HexColor'} in schema.get('anyOf', []):  # a colour
        names = resolve(doc, {'$ref': '#/components/schemas/ColorName'})['enum']
        return names + ['f00', 'F0a', 'ff0000', 'FF00aa', '#f00', '#FF0000', 'transparent',
                        'ff00', 'fffff', 'fff0000', '#ff00', '##f00', 'ggg', '#red', 'red ',
                        ' red', 'red1', 'notacolour', 'none', 'currentColor', '']
    if param['name'] == 'title':
        most = schema['x-utf8-max-bytes']
        return ['a', 'A heart', 'a' * most, 'a' * (most + 1), '', 'tab\there', 'line\nbreak',
                'nul\x00', 'esc\x1b[31m', 'del\x7f', 'c1\x85', 'nbsp\xa0', '<script>&"\'',
                '\ufdd0', '\ufdef', '\ufdf0', '\ufffd', '\ufffe', '\uffff', '\U0001f600',
                '\U0001fffe', '\U0010ffff', '\U0010fffd', 'é' * (most // 2),
                'é' * (most // 2 + 1), '€' * (most // 3), '€' * (most // 3 + 1)]
    if param['name'] == 'user':
        most = schema['x-utf8-max-bytes']
        return ['a', 'alice', 'user@example.com', 'Zo\u00eb \U0001f642', 'a' * most,
                'a' * (most + 1), '', 'tab\there', 'nul\x00', 'esc\x1b[31m', 'del\x7f',
                'c1\x85', 'nbsp\xa0', '\ufffe', 'é' * (most // 2), 'é' * (most // 2 + 1)]
    if param['name'] == 'id':
        most = schema['maxLength']
        return ['a', 'heart', 'A-b_9', 'z' * most, 'z' * (most + 1), '', '1a', '-a', '_a',
                'a.b', 'a b', 'a:b', 'é', 'a\x00']
    raise AssertionError('no probes for %s' % param['name'])


class Document(heartlib.HeartTest):
    """The file itself: valid, versioned like heart, in step with the command line."""

    def validate(self, doc):
        node = shutil.which('node') or shutil.which('nodejs')
        if not node or not os.path.isdir(VALIDATOR):
            raise AssertionError('node or @apidevtools/swagger-parser missing: '
                                 'run scripts/setup.sh --test')
        with tempfile.NamedTemporaryFile('w', suffix='.json') as f:
            json.dump(doc, f)
            f.flush()
            r = subprocess.run([node, VALIDATE, f.name], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, timeout=120)
        return r.returncode, (r.stdout + r.stderr).decode(errors='replace')

    def test_valid(self):
        _, doc = load()
        self.assertEqual(doc['openapi'], '3.0.3')
        self.assertEqual(self.validate(doc), (0, 'valid\n'))

    def test_validator_rejects_broken_copies(self):
        # Proof that the validator runs and reads the whole document.
        _, doc = load()
        broken = []
        d = copy.deepcopy(doc)
        d['components']['parameters']['color']['in'] = 'body'
        broken.append(d)
        d = copy.deepcopy(doc)
        d['paths']['/heart.png']['parameters'].append({'$ref': '#/components/parameters/none'})
        broken.append(d)
        d = copy.deepcopy(doc)
        d['components']['parameters']['fps']['schema']['minimum'] = '0.1'
        broken.append(d)
        d = copy.deepcopy(doc)
        del d['paths']['/healthz']['get']['responses']
        broken.append(d)
        for d in broken:
            status, out = self.validate(d)
            self.assertEqual(status, 1, out)
            self.assertNotEqual(out, 'valid\n')

    def test_version_is_hearts(self):
        _, doc = load()
        with open(os.path.join(SOURCE_ROOT, 'meson.build')) as f:
            m = re.search(r"project\('heart',.*?version: '([^']+)'", f.read(), re.S)
        self.assertEqual(doc['info']['version'], m.group(1))
        out = run('version').stdout.decode()
        self.assertTrue(out.startswith('heart %s ' % m.group(1)), out)

    def test_colour_names_are_hearts(self):
        _, doc = load()
        with open(os.path.join(SOURCE_ROOT, 'assets', 'css-colors.txt')) as f:
            names = [line.split()[0] for line in f if line.strip() and line[0] != '#']
        self.assertEqual(resolve(doc, {'$ref': '#/components/schemas/ColorName'})['enum'], names)

    def test_every_operation_is_get_or_head(self):
        _, doc = load()
        self.assertEqual(sorted(doc['paths']), ['/healthz', '/heart.gif', '/heart.png',
                                                '/heart.svg', '/metrics', '/openapi.json',
                                                '/readyz'])
        for path, item in doc['paths'].items():
            self.assertEqual(sorted(set(item) - {'parameters'}), ['get', 'head'], path)
            for p in query_parameters(doc, path).values():
                self.assertEqual((p['style'], p['explode'], p['required']),
                                 ('form', True, False), p['name'])
                if resolve(doc, p['schema']).get('type') == 'number':
                    self.assertIn(PLAIN_DECIMAL_TEXT, p['description'])

    def cli_options(self, command):
        """The long options `heart COMMAND --help` lists, with the numbers of their help:
        {name: 'the help text'}."""
        r = run(command, '--help')
        self.assertEqual(r.returncode, 0, r.stderr)
        options = {}
        name = None
        for line in r.stdout.decode().splitlines():
            m = re.match(r'  (?:-\w, )?\s*--([a-z-]+)(?: \S+)?\s+(.*)', line)
            if m:
                name = m.group(1)
                options[name] = m.group(2)
            elif name and line.startswith(' ' * 20):
                options[name] += ' ' + line.strip()
            else:
                name = None
        return options

    def test_cli_options_are_documented(self):
        """Every option heart svg, heart png and heart gif take is a query parameter of their
        route, with the range and the default their help gives; the only ones left out are the
        file names and --frames. A PNG's --fps and --bpm need --animate, as fps and bpm need
        animate=true."""
        _, doc = load()
        for command, path, left_out in (('svg', '/heart.svg', {'output'}),
                                        ('png', '/heart.png', {'output', 'frames'}),
                                        ('gif', '/heart.gif', {'output'})):
            options = {QUERY_NAMES.get(k, k): v for k, v in self.cli_options(command).items()}
            params = query_parameters(doc, path)
            self.assertEqual(set(params), set(options) - left_out, command)
            for name in {'fps', 'bpm'} if command == 'png' else ():
                r = run(command, '--%s' % name, '1', '--phase', '0.5')
                self.assertEqual(r.returncode, 2, r.stderr)
            for name, p in params.items():
                schema = resolve(doc, p['schema'])
                numbers = re.findall(r'(-?[0-9.]+) to (-?[0-9.]+)', options[name])
                if schema.get('type') == 'number':
                    self.assertEqual([(float(a), float(b)) for a, b in numbers],
                                     [(schema['minimum'], schema['maximum'])], name)
                elif 'x-side-maximum' in schema and command == 'svg':
                    self.assertEqual(numbers, [('1', str(schema['x-side-maximum']))], name)
                default = re.search(r'default ([^,;)]+)', options[name])
                if default:
                    self.assertEqual(default.group(1), valid_value(doc, p), name)


class Served(heartlib.HeartTest):
    """The document against the running server."""

    def setUp(self):
        self.raw, self.doc = load()
        # A server of its own for each test, with its defaults (--max-size 2048), as a `with
        # Server()` block around the test: stopped after it, and a clean exit asserted.
        self.server = self.enterContext(Server('--quiet'))

    def request(self, method, target, headers=None, body=None):
        """method: as the document spells it (get, head) or as sent (POST)."""
        return self.server.request(method.upper() if method in METHODS else method, target,
                                   headers, body)

    def check_response(self, path, method, status, headers, body, what=''):
        """The answer is one the document describes for this operation: a documented status,
        the documented media type and body, every required header present and every
        documented header valid by its schema."""
        what = '%s %s %s' % (method.upper(), path, what)
        responses = self.doc['paths'][path][method]['responses']
        self.assertIn(str(status), responses, '%s: %d %r' % (what, status, body[:200]))
        response = resolve(self.doc, responses[str(status)])
        content = response.get('content')
        if method == 'head' or not content:
            self.assertEqual(body, b'', what)
        if method == 'get' and content:
            ctype = headers.get('content-type')
            self.assertIn(ctype, content, what)
            schema = content[ctype]['schema']
            if 'enum' in schema:
                self.assertIn(body.decode(), schema['enum'], what)
        for name, header in response.get('headers', {}).items():
            header = resolve(self.doc, header)
            value = headers.get(name.lower())
            if header.get('required'):
                self.assertIsNotNone(value, '%s: no %s' % (what, name))
            if value is not None:
                self.assertTrue(accepts(self.doc, header['schema'], value),
                                '%s: %s: %r' % (what, name, value))
        if method == 'get' and 'content-length' in headers:
            self.assertEqual(int(headers['content-length']), len(body), what)

    def test_served_byte_for_byte(self):
        for method in METHODS:
            status, headers, body = self.request(method, '/openapi.json')
            self.check_response('/openapi.json', method, status, headers, body)
            self.assertEqual(status, 200)
            if method == 'get':
                self.assertEqual(body, self.raw)
            self.assertEqual(int(headers['content-length']), len(self.raw))

    def test_every_path_answers_as_documented(self):
        for path in self.doc['paths']:
            answers = {}
            for method in METHODS:
                status, headers, body = self.request(method, path)
                self.check_response(path, method, status, headers, body)
                self.assertEqual(status, 200, path)
                headers.pop('date', None)
                answers[method] = headers
            # HEAD: the headers of GET, without the body.
            if path != '/metrics': # its counters and gauges move between the two requests
                self.assertEqual(answers['head'], answers['get'], path)

    def test_conditional_requests(self):
        for path in ('/heart.svg', '/heart.png', '/heart.gif'):
            status, headers, _ = self.request('get', path + '?color=navy')
            self.assertEqual(status, 200)
            for method in METHODS:
                status, h, body = self.request(method, path + '?color=navy',
                                               {'If-None-Match': headers['etag']})
                self.check_response(path, method, status, h, body, 'If-None-Match')
                self.assertEqual(status, 304, path)
                self.assertEqual(h['etag'], headers['etag'])

    def test_reduced_motion_hint(self):
        for hint, policy in (('reduce', "default-src 'none'"),
                             ('no-preference', "default-src 'none'; style-src 'unsafe-inline'")):
            headers = {'Sec-CH-Prefers-Reduced-Motion': hint}
            status, h, body = self.request('get', '/heart.svg?animate=true', headers)
            self.check_response('/heart.svg', 'get', status, h, body, hint)
            self.assertEqual(h['content-security-policy'], policy, hint)

    def test_long_url(self):
        for path in self.doc['paths']:
            for method in METHODS:
                status, h, body = self.request(method, path + '?' + 'a' * 4096)
                self.check_response(path, method, status, h, body, 'long URL')
                self.assertEqual(status, 414, path)

    def test_request_with_a_body(self):
        for path in self.doc['paths']:
            for method in METHODS:
                status, h, body = self.request(method, path, body=b'x')
                self.check_response(path, method, status, h, body, 'with a body')
                self.assertEqual(status, 413, path)

    def test_other_paths_and_methods(self):
        """What info.description says: any other path 404, any other method 405, as
        components/responses NotFound and MethodNotAllowed describe them."""
        responses = self.doc['components']['responses']
        for target in ('/', '/heart', '/heart.svg/', '/heart.jpg', '/HEALTHZ', '/openapi.yaml',
                       '/nope?color=red'):
            for method in ('GET', 'HEAD', 'POST'):
                status, h, body = self.request(method, target)
                self.assertEqual(status, 404, target)
                self.check_named(responses['NotFound'], method, h, body, target)
        for path in self.doc['paths']:
            for method in ('POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'get', 'Head'):
                status, h, body = self.server.request(method, path) # methods are case-sensitive
                self.assertEqual(status, 405, (method, path))
                self.check_named(responses['MethodNotAllowed'], method, h, body,
                                 method + ' ' + path)

    def check_named(self, response, method, headers, body, what):
        content = response['content']
        self.assertIn(headers.get('content-type'), content, what)
        schema = content[headers['content-type']]['schema']
        if method == 'HEAD':
            self.assertEqual(body, b'', what)
        else:
            self.assertIn(body.decode(), schema['enum'], what)
        for name, header in response['headers'].items():
            header = resolve(self.doc, header)
            self.assertTrue(accepts(self.doc, header['schema'], headers.get(name.lower(), '')),
                            (what, name, headers))

    def probe(self, path, query, what):
        status, headers, body = self.request('get', path + '?' + encode(query))
        self.check_response(path, 'get', status, headers, body, what)
        return status, body

    def test_parameters_are_exact(self):
        """Each documented query parameter of each route, with its requirements met: the
        server answers 200 exactly for the values the document accepts, and 400 naming the
        parameter for the others."""
        for path in self.doc['paths']:
            for name, param in query_parameters(self.doc, path).items():
                base = requirements(self.doc, path, param)
                for value in probes(self.doc, param):
                    what = '%s=%r' % (name, value)
                    status, body = self.probe(path, base + [(name, value)], what)
                    if accepts(self.doc, param['schema'], value):
                        self.assertEqual(status, 200, '%s: %r' % (what, body))
                    elif '\0' in value: # a %00 would cut the value short: no value at all
                        self.assertEqual(status, 400, what)
                        self.assertTrue(body.startswith(b'malformed query: '), (what, body))
                    else:
                        self.assertEqual(status, 400, what)
                        self.assertTrue(body.startswith(b"bad parameter '%s': expected "
                                                        % name.encode()), (what, body))

    def test_colour_names_any_case(self):
        # The description: names are ASCII case-insensitive; the enum lists them in lower case.
        for path in ('/heart.svg', '/heart.png', '/heart.gif'):
            for value in ('Red', 'RED', 'rebeccaPurple', 'TRANSPARENT'):
                name = 'background' if value == 'TRANSPARENT' else 'color'
                status, body = self.probe(path, [(name, value)], value)
                self.assertEqual(status, 400 if value == 'TRANSPARENT' else 200, (value, body))

    def test_title_is_utf8(self):
        # A title that is not UTF-8 is no string the document can accept.
        for raw in ('%FF', 'a%C3', '%C0%80', '%ED%A0%80', '%F4%90%80%80'):
            status, _, body = self.request('get', '/heart.svg?title=' + raw)
            self.assertEqual(status, 400, raw)
            self.assertTrue(body.startswith(b"bad parameter 'title': expected "), body)

    def test_rules_between_parameters(self):
        """x-requires and x-conflicts: without what a parameter needs, or with one it
        excludes, 400."""
        for path in self.doc['paths']:
            params = query_parameters(self.doc, path)
            for name, param in params.items():
                valid = valid_value(self.doc, param)
                base = requirements(self.doc, path, param)
                if base:
                    status, body = self.probe(path, [(name, valid)], name + ' alone')
                    self.assertEqual(status, 400, (path, name, body))
                    for n, v in base: # the required one with another value
                        if v == 'true':
                            status, body = self.probe(path, [(n, 'false'), (name, valid)], name)
                            self.assertEqual(status, 400, (path, name, body))
                for conflict in param.get('x-conflicts', []):
                    # 'name' or, for a flag, 'name=true': the value that excludes.
                    other, _, theirs = conflict.partition('=')
                    mine = [c.partition('=')[0] for c in params[other]['x-conflicts']]
                    self.assertIn(name, mine)
                    theirs = theirs or valid_value(self.doc, params[other])
                    # A flag excludes when true (animate=true and phase).
                    flag = resolve(self.doc, param['schema']).get('type') == 'boolean'
                    mine = 'true' if flag else valid
                    status, body = self.probe(path, base + [(name, mine), (other, theirs)],
                                              name + ' with ' + other)
                    self.assertEqual(status, 400, (path, name, other, body))

    def test_unknown_and_repeated_parameters(self):
        """A name outside the table gets 400 with the route's list of names, which is the
        document's; a name of the other route's, 400 naming it; a name given twice, 400."""
        every = set()
        for path in self.doc['paths']:
            every |= set(query_parameters(self.doc, path))
        for path in ('/heart.svg', '/heart.png'):
            params = query_parameters(self.doc, path)
            takes = b'unknown parameter (%s takes: %s)\n' % (path.encode(),
                                                            ', '.join(params).encode())
            for name in ('colour', 'Color', 'size ', 'x', '', 'If-None-Match', 'frames', 'output'):
                status, body = self.probe(path, [(name, '1')], 'unknown ' + name)
                self.assertEqual((status, body), (400, takes), (path, name))
            for name in sorted(every - set(params)):
                status, body = self.probe(path, [(name, '1')], 'other route ' + name)
                self.assertEqual((status, body), (400, b"parameter '%s' does not apply to %s\n"
                                                  % (name.encode(), path.encode())))
            for name, param in params.items():
                value = valid_value(self.doc, param)
                status, body = self.probe(path, [(name, value), (name, value)], 'twice')
                self.assertEqual((status, body),
                                 (400, b"parameter '%s' given twice\n" % name.encode()), path)

    def test_routes_without_parameters(self):
        for path in self.doc['paths']:
            if query_parameters(self.doc, path):
                continue
            for method in METHODS:
                for query in ('?x=1', '?color=red', '?a', '?&'):
                    status, headers, body = self.request(method, path + query)
                    self.check_response(path, method, status, headers, body, query)
                    self.assertEqual(status, 400, path + query)
                status, headers, body = self.request(method, path + '?')
                self.assertEqual(status, 200, path + '?')


if __name__ == '__main__':
    heartlib.main()
