/* confab-room-people-dialog.c: a room's moderators and bans
 *
 * Hosts see the room's bans and lift them. The owner and site admins also
 * grant and revoke moderator: the candidates are the people who attended
 * the room's meetings or are in it now (GET /rooms/{id}/history lists
 * both), minus the owner and the current moderators. Each change reloads
 * the lists from the server, so the dialog always shows the stored state.
 */
#define G_LOG_DOMAIN "confab-people"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-json.h"
#include "confab-protocol.h"
#include "confab-room-people-dialog.h"
#include "confab-time.h"

/* The requests one load sends at once. */
enum {
  LOAD_ROOM,
  LOAD_MODERATORS,
  LOAD_BANS,
  LOAD_HISTORY,
  N_LOADS
};

static const char * const load_paths[N_LOADS] = {
  "",
  "/moderators",
  "/bans",
  "/history",
};

struct _ConfabRoomPeopleDialog
{
  AdwWindow             parent_instance;

  /* Template widgets */
  AdwToastOverlay      *toast_overlay;
  AdwWindowTitle       *window_title;
  GtkStack             *stack;
  GtkSpinner           *loading_spinner;
  AdwStatusPage        *failed_page;
  GtkLabel             *error_label;
  AdwPreferencesGroup  *moderators_group;
  AdwPreferencesGroup  *candidates_group;
  AdwPreferencesGroup  *bans_group;

  /* Owned */
  ConfabApi            *api;
  JsonObject           *user;
  GCancellable         *cancellable;
  /* Cancelled when a newer load starts, so late replies are dropped. */
  GCancellable         *load_cancellable;
  JsonNode             *replies[N_LOADS];
  GError               *load_error;
  /* The rows added to each group, removed before the next render. */
  GPtrArray            *rows;

  gint64                room_id;
  guint                 pending_loads;
  /* Row button requests still running. The lists reload after the last one. */
  guint                 pending_actions;
};

G_DEFINE_FINAL_TYPE (ConfabRoomPeopleDialog, confab_room_people_dialog, ADW_TYPE_WINDOW)

typedef struct {
  ConfabRoomPeopleDialog *self;
  guint                   index;
} LoadData;

typedef struct {
  ConfabRoomPeopleDialog *self;
  GtkButton              *button;
  char                   *label;
  char                   *done_text;
} ActionData;

static void load (ConfabRoomPeopleDialog *self);

/* Helpers */

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->self);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LoadData, load_data_free)

static void
action_data_free (ActionData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->button);
  g_free (data->label);
  g_free (data->done_text);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ActionData, action_data_free)

static void
show_error (ConfabRoomPeopleDialog *self,
            const char             *text)
{
  gtk_label_set_label (self->error_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), text != NULL);
}

static JsonObject *
get_reply_object (ConfabRoomPeopleDialog *self,
                  guint                   load_index)
{
  JsonNode *node = self->replies[load_index];

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;

  return json_node_get_object (node);
}

/* Returns the object at @index of @array, or %NULL for another type. */
static JsonObject *
get_array_object (JsonArray *array,
                  guint      index)
{
  JsonNode *node = json_array_get_element (array, index);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static gboolean
user_is_site_admin (ConfabRoomPeopleDialog *self)
{
  gboolean is_admin = FALSE;

  confab_json_get_boolean (self->user, "is_admin", &is_admin);
  return is_admin;
}

/* Only the owner and site admins grant and revoke moderator. */
static gboolean
can_manage_moderators (ConfabRoomPeopleDialog *self)
{
  JsonObject *room = get_reply_object (self, LOAD_ROOM);

  return user_is_site_admin (self)
         || g_strcmp0 (confab_json_get_string (room, "role"), CONFAB_ROLE_OWNER) == 0;
}

static void
clear_rows (ConfabRoomPeopleDialog *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->rows, i);
      GtkWidget *group = g_object_get_data (G_OBJECT (row), "confab-group");

      adw_preferences_group_remove (ADW_PREFERENCES_GROUP (group), row);
    }

  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (ConfabRoomPeopleDialog *self,
         AdwPreferencesGroup    *group,
         GtkWidget              *row)
{
  g_object_set_data (G_OBJECT (row), "confab-group", group);
  adw_preferences_group_add (group, row);
  g_ptr_array_add (self->rows, row);
}

/* Adds the row that a group without entries shows, saying what to do. */
static void
add_placeholder (ConfabRoomPeopleDialog *self,
                 AdwPreferencesGroup    *group,
                 const char             *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  gtk_widget_add_css_class (row, "dim-label");
  add_row (self, group, row);
}

