from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    """Sample data: the labelled 2012 demo (``cicte demo``) and synthetic data at scale
    (``cicte generate``). A top layer: it may use every app; no app imports it."""

    name = "cicte.sampledata"
    label = "sampledata"
