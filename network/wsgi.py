import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.production")

application = get_wsgi_application()

# What start-up loaded (Django, Wagtail, our models and URLs: some 200,000 objects) lives as long as the process.
# Frozen, it is left out of the garbage collector's full passes, which otherwise stop one request in twenty or so for
# about 100 ms while they walk all of it (measured with `make bench`; see README, Benchmarks).
gc.freeze()
