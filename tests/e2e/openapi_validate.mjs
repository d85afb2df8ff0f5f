// Validate an OpenAPI document with @apidevtools/swagger-parser (tests/npm/, installed by
// scripts/setup.sh --test): node openapi_validate.mjs FILE. Exit 0 and "valid" when it is,
// 1 and the validator's message when not. tests/e2e/test_openapi.py runs it.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', 'npm', 'package.json'));
const SwaggerParser = require('@apidevtools/swagger-parser');

// validate() dereferences its argument in place: give it a copy of the file as read.
const doc = JSON.parse(readFileSync(process.argv[2], 'utf8'));
try {
    await SwaggerParser.validate(doc);
    console.log('valid');
} catch (err) {
    console.log(err.message);
    process.exit(1);
}
