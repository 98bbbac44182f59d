"""Provision Superset for marketmetrics; run by Superset's own interpreter (.venv-superset).

`marketmetrics superset` (src/marketmetrics/superset.py) writes the import bundle and a JSON
settings file, then runs `python provision.py SETTINGS.json` with SUPERSET_CONFIG_PATH set.
This script, inside Superset's application context:

1. creates the admin user if it is missing (the password comes from the settings file);
2. imports the bundle (database, datasets, charts, dashboard), overwriting what an earlier
   start imported, so the repository's dashboard is the one shown;
3. creates the viewer role with the few permissions a dashboard page needs and nothing else
   (no SQL Lab, no explore, no database or dataset list), the viewer user in it, and puts
   the role on the dashboard: with DASHBOARD_RBAC the role reaches the dashboard's charts'
   data through the dashboard only, never a dataset on its own.

It imports nothing from marketmetrics: the two virtualenvs share no package.
"""

from __future__ import annotations

import json
import sys
import uuid
import zipfile

# What the viewer role may do: open a dashboard it is given and load its charts' data.
# (permission, view menu); checked by tests/python/test_superset.py through the HTTP API.
VIEWER_PERMISSIONS = (
    ("can_read", "Dashboard"),
    ("can_read", "Chart"),
    ("can_dashboard", "Superset"),
    ("can_read", "DashboardFilterStateRestApi"),
    ("can_write", "DashboardFilterStateRestApi"),
    ("can_read", "DashboardPermalinkRestApi"),
    ("can_read", "CurrentUserRestApi"),
    ("menu_access", "Dashboards"),
    ("can_log", "Superset"),
)


def _bundle_contents(path: str) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        root = names[0].split("/", 1)[0]
        return {
            name.split("/", 1)[1]: archive.read(name).decode("utf-8")
            for name in names
            if name.startswith(f"{root}/") and not name.endswith("/")
        }


def _ensure_user(security_manager, account, first_name, last_name, role):
    """The user `account` names, in exactly `role`, with `account`'s password."""
    user = security_manager.find_user(username=account["username"])
    if user is None:
        return security_manager.add_user(
            account["username"],
            first_name,
            last_name,
            account["email"],
            role,
            password=account["password"],
        )
    user.roles = [role]
    security_manager.reset_password(user.id, account["password"])
    return user


def main(settings_path: str) -> int:
    with open(settings_path, encoding="utf-8") as handle:
        settings = json.load(handle)

    from superset.app import create_app

    app = create_app()
    with app.app_context():
        from flask import g
        from superset import db, security_manager
        from superset.commands.dashboard.importers.dispatcher import ImportDashboardsCommand
        from superset.models.dashboard import Dashboard

        admin = settings["admin"]
        user = _ensure_user(
            security_manager, admin, "Superset", "Admin", security_manager.find_role("Admin")
        )
        db.session.commit()
        g.user = user

        contents = _bundle_contents(settings["bundle"])
        ImportDashboardsCommand(
            contents, overwrite=True, passwords=settings.get("passwords") or {}
        ).run()

        viewer = settings["viewer"]
        role = security_manager.find_role(viewer["role"]) or security_manager.add_role(
            viewer["role"]
        )
        wanted = set()
        for permission, view in VIEWER_PERMISSIONS:
            pvm = security_manager.find_permission_view_menu(permission, view)
            if pvm is None:
                print(
                    f"provision: Superset has no permission {permission} on {view}", file=sys.stderr
                )
                return 1
            wanted.add(pvm)
        role.permissions = sorted(wanted, key=lambda p: p.id)
        _ensure_user(security_manager, viewer, "Dashboard", "Viewer", role)

        dashboard = (
            db.session.query(Dashboard).filter_by(uuid=uuid.UUID(settings["dashboard_uuid"])).one()
        )
        dashboard.roles = [role]
        dashboard.published = True
        db.session.commit()
        print(json.dumps({"dashboard_id": dashboard.id, "charts": len(dashboard.slices)}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
