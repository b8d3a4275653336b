/* confab-session-store.c: session tokens in the keyring
 *
 * Session tokens live in the Secret Service (GNOME Keyring and the like)
 * under the schema io.github.confab.Confab.Session, one item per server and
 * email. When no Secret Service replies, the store keeps tokens in memory
 * only, so the user stays signed in until the application quits, and
 * "available" turns FALSE so that the UI can say so.
 */
#define G_LOG_DOMAIN "confab-session"

#include "config.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "confab-session-store.h"

struct _ConfabSessionStore
{
  GObject     parent_instance;

  /* "server\nemail" → token, used when the keyring is unavailable. */
  GHashTable *memory;
  /* "server\nemail" → GPtrArray of the GTasks of later clears of that item,
   * present while a clear of it runs. Two windows signed in to one account
   * clear its item at once when the server ends their sessions. With
   * gnome-keyring and libsecret 0.20.5 the second clear then fails with "No
   * such interface", which would mark the keyring unavailable, and a
   * critical about a GTask returned twice follows.
   */
  GHashTable *clears;
  gboolean    available;
};

G_DEFINE_FINAL_TYPE (ConfabSessionStore, confab_session_store, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_AVAILABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const SecretSchema session_schema = {
  "io.github.confab.Confab.Session", SECRET_SCHEMA_NONE,
  {
    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { "email", SECRET_SCHEMA_ATTRIBUTE_STRING },
    { NULL, 0 },
  }
};

static char *
build_memory_key (const char *server_url,
                  const char *email)
{
  return g_strconcat (server_url, "\n", email, NULL);
}

static void
free_token (gpointer token)
{
  char *text = token;

  if (text != NULL)
    memset (text, 0, strlen (text));

  g_free (text);
}

static void
mark_unavailable (ConfabSessionStore *self,
                  const GError       *error)
{
  if (!self->available)
    return;

  g_message ("The keyring is unavailable, keeping sessions in memory only: %s", error->message);
  self->available = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

static void
password_store_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConfabSessionStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      mark_unavailable (self, error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("No keyring is available, so you will have to sign in again after quitting Confab."));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
password_lookup_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConfabSessionStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;
  char *token;

  token = secret_password_lookup_finish (result, &error);
  if (error != NULL)
    {
      const char *memory_token;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }

      /* A session saved earlier in this process outlives the keyring. */
      mark_unavailable (self, error);
      memory_token = g_hash_table_lookup (self->memory, g_task_get_task_data (task));
      if (memory_token != NULL)
        {
          g_task_return_pointer (task, g_strdup (memory_token), free_token);
          return;
        }

      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, token, (GDestroyNotify) secret_password_free);
}

/* Completes @task and the clears of the same item that waited for it. */
static void
return_clear_result (GTask        *task,
                     const GError *error)
{
  ConfabSessionStore *self = g_task_get_source_object (task);
  const char *key = g_task_get_task_data (task);
  g_autoptr(GPtrArray) waiting = NULL;
  g_autofree char *stolen_key = NULL;

  g_hash_table_steal_extended (self->clears, key, (gpointer *) &stolen_key, (gpointer *) &waiting);
  if (waiting != NULL)
    g_ptr_array_add (waiting, g_object_ref (task));

  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      GTask *next = g_ptr_array_index (waiting, i);

      if (error != NULL)
        g_task_return_error (next, g_error_copy (error));
      else
        g_task_return_boolean (next, TRUE);
    }
}

static void
password_clear_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ConfabSessionStore *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  secret_password_clear_finish (result, &error);
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    mark_unavailable (self, error);

  return_clear_result (task, error);
}

static void
confab_session_store_finalize (GObject *object)
{
  ConfabSessionStore *self = (ConfabSessionStore *)object;

  g_clear_pointer (&self->memory, g_hash_table_unref);
  g_clear_pointer (&self->clears, g_hash_table_unref);

  G_OBJECT_CLASS (confab_session_store_parent_class)->finalize (object);
}

static void
confab_session_store_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  ConfabSessionStore *self = CONFAB_SESSION_STORE (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
confab_session_store_class_init (ConfabSessionStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = confab_session_store_finalize;
  object_class->get_property = confab_session_store_get_property;

  /**
   * ConfabSessionStore:available:
   *
   * Whether the keyring replies to requests. It starts TRUE and turns FALSE after the
   * first failed keyring call.
   */
  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL,
                          TRUE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
confab_session_store_init (ConfabSessionStore *self)
{
  self->available = TRUE;
  self->memory = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_token);
  self->clears = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) g_ptr_array_unref);
}

