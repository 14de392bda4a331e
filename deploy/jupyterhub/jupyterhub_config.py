"""JupyterHub for partnerkit on one machine (up to about 100 people).

Step by step in the README, "Deploying on JupyterHub". In short, as root on a Debian or
Ubuntu server with PostgreSQL:

    python3 -m venv /opt/partnerkit && . /opt/partnerkit/bin/activate
    pip install 'partnerkit[hub,postgres]' && npm install -g configurable-http-proxy
    export PARTNERKIT_DATABASE_URL=postgresql://partnerkit:…@127.0.0.1/partnerkit
    partnerkit workspaces add glenbrae --title "Glenbrae High School"
    jupyterhub -f deploy/jupyterhub/jupyterhub_config.py

Settings come from the environment so that this file is the same everywhere:

- ``PARTNERKIT_DATABASE_URL`` (required): the one PostgreSQL store every user's server uses.
- ``PARTNERKIT_HUB_AUTH``: ``partnerkit`` (default: partnerkit's own accounts, added by an
  admin: the route for partners) or ``entra`` (Microsoft Entra ID through oauthenticator:
  school staff through Glow or a council tenant; see the README for the app registration
  and ``PARTNERKIT_ENTRA_TENANT``, ``PARTNERKIT_ENTRA_CLIENT_ID``,
  ``PARTNERKIT_ENTRA_CLIENT_SECRET``, ``PARTNERKIT_HUB_URL``).
- ``PARTNERKIT_HUB_SPAWNER``: ``local`` (default: each person's server runs as their own
  system user, which must exist) or ``simple`` (every server as the hub's user: for a
  trial or the tests only).
- ``PARTNERKIT_HUB_IP`` / ``PARTNERKIT_HUB_PORT``: where the hub listens (default
  127.0.0.1:8000, behind an HTTPS reverse proxy; see the README).
- ``PARTNERKIT_CULL_MINUTES``: idle servers are stopped after this long (default 30);
  everything typed is already saved, and the person's next visit starts a new server.
- ``PARTNERKIT_HUB_POOL``: preheated kernels per workbook on each server (default 0).
- ``PARTNERKIT_HUB_PAGES``: ``standalone`` (default: ``partnerkit serve --hub`` behind
  jupyter-server-proxy's standalone mode) or ``extension`` (Voilà's server extension in
  ``jupyterhub-singleuser``); see the README for why standalone is the default.
"""

import os
import sys

from partnerkit.errors import ServeError
from partnerkit.hub.spawn import choose_server, pages_mode, sync_after_sign_in

c = get_config()  # noqa: F821 - JupyterHub provides it

if not os.environ.get("PARTNERKIT_DATABASE_URL"):
    sys.exit("partnerkit: set PARTNERKIT_DATABASE_URL to the PostgreSQL store every user's "
             "server shares (see the README's deployment section)")

try:
    pages_mode()
except ServeError as exc:
    sys.exit(f"partnerkit: {exc}")

c.JupyterHub.ip = os.environ.get("PARTNERKIT_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("PARTNERKIT_HUB_PORT", "8000"))
c.JupyterHub.cleanup_servers = True
# A person coming back to a page whose server was stopped (idle, or a restart) gets it
# started again by themselves, without a "Launch Server" button to find.
c.JupyterHub.implicit_spawn_seconds = 1

# Who signs in: partnerkit's own accounts, or Microsoft Entra ID.
auth = os.environ.get("PARTNERKIT_HUB_AUTH", "partnerkit")
if auth == "entra":
    c.JupyterHub.authenticator_class = "azuread"
    c.AzureAdOAuthenticator.tenant_id = os.environ["PARTNERKIT_ENTRA_TENANT"]
    c.AzureAdOAuthenticator.client_id = os.environ["PARTNERKIT_ENTRA_CLIENT_ID"]
    c.AzureAdOAuthenticator.client_secret = os.environ["PARTNERKIT_ENTRA_CLIENT_SECRET"]
    c.AzureAdOAuthenticator.oauth_callback_url = (
        os.environ["PARTNERKIT_HUB_URL"].rstrip("/") + "/hub/oauth_callback")
    c.AzureAdOAuthenticator.username_claim = "preferred_username"
    # Entra group claims named partnerkit:<workspace>:<role> become hub groups.
    c.AzureAdOAuthenticator.auth_state_groups_key = "user.groups"
    c.AzureAdOAuthenticator.allow_all = True
else:
    c.JupyterHub.authenticator_class = "partnerkit.hub.authenticator.PartnerkitAuthenticator"
    c.Authenticator.allow_all = True  # only accounts an admin added can sign in at all
c.Authenticator.manage_groups = True
c.Authenticator.post_auth_hook = sync_after_sign_in

# What each person's server runs: partnerkit's pages (JupyterLab for trainers).
spawner = os.environ.get("PARTNERKIT_HUB_SPAWNER", "local")
c.JupyterHub.spawner_class = "simple" if spawner == "simple" else "localprocess"
pool = int(os.environ.get("PARTNERKIT_HUB_POOL", "0"))
c.Spawner.pre_spawn_hook = lambda s: choose_server(s, pool, as_hub_user=spawner == "simple")
c.Spawner.http_timeout = 120
c.Spawner.start_timeout = 180
c.Spawner.mem_limit = "1G"

# Idle servers stopped (jupyterhub-idle-culler); nothing typed is lost: it is saved as typed.
cull_seconds = int(float(os.environ.get("PARTNERKIT_CULL_MINUTES", "30")) * 60)
c.JupyterHub.load_roles = [{
    "name": "jupyterhub-idle-culler-role",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["jupyterhub-idle-culler-service"],
}]
c.JupyterHub.services = [{
    "name": "jupyterhub-idle-culler-service",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={cull_seconds}",
                f"--cull-every={max(10, cull_seconds // 6)}"],
}]
