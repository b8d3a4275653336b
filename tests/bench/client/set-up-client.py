#!/usr/bin/python3
"""Prepare a confab-server for the client benchmark.

Usage: set-up-client.py SERVER_URL ROOMS ROOMS_JSON
Registers one account, creates ROOMS rooms and saves the room list, as the
REST API returns it, to ROOMS_JSON. Then stores the session token in the
Secret Service under confab's schema, so that confab starts signed in.
Prints the account's email. Runs with Debian's Python for its GObject
bindings.
"""
import json
import sys
import urllib.request

import gi

gi.require_version("Secret", "1")
from gi.repository import Secret  # noqa: E402

server_url, n_rooms, rooms_json = sys.argv[1], int(sys.argv[2]), sys.argv[3]
EMAIL = "bench-client@example.org"


def call(method, path, body=None, token=None):
    request = urllib.request.Request(server_url + path, method=method,
                                     data=json.dumps(body).encode() if body is not None else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read() or b"{}")


session = call("POST", "/api/v1/auth/register",
               {"name": "Bench Client", "email": EMAIL, "password": "bench client password"})
token = session["token"]
for i in range(n_rooms):
    call("POST", "/api/v1/rooms", {"name": f"Room {i + 1}", "topic": f"Weekly sync of team {i + 1}", "capacity": 10},
         token)

with open(rooms_json, "w") as output:
    json.dump(call("GET", "/api/v1/rooms", token=token), output)

schema = Secret.Schema.new("io.github.confab.Confab.Session", Secret.SchemaFlags.NONE,
                           {"server": Secret.SchemaAttributeType.STRING, "email": Secret.SchemaAttributeType.STRING})
Secret.password_store_sync(schema, {"server": server_url, "email": EMAIL}, Secret.COLLECTION_DEFAULT,
                           f"Confab session for {EMAIL}", token, None)
print(EMAIL)
