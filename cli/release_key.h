#pragma once

/* The public key given with -Drelease_pubkey (the 56-character base64 line), or "" when the
 * build has none. Defined in the generated release_key.c, the one file that sees the option. */
extern const char heart_release_pubkey[];
