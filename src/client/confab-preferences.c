/* confab-preferences.c: the preferences window
 *
 * Where meetings open (the `meeting-mode` key) and the server address (the
 * `server-url` key, checked like the one on the sign-in page).
 */
#define G_LOG_DOMAIN "confab"

#include "config.h"

#include <glib/gi18n.h>

#include "confab-preferences.h"
#include "confab-server-url.h"

struct _ConfabPreferences
{
  AdwPreferencesWindow  parent_instance;

  /* Template widgets */
  AdwComboRow          *meeting_mode_row;
  AdwEntryRow          *server_row;
  GtkLabel             *server_error_label;

  /* Owned */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (ConfabPreferences, confab_preferences, ADW_TYPE_PREFERENCES_WINDOW)

/* The combo row's positions, in the order of its string list. */
static const char *meeting_modes[] = { "automatic", "embedded", "browser" };

static void
meeting_mode_selected_cb (ConfabPreferences *self)
{
  guint selected = adw_combo_row_get_selected (self->meeting_mode_row);

  if (self->settings == NULL || selected >= G_N_ELEMENTS (meeting_modes))
    return;

  g_settings_set_string (self->settings, "meeting-mode", meeting_modes[selected]);
}

static void
server_row_apply_cb (ConfabPreferences *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  url = confab_server_url_normalize (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &error);
  if (url == NULL)
    {
      gtk_label_set_label (self->server_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->server_error_label), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->server_error_label), FALSE);
  g_settings_set_string (self->settings, "server-url", url);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
}

static void
load_settings (ConfabPreferences *self)
{
  g_autofree char *mode = g_settings_get_string (self->settings, "meeting-mode");
  g_autofree char *url = g_settings_get_string (self->settings, "server-url");

  for (guint i = 0; i < G_N_ELEMENTS (meeting_modes); i++)
    {
      if (g_str_equal (mode, meeting_modes[i]))
        adw_combo_row_set_selected (self->meeting_mode_row, i);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
}

static void
confab_preferences_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CONFAB_TYPE_PREFERENCES);

  G_OBJECT_CLASS (confab_preferences_parent_class)->dispose (object);
}

static void
confab_preferences_finalize (GObject *object)
{
  ConfabPreferences *self = (ConfabPreferences *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (confab_preferences_parent_class)->finalize (object);
}

static void
confab_preferences_class_init (ConfabPreferencesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = confab_preferences_dispose;
  object_class->finalize = confab_preferences_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/confab/Confab/ui/confab-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferences, meeting_mode_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferences, server_row);
  gtk_widget_class_bind_template_child (widget_class, ConfabPreferences, server_error_label);
  gtk_widget_class_bind_template_callback (widget_class, meeting_mode_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_row_apply_cb);
}

static void
confab_preferences_init (ConfabPreferences *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * confab_preferences_new:
 * @settings: the settings to edit
 *
 * Returns: (transfer none): the preferences window, destroyed when closed
 */
ConfabPreferences *
confab_preferences_new (GSettings *settings)
{
  ConfabPreferences *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  self = g_object_new (CONFAB_TYPE_PREFERENCES, NULL);
  self->settings = g_object_ref (settings);
  load_settings (self);

  return self;
}