static void action_button_clicked_cb (GtkButton              *button,
                                      ConfabRoomPeopleDialog *self);

/* Adds a row for a person with a button that sends @method to @path. */
static void
add_person_row (ConfabRoomPeopleDialog *self,
                AdwPreferencesGroup    *group,
                const char             *name,
                const char             *subtitle,
                const char             *button_label,
                const char             *method,
                const char             *path,
                const char             *done_text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  if (button_label != NULL)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (button_label);

      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "confab-method", g_strdup (method), g_free);
      g_object_set_data_full (G_OBJECT (button), "confab-path", g_strdup (path), g_free);
      g_object_set_data_full (G_OBJECT (button), "confab-done-text", g_strdup (done_text), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (action_button_clicked_cb),
                               self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  add_row (self, group, row);
}

static char *
build_user_path (ConfabRoomPeopleDialog *self,
                 const char             *collection,
                 gint64                  user_id)
{
  return g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "/%s/%" G_GINT64_FORMAT,
                          self->room_id, collection, user_id);
}

/* Lists the moderators and returns their user ids, for the candidates. */
static GHashTable *
render_moderators (ConfabRoomPeopleDialog *self)
{
  JsonArray *moderators = confab_json_get_array (get_reply_object (self, LOAD_MODERATORS), "moderators");
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean manage = can_manage_moderators (self);
  guint n = moderators != NULL ? json_array_get_length (moderators) : 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *user = confab_json_get_object (get_array_object (moderators, i), "user");
      const char *name = confab_json_get_string (user, "name");
      g_autofree char *path = NULL;
      g_autofree char *done = NULL;
      gint64 user_id = 0;

      if (!confab_json_get_int (user, "id", &user_id) || name == NULL)
        continue;

      g_hash_table_add (ids, g_memdup2 (&user_id, sizeof user_id));
      path = build_user_path (self, "moderators", user_id);
      /* Translators: %s is a person's name. */
      done = g_strdup_printf (_("%s is no longer a moderator."), name);
      add_person_row (self, self->moderators_group, name, NULL,
                      manage ? _("_Revoke") : NULL, "DELETE", path, done);
    }

  if (g_hash_table_size (ids) == 0)
    add_placeholder (self, self->moderators_group,
                     manage ? _("No moderators yet. Make someone a moderator below.")
                            : _("No moderators yet. The owner can make people moderators."));

  return ids;
}

/* Lists who attended or is in the room now, minus the owner and the
 * moderators in @moderator_ids, once each, in the order they first came.
 */
static void
render_candidates (ConfabRoomPeopleDialog *self,
                   GHashTable             *moderator_ids)
{
  JsonArray *meetings = confab_json_get_array (get_reply_object (self, LOAD_HISTORY), "meetings");
  JsonObject *owner = confab_json_get_object (get_reply_object (self, LOAD_ROOM), "owner");
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint n_meetings = meetings != NULL ? json_array_get_length (meetings) : 0;
  gint64 owner_id = 0;

  gtk_widget_set_visible (GTK_WIDGET (self->candidates_group), can_manage_moderators (self));
  if (!can_manage_moderators (self))
    return;

  confab_json_get_int (owner, "id", &owner_id);

  /* The server lists meetings newest first, so the loop starts at the oldest. */
  for (guint i = n_meetings; i > 0; i--)
    {
      JsonArray *attendance = confab_json_get_array (get_array_object (meetings, i - 1), "attendance");
      guint n = attendance != NULL ? json_array_get_length (attendance) : 0;

      for (guint j = 0; j < n; j++)
        {
          JsonObject *user = confab_json_get_object (get_array_object (attendance, j), "user");
          const char *name = confab_json_get_string (user, "name");
          g_autofree char *path = NULL;
          g_autofree char *done = NULL;
          gint64 user_id = 0;

          if (!confab_json_get_int (user, "id", &user_id) || name == NULL
              || user_id == owner_id
              || g_hash_table_contains (moderator_ids, &user_id)
              || g_hash_table_contains (seen, &user_id))
            continue;

          g_hash_table_add (seen, g_memdup2 (&user_id, sizeof user_id));
          path = build_user_path (self, "moderators", user_id);
          /* Translators: %s is a person's name. */
          done = g_strdup_printf (_("%s is now a moderator."), name);
          add_person_row (self, self->candidates_group, name, NULL,
                          _("_Make Moderator"), "PUT", path, done);
        }
    }

  if (g_hash_table_size (seen) == 0)
    add_placeholder (self, self->candidates_group,
                     _("No one to add. People appear here once they have joined the room."));
}

