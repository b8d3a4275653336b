/* confab-test-notifications.c: a desktop notification server for client tests
 *
 * Client tests run on a private session bus with no notification daemon,
 * where GApplication's freedesktop backend would warn (fatal in tests) when
 * the client sends a notification. confab_test_init() starts this server on
 * that bus. It owns org.freedesktop.Notifications in the test process and
 * records the Notify and CloseNotification calls it receives.
 */
#define G_LOG_DOMAIN "confab-test"

#include "config.h"

#include "confab-test-notifications.h"
#include "confab-test-util.h"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

/* What the server received, in order. */
static GPtrArray *notifications;
static GArray *closed_ids;
static guint next_notification_id = 1;

static void
notification_free (ConfabTestNotification *notification)
{
  g_free (notification->summary);
  g_free (notification->body);
  g_free (notification);
}

static void
handle_method_call (GDBusConnection       *connection,
                    const char            *sender,
                    const char            *object_path,
                    const char            *interface_name,
                    const char            *method_name,
                    GVariant              *parameters,
                    GDBusMethodInvocation *invocation,
                    gpointer               user_data)
{
  if (g_str_equal (method_name, "Notify"))
    {
      ConfabTestNotification *notification = g_new0 (ConfabTestNotification, 1);
      guint replaces_id;

      g_variant_get_child (parameters, 1, "u", &replaces_id);
      g_variant_get_child (parameters, 3, "s", &notification->summary);
      g_variant_get_child (parameters, 4, "s", &notification->body);
      notification->id = replaces_id != 0 ? replaces_id : next_notification_id++;
      g_ptr_array_add (notifications, notification);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", notification->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint id;

      g_variant_get (parameters, "(u)", &id);
      g_array_append_val (closed_ids, id);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *capabilities[] = { "body", NULL };

      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(^as)", capabilities));
    }
  else
    {
      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(ssss)", "confab-test", "Confab", "1.0", "1.2"));
    }
}

static void
name_acquired_cb (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  *(gboolean *) user_data = TRUE;
}

/**
 * confab_test_notifications_start:
 *
 * Owns org.freedesktop.Notifications on the session bus, once per process.
 */
void
confab_test_notifications_start (void)
{
  static const GDBusInterfaceVTable vtable = { handle_method_call, NULL, NULL, { 0 } };
  static gboolean acquired = FALSE;
  g_autoptr(GDBusNodeInfo) info = NULL;
  g_autoptr(GDBusConnection) bus = NULL;
  g_autoptr(GError) error = NULL;

  if (notifications != NULL)
    return;

  notifications = g_ptr_array_new_with_free_func ((GDestroyNotify) notification_free);
  closed_ids = g_array_new (FALSE, FALSE, sizeof (guint));

  bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);

  info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_assert_no_error (error);
  g_dbus_connection_register_object (bus, "/org/freedesktop/Notifications", info->interfaces[0],
                                     &vtable, NULL, NULL, &error);
  g_assert_no_error (error);

  g_bus_own_name_on_connection (bus, "org.freedesktop.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                name_acquired_cb, NULL, &acquired, NULL);
  CONFAB_TEST_WAIT_UNTIL (acquired, CONFAB_TEST_TIMEOUT_MS);
}

void
confab_test_notifications_clear (void)
{
  g_ptr_array_set_size (notifications, 0);
  g_array_set_size (closed_ids, 0);
}

guint
confab_test_notifications_get_count (void)
{
  return notifications->len;
}

/**
 * confab_test_notifications_find:
 *
 * Returns: (transfer none) (nullable): the first notification received
 *   with @summary as its title
 */
ConfabTestNotification *
confab_test_notifications_find (const char *summary)
{
  for (guint i = 0; i < notifications->len; i++)
    {
      ConfabTestNotification *notification = g_ptr_array_index (notifications, i);

      if (g_str_equal (notification->summary, summary))
        return notification;
    }

  return NULL;
}

gboolean
confab_test_notifications_was_closed (guint id)
{
  for (guint i = 0; i < closed_ids->len; i++)
    {
      if (g_array_index (closed_ids, guint, i) == id)
        return TRUE;
    }

  return FALSE;
}

/* Waits until the application has received the replies to its calls to
 * the notification server. GApplication withdraws a notification only
 * once it has the server's id for it, from the reply to Notify. The bus
 * delivers messages in order, so the reply to a call made now comes after
 * those replies, which then wait in the main context.
 */
void
confab_test_notifications_sync (void)
{
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_sync (bus, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetId", NULL, G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

