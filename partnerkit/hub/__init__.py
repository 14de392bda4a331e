"""partnerkit on JupyterHub: who a hub user is in partnerkit, and what their server runs.

JupyterHub signs people in (Microsoft Entra ID through oauthenticator for school and
council staff; :class:`~partnerkit.hub.authenticator.PartnerkitAuthenticator`, partnerkit's
own accounts, for partners who have no such account). Hub groups named
``partnerkit:<workspace>:<role>`` are the person's partnerkit roles
(:mod:`partnerkit.hub.groups`), written into the store at every sign-in; the one
permission check in :mod:`partnerkit.access` then applies unchanged. Each person's server
is ``partnerkit serve --hub`` behind ``jupyter-standaloneproxy`` (the hub's sign-in in
front of partnerkit's pages, nothing of Jupyter's own), and JupyterLab for trainers
(:mod:`partnerkit.hub.spawn`). The deployment: ``deploy/jupyterhub/``.
"""