static char *
describe_ban (JsonObject *ban)
{
  const char *by = confab_json_get_string (confab_json_get_object (ban, "by"), "name");
  const char *reason = confab_json_get_string (ban, "reason");
  g_autofree char *until_text = NULL;
  g_autofree char *by_text = NULL;
  gint64 until = 0;

  if (confab_json_get_int (ban, "until", &until) && until > 0)
    {
      g_autofree char *time = confab_time_format_date_time (until);

      /* Translators: %s is a date and time. */
      until_text = g_strdup_printf (_("until %s"), time);
    }
  else
    {
      until_text = g_strdup (_("until lifted"));
    }

  /* Translators: %s is the name of the host who set the ban. */
  by_text = g_strdup_printf (_("Banned by %s"), by != NULL ? by : _("a deleted account"));

  if (reason != NULL && reason[0] != '\0')
    /* Translators: "Banned by Ada, until lifted: spam". */
    return g_strdup_printf (_("%s, %s: %s"), by_text, until_text, reason);

  /* Translators: "Banned by Ada, until Jan 5, 2026 14:30". */
  return g_strdup_printf (_("%s, %s"), by_text, until_text);
}

static void
render_bans (ConfabRoomPeopleDialog *self)
{
  JsonArray *bans = confab_json_get_array (get_reply_object (self, LOAD_BANS), "bans");
  guint n = bans != NULL ? json_array_get_length (bans) : 0;
  guint shown = 0;

  for (guint i = 0; i < n; i++)
    {
      JsonObject *ban = get_array_object (bans, i);
      JsonObject *user = confab_json_get_object (ban, "user");
      const char *name = confab_json_get_string (user, "name");
      g_autofree char *subtitle = NULL;
      g_autofree char *path = NULL;
      g_autofree char *done = NULL;
      gint64 user_id = 0;

      if (!confab_json_get_int (user, "id", &user_id) || name == NULL)
        continue;

      subtitle = describe_ban (ban);
      path = build_user_path (self, "bans", user_id);
      /* Translators: %s is a person's name. */
      done = g_strdup_printf (_("%s may join again."), name);
      add_person_row (self, self->bans_group, name, subtitle, _("_Lift Ban"), "DELETE", path, done);
      shown++;
    }

  if (shown == 0)
    add_placeholder (self, self->bans_group,
                     _("No one is banned. Hosts ban people from the meeting’s side panel."));
}

static void
render (ConfabRoomPeopleDialog *self)
{
  g_autoptr(GHashTable) moderator_ids = NULL;
  const char *room_name = confab_json_get_string (get_reply_object (self, LOAD_ROOM), "name");

  adw_window_title_set_subtitle (self->window_title, room_name);

  clear_rows (self);
  moderator_ids = render_moderators (self);
  render_candidates (self, moderator_ids);
  render_bans (self);

  gtk_stack_set_visible_child_name (self->stack, "people");
  gtk_spinner_set_spinning (self->loading_spinner, FALSE);
}

/* Callbacks */

static void
load_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(LoadData) data = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabRoomPeopleDialog *self = data->self;
  guint load_index = data->index;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_clear_pointer (&self->replies[load_index], json_node_unref);
  self->replies[load_index] = g_steal_pointer (&root);
  if (error != NULL && self->load_error == NULL)
    self->load_error = g_steal_pointer (&error);

  g_assert (self->pending_loads > 0);
  if (--self->pending_loads > 0)
    return;

  if (self->load_error != NULL)
    {
      g_message ("Could not load the people of room %" G_GINT64_FORMAT ": %s",
                 self->room_id, self->load_error->message);
      adw_status_page_set_description (self->failed_page, self->load_error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      gtk_spinner_set_spinning (self->loading_spinner, FALSE);
      return;
    }

  render (self);
}

static void
action_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ActionData) data = user_data;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  ConfabRoomPeopleDialog *self = data->self;

  root = confab_api_request_finish (CONFAB_API (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->pending_actions--;

  if (error != NULL)
    {
      gtk_button_set_label (data->button, data->label);
      gtk_button_set_use_underline (data->button, TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (data->button), TRUE);
      show_error (self, error->message);
      return;
    }

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (data->done_text));

  /* The lists are rebuilt once no other button waits for its reply. */
  if (self->pending_actions == 0)
    load (self);
}

