"""Registration for events, courses and webinars: seats, waiting list, e-mails, privacy.

`models` holds the data, `selectors` the reads, `services` the changes (under `locking` and `rules`), `emails` and
`outbox` the messages, `privacy` retention and requests, `views` the public side, `admin` the coordinators' side.
"""
