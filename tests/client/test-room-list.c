/* test-room-list.c: the lobby's room model, without a display */
#include "config.h"

#include "confab-room-list.h"

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static gboolean
apply (ConfabRoomList *list,
       const char     *json)
{
  g_autoptr(JsonObject) message = parse_object (json);
  const char *type = json_object_get_string_member (message, "type");

  return confab_room_list_apply_message (list, type, message);
}

static void
count_items_changed_cb (GListModel *model,
                        guint       position,
                        guint       removed,
                        guint       added,
                        guint      *count)
{
  (*count)++;
}

static char *
dup_count_label (ConfabRoomList *list,
                 gint64          room_id)
{
  ConfabRoomItem *item = confab_room_list_lookup (list, room_id);

  g_assert_nonnull (item);
  return confab_room_item_dup_count_label (item);
}

static const char *two_room_snapshot =
  "{\"type\": \"lobby\", \"page\": 0, \"last\": true, \"rooms\": ["
  " {\"id\": 9, \"name\": \"Planning\", \"topic\": \"Roadmap\", \"capacity\": 4, \"participants\": 4,"
  "  \"owner\": {\"id\": 2, \"name\": \"Grace Hopper\"}, \"role\": \"member\", \"bannedUntil\": null, \"banned\": false},"
  " {\"id\": 7, \"name\": \"Café Été\", \"topic\": \"Weekly sync\", \"capacity\": 10, \"participants\": 3,"
  "  \"owner\": {\"id\": 1, \"name\": \"Ada Lovelace\"}, \"role\": \"owner\", \"bannedUntil\": null, \"banned\": false}]}";

static void
test_snapshot_sorted_with_counts (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  g_autoptr(ConfabRoomItem) first = NULL;
  g_autofree char *label = NULL;
  ConfabRoomItem *full;

  g_assert_false (confab_room_list_get_synchronized (list));
  g_assert_true (apply (list, two_room_snapshot));
  g_assert_true (confab_room_list_get_synchronized (list));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  first = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpint (confab_room_item_get_id (first), ==, 7);
  g_assert_cmpstr (confab_room_item_get_name (first), ==, "Café Été");
  g_assert_cmpstr (confab_room_item_get_topic (first), ==, "Weekly sync");
  g_assert_cmpstr (confab_room_item_get_owner_name (first), ==, "Ada Lovelace");
  g_assert_cmpstr (confab_room_item_get_role (first), ==, "owner");
  label = confab_room_item_dup_count_label (first);
  g_assert_cmpstr (label, ==, "3 / 10");
  g_assert_true (confab_room_item_get_can_join (first));

  full = confab_room_list_lookup (list, 9);
  g_assert_true (confab_room_item_get_full (full));
  g_assert_false (confab_room_item_get_can_join (full));
}