static void
action_button_clicked_cb (GtkButton              *button,
                          ConfabRoomPeopleDialog *self)
{
  const char *method = g_object_get_data (G_OBJECT (button), "confab-method");
  const char *path = g_object_get_data (G_OBJECT (button), "confab-path");
  ActionData *data = g_new0 (ActionData, 1);
  GtkWidget *spinner = gtk_spinner_new ();

  data->self = g_object_ref (self);
  data->button = g_object_ref (button);
  data->label = g_strdup (gtk_button_get_label (button));
  data->done_text = g_strdup (g_object_get_data (G_OBJECT (button), "confab-done-text"));

  /* The button shows a spinner while its request runs. */
  gtk_spinner_start (GTK_SPINNER (spinner));
  gtk_button_set_child (button, spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  show_error (self, NULL);

  self->pending_actions++;
  confab_api_request_async (self->api, method, path, NULL, self->cancellable, action_cb, data);
}

static void
reload_clicked_cb (ConfabRoomPeopleDialog *self)
{
  load (self);
}

/* Loading */

static void
load (ConfabRoomPeopleDialog *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  g_clear_error (&self->load_error);

  /* The first load shows a spinner; a reload keeps the lists visible. */
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "people") != 0)
    {
      gtk_stack_set_visible_child_name (self->stack, "loading");
      gtk_spinner_set_spinning (self->loading_spinner, TRUE);
    }

  self->pending_loads = N_LOADS;
  for (guint i = 0; i < N_LOADS; i++)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/rooms/%" G_GINT64_FORMAT "%s",
                                               self->room_id, load_paths[i]);
      LoadData *data = g_new0 (LoadData, 1);

      data->self = g_object_ref (self);
      data->index = i;
      confab_api_request_async (self->api, "GET", path, NULL, self->load_cancellable, load_cb, data);
    }
}

/* Overrides */

static void
confab_room_people_dialog_dispose (GObject *object)
{
  ConfabRoomPeopleDialog *self = (ConfabRoomPeopleDialog *)object;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->load_cancellable);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), CONFAB_TYPE_ROOM_PEOPLE_DIALOG);

  G_OBJECT_CLASS (confab_room_people_dialog_parent_class)->dispose (object);
}

static void
confab_room_people_dialog_finalize (GObject *object)
{
  ConfabRoomPeopleDialog *self = (ConfabRoomPeopleDialog *)object;

  for (guint i = 0; i < N_LOADS; i++)
    g_clear_pointer (&self->replies[i], json_node_unref);
  g_clear_error (&self->load_error);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->load_cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->user, json_object_unref);

  G_OBJECT_CLASS (confab_room_people_dialog_parent_class)->finalize (object);
}

static void
confab_room_people_dialog_class_init (ConfabRoomPeopleDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_room_people_dialog_dispose;
  object_class->finalize = confab_room_people_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-room-people-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, failed_page);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, moderators_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, candidates_group);
  gtk_widget_class_bind_template_child (widget_class, ConfabRoomPeopleDialog, bans_group);
  gtk_widget_class_bind_template_callback (widget_class, reload_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
confab_room_people_dialog_init (ConfabRoomPeopleDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->rows = g_ptr_array_new ();
}

/* Public API */

/**
 * confab_room_people_dialog_new:
 * @parent: (nullable): the window the dialog is modal to
 * @api: the signed-in REST client
 * @user: the signed-in user as `GET /api/v1/me` returns it
 * @room_id: a room the user hosts
 *
 * Creates the dialog and starts loading the room's moderators, bans and
 * attendance.
 *
 * Returns: (transfer none): the dialog, destroyed when it closes
 */
ConfabRoomPeopleDialog *
confab_room_people_dialog_new (GtkWindow  *parent,
                               ConfabApi  *api,
                               JsonObject *user,
                               gint64      room_id)
{
  ConfabRoomPeopleDialog *self;

  g_return_val_if_fail (!parent || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (CONFAB_IS_API (api), NULL);
  g_return_val_if_fail (user != NULL, NULL);
  g_return_val_if_fail (room_id > 0, NULL);

  self = g_object_new (CONFAB_TYPE_ROOM_PEOPLE_DIALOG,
                       "transient-for", parent,
                       NULL);
  self->api = g_object_ref (api);
  self->user = json_object_ref (user);
  self->room_id = room_id;

  load (self);

  return self;
}
