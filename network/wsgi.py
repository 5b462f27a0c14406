import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "network.settings.production")

application = get_wsgi_application()

# What start-up loaded lives as long as the process: frozen, it is left out of the garbage collector's full passes,
# which otherwise stop a request now and then while they walk all of it (README, "Start-up objects frozen").
gc.freeze()
