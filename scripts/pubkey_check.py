#!/usr/bin/env python3
"""Configure-time check of -Drelease_pubkey (one or more keys, comma-separated): print their
key ids, or fail naming the problem."""
import base64
import binascii
import sys

ids = []
for key in sys.argv[1].split(','):
    try:
        raw = base64.b64decode(key, validate=True)
    except binascii.Error:
        raw = b''
    if len(key) != 56 or len(raw) != 42 or base64.b64encode(raw).decode() != key:
        sys.exit('release_pubkey: %r is not a 56-character base64 minisign public key' % key[:64])
    if raw[:2] != b'Ed':
        sys.exit('release_pubkey: %r is not an Ed25519 key (it must start with RW)' % key[:64])
    ids.append('%016X' % int.from_bytes(raw[2:10], 'little'))
if len(set(ids)) != len(ids):
    sys.exit('release_pubkey: two keys with one key id: %s' % ', '.join(ids))
print(','.join(ids))
