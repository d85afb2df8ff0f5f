#!/usr/bin/env python3
"""Fill serve/openapi.json.in with the query parameters param-gen derived from param/'s table.

Usage: openapi.py TEMPLATE GENERATED OUTPUT

GENERATED (param-gen openapi) holds {"routes": {ROUTE: [NAME, ...]}, "parameters": {NAME: OBJECT}}.
The string "@param-gen ROUTE@" in a path's parameters (ROUTE: svg, png) becomes $refs to that
route's parameters, in the table's order. A template
parameter whose value is the string "@param-gen@" is replaced by the generated object of that
name, in its place; generated objects the template does not name come before the template's
own objects that follow the last "@param-gen@". Written as json.dumps(indent=2): the served document's bytes.
"""
import json
import sys

PLACEHOLDER = '@param-gen@'


def main():
    template, generated, out = sys.argv[1:]
    with open(template, encoding='utf-8') as f:
        doc = json.load(f)
    with open(generated, encoding='utf-8') as f:
        gen = json.load(f)
    routes = dict(gen['routes'])
    for item in doc['paths'].values():
        params = []
        for p in item.get('parameters', []):
            route = p[len('@param-gen '):-1] if isinstance(p, str) else None
            if route is None:
                params.append(p)
                continue
            if route not in routes:
                sys.exit('openapi.py: %s: no route %s in the table (or twice)' % (template, p))
            params += [{'$ref': '#/components/parameters/' + n} for n in routes.pop(route)]
        if 'parameters' in item:
            item['parameters'] = params
    if routes:
        sys.exit('openapi.py: %s: no "@param-gen %s@" for the table\'s route'
                 % (template, ', '.join(routes)))
    made = dict(gen['parameters'])
    own = doc['components']['parameters']
    placed = [n for n, v in own.items() if v == PLACEHOLDER]
    for name in placed:
        if name not in made:
            sys.exit('openapi.py: %s: the table has no parameter %s' % (template, name))
    new = {n: v for n, v in made.items() if n not in placed}
    params = {}
    for name, value in own.items():
        if name in new:
            sys.exit('openapi.py: %s: %s is both the table\'s and the template\'s'
                     % (template, name))
        params[name] = made[name] if value == PLACEHOLDER else value
        if placed and name == placed[-1]:
            params.update(new)  # the table's new parameters
    if not placed:
        params.update(new)
    doc['components']['parameters'] = params
    listed = {r['$ref'].rsplit('/', 1)[1] for p in doc['paths'].values()
              for r in p.get('parameters', [])}
    missing = sorted(listed - set(params))
    if missing:
        sys.exit('openapi.py: no parameter object for %s' % ', '.join(missing))
    with open(out, 'w', encoding='ascii') as f:
        f.write(json.dumps(doc, indent=2) + '\n')


if __name__ == '__main__':
    main()
