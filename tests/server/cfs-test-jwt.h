/* cfs-test-jwt.h: meeting token checks for tests.
 *
 * libjwt 1.10 validates no claims, and its jwt_decode() accepts a token
 * signed with another HS algorithm and the same key, so this helper checks
 * the algorithm, the header and the claims Jitsi checks itself.
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Verifies @jwt as Jitsi would: HS256 with @key, `typ` "JWT", `iss` and
 * `aud` equal to @app_id as strings, numeric `iat`, `nbf` at or before
 * @now and `exp` after it. Returns the claims, or NULL with @error set.
 */
JsonObject *cfs_test_jwt_verify  (const char  *jwt,
                                  const char  *key,
                                  const char  *app_id,
                                  gint64       now,
                                  GError     **error);

/* Signs @claims_json with @key and the libjwt algorithm @alg, for tokens
 * that the check above must reject.
 */
char       *cfs_test_jwt_sign    (const char  *claims_json,
                                  const char  *key,
                                  int          alg);

/* Returns the contents of @path with one trailing newline removed. */
char       *cfs_test_read_secret (const char  *path);

G_END_DECLS
