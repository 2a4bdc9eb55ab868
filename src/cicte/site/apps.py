from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top shell of the site: ``base.html``, the site CSS, the role-aware navigation and
    its context processor. It may use every app (URL names, permissions); no app imports it.

    The label is ``cicte_site`` so it never clashes with ``django.contrib.sites`` (``sites``).
    """

    name = "cicte.site"
    label = "cicte_site"
