"""gunicorn's settings for the README's production commands (`gunicorn -c network/gunicorn.conf.py network.wsgi`): two
processes with this file, the pages on 127.0.0.1:8000 (3 workers) and the registration and the rest that is never
kept on 8001 (2 workers, at nice 10), nginx sending each its paths (network/nginx.conf.example); bind and workers
are theirs.

The access log writes the path without its query string (`%(U)s`, not the request line `%(r)s`): the manage and
confirmation links carry their token in the query string (`?adgang=`), and no token is to be kept in a log. Links
sent before had the token in the path; the logger writes those paths with the token left out.
"""

import re

from gunicorn.glogging import Logger

accesslog = "-"
# Combined log format with the path alone: address, time, method, path, protocol, status, size, referrer, agent.
access_log_format = '%(h)s - - %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(f)s" "%(a)s"'

# /tilmelding/<uuid>/<token>/ (and its /kompetencelandskab/): the segment after the registration's id is a token.
OLD_LINK = re.compile(r"(/tilmelding/[0-9a-f-]{36}/)(?!kompetencelandskab/|bekraeft/)[^/]+/")


class TokenlessLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        atoms["U"] = OLD_LINK.sub(r"\1-/", atoms["U"])
        return atoms


logger_class = TokenlessLogger