static void
test_pages_swap_in_at_last (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  guint changes = 0;

  g_signal_connect (list, "items-changed", G_CALLBACK (count_items_changed_cb), &changes);

  g_assert_true (apply (list, "{\"type\": \"lobby\", \"page\": 0, \"last\": false, \"rooms\": ["
                              " {\"id\": 1, \"name\": \"One\", \"capacity\": 5, \"participants\": 1}]}"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);
  g_assert_cmpuint (changes, ==, 0);
  g_assert_false (confab_room_list_get_synchronized (list));

  /* A delta during the snapshot waits for its end. */
  g_assert_true (apply (list, "{\"type\": \"roomUpdated\", \"room\": {\"id\": 1, \"name\": \"One\","
                              " \"capacity\": 5, \"participants\": 2}}"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 0);

  g_assert_true (apply (list, "{\"type\": \"lobby\", \"page\": 1, \"last\": true, \"rooms\": ["
                              " {\"id\": 2, \"name\": \"Two\", \"capacity\": 5, \"participants\": 0}]}"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_assert_cmpuint (confab_room_item_get_participants (confab_room_list_lookup (list, 1)), ==, 2);
  g_assert_true (confab_room_list_get_synchronized (list));
}

static void
test_updates_keep_user_fields (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  g_autofree char *label = NULL;
  ConfabRoomItem *item;

  apply (list, two_room_snapshot);
  item = confab_room_list_lookup (list, 7);

  g_assert_true (apply (list, "{\"type\": \"roomUpdated\", \"room\": {\"id\": 7, \"name\": \"Café Été\","
                              " \"topic\": \"Weekly sync\", \"capacity\": 10, \"participants\": 4,"
                              " \"owner\": {\"id\": 1, \"name\": \"Ada Lovelace\"}}}"));

  g_assert_true (confab_room_list_lookup (list, 7) == item);
  label = dup_count_label (list, 7);
  g_assert_cmpstr (label, ==, "4 / 10");
  g_assert_cmpstr (confab_room_item_get_role (item), ==, "owner");
  g_assert_false (confab_room_item_get_banned (item));
}

static void
test_new_room_inserted_in_order (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  g_autoptr(ConfabRoomItem) middle = NULL;

  apply (list, two_room_snapshot);
  g_assert_true (apply (list, "{\"type\": \"roomUpdated\", \"room\": {\"id\": 8, \"name\": \"Eight\","
                              " \"capacity\": 3, \"participants\": 0, \"owner\": {\"id\": 3, \"name\": \"Lin\"}}}"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  middle = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpint (confab_room_item_get_id (middle), ==, 8);
  g_assert_cmpstr (confab_room_item_get_role (middle), ==, "member");
}

static void
test_room_deleted (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();

  apply (list, two_room_snapshot);
  g_assert_true (apply (list, "{\"type\": \"roomDeleted\", \"roomId\": 9}"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_null (confab_room_list_lookup (list, 9));
  g_assert_nonnull (confab_room_list_lookup (list, 7));

  /* Deleting an unknown room changes nothing. */
  g_assert_true (apply (list, "{\"type\": \"roomDeleted\", \"roomId\": 12345}"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

static void
test_room_access_bans (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  ConfabRoomItem *item;

  apply (list, two_room_snapshot);
  item = confab_room_list_lookup (list, 7);

  g_assert_true (apply (list, "{\"type\": \"roomAccess\", \"roomId\": 7, \"role\": \"member\","
                              " \"banned\": true, \"bannedUntil\": 1767229200}"));
  g_assert_true (confab_room_item_get_banned (item));
  g_assert_cmpint (confab_room_item_get_banned_until (item), ==, 1767229200);
  g_assert_cmpstr (confab_room_item_get_role (item), ==, "member");
  g_assert_false (confab_room_item_get_can_join (item));

  g_assert_true (apply (list, "{\"type\": \"roomAccess\", \"roomId\": 7, \"role\": \"moderator\","
                              " \"banned\": false, \"bannedUntil\": null}"));
  g_assert_false (confab_room_item_get_banned (item));
  g_assert_cmpint (confab_room_item_get_banned_until (item), ==, 0);
  g_assert_cmpstr (confab_room_item_get_role (item), ==, "moderator");
  g_assert_true (confab_room_item_get_can_join (item));
}

/* A grant to a private room reaches the user before the room does. */
static void
test_access_before_room (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  ConfabRoomItem *item;

  apply (list, two_room_snapshot);
  g_assert_true (apply (list, "{\"type\": \"roomAccess\", \"roomId\": 8, \"role\": \"moderator\","
                              " \"banned\": false, \"bannedUntil\": null}"));
  g_assert_null (confab_room_list_lookup (list, 8));

  g_assert_true (apply (list, "{\"type\": \"roomUpdated\", \"room\": {\"id\": 8, \"name\": \"Secret\","
                              " \"capacity\": 3, \"participants\": 0, \"owner\": {\"id\": 3, \"name\": \"Lin\"},"
                              " \"private\": true}}"));
  item = confab_room_list_lookup (list, 8);
  g_assert_nonnull (item);
  g_assert_cmpstr (confab_room_item_get_role (item), ==, "moderator");

  /* The early access was used up: the room's next appearance is a member's. */
  g_assert_true (apply (list, "{\"type\": \"roomHidden\", \"roomId\": 8}"));
  g_assert_true (apply (list, "{\"type\": \"roomUpdated\", \"room\": {\"id\": 8, \"name\": \"Secret\","
                              " \"capacity\": 3, \"participants\": 0, \"owner\": {\"id\": 3, \"name\": \"Lin\"}}}"));
  g_assert_cmpstr (confab_room_item_get_role (confab_room_list_lookup (list, 8)), ==, "member");
}

static void
test_resnapshot_reuses_items (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  ConfabRoomItem *item;
  g_autofree char *label = NULL;

  apply (list, two_room_snapshot);
  item = confab_room_list_lookup (list, 7);

  /* The connection dropped: room 9 was deleted and room 7 got busier
   * meanwhile, and only the new snapshot contains that.
   */
  confab_room_list_mark_stale (list);
  g_assert_false (confab_room_list_get_synchronized (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  g_assert_true (apply (list, "{\"type\": \"lobby\", \"page\": 0, \"last\": true, \"rooms\": ["
                              " {\"id\": 7, \"name\": \"Café Été\", \"topic\": \"Weekly sync\", \"capacity\": 10,"
                              "  \"participants\": 6, \"owner\": {\"id\": 1, \"name\": \"Ada Lovelace\"},"
                              "  \"role\": \"owner\", \"bannedUntil\": null, \"banned\": false}]}"));

  g_assert_true (confab_room_list_get_synchronized (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_true (confab_room_list_lookup (list, 7) == item);
  g_assert_null (confab_room_list_lookup (list, 9));
  label = dup_count_label (list, 7);
  g_assert_cmpstr (label, ==, "6 / 10");
}

static void
test_invalid_rooms_dropped (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  g_autofree char *label = NULL;

  g_assert_true (apply (list, "{\"type\": \"lobby\", \"page\": 0, \"last\": true, \"rooms\": ["
                              " {\"id\": \"7\", \"name\": \"String id\"},"
                              " {\"id\": -1, \"name\": \"Negative id\"},"
                              " {\"id\": 3},"
                              " {\"id\": 4, \"name\": \"Bad count\", \"participants\": \"many\"},"
                              " {\"id\": 5, \"name\": [\"not\", \"a string\"]},"
                              " 42,"
                              " {\"id\": 6, \"name\": \"Good\", \"capacity\": 2, \"participants\": 1,"
                              "  \"owner\": \"not an object\", \"role\": \"emperor\", \"banned\": \"yes\"}]}"));

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  g_assert_cmpstr (confab_room_item_get_owner_name (confab_room_list_lookup (list, 6)), ==, "");
  g_assert_cmpstr (confab_room_item_get_role (confab_room_list_lookup (list, 6)), ==, "member");
  g_assert_false (confab_room_item_get_banned (confab_room_list_lookup (list, 6)));

  g_assert_false (apply (list, "{\"type\": \"lobby\", \"rooms\": {}}"));
  g_assert_false (apply (list, "{\"type\": \"roomUpdated\", \"room\": 6}"));
  g_assert_false (apply (list, "{\"type\": \"roomDeleted\", \"roomId\": \"6\"}"));
  g_assert_false (apply (list, "{\"type\": \"roomAccess\", \"roomId\": null}"));
  g_assert_false (apply (list, "{\"type\": \"userJoined\", \"roomId\": 6}"));

  /* An update with a wrong type keeps the last good state. */
  g_assert_true (apply (list, "{\"type\": \"roomUpdated\", \"room\": {\"id\": 6, \"name\": \"Good\","
                              " \"participants\": -4}}"));
  label = dup_count_label (list, 6);
  g_assert_cmpstr (label, ==, "1 / 2");
}

static void
test_search_matches (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  ConfabRoomItem *item;

  apply (list, two_room_snapshot);
  item = confab_room_list_lookup (list, 7);

  g_assert_true (confab_room_item_matches (item, NULL));
  g_assert_true (confab_room_item_matches (item, ""));
  g_assert_true (confab_room_item_matches (item, "café"));
  g_assert_true (confab_room_item_matches (item, "CAFÉ ÉTÉ"));
  g_assert_true (confab_room_item_matches (item, "cafe ete"));
  g_assert_true (confab_room_item_matches (item, "CAFE\xcc\x81"));
  g_assert_true (confab_room_item_matches (item, "weekly"));
  g_assert_true (confab_room_item_matches (item, "lovelace"));
  g_assert_false (confab_room_item_matches (item, "roadmap"));
  g_assert_false (confab_room_item_matches (item, "hopper"));
}

static void
test_many_rooms (void)
{
  g_autoptr(ConfabRoomList) list = confab_room_list_new ();
  const guint total = 5000;
  const guint per_page = 200;

  for (guint page = 0; page * per_page < total; page++)
    {
      g_autoptr(GString) json = g_string_new (NULL);

      g_string_append_printf (json, "{\"type\": \"lobby\", \"page\": %u, \"last\": %s, \"rooms\": [",
                              page, (page + 1) * per_page >= total ? "true" : "false");
      for (guint i = page * per_page; i < (page + 1) * per_page && i < total; i++)
        g_string_append_printf (json, "%s{\"id\": %u, \"name\": \"Room %u\", \"capacity\": 10, \"participants\": %u}",
                                i % per_page == 0 ? "" : ",", i + 1, i + 1, i % 10);
      g_string_append (json, "]}");

      g_assert_true (apply (list, json->str));
    }

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, total);

  for (guint id = 1; id <= total; id += 499)
    {
      g_autofree char *json = g_strdup_printf ("{\"type\": \"roomUpdated\", \"room\": {\"id\": %u,"
                                               " \"name\": \"Room %u\", \"participants\": 10}}", id, id);

      g_assert_true (apply (list, json));
      g_assert_true (confab_room_item_get_full (confab_room_list_lookup (list, id)));
    }

  g_assert_false (confab_room_item_get_full (confab_room_list_lookup (list, 2)));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/client/room-list/snapshot-sorted-with-counts", test_snapshot_sorted_with_counts);
  g_test_add_func ("/client/room-list/pages-swap-in-at-last", test_pages_swap_in_at_last);
  g_test_add_func ("/client/room-list/updates-keep-user-fields", test_updates_keep_user_fields);
  g_test_add_func ("/client/room-list/new-room-inserted-in-order", test_new_room_inserted_in_order);
  g_test_add_func ("/client/room-list/room-deleted", test_room_deleted);
  g_test_add_func ("/client/room-list/room-access-bans", test_room_access_bans);
  g_test_add_func ("/client/room-list/access-before-room", test_access_before_room);
  g_test_add_func ("/client/room-list/resnapshot-reuses-items", test_resnapshot_reuses_items);
  g_test_add_func ("/client/room-list/invalid-rooms-dropped", test_invalid_rooms_dropped);
  g_test_add_func ("/client/room-list/search-matches", test_search_matches);
  g_test_add_func ("/client/room-list/many-rooms", test_many_rooms);

  return g_test_run ();
}
