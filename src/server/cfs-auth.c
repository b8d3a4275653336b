/* cfs-auth.c: password hashing off the main thread, and login rate limits.
 *
 * Argon2id at libsodium's "interactive" cost takes tens of milliseconds and
 * 64 MiB per hash. Hashes run on a pool with one thread per CPU (at most
 * four), so a burst of logins neither stalls the main loop nor multiplies
 * the memory use by the number of waiting requests.
 *
 * NOTE: Failed-login counts live in this process's memory, so a restart
 * clears them and several server instances do not share them.
 */
#define G_LOG_DOMAIN "confab-auth"

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "cfs-auth.h"

#define MAX_HASH_THREADS 4

/* Sweep the failure tables every this many failures, so that addresses
 * that stopped trying do not stay in memory.
 */
#define SWEEP_INTERVAL 256

typedef enum {
  JOB_HASH,
  JOB_VERIFY,
} JobKind;

typedef struct {
  JobKind  kind;
  char    *password;
  char    *password_hash;    /* nullable for JOB_VERIFY: compare with a dummy */
} PasswordJob;

struct _CfsAuth
{
  GObject      parent_instance;

  GThreadPool *pool;
  GHashTable  *account_failures;  /* email key → GArray of gint64 times */
  GHashTable  *address_failures;  /* address → GArray of gint64 times */
  guint        failures_since_sweep;
};

G_DEFINE_FINAL_TYPE (CfsAuth, cfs_auth, G_TYPE_OBJECT)

static void
password_job_free (PasswordJob *job)
{
  if (job->password != NULL)
    {
      sodium_memzero (job->password, strlen (job->password));
      g_free (job->password);
    }
  g_free (job->password_hash);
  g_free (job);
}

static gint64
now_seconds (void)
{
  return g_get_monotonic_time () / G_USEC_PER_SEC;
}

/* Verifying an unknown account's password against this hash makes its
 * login take as long as a known one's, so timing does not reveal which
 * emails have accounts.
 */
static const char *
get_dummy_hash (void)
{
  static char *dummy_hash;

  if (g_once_init_enter (&dummy_hash))
    {
      char *hash = cfs_auth_hash_password ("confab-dummy-password", NULL);

      g_once_init_leave (&dummy_hash, hash != NULL ? hash : g_strdup (""));
    }

  return dummy_hash;
}

char *
cfs_auth_hash_password (const char  *password,
                        GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (crypto_pwhash_str (hash, password, strlen (password),
                         crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Failed to hash a password: out of memory");
      return NULL;
    }

  return g_strdup (hash);
}

static void
run_password_job (gpointer data,
                  gpointer user_data)
{
  g_autoptr(GTask) task = data;
  PasswordJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  if (job->kind == JOB_HASH)
    {
      char *hash = cfs_auth_hash_password (job->password, &error);

      if (hash == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, hash, g_free);
    }
  else
    {
      const char *hash = job->password_hash != NULL ? job->password_hash : get_dummy_hash ();
      gboolean match = crypto_pwhash_str_verify (hash, job->password, strlen (job->password)) == 0;

      g_task_return_boolean (task, match && job->password_hash != NULL);
    }
}

static void
queue_job (CfsAuth             *self,
           PasswordJob         *job,
           gpointer             source_tag,
           GCancellable        *cancellable,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, (GDestroyNotify) password_job_free);

  /* The pool owns the task reference until the job runs. */
  g_thread_pool_push (self->pool, task, NULL);
}

static gboolean
is_limited (GHashTable *table,
            const char *key,
            guint       limit,
            gint64      now,
            guint      *retry_after_out)
{
  GArray *times = g_hash_table_lookup (table, key);
  gint64 oldest;

  if (times == NULL)
    return FALSE;

  while (times->len > 0 && g_array_index (times, gint64, 0) <= now - CFS_AUTH_FAILURE_WINDOW_S)
    g_array_remove_index (times, 0);

  if (times->len < limit)
    return FALSE;

  oldest = g_array_index (times, gint64, times->len - limit);
  *retry_after_out = MAX (*retry_after_out, (guint) MAX (1, oldest + CFS_AUTH_FAILURE_WINDOW_S - now));

  return TRUE;
}

static void
record_failure (GHashTable *table,
                const char *key,
                guint       limit,
                gint64      now)
{
  GArray *times = g_hash_table_lookup (table, key);

  if (times == NULL)
    {
      times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (table, g_strdup (key), times);
    }

  g_array_append_val (times, now);

  /* Only the newest @limit failures decide when the limit ends. */
  if (times->len > limit)
    g_array_remove_range (times, 0, times->len - limit);
}

static void
sweep_table (GHashTable *table,
             gint64      now)
{
  GHashTableIter iter;
  GArray *times;

  g_hash_table_iter_init (&iter, table);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &times))
    {
      if (times->len == 0 ||
          g_array_index (times, gint64, times->len - 1) <= now - CFS_AUTH_FAILURE_WINDOW_S)
        g_hash_table_iter_remove (&iter);
    }
}