ConfabSessionStore *
confab_session_store_new (void)
{
  return g_object_new (CONFAB_TYPE_SESSION_STORE, NULL);
}

gboolean
confab_session_store_get_available (ConfabSessionStore *self)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_STORE (self), FALSE);

  return self->available;
}

/**
 * confab_session_store_get_schema:
 *
 * Returns: (transfer none): the #SecretSchema of session items, for tests
 *   that look at the keyring directly
 */
const SecretSchema *
confab_session_store_get_schema (void)
{
  return &session_schema;
}

/**
 * confab_session_store_save_async:
 *
 * Stores @token for @server_url and @email. Without a keyring the token is
 * kept in memory and the call fails with %G_IO_ERROR_NOT_SUPPORTED, whose
 * message explains to the user what that means.
 */
void
confab_session_store_save_async (ConfabSessionStore  *self,
                                 const char          *server_url,
                                 const char          *email,
                                 const char          *token,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (CONFAB_IS_SESSION_STORE (self));
  g_return_if_fail (server_url != NULL && email != NULL && token != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_session_store_save_async);

  /* The memory copy serves lookups after the keyring fails, so that a
   * keyring that goes away mid-session does not sign the user out.
   */
  g_hash_table_replace (self->memory, build_memory_key (server_url, email), g_strdup (token));

  if (!self->available)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("No keyring is available, so you will have to sign in again after quitting Confab."));
      return;
    }

  /* Translators: the label of the keyring item; %s are an email and a URL. */
  label = g_strdup_printf (_("Confab session of %s on %s"), email, server_url);
  secret_password_store (&session_schema, SECRET_COLLECTION_DEFAULT, label, token,
                         cancellable, password_store_cb, g_steal_pointer (&task),
                         "server", server_url,
                         "email", email,
                         NULL);
}

gboolean
confab_session_store_save_finish (ConfabSessionStore  *self,
                                  GAsyncResult        *result,
                                  GError             **error)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
confab_session_store_lookup_async (ConfabSessionStore  *self,
                                   const char          *server_url,
                                   const char          *email,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  const char *token;

  g_return_if_fail (CONFAB_IS_SESSION_STORE (self));
  g_return_if_fail (server_url != NULL && email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_session_store_lookup_async);

  key = build_memory_key (server_url, email);
  if (!self->available)
    {
      token = g_hash_table_lookup (self->memory, key);
      g_task_return_pointer (task, g_strdup (token), free_token);
      return;
    }

  g_task_set_task_data (task, g_steal_pointer (&key), g_free);

  secret_password_lookup (&session_schema, cancellable, password_lookup_cb,
                          g_steal_pointer (&task),
                          "server", server_url,
                          "email", email,
                          NULL);
}

/**
 * confab_session_store_lookup_finish:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL when none is
 *   stored (with @error unset) or the keyring failed (with @error set)
 */
char *
confab_session_store_lookup_finish (ConfabSessionStore  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
confab_session_store_clear_async (ConfabSessionStore  *self,
                                  const char          *server_url,
                                  const char          *email,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  GPtrArray *waiting;

  g_return_if_fail (CONFAB_IS_SESSION_STORE (self));
  g_return_if_fail (server_url != NULL && email != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, confab_session_store_clear_async);

  key = build_memory_key (server_url, email);
  g_hash_table_remove (self->memory, key);

  if (!self->available)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* A clear of this item runs already: finish with its result. */
  waiting = g_hash_table_lookup (self->clears, key);
  if (waiting != NULL)
    {
      g_ptr_array_add (waiting, g_steal_pointer (&task));
      return;
    }

  g_hash_table_insert (self->clears, g_strdup (key), g_ptr_array_new_with_free_func (g_object_unref));
  g_task_set_task_data (task, g_steal_pointer (&key), g_free);

  secret_password_clear (&session_schema, cancellable, password_clear_cb,
                         g_steal_pointer (&task),
                         "server", server_url,
                         "email", email,
                         NULL);
}

gboolean
confab_session_store_clear_finish (ConfabSessionStore  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (CONFAB_IS_SESSION_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