static void
cfs_auth_finalize (GObject *object)
{
  CfsAuth *self = CFS_AUTH (object);

  /* Each queued task holds a reference to @self as its source object, so
   * no job is left in the pool by now.
   */
  g_thread_pool_free (self->pool, FALSE, TRUE);
  g_hash_table_unref (self->account_failures);
  g_hash_table_unref (self->address_failures);

  G_OBJECT_CLASS (cfs_auth_parent_class)->finalize (object);
}

static void
cfs_auth_class_init (CfsAuthClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cfs_auth_finalize;
}

static void
cfs_auth_init (CfsAuth *self)
{
  guint threads = CLAMP (g_get_num_processors (), 1, MAX_HASH_THREADS);

  self->pool = g_thread_pool_new (run_password_job, NULL, threads, FALSE, NULL);
  self->account_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) g_array_unref);
  self->address_failures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                  (GDestroyNotify) g_array_unref);
}

CfsAuth *
cfs_auth_new (void)
{
  if (sodium_init () < 0)
    g_error ("libsodium failed to initialize");

  return g_object_new (CFS_TYPE_AUTH, NULL);
}

void
cfs_auth_hash_password_async (CfsAuth             *self,
                              const char          *password,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  PasswordJob *job;

  g_return_if_fail (CFS_IS_AUTH (self));
  g_return_if_fail (password != NULL);

  job = g_new0 (PasswordJob, 1);
  job->kind = JOB_HASH;
  job->password = g_strdup (password);
  queue_job (self, job, cfs_auth_hash_password_async, cancellable, callback, user_data);
}

/**
 * cfs_auth_hash_password_finish:
 *
 * Returns: (transfer full): the Argon2id hash in libsodium's string form
 */
char *
cfs_auth_hash_password_finish (CfsAuth       *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * cfs_auth_verify_password_async:
 * @password_hash: (nullable): the stored hash; %NULL for an unknown
 *   account, which takes the same time and never matches
 */
void
cfs_auth_verify_password_async (CfsAuth             *self,
                                const char          *password_hash,
                                const char          *password,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  PasswordJob *job;

  g_return_if_fail (CFS_IS_AUTH (self));
  g_return_if_fail (password != NULL);

  job = g_new0 (PasswordJob, 1);
  job->kind = JOB_VERIFY;
  job->password = g_strdup (password);
  job->password_hash = g_strdup (password_hash);
  queue_job (self, job, cfs_auth_verify_password_async, cancellable, callback, user_data);
}

/**
 * cfs_auth_verify_password_finish:
 *
 * Returns: %TRUE when the password matches; %FALSE without an error when
 *   it does not
 */
gboolean
cfs_auth_verify_password_finish (CfsAuth       *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * cfs_auth_check_login_allowed:
 * @email_key: the account's email key, see cfs_store_make_email_key()
 * @address: the client address
 * @retry_after_out: (out): seconds until a login may be tried again
 *
 * Returns: %FALSE when the account or the address had too many failed
 *   logins within %CFS_AUTH_FAILURE_WINDOW_S
 */
gboolean
cfs_auth_check_login_allowed (CfsAuth    *self,
                              const char *email_key,
                              const char *address,
                              guint      *retry_after_out)
{
  gint64 now = now_seconds ();
  gboolean limited;

  g_return_val_if_fail (CFS_IS_AUTH (self), FALSE);

  *retry_after_out = 0;
  limited = is_limited (self->account_failures, email_key,
                        CFS_AUTH_MAX_FAILURES_PER_ACCOUNT, now, retry_after_out);
  limited |= is_limited (self->address_failures, address,
                         CFS_AUTH_MAX_FAILURES_PER_ADDRESS, now, retry_after_out);

  return !limited;
}

void
cfs_auth_record_login_failure (CfsAuth    *self,
                               const char *email_key,
                               const char *address)
{
  gint64 now = now_seconds ();

  g_return_if_fail (CFS_IS_AUTH (self));

  record_failure (self->account_failures, email_key, CFS_AUTH_MAX_FAILURES_PER_ACCOUNT, now);
  record_failure (self->address_failures, address, CFS_AUTH_MAX_FAILURES_PER_ADDRESS, now);

  if (++self->failures_since_sweep >= SWEEP_INTERVAL)
    {
      sweep_table (self->account_failures, now);
      sweep_table (self->address_failures, now);
      self->failures_since_sweep = 0;
    }
}

/* A successful login clears the account's failures but not the address's,
 * so that one valid account cannot reset guessing at others.
 */
void
cfs_auth_record_login_success (CfsAuth    *self,
                               const char *email_key)
{
  g_return_if_fail (CFS_IS_AUTH (self));

  g_hash_table_remove (self->account_failures, email_key);
}
